package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

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

// zeroHelp works out what to suggest after a search v found nothing. The
// searches it tries are counted at once (countAll), then each kind of
// suggestion keeps those that find something, in order.
func (s *Server) zeroHelp(ctx context.Context, v url.Values, res *directory.Results) *zeroHelp {
	z := &zeroHelp{}
	with := func(key, value string) url.Values {
		q := cloneValues(v)
		q.Del("page")
		q.Set(key, value)
		return q
	}
	var tries []suggestion
	var queries []url.Values
	try := func(label string, q url.Values) int {
		tries = append(tries, suggestion{Label: label, URL: searchURL(q.Encode())})
		queries = append(queries, q)
		return len(tries) - 1
	}

	var nearby, words []int
	wider, online, noFilters := -1, -1, -1
	if res.Postcode != "" {
		pc, _ := directory.ParsePostcode(res.Postcode)
		if d, ok := s.dir.Gazetteer().District(pc.Outward); ok {
			for _, code := range d.Nearby {
				nd, ok := s.dir.Gazetteer().District(code)
				if !ok || strings.HasPrefix(nd.Area, "Non-geographic") {
					continue // PO boxes and large users: nobody lives there
				}
				if len(nearby) == maxNearbyTried {
					break
				}
				label := code
				if nd.Area != "" {
					label = code + " (" + nd.Area + ")"
				}
				nearby = append(nearby, try(label, with("postcode", code)))
			}
		}
		radius := float64(DefaultRadiusKm)
		if r, err := strconv.ParseFloat(v.Get("radius_km"), 64); err == nil && r > 0 {
			radius = r
		}
		if w := max(radius*2, 10); w <= 100 {
			wider = try(fmt.Sprintf("Within %g km", w), with("radius_km", fmt.Sprint(w)))
		}
		if ok, _ := parseBool(v.Get("include_online")); !ok {
			online = try("Include things you can join online", with("include_online", "true"))
		}
	}
	active, clearURL := s.activeFilters(v)
	if len(active) > 0 {
		z.FewerFilters = active
		u, _ := url.Parse(clearURL)
		noFilters = try("The same search without filters", u.Query())
	}
	for _, w := range s.otherWords(v.Get("q")) {
		words = append(words, try(w, with("q", w)))
	}

	for i, n := range s.countAll(ctx, queries) {
		tries[i].Count = n
	}
	found := func(i int) *suggestion {
		if i < 0 || tries[i].Count == 0 {
			return nil
		}
		return &tries[i]
	}
	keep := func(is []int, most int) []suggestion {
		var out []suggestion
		for _, i := range is {
			if sg := found(i); sg != nil && len(out) < most {
				out = append(out, *sg)
			}
		}
		return out
	}
	z.Nearby, z.Words = keep(nearby, maxNearbyShown), keep(words, maxWordsShown)
	z.Wider, z.Online, z.NoFilters = found(wider), found(online), found(noFilters)
	return z
}

// countAll counts the results of each search, all at once (each is a read
// of the index, and the machine's cores share them), in order.
func (s *Server) countAll(ctx context.Context, qs []url.Values) []int {
	out := make([]int, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Go(func() { out[i] = s.countResults(ctx, q) })
	}
	wg.Wait()
	return out
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
