package web

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// adminHome is the data of the admin overview.
type adminHome struct {
	signedIn
	Tiles []adminTile
}

// adminTile is one count on the overview, with where to see more.
type adminTile struct {
	Count       int
	Label, Link string
}

// adminHome answers GET /admin: what needs the coordinator's attention,
// with links to each part of the admin area.
func (s *Server) adminHome(c *gin.Context) {
	ctx := c.Request.Context()
	now := s.now()
	reports, err := s.dir.Reports(ctx, directory.ReportFilter{Status: directory.ReportOpen})
	if err != nil {
		s.renderError(c, err)
		return
	}
	stale, err := s.staleListings(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	gaps, err := s.dir.SearchGaps(ctx, directory.WeekOf(now), 0)
	if err != nil {
		s.renderError(c, err)
		return
	}
	intros, err := s.dir.Introductions(ctx, directory.IntroductionFilter{Since: directory.MonthOf(now)})
	if err != nil {
		s.renderError(c, err)
		return
	}
	partners, err := s.dir.Partners(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	users, err := s.dir.Users(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	introduced := 0
	for _, n := range intros {
		introduced += n.Count
	}
	pg := adminHome{signedIn: signedInAs(c), Tiles: []adminTile{
		{len(reports), "problem reports to review", "/admin/reports"},
		{len(stale), "listings not checked for six months", "/admin/stale"},
		{len(gaps), "searches this week that found little", "/admin/gaps"},
		{introduced, "introductions this month", "/admin/introductions"},
		{len(partners), "partners", "/admin/partners"},
		{len(users), "users", "/admin/users"},
	}}
	s.render(c, http.StatusOK, "admin", pg)
}

// staleListings returns every listing not checked by its partner for six
// months (directory.StaleAfter), across the network, leaving out those no
// longer running.
func (s *Server) staleListings(ctx context.Context) ([]*directory.Listing, error) {
	now := s.now()
	var out []*directory.Listing
	err := s.dir.ForEachListing(ctx, func(l *directory.Listing) error {
		if l.Status != directory.StatusInactive && l.Stale(now) {
			out = append(out, l)
		}
		return nil
	})
	return out, err
}
