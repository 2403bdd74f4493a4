package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// The review queue of problems the public reported about listings: the
// admin sees every report (/admin/reports); a partner sees and resolves
// those about their own listings on their dashboard. Resolving records
// who did it and a note, in the report and the audit log.

// reportView is a report as the queue shows it.
type reportView struct {
	ID, ListingName, ListingURL, Partner, Kind, Text, Email, EmailURL, Created string
	Resolved                                                                   bool
	ResolvedAt, ResolvedBy, Note                                               string
}

// reportViews describes reports for a page; partners maps partner ids to
// names (nil to leave the partner out).
func reportViews(rs []directory.Report, partners map[string]string) []reportView {
	out := make([]reportView, 0, len(rs))
	for _, r := range rs {
		v := reportView{ID: r.ID, ListingName: r.ListingName, ListingURL: listingURL(r.ListingID, ""), Kind: r.Kind.Label(), Text: r.Text,
			Email: r.Email, Created: r.Created.In(directory.London()).Format(dateFormat), Resolved: r.Status == directory.ReportResolved,
			ResolvedBy: r.ResolvedBy, Note: r.Note}
		if partners != nil {
			v.Partner = firstNonEmpty(partners[r.PartnerID], r.PartnerID)
		}
		if r.Email != "" {
			v.EmailURL = "mailto:" + r.Email
		}
		if v.Resolved {
			v.ResolvedAt = r.Resolved.In(directory.London()).Format(dateFormat)
		}
		out = append(out, v)
	}
	return out
}

// adminReportsPage is the data of the review queue.
type adminReportsPage struct {
	signedIn
	Status   string
	Statuses []filterOption
	Reports  []reportView
	// Resolved names a report just resolved; Error is a note that could
	// not be kept, on the report ErrorID.
	Resolved, Error, ErrorID, Note string
}

// reportStatusOptions are the queue's views.
var reportStatusOptions = [][2]string{{"open", "To review"}, {"resolved", "Resolved"}, {"all", "All"}}

// adminReports answers GET /admin/reports: ?status=open (the default),
// resolved or all; ?resolved=ID says that report was just resolved.
func (s *Server) adminReports(c *gin.Context) {
	s.renderReports(c, http.StatusOK, adminReportsPage{Status: c.Query("status"), Resolved: c.Query("resolved")})
}

func (s *Server) renderReports(c *gin.Context, code int, pg adminReportsPage) {
	pg.signedIn = signedInAs(c)
	if pg.Status != "resolved" && pg.Status != "all" {
		pg.Status = "open"
	}
	pg.Statuses = checkOptions("status", reportStatusOptions, []string{pg.Status})
	f := directory.ReportFilter{}
	if pg.Status != "all" {
		f.Status = directory.ReportStatus(pg.Status)
	}
	ctx := c.Request.Context()
	rs, err := s.dir.Reports(ctx, f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	names, err := s.partnerNames(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if pg.Resolved != "" {
		if r, err := s.dir.Report(ctx, pg.Resolved); err == nil && r.Status == directory.ReportResolved {
			pg.Resolved = "The report about " + r.ListingName + " is resolved."
		} else {
			pg.Resolved = ""
		}
	}
	pg.Reports = reportViews(rs, names)
	s.render(c, code, "admin_reports", pg)
}

// partnerNames maps every partner's id to its name.
func (s *Server) partnerNames(ctx context.Context) (map[string]string, error) {
	ps, err := s.dir.Partners(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(ps))
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	return names, nil
}

// adminReportResolve answers POST /admin/reports/{id}/resolve: it closes
// the report with the admin's note and goes back to the queue.
func (s *Server) adminReportResolve(c *gin.Context) {
	id, note := c.Param("id"), c.PostForm("note")
	if _, err := s.dir.ResolveReport(c.Request.Context(), id, currentUser(c).Email, note); err != nil {
		if directory.ErrorCode(err) != directory.EINVALID {
			s.renderError(c, err)
			return
		}
		s.renderReports(c, http.StatusBadRequest, adminReportsPage{Error: sentence(directory.ErrorMessage(err)), ErrorID: id, Note: note})
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/reports?resolved="+url.QueryEscape(id))
}

// partnerReportResolve answers POST /partner/reports/{id}/resolve: a
// partner closes a report about one of their own listings (another
// partner's report answers 404, as if there were none) and goes back to
// their dashboard.
func (s *Server) partnerReportResolve(c *gin.Context) {
	p := partnerOf(c)
	ctx := c.Request.Context()
	r, err := s.dir.Report(ctx, c.Param("id"))
	if err == nil && r.PartnerID != p.ID {
		err = directory.Errorf(directory.ENOTFOUND, "there is no report %q about your listings", c.Param("id"))
	}
	if err == nil {
		_, err = s.dir.ResolveReport(ctx, r.ID, currentUser(c).Email, strings.TrimSpace(c.PostForm("note")))
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/partner?partner="+url.QueryEscape(p.ID)+"#reports")
}
