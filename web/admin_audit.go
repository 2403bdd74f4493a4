package web

import (
	"net/http"
	"strconv"
	"strings"
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

// auditQuery reads ?since (a date, YYYY-MM-DD, from midnight in London)
// and ?before (an RFC 3339 time) into a query for at most limit entries.
func auditQuery(c *gin.Context, limit int) (directory.AuditQuery, error) {
	q := directory.AuditQuery{Limit: limit}
	if v := c.Query("since"); v != "" {
		t, err := time.ParseInLocation("2006-01-02", v, directory.London())
		if err != nil {
			return q, directory.Errorf(directory.EINVALID, "give the date to start from as YYYY-MM-DD, for example 2026-03-01")
		}
		q.Since = t
	}
	if v := c.Query("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return q, directory.Errorf(directory.EINVALID, "before=%q should be a time such as 2026-03-01T09:00:00Z", v)
		}
		q.Before = t
	}
	return q, nil
}

// maxAuditJSON is the most entries one /admin/audit.json answer holds.
const maxAuditJSON = 10000

// auditJSON answers the audit log as JSON, oldest first, for
// "livingwell audit --from": ?since and ?before as for the page, and
// ?limit (at most 10,000; the newest are kept).
func (s *Server) auditJSON(c *gin.Context) {
	limit := maxAuditJSON
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAuditJSON {
			apiError(c, directory.Errorf(directory.EINVALID, "limit=%q should be a whole number from 1 to %d", v, maxAuditJSON))
			return
		}
		limit = n
	}
	q, err := auditQuery(c, limit)
	if err != nil {
		apiError(c, err)
		return
	}
	entries, err := s.dir.Audit(c.Request.Context(), q)
	if err != nil {
		apiError(c, err)
		return
	}
	if entries == nil {
		entries = []directory.AuditEntry{}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"entries": entries})
}

// auditPage shows the admin the audit log, newest first: every change, who
// made it and when. ?since=YYYY-MM-DD starts from a day; ?before=TIME
// pages back.
func (s *Server) auditPage(c *gin.Context) {
	pg := auditView{signedIn: signedInAs(c), Since: c.Query("since")}
	status := http.StatusOK
	q, err := auditQuery(c, auditPageSize)
	if err != nil {
		pg.Error, status = auditSentence(directory.ErrorMessage(err)), http.StatusBadRequest
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

// auditSentence starts a message with a capital and ends it with a full stop.
func auditSentence(msg string) string {
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "."
}
