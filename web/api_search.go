package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// MaxAPIPerPage is the most results one page of the search API returns.
const MaxAPIPerPage = 100

// parseSearch reads a search from query parameters. It returns EINVALID
// naming the parameter and what it should be.
func (s *Server) parseSearch(v url.Values) (directory.Query, error) {
	q := directory.Query{Facets: true}
	bad := func(param, want string) error {
		return directory.Errorf(directory.EINVALID, "%s=%q: %s", param, firstValue(v, param), want)
	}
	for k, vals := range v {
		if len(vals) > 20 {
			return q, directory.Errorf(directory.EINVALID, "%s is repeated %d times - give it at most 20 times", k, len(vals))
		}
	}
	q.Text = v.Get("q")
	q.Postcode = strings.TrimSpace(v.Get("postcode"))
	if r := v.Get("radius_km"); r != "" {
		f, err := strconv.ParseFloat(r, 64)
		if err != nil || !(f > 0 && f <= 1000) { // also refuses NaN
			return q, bad("radius_km", "give a distance in kilometres between 0 and 1000, e.g. 2 or 0.5")
		}
		q.RadiusKm = f
	} else if q.Postcode != "" {
		q.RadiusKm = DefaultRadiusKm
	}
	for _, c := range v["category"] {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		term, ok := s.dir.Taxonomy().Resolve(c)
		if !ok {
			return q, bad("category", "not a category we know - see /api/v1/taxonomy for the list")
		}
		q.Categories = append(q.Categories, term.Code)
	}
	for _, st := range v["stage"] {
		if st = strings.TrimSpace(st); st == "" {
			continue
		}
		if !directory.Stage(st).Valid() {
			return q, bad("stage", "use basic-needs, coping-recovery, relationships, wellbeing, positive-future or keeping-in-touch")
		}
		q.Stages = append(q.Stages, directory.Stage(st))
	}
	var err error
	if q.FreeOnly, err = parseBool(v.Get("free")); err != nil {
		return q, bad("free", "use true or false")
	}
	for _, d := range v["day"] {
		for _, part := range strings.Split(d, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			day, err := directory.ParseDay(part)
			if err != nil {
				return q, bad("day", "use mon, tue, wed, thu, fri, sat or sun")
			}
			q.Days = append(q.Days, day)
		}
	}
	if on := v.Get("open_now"); on != "" {
		if t, err := time.Parse(time.RFC3339, on); err == nil {
			q.OpenAt = t
		} else if b, err := parseBool(on); err == nil {
			if b {
				q.OpenAt = s.now()
			}
		} else {
			return q, bad("open_now", "use true, or a time like 2026-11-24T10:30:00Z")
		}
	}
	if q.OnlineOnly, err = parseBool(v.Get("online")); err != nil {
		return q, bad("online", "use true or false")
	}
	if q.IncludeOnline, err = parseBool(v.Get("include_online")); err != nil {
		return q, bad("include_online", "use true or false")
	}
	for _, a := range v["accessibility"] {
		for _, part := range strings.Split(a, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			if !directory.Access(part).Valid() {
				return q, bad("accessibility", "use step-free, accessible-toilet, hearing-loop, bsl, quiet-space or large-print")
			}
			q.Accessibility = append(q.Accessibility, directory.Access(part))
		}
	}
	for _, l := range v["language"] {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		code, err := directory.ParseLanguage(l)
		if err != nil {
			return q, bad("language", "give a language's English name or two-letter code, e.g. Portuguese or pt")
		}
		q.Languages = append(q.Languages, code)
	}
	if a := v.Get("age"); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 || n > 120 {
			return q, bad("age", "give an age in whole years from 0 to 120")
		}
		q.Age = n
	}
	switch so := v.Get("sort"); so {
	case "", "relevance", "best":
		q.Sort = directory.SortRelevance
	case "distance", "nearest":
		if q.Postcode == "" {
			return q, bad("sort", "sorting by distance needs a postcode")
		}
		q.Sort = directory.SortDistance
	case "soonest":
		q.Sort = directory.SortSoonest
	default:
		return q, bad("sort", "use relevance, distance or soonest")
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return q, bad("page", "pages are numbered from 1")
		}
		if n > directory.MaxResultWindow {
			return q, bad("page", "that page is too deep - narrow the search instead")
		}
		q.Page = n
	}
	if p := v.Get("per_page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > MaxAPIPerPage {
			return q, bad("per_page", "give a number from 1 to "+strconv.Itoa(MaxAPIPerPage))
		}
		q.PerPage = n
	}
	if q.Page*max(q.PerPage, 20) > directory.MaxResultWindow {
		return q, bad("page", "that page is too deep - narrow the search instead")
	}
	if f := v.Get("facets"); f != "" {
		b, err := parseBool(f)
		if err != nil {
			return q, bad("facets", "use true or false")
		}
		q.Facets = b
	}
	return q, nil
}

// DefaultRadiusKm is the search radius when a postcode is given without one.
const DefaultRadiusKm = 5

func firstValue(v url.Values, k string) string {
	s := v.Get(k)
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return s
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "0", "no", "off":
		return false, nil
	case "true", "1", "yes", "on":
		return true, nil
	}
	return false, directory.Errorf(directory.EINVALID, "%q is not true or false", s)
}

// searchJSON is the search API's answer.
type searchJSON struct {
	Total    int                               `json:"total"`
	Page     int                               `json:"page"`
	PerPage  int                               `json:"per_page"`
	Postcode string                            `json:"postcode,omitempty"`
	Crisis   bool                              `json:"crisis,omitempty"`
	Results  []resultJSON                      `json:"results"`
	Facets   map[string][]directory.FacetCount `json:"facets,omitempty"`
}

// apiSearch answers GET /api/v1/search.
func (s *Server) apiSearch(c *gin.Context) {
	q, err := s.parseSearch(c.Request.URL.Query())
	if err != nil {
		apiError(c, err)
		return
	}
	res, err := s.dir.Search(c.Request.Context(), q)
	if err != nil {
		apiError(c, err)
		return
	}
	now := s.now()
	out := searchJSON{Total: res.Total, Page: res.Page, PerPage: res.PerPage, Postcode: res.Postcode, Crisis: res.Crisis, Results: make([]resultJSON, 0, len(res.Hits)), Facets: res.Facets}
	for _, h := range res.Hits {
		out.Results = append(out.Results, newResultJSON(h, now))
	}
	c.JSON(http.StatusOK, out)
}

// apiListing answers GET /api/v1/listings/:id with the whole listing.
func (s *Server) apiListing(c *gin.Context) {
	l, err := s.dir.Listing(c.Request.Context(), c.Param("id"))
	if err != nil {
		apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, l)
}

// apiTaxonomy answers GET /api/v1/taxonomy with the categories.
func (s *Server) apiTaxonomy(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"terms": s.dir.Taxonomy().Terms()})
}

// healthz answers whether the process is up and its store readable.
func (s *Server) healthz(c *gin.Context) {
	n, err := s.dir.Count(c.Request.Context())
	if err != nil {
		apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "listings": n})
}
