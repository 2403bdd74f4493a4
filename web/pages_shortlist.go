package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// The shortlist page (/worker/shortlist) is what the worker and the person
// take away: a clean sheet to print (what, where, when, how to join,
// contact), a share link, and "introduced" to count a warm handover. The
// shortlist itself lives in the server's memory for the sign-in session
// (shortlist.go).

// shortlistView is the shortlist as the worker's pages show it.
type shortlistView struct {
	Shortlist []namedListing
	Max       int
	// Notice says what happened to a pin that could not be made.
	Notice string
}

// shortlistPage is the data of the shortlist page.
type shortlistPage struct {
	signedIn
	Items []shortlistItem
	// Today is the date printed on the sheet.
	Today string
	// ShareURL and ShareUntil are the share link just made, if any.
	ShareURL, ShareUntil string
	Error                string
}

// shortlistItem is one listing on the sheet, and whether an introduction
// to it was counted in this session.
type shortlistItem struct {
	listingView
	Introduced bool
}

// currentShortlist returns the signed-in session's shortlist.
func (s *Server) currentShortlist(c *gin.Context) shortlist {
	return s.shortlists.get(sessionToken(c))
}

// changeShortlist changes the signed-in session's shortlist with fn and
// returns the result.
func (s *Server) changeShortlist(c *gin.Context, fn func(*shortlist)) shortlist {
	return s.shortlists.update(sessionToken(c), currentLogin(c).Expires, fn)
}

// newShortlistView returns the session's shortlist with the listings'
// names; listings removed from the directory since they were pinned are
// left out.
func (s *Server) newShortlistView(c *gin.Context) (shortlistView, error) {
	ls, err := s.namedListings(c, s.currentShortlist(c).IDs)
	return shortlistView{Shortlist: ls, Max: maxShortlist}, err
}

// shortlistPage answers GET /worker/shortlist.
func (s *Server) shortlistPage(c *gin.Context) {
	s.renderShortlist(c, http.StatusOK, shortlistPage{})
}

// renderShortlist fills in the sheet and renders the page.
func (s *Server) renderShortlist(c *gin.Context, status int, pg shortlistPage) {
	pg.signedIn = signedInAs(c)
	sl := s.currentShortlist(c)
	ls, err := s.dir.Listings(c.Request.Context(), sl.IDs)
	if err != nil {
		s.renderError(c, err)
		return
	}
	now := s.now()
	pg.Today = now.In(directory.London()).Format("Monday 2 January 2006")
	for _, l := range ls {
		pg.Items = append(pg.Items, shortlistItem{listingView: s.newListingView(c.Request.Context(), l, "", nil, now), Introduced: sl.introduced(l.ID)})
	}
	s.render(c, status, "shortlist", pg)
}

// shortlistJSON is the answer to the match screen's script after a change.
type shortlistJSON struct {
	Listings []namedListing `json:"listings"`
	Max      int            `json:"max"`
	Full     bool           `json:"full,omitempty"`
}

// shortlistChange answers POST /worker/shortlist: add=ID pins a listing,
// remove=ID unpins one, clear empties the shortlist (for the next person).
// A script asking for JSON gets the shortlist back; a form is sent back to
// the page it came from (back=match for the match screen).
func (s *Server) shortlistChange(c *gin.Context) {
	full := false
	switch {
	case c.PostForm("add") != "":
		id := c.PostForm("add")
		if _, err := s.dir.Listing(c.Request.Context(), id); err != nil {
			s.answerShortlistError(c, err)
			return
		}
		full = !s.changeShortlist(c, func(l *shortlist) { l.add(id) }).has(id)
	case c.PostForm("remove") != "":
		id := c.PostForm("remove")
		s.changeShortlist(c, func(l *shortlist) { l.remove(id) })
	case c.PostForm("clear") != "":
		s.changeShortlist(c, func(l *shortlist) { l.IDs, l.Introduced = nil, nil })
	default:
		s.answerShortlistError(c, directory.Errorf(directory.EINVALID, "say what to do: add, remove or clear"))
		return
	}
	if c.NegotiateFormat(gin.MIMEHTML, gin.MIMEJSON) == gin.MIMEJSON {
		v, err := s.newShortlistView(c)
		if err != nil {
			apiError(c, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, shortlistJSON{Listings: orEmpty(v.Shortlist), Max: v.Max, Full: full})
		return
	}
	if c.PostForm("back") == "match" {
		c.Redirect(http.StatusSeeOther, "/worker/match")
		return
	}
	c.Redirect(http.StatusSeeOther, "/worker/shortlist")
}

// answerShortlistError answers a failed change as JSON for the script, or
// as a page.
func (s *Server) answerShortlistError(c *gin.Context, err error) {
	if c.NegotiateFormat(gin.MIMEHTML, gin.MIMEJSON) == gin.MIMEJSON {
		apiError(c, err)
		return
	}
	s.renderError(c, err)
}

func orEmpty(ls []namedListing) []namedListing {
	if ls == nil {
		return []namedListing{}
	}
	return ls
}

// shortlistShare answers POST /worker/shortlist/share: it stores a share
// of the shortlist's listing ids and shows the link on the page.
func (s *Server) shortlistShare(c *gin.Context) {
	token, sh, err := s.dir.CreateShare(c.Request.Context(), s.currentShortlist(c).IDs)
	if err != nil {
		if directory.ErrorCode(err) != directory.EINVALID {
			s.renderError(c, err)
			return
		}
		s.renderShortlist(c, http.StatusBadRequest, shortlistPage{Error: sentence(directory.ErrorMessage(err))})
		return
	}
	s.renderShortlist(c, http.StatusOK, shortlistPage{
		ShareURL:   s.siteURL(c) + "/s/" + url.PathEscape(token),
		ShareUntil: sh.Expires.In(directory.London()).Format("2 January 2006"),
	})
}

// siteURL is the address of this site as the browser reached it, for
// links to copy: https when cookies are Secure or the request came over
// TLS.
func (s *Server) siteURL(c *gin.Context) string {
	scheme := "http"
	if s.cfg.SecureCookies || c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// introduced answers POST /worker/introductions: it counts one
// introduction (a warm handover) to a shortlisted listing this month, once
// per listing in a session, and goes back to the shortlist.
func (s *Server) introduced(c *gin.Context) {
	id := c.PostForm("listing")
	sl := s.currentShortlist(c)
	if !sl.has(id) {
		s.renderError(c, directory.Errorf(directory.EINVALID, "only listings on the shortlist can be marked as introduced - pin it first"))
		return
	}
	if !sl.introduced(id) {
		if _, err := s.dir.RecordIntroduction(c.Request.Context(), id); err != nil {
			s.renderError(c, err)
			return
		}
		s.changeShortlist(c, func(l *shortlist) {
			if l.has(id) && !l.introduced(id) {
				l.Introduced = append(l.Introduced, id)
			}
		})
	}
	c.Redirect(http.StatusSeeOther, "/worker/shortlist#item-"+url.PathEscape(id))
}

// sharePage is the data of a shared shortlist.
type sharePage struct {
	Crisis bool
	Items  []listingView
	// Until is when the link stops working.
	Until string
}

// sharedList answers GET /s/{token}: the listings a worker shared, for
// anyone with the link, signed in or not, until it expires. Listings
// removed since are left out.
func (s *Server) sharedList(c *gin.Context) {
	sh, err := s.dir.Share(c.Request.Context(), c.Param("token"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	ls, err := s.dir.Listings(c.Request.Context(), sh.ListingIDs)
	if err != nil {
		s.renderError(c, err)
		return
	}
	now := s.now()
	pg := sharePage{Until: sh.Expires.In(directory.London()).Format("2 January 2006")}
	for _, l := range ls {
		pg.Items = append(pg.Items, s.newListingView(c.Request.Context(), l, "", nil, now))
	}
	// The link is the key: keep the page out of caches and search engines.
	c.Header("Cache-Control", "no-store")
	c.Header("X-Robots-Tag", "noindex, nofollow")
	s.render(c, http.StatusOK, "share", pg)
}
