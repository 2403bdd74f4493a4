package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// The match screen (/worker/match) is built for use during a
// conversation. Without JavaScript it is one form: every change is sent
// (POST, so nothing about the person is in an address or a log) and the
// page comes back with the matches, and the pin and exclude buttons are
// buttons of the same form. With JavaScript (static/worker.js) the
// interests, strengths, goals and needs become chips with type-ahead from
// the vocabulary (/api/v1/terms), and the matches refresh as the profile
// changes through the match API. Either way the profile lives only in the
// page.

// workerMatchPage is the data of the match screen.
type workerMatchPage struct {
	signedIn
	Form    workerForm
	Error   string
	Sent    bool
	Results []matchView
	Relaxed []string
	// Excluded are the listings ruled out, with their names.
	Excluded []namedListing
	shortlistView
	// Factors are the score's factors, labels and weights, as JSON for
	// the script.
	Factors string
}

// matchView is one match as the match screen shows it.
type matchView struct {
	resultView
	Score   string
	Reasons []string
	Factors []factorView
	Pinned  bool
}

// namedListing is a listing's id, name and address, for lists of them.
type namedListing struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// workerMatch answers GET /worker/match: the screen with an empty profile.
func (s *Server) workerMatch(c *gin.Context) {
	none := func(string) string { return "" }
	pg, err := s.newWorkerMatchPage(c, newWorkerForm(none, func(string) []string { return nil }))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.render(c, http.StatusOK, "worker_match", pg)
}

// workerMatchSubmit answers POST /worker/match: the profile as the form
// says it, after the button pressed (do=pin:ID, unpin:ID, exclude:ID or
// include:ID), with the matches.
func (s *Server) workerMatchSubmit(c *gin.Context) {
	form := newWorkerForm(c.PostForm, c.PostFormArray)
	notice := ""
	action, id, _ := strings.Cut(c.PostForm("do"), ":")
	switch action {
	case "pin":
		if l, err := s.dir.Listing(c.Request.Context(), id); err != nil || l == nil {
			notice = "That listing is no longer in the directory."
		} else if sl := s.changeShortlist(c, func(l *shortlist) { l.add(id) }); !sl.has(id) {
			notice = "The shortlist is full: it holds " + strconv.Itoa(maxShortlist) + " listings. Remove one first."
		}
	case "unpin":
		s.changeShortlist(c, func(l *shortlist) { l.remove(id) })
	case "exclude":
		if !slices.Contains(form.Exclude, id) && len(form.Exclude) < matcher.MaxExclude {
			form.Exclude = append(form.Exclude, id)
		}
	case "include":
		form.Exclude = slices.DeleteFunc(form.Exclude, func(x string) bool { return x == id })
	}
	pg, err := s.newWorkerMatchPage(c, form)
	if err != nil {
		s.renderError(c, err)
		return
	}
	pg.Notice = notice
	status := http.StatusOK
	if !form.empty() {
		if status, err = s.runWorkerMatch(c, &pg); err != nil {
			s.renderError(c, err)
			return
		}
	}
	s.render(c, status, "worker_match", pg)
}

// runWorkerMatch runs the matcher on the page's profile and fills in the
// matches, or the error to show on the form (with 400). It returns the
// status to answer and the errors that are not the profile's.
func (s *Server) runWorkerMatch(c *gin.Context, pg *workerMatchPage) (int, error) {
	req, err := pg.Form.request()
	var res *matcher.Result
	if err == nil {
		res, err = s.match(c, req)
	}
	if err != nil {
		if directory.ErrorCode(err) != directory.EINVALID {
			return 0, err
		}
		pg.Error = sentence(directory.ErrorMessage(err))
		return http.StatusBadRequest, nil
	}
	pg.Sent, pg.Crisis, pg.Relaxed = true, res.Crisis, res.Relaxed
	views := s.resultViews(hitsOf(res.Matches), res.Profile.Postcode, s.now())
	for i, m := range res.Matches {
		pg.Results = append(pg.Results, matchView{resultView: views[i], Score: strconv.FormatFloat(m.Score, 'f', 2, 64),
			Reasons: reasonTexts(m.Reasons), Factors: factorViews(m.Factors), Pinned: slices.ContainsFunc(pg.Shortlist, func(n namedListing) bool { return n.ID == m.Hit.Listing.ID })})
	}
	return http.StatusOK, nil
}

// newWorkerMatchPage builds the screen's data around a profile: the
// shortlist and the names of the excluded listings.
func (s *Server) newWorkerMatchPage(c *gin.Context, form workerForm) (workerMatchPage, error) {
	pg := workerMatchPage{signedIn: signedInAs(c), Form: form}
	var err error
	if pg.shortlistView, err = s.newShortlistView(c); err != nil {
		return pg, err
	}
	if pg.Excluded, err = s.namedListings(c, form.Exclude); err != nil {
		return pg, err
	}
	type factorJSON struct {
		Key    string  `json:"key"`
		Label  string  `json:"label"`
		Weight float64 `json:"weight"`
	}
	var fs []factorJSON
	for _, fi := range factorInfos() {
		fs = append(fs, factorJSON{fi.Key, fi.Label, fi.Weight})
	}
	raw, err := json.Marshal(fs)
	if err != nil {
		return pg, err
	}
	pg.Factors = string(raw)
	return pg, nil
}

// namedListings returns the listings with the given ids that still exist,
// in order, with their names.
func (s *Server) namedListings(c *gin.Context, ids []string) ([]namedListing, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ls, err := s.dir.Listings(c.Request.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := make([]namedListing, 0, len(ls))
	for _, l := range ls {
		out = append(out, namedListing{ID: l.ID, Name: l.Name, URL: listingURL(l.ID, "")})
	}
	return out, nil
}
