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
	s.render(c, http.StatusOK, "home", homePage{Tiles: homeTiles})
}

// resultView is one search result as the page shows it.
type resultView struct {
	URL, Name, Organisation, Summary, Distance, Next string
	Badges                                           []string
}

type searchPage struct {
	Crisis  bool
	Form    searchForm
	Error   string
	Results *directory.Results
	Hits    []resultView
}

func (s *Server) searchPage(c *gin.Context) {
	v := c.Request.URL.Query()
	pg := searchPage{Form: searchForm{Q: v.Get("q"), Postcode: v.Get("postcode")}}
	q, err := s.parseSearch(v)
	if err == nil {
		pg.Results, err = s.dir.Search(c.Request.Context(), q)
	}
	if err != nil {
		if directory.ErrorCode(err) != directory.EINVALID {
			s.renderError(c, err)
			return
		}
		pg.Error = directory.ErrorMessage(err)
		s.render(c, http.StatusBadRequest, "search", pg)
		return
	}
	pg.Crisis = pg.Results.Crisis || directory.IsCrisis(pg.Form.Q)
	now := s.now()
	for _, h := range pg.Results.Hits {
		r := newResultJSON(h, now)
		rv := resultView{URL: r.URL, Name: r.Name, Organisation: r.Organisation, Summary: r.Summary}
		if r.DistanceKm != nil {
			rv.Distance = formatKm(*r.DistanceKm)
		}
		if r.NextSession != nil {
			rv.Next = r.NextSession.Text
		}
		rv.Badges = badges(h.Listing)
		pg.Hits = append(pg.Hits, rv)
	}
	s.render(c, http.StatusOK, "search", pg)
}

// badges are the short labels a result shows.
func badges(l *directory.Listing) []string {
	var b []string
	if l.Cost.Free {
		b = append(b, "Free")
	}
	if l.HowToJoin == directory.JoinDropIn {
		b = append(b, "Drop-in")
	}
	if l.HasAccess(directory.AccessStepFree) {
		b = append(b, "Step-free")
	}
	if l.Online {
		b = append(b, "Online")
	}
	return b
}

func formatKm(km float64) string {
	if km < 0.1 {
		return "under 0.1 km"
	}
	if km < 10 {
		return fmt.Sprintf("%.1f km", km)
	}
	return fmt.Sprintf("%.0f km", km)
}

// queryWith returns the query string v with key set to value (removed when
// value is empty), for links that change one thing.
func queryWith(v url.Values, key, value string) string {
	out := url.Values{}
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	if value == "" {
		out.Del(key)
	} else {
		out.Set(key, value)
	}
	return strings.TrimPrefix("?"+out.Encode(), "?")
}
