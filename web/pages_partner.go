package web

import (
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// dateFormat is how the partner area writes dates.
const dateFormat = "2 Jan 2006"

// listingRow is one listing on the partner dashboard.
type listingRow struct {
	ID, Ref, Name, Status, LastVerified, URL string
	Stale                                    bool
}

// partnerDashboard is the data of the partner dashboard.
type partnerDashboard struct {
	signedIn
	Partner  *directory.Partner
	Listings []listingRow
	Total    int
	Stale    int
	// ByStatus counts listings per status label, in the statuses' order.
	ByStatus []statusCount
	Online   int
	// LastImport is the latest entry of the import history, if any.
	LastImport *importRow
	dashboardExtras
}

type statusCount struct {
	Label string
	Count int
}

// partnerChooser is the data of the admin's list of partners.
type partnerChooser struct {
	signedIn
	Partners []partnerChoice
}

type partnerChoice struct {
	ID, Name string
	Listings int
}

// partnerHome shows a partner's listings with when each was last checked.
// An admin without a partner chosen sees the list of partners to act for.
func (s *Server) partnerHome(c *gin.Context) {
	if u := currentUser(c); u.Role == directory.RoleAdmin && c.Query("partner") == "" {
		s.partnerList(c)
		return
	}
	p, err := s.actingPartner(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	ctx := c.Request.Context()
	ls, err := s.dir.PartnerListings(ctx, p.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	now := s.now()
	pg := partnerDashboard{signedIn: signedInAs(c), Partner: p, Total: len(ls)}
	counts := map[directory.Status]int{}
	for _, l := range ls {
		row := listingRow{ID: l.ID, Ref: l.Ref, Name: l.Name, Status: l.Status.Label(), URL: "/listings/" + l.ID, Stale: l.Stale(now)}
		if !l.LastVerified.IsZero() {
			row.LastVerified = l.LastVerified.In(directory.London()).Format(dateFormat)
		}
		if row.Stale {
			pg.Stale++
		}
		if l.Online {
			pg.Online++
		}
		counts[l.Status]++
		pg.Listings = append(pg.Listings, row)
	}
	for _, st := range directory.Statuses {
		pg.ByStatus = append(pg.ByStatus, statusCount{Label: st.Label(), Count: counts[st]})
	}
	recs, err := s.dir.Imports(ctx, p.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if len(recs) > 0 {
		r := newImportRow(recs[0])
		pg.LastImport = &r
	}
	if pg.dashboardExtras, err = s.dashboardExtras(c, p, pg.Listings); err != nil {
		s.renderError(c, err)
		return
	}
	s.render(c, http.StatusOK, "partner", pg)
}

// partnerList shows an admin every partner, to choose one to act for.
func (s *Server) partnerList(c *gin.Context) {
	ctx := c.Request.Context()
	ps, err := s.dir.Partners(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	pg := partnerChooser{signedIn: signedInAs(c)}
	for _, p := range ps {
		ls, err := s.dir.PartnerListings(ctx, p.ID)
		if err != nil {
			s.renderError(c, err)
			return
		}
		pg.Partners = append(pg.Partners, partnerChoice{ID: p.ID, Name: p.Name, Listings: len(ls)})
	}
	s.render(c, http.StatusOK, "partner_choose", pg)
}

// templateCSV downloads the partner template as CSV with the partner's
// current listings filled in.
func (s *Server) templateCSV(c *gin.Context) {
	s.download(c, "csv", "text/csv; charset=utf-8", s.cfg.Importer.Exporter().WriteCSV)
}

// templateXLSX downloads the partner template as an Excel workbook with
// the partner's current listings filled in.
func (s *Server) templateXLSX(c *gin.Context) {
	s.download(c, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", s.cfg.Importer.Exporter().WriteXLSX)
}

// download writes the acting partner's listings with write. The listings
// are read before anything is sent, so a store failure is a clean error
// page; a failure while streaming can only be logged.
func (s *Server) download(c *gin.Context, ext, contentType string, write func(io.Writer, []*directory.Listing) error) {
	p := partnerOf(c)
	ls, err := s.dir.PartnerListings(c.Request.Context(), p.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-listings.%s"`, p.ID, ext))
	c.Status(http.StatusOK)
	if err := write(c.Writer, ls); err != nil {
		logger(c).Error("write partner template", "partner", p.ID, "format", ext, "err", err)
	}
}
