package web

import (
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// dashboardExtras are the parts of the partner dashboard about how the
// listings are doing: which need checking, what the public reported about
// them, and how many introductions workers made to them.
type dashboardExtras struct {
	// StaleRows are the listings not checked for six months.
	StaleRows []listingRow
	// Reports are the open problem reports about the partner's listings.
	Reports []reportView
	// Intros counts introductions per listing id over IntroSince to now;
	// IntroTotal adds them up, IntroMonth counts this month's.
	Intros     map[string]int
	IntroSince string
	IntroTotal int
	IntroMonth int
}

// introWindow is how many months of introductions the dashboard counts.
const introWindow = 12

// dashboardExtras fills in the extras for partner p's listings rows.
func (s *Server) dashboardExtras(c *gin.Context, p *directory.Partner, rows []listingRow) (dashboardExtras, error) {
	ctx := c.Request.Context()
	var x dashboardExtras
	for _, r := range rows {
		if r.Stale {
			x.StaleRows = append(x.StaleRows, r)
		}
	}
	rs, err := s.dir.Reports(ctx, directory.ReportFilter{Status: directory.ReportOpen, PartnerID: p.ID})
	if err != nil {
		return x, err
	}
	x.Reports = reportViews(rs, nil)
	now := s.now().In(directory.London())
	since := time.Date(now.Year(), now.Month()-introWindow+1, 1, 12, 0, 0, 0, directory.London())
	x.IntroSince = since.Format("January 2006")
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	x.Intros = map[string]int{}
	if len(ids) == 0 {
		return x, nil
	}
	counts, err := s.dir.Introductions(ctx, directory.IntroductionFilter{ListingIDs: ids, Since: directory.MonthOf(since)})
	if err != nil {
		return x, err
	}
	this := directory.MonthOf(now)
	for _, n := range counts {
		x.Intros[n.ListingID] += n.Count
		x.IntroTotal += n.Count
		if n.Month == this {
			x.IntroMonth += n.Count
		}
	}
	return x, nil
}
