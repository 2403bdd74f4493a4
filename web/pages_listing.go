package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// listingPage is the data of a listing's page and its print view.
type listingPage struct {
	Crisis  bool
	Listing listingView
	// PostcodeError says why the postcode in the address was not used.
	PostcodeError string
}

// listingRoute answers /listings/{id}: the page, or with ".ics" on the end
// the sessions as a calendar file.
func (s *Server) listingRoute(c *gin.Context) {
	if id, ok := strings.CutSuffix(c.Param("id"), ".ics"); ok {
		s.listingICS(c, id)
		return
	}
	s.showListing(c, "listing")
}

// listingPrint answers /listings/{id}/print: a one-page sheet to take away.
func (s *Server) listingPrint(c *gin.Context) { s.showListing(c, "listing_print") }

// showListing renders a listing with the named template. A postcode in the
// query string gives distances; a bad one is said, not fatal.
func (s *Server) showListing(c *gin.Context, tmpl string) {
	l, err := s.dir.Listing(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	var pg listingPage
	var near *directory.LatLon
	postcode := ""
	if pc := strings.TrimSpace(c.Query("postcode")); pc != "" {
		code, pt, err := s.dir.Gazetteer().Locate(pc)
		if err != nil {
			pg.PostcodeError = sentence(directory.ErrorMessage(err))
		} else {
			near, postcode = &pt, code.String()
		}
	}
	pg.Listing = s.newListingView(c.Request.Context(), l, postcode, near, s.now())
	s.render(c, http.StatusOK, tmpl, pg)
}
