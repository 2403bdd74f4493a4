package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// searchForm is what the search box shows.
type searchForm struct {
	Q        string
	Postcode string
	// Radius is the radius_km parameter as given; RadiusOptions the
	// choices offered, one of them Selected.
	Radius        string
	RadiusOptions []radiusOption
}

// radiusOption is one choice of search radius.
type radiusOption struct {
	Value, Label string
	Selected     bool
}

// radiusChoices are the radii offered, in kilometres.
var radiusChoices = []string{"1", "2", "5", "10", "25"}

func newSearchForm(v url.Values) searchForm {
	f := searchForm{Q: v.Get("q"), Postcode: v.Get("postcode"), Radius: v.Get("radius_km")}
	want := f.Radius
	if want == "" {
		want = fmt.Sprint(DefaultRadiusKm)
	}
	for _, r := range radiusChoices {
		f.RadiusOptions = append(f.RadiusOptions, radiusOption{Value: r, Label: r + " km", Selected: r == want})
	}
	return f
}

// tile is one journey-stage tile on the home page, in people's words.
type tile struct {
	Title, Text, URL string
}

var homeTiles = []tile{
	{"Money, housing and the basics", "Benefits, debt, food, housing and help with forms", "/search?stage=basic-needs"},
	{"Feeling better", "Someone to talk to, therapies, peer support and crisis help", "/search?stage=coping-recovery"},
	{"Meeting people", "Groups, carers' support, befriending and community", "/search?stage=relationships"},
	{"Things to do", "Exercise, nature, arts, music, cooking and mindfulness", "/search?stage=wellbeing"},
	{"Work, learning and volunteering", "Jobs, courses, English classes and giving your time", "/search?stage=positive-future"},
	{"Faith and community", "Churches, mosques, temples, gurdwaras and community groups", "/search?category=faith-groups&category=community-groups"},
}

type homePage struct {
	Crisis bool
	Form   searchForm
	Tiles  []tile
}

func (s *Server) homePage(c *gin.Context) {
	s.render(c, http.StatusOK, "home", homePage{Form: newSearchForm(nil), Tiles: homeTiles})
}

// searchPage is the data of the results page.
type searchPage struct {
	Crisis bool
	Form   searchForm
	Error  string
	// Results is nil when the search could not run (Error says why).
	Results *directory.Results
	Hits    []resultView
	// Heading says how many results there are, for what, where.
	Heading string
	// Showing says which of them this page shows ("1 to 20 of 57").
	Showing string
	Filters filterPanel
	Sorts   []sortLink
	Pager   *pager
	// Zero helps when nothing was found.
	Zero *zeroHelp
}

// resultsPerPage is how many results one page of the results page shows.
const resultsPerPage = 20

func (s *Server) searchPage(c *gin.Context) {
	v := c.Request.URL.Query()
	pg := searchPage{Form: newSearchForm(v), Crisis: directory.IsCrisis(v.Get("q"))}
	// The page always shows 20 a page and facet counts.
	v.Del("per_page")
	v.Del("facets")
	q, err := s.parseSearch(v)
	if err == nil {
		q.PerPage, q.Facets = resultsPerPage, true
		pg.Results, err = s.dir.Search(c.Request.Context(), q)
	}
	if err != nil {
		if directory.ErrorCode(err) != directory.EINVALID {
			s.renderError(c, err)
			return
		}
		pg.Error = sentence(directory.ErrorMessage(err))
		s.render(c, http.StatusBadRequest, "search", pg)
		return
	}
	res := pg.Results
	pg.Crisis = pg.Crisis || res.Crisis
	now := s.now()
	pg.Hits = s.resultViews(res.Hits, res.Postcode, now)
	pg.Heading = resultsHeading(res.Total, v.Get("q"), res.Postcode)
	if len(pg.Hits) > 0 {
		from := (res.Page-1)*res.PerPage + 1
		pg.Showing = fmt.Sprintf("Showing %d to %d of %d", from, from+len(pg.Hits)-1, res.Total)
	}
	facets, err := s.disjunctiveFacets(c.Request.Context(), q, res.Facets)
	if err != nil {
		s.renderError(c, err)
		return
	}
	pg.Filters = s.filterPanel(v, facets, res.Postcode != "")
	pg.Sorts = sortLinks(v, res.Postcode != "")
	pg.Pager = newPager(v, res.Page, res.PerPage, res.Total)
	if res.Page == 1 && res.Total <= directory.FewResults {
		s.recordGap(c, v, res)
	}
	if res.Total == 0 {
		pg.Zero = s.zeroHelp(c.Request.Context(), v, res)
	}
	s.render(c, http.StatusOK, "search", pg)
}

// resultsHeading says how many results a search found: "57 results for
// “gardening” near SW9".
func resultsHeading(total int, words, postcode string) string {
	var b strings.Builder
	if total == 1 {
		b.WriteString("1 result")
	} else {
		fmt.Fprintf(&b, "%d results", total)
	}
	if w := strings.TrimSpace(words); w != "" {
		fmt.Fprintf(&b, " for “%s”", w)
	}
	if postcode != "" {
		b.WriteString(" near " + postcode)
	}
	return b.String()
}

// queryWith returns the query string v with key set to value (removed when
// value is empty) and the page reset, for links that change one thing.
func queryWith(v url.Values, key, value string) string {
	out := cloneValues(v)
	out.Del("page")
	if value == "" {
		out.Del(key)
	} else {
		out.Set(key, value)
	}
	return out.Encode()
}

// cloneValues returns a deep copy of v.
func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	return out
}

// searchURL returns the results page address for the query string q.
func searchURL(q string) string {
	if q == "" {
		return "/search"
	}
	return "/search?" + q
}
