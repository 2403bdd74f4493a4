package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// zeroHelp is what the results page suggests when nothing was found: each
// suggestion is a search that does find something.
type zeroHelp struct {
	// Nearby are searches around nearby postcode districts.
	Nearby []suggestion
	// Wider is the same search over a wider area.
	Wider *suggestion
	// Online is the same search including things to join online.
	Online *suggestion
	// FewerFilters are the filters in force, each removable, and NoFilters
	// the same search without any.
	FewerFilters []activeFilter
	NoFilters    *suggestion
	// Words are other words for what was typed (from the thesaurus) and
	// categories close to it.
	Words []suggestion
}

// suggestion is a search to try, with how many results it finds.
type suggestion struct {
	Label, URL string
	Count      int
}

// Limits on how many searches a zero-results page tries, and shows.
const (
	maxNearbyTried = 4
	maxNearbyShown = 3
	maxWordsTried  = 6
	maxWordsShown  = 4
)

// zeroHelp works out what to suggest after a search v found nothing.
func (s *Server) zeroHelp(ctx context.Context, v url.Values, res *directory.Results) *zeroHelp {
	z := &zeroHelp{}
	try := func(label string, q url.Values) *suggestion {
		n := s.countResults(ctx, q)
		if n == 0 {
			return nil
		}
		return &suggestion{Label: label, URL: searchURL(q.Encode()), Count: n}
	}
	with := func(key, value string) url.Values {
		q := cloneValues(v)
		q.Del("page")
		q.Set(key, value)
		return q
	}

	if res.Postcode != "" {
		pc, _ := directory.ParsePostcode(res.Postcode)
		if d, ok := s.dir.Gazetteer().District(pc.Outward); ok {
			tried := 0
			for _, code := range d.Nearby {
				nd, ok := s.dir.Gazetteer().District(code)
				if !ok || strings.HasPrefix(nd.Area, "Non-geographic") {
					continue // PO boxes and large users: nobody lives there
				}
				if tried == maxNearbyTried || len(z.Nearby) == maxNearbyShown {
					break
				}
				tried++
				label := code
				if nd.Area != "" {
					label = code + " (" + nd.Area + ")"
				}
				if sg := try(label, with("postcode", code)); sg != nil {
					z.Nearby = append(z.Nearby, *sg)
				}
			}
		}
		radius := float64(DefaultRadiusKm)
		if r, err := strconv.ParseFloat(v.Get("radius_km"), 64); err == nil && r > 0 {
			radius = r
		}
		if wider := max(radius*2, 10); wider <= 100 {
			z.Wider = try(fmt.Sprintf("Within %g km", wider), with("radius_km", fmt.Sprint(wider)))
		}
		if ok, _ := parseBool(v.Get("include_online")); !ok {
			z.Online = try("Include things you can join online", with("include_online", "true"))
		}
	}

	active, clearURL := s.activeFilters(v)
	if len(active) > 0 {
		z.FewerFilters = active
		u, _ := url.Parse(clearURL)
		z.NoFilters = try("The same search without filters", u.Query())
	}

	for _, w := range s.otherWords(v.Get("q")) {
		if len(z.Words) == maxWordsShown {
			break
		}
		if sg := try(w, with("q", w)); sg != nil {
			z.Words = append(z.Words, *sg)
		}
	}
	return z
}

// otherWords returns other words for what was typed: synonyms of its
// phrases from the thesaurus, then the names of categories close to it.
// Phrases that only add to the words typed ("knitting group" for
// "knitting") are left out: they cannot find what the words did not.
func (s *Server) otherWords(text string) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var out []string
	add := func(w string) {
		w = strings.TrimSpace(w)
		if w != "" && !strings.Contains(strings.ToLower(w), strings.ToLower(text)) && !slices.Contains(out, w) && len(out) < maxWordsTried {
			out = append(out, w)
		}
	}
	for _, e := range s.dir.Thesaurus().Expand(text) {
		for _, syn := range e.Synonyms {
			add(syn)
		}
	}
	for _, t := range s.dir.Taxonomy().Suggest(text) {
		add(strings.ToLower(t.Label))
	}
	return out
}

// countResults returns how many results the search v finds, or 0 when it
// cannot run.
func (s *Server) countResults(ctx context.Context, v url.Values) int {
	q, err := s.parseSearch(v)
	if err != nil {
		return 0
	}
	q.Facets = false
	n, _, err := s.dir.CountResults(ctx, q)
	if err != nil {
		return 0
	}
	return n
}

// recordGap counts a search that found little for the admin's gaps report.
// Only the words, the filters and the postcode district are kept; a failure
// is logged and does not spoil the page.
func (s *Server) recordGap(c *gin.Context, v url.Values, res *directory.Results) {
	var filters []string
	for _, p := range filterParams {
		for _, val := range v[p] {
			if val = strings.TrimSpace(val); val == "" {
				continue
			}
			switch p {
			case "free", "open_now", "online", "include_online":
				if ok, _ := parseBool(val); ok {
					filters = append(filters, p)
				}
			case "age":
				filters = append(filters, "age")
			default:
				filters = append(filters, p+":"+val)
			}
		}
	}
	err := s.dir.RecordSearchGap(c.Request.Context(), directory.GapSearch{Text: v.Get("q"), Filters: filters, Postcode: res.Postcode, Results: res.Total})
	if err != nil {
		logger(c).Error("count a search gap", "err", err)
	}
}
