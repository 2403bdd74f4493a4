package web

import (
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// reportPage is the data of the "report a problem with this listing" form.
type reportPage struct {
	Crisis  bool
	Listing listingView
	Kinds   []reportKind
	Details string
	Email   string
	// Errors are the problems with what was sent, by field, in the order
	// the form asks; Sent says the report was received.
	Errors []fieldError
	Sent   bool
}

// reportKind is one radio button of the form.
type reportKind struct {
	Value, Label string
	Checked      bool
}

// fieldError is a problem with one form field: its id (for the link from
// the error summary) and what to do.
type fieldError struct {
	Field, Message string
}

// ErrorFor returns the message for a field, or "".
func (p reportPage) ErrorFor(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// reportForm answers GET /listings/{id}/report: the form, or after sending
// (?sent=1) the thanks.
func (s *Server) reportForm(c *gin.Context) {
	l, err := s.dir.Listing(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	pg := reportPage{Listing: s.newListingView(c.Request.Context(), l, "", nil, s.now()), Kinds: reportKinds(""), Sent: c.Query("sent") == "1"}
	s.render(c, http.StatusOK, "report", pg)
}

// reportSubmit answers POST /listings/{id}/report: it stores the report in
// the admin's review queue and redirects to the thanks, or shows the form
// again saying what to fix.
func (s *Server) reportSubmit(c *gin.Context) {
	ctx := c.Request.Context()
	l, err := s.dir.Listing(ctx, c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	kind := directory.ProblemKind(c.PostForm("kind"))
	pg := reportPage{
		Listing: s.newListingView(ctx, l, "", nil, s.now()), Kinds: reportKinds(kind),
		Details: strings.TrimSpace(c.PostForm("details")), Email: strings.TrimSpace(c.PostForm("email")),
	}
	if !kind.Valid() {
		pg.Errors = append(pg.Errors, fieldError{"kind", "Choose what is wrong with the listing"})
	}
	switch n := utf8.RuneCountInString(pg.Details); {
	case kind == directory.ProblemOther && n == 0:
		pg.Errors = append(pg.Errors, fieldError{"details", "Tell us what is wrong with the listing"})
	case n > directory.MaxReportText:
		pg.Errors = append(pg.Errors, fieldError{"details", "Tell us in 2000 characters or fewer"})
	}
	if pg.Email != "" {
		if a, err := mail.ParseAddress(pg.Email); err != nil || a.Address != pg.Email {
			pg.Errors = append(pg.Errors, fieldError{"email", "Enter an email address like name@example.com, or leave it empty"})
		}
	}
	if len(pg.Errors) == 0 {
		_, err = s.dir.AddReport(ctx, directory.Report{ListingID: l.ID, Kind: kind, Text: pg.Details, Email: pg.Email})
		switch code := directory.ErrorCode(err); code {
		case "":
			c.Redirect(http.StatusSeeOther, "/listings/"+url.PathEscape(l.ID)+"/report?sent=1")
			return
		case directory.EINVALID, directory.ECONFLICT:
			pg.Errors = append(pg.Errors, fieldError{"details", sentence(directory.ErrorMessage(err))})
		default:
			s.renderError(c, err)
			return
		}
	}
	s.render(c, http.StatusBadRequest, "report", pg)
}

func reportKinds(chosen directory.ProblemKind) []reportKind {
	out := make([]reportKind, len(directory.ProblemKinds))
	for i, k := range directory.ProblemKinds {
		out[i] = reportKind{Value: string(k), Label: k.Label(), Checked: k == chosen}
	}
	return out
}
