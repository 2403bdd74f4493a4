package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// auditPageSize is how many entries the audit page shows at once.
const auditPageSize = 200

// auditView is the data of the audit log page.
type auditView struct {
	signedIn
	Since   string
	Entries []auditRow
	// Older links to the page before the oldest entry shown, when there
	// may be one.
	Older string
	Error string
}

type auditRow struct {
	At, Actor, Action, Target, Detail string
}

// auditPage shows the admin the audit log, newest first: every change, who
// made it and when. ?since=YYYY-MM-DD starts from a day; ?before=TIME
// pages back.
func (s *Server) auditPage(c *gin.Context) {
	pg := auditView{signedIn: signedInAs(c), Since: c.Query("since")}
	q := directory.AuditQuery{Limit: auditPageSize}
	status := http.StatusOK
	if pg.Since != "" {
		t, err := time.ParseInLocation("2006-01-02", pg.Since, directory.London())
		if err != nil {
			pg.Error, status = "Give the date to start from as YYYY-MM-DD, for example 2026-03-01.", http.StatusBadRequest
		}
		q.Since = t
	}
	if b := c.Query("before"); b != "" {
		t, err := time.Parse(time.RFC3339Nano, b)
		if err != nil {
			pg.Error, status = "That link to older entries is not valid; start again from the newest.", http.StatusBadRequest
		}
		q.Before = t
	}
	if pg.Error == "" {
		entries, err := s.dir.Audit(c.Request.Context(), q)
		if err != nil {
			s.renderError(c, err)
			return
		}
		for i := len(entries) - 1; i >= 0; i-- {
			e := entries[i]
			pg.Entries = append(pg.Entries, auditRow{At: e.At.In(directory.London()).Format("2 Jan 2006 15:04:05"), Actor: e.Actor, Action: e.Action, Target: e.Target, Detail: e.Detail})
		}
		if len(entries) == auditPageSize {
			pg.Older = "/admin/audit?before=" + entries[0].At.Format(time.RFC3339Nano)
			if pg.Since != "" {
				pg.Older += "&since=" + pg.Since
			}
		}
	}
	s.render(c, status, "admin_audit", pg)
}
