package directory

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// splitting sets whether searches of small directories are split.
func splitting(t *testing.T, on bool) {
	t.Helper()
	old := minListingsToSplit
	t.Cleanup(func() { minListingsToSplit = old })
	minListingsToSplit = 0
	if !on {
		minListingsToSplit = 1 << 62
	}
}

// TestSearchInPartsIsTheSameSearch checks that a search split over the
// cores finds the same page as the whole search: the same listings in the
// same order with the same scores, the same total and the same facets, on
// an index of several segments with deleted documents and some listings
// not active.
func TestSearchInPartsIsTheSameSearch(t *testing.T) {
	d := segmentedDirectory(t)
	defer d.Close()
	var closed []*Listing
	for i := range 40 {
		l := gardenListing("p2", fmt.Sprintf("c%02d", i), "Gardening club")
		l.Status = StatusTempClosed
		closed = append(closed, l)
	}
	if _, err := d.Apply(context.Background(), Change{Put: closed}); err != nil {
		t.Fatal(err)
	}
	// A merge drops deleted documents, which changes the words' weights:
	// wait for Bleve's merger to finish, so both searches see the same.
	settleMerges(d)
	if n := d.ix().segments(); n < 2 {
		t.Fatalf("the index has %d segment: the test needs several", n)
	}
	queries := []Query{
		{Text: "gardening"},
		{Text: "garden walk", Page: 3, PerPage: 7},
		{Text: "garden", Page: 40, PerPage: 50},
		{Text: "allotment", Facets: true, PerPage: 5},
		{Text: "community garden", Sort: SortSoonest, Page: 2},
		{Text: "garden", Categories: []string{"community-gardens"}, Facets: true},
		{Text: "gardening club", Exclude: []string{ListingID("p1", "r0-0001"), ListingID("p1", "r1-0002")}, PerPage: 100},
		{Text: "gardening", Statuses: []Status{StatusActive, StatusTempClosed}, PerPage: MaxPerPage},
		{Boosts: []Boost{{Words: "garden walk"}, {Category: "community-gardens", Weight: 0.5}}, PerPage: 30},
		{Text: "walk", Boosts: []Boost{{Words: "allotment"}}, Page: 4, PerPage: 10},
	}
	for _, q := range queries {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			splitting(t, false)
			before := d.splitSearches.Load()
			whole, err := d.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			splitting(t, true)
			// Bleve's merger may still be merging the segments of the
			// writes, and a merge landing between the parts' starts
			// has the search run again whole: try again.
			var parted *Results
			for try := 0; d.splitSearches.Load() == before; try++ {
				if try == 20 {
					t.Fatal("the search was never split")
				}
				parted, err = d.Search(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
			}
			if len(whole.Hits) == 0 {
				t.Fatal("the whole search found nothing: the test needs matches")
			}
			if parted.Total != whole.Total {
				t.Errorf("total %d in parts, %d whole", parted.Total, whole.Total)
			}
			if got, want := hitsOf(parted), hitsOf(whole); !slices.Equal(got, want) {
				t.Errorf("in parts:\n%v\nwhole:\n%v", got, want)
			}
			if !reflect.DeepEqual(parted.Facets, whole.Facets) {
				t.Errorf("facets in parts %v, whole %v", parted.Facets, whole.Facets)
			}
		})
	}
}

// settleMerges waits until Bleve's merger has left the index's segments
// alone for a quarter of a second.
func settleMerges(d *Directory) {
	for same, last := 0, -1; same < 5; time.Sleep(50 * time.Millisecond) {
		if n := d.ix().segments(); n == last {
			same++
		} else {
			same, last = 0, n
		}
	}
}

// hitsOf lists a page's listings with their scores.
func hitsOf(r *Results) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = fmt.Sprintf("%s %v", h.Listing.ID, h.Score)
	}
	return out
}

// TestSearchInPartsNoticesAWrite checks that parts that searched different
// snapshots of the index (a write landed between their starts) are
// reported, so that the search is run again whole.
func TestSearchInPartsNoticesAWrite(t *testing.T) {
	d, idx := directoryWritingBetweenParts(t)
	defer d.Close()
	req := gardeningRequest()
	if _, same, err := searchInParts(context.Background(), idx, req, 2); err != nil || same {
		t.Fatalf("searchInParts says the parts saw the same snapshot (%v), err %v", same, err)
	}
	// Without a write between them, they see the same one.
	res, same, err := searchInParts(context.Background(), d.ix().idx, req, 2)
	if err != nil || !same {
		t.Fatalf("same %v, err %v", same, err)
	}
	if res.Total != 2 {
		t.Errorf("found %d, want 2", res.Total)
	}
}

// TestSearchAgainWholeAfterAWrite checks that a search whose parts saw
// different snapshots runs again whole, with facet counts of that search
// alone (not added to the parts').
func TestSearchAgainWholeAfterAWrite(t *testing.T) {
	d, idx := directoryWritingBetweenParts(t)
	defer d.Close()
	tally := newFacetTally()
	ctx := withFacetTally(context.Background(), tally)
	res, split, err := searchInPartsOrWhole(ctx, idx, gardeningRequest(), 2)
	if err != nil || split {
		t.Fatalf("split %v, err %v: want the search run again whole", split, err)
	}
	if res.Total != 2 {
		t.Errorf("found %d, want 2", res.Total)
	}
	if got := tally.result()["category"]["community-gardens"]; got != 2 {
		t.Errorf("community-gardens counted %d times, want 2", got)
	}
}

// directoryWritingBetweenParts returns a directory with one gardening
// listing, and its index as searched by parts between which a second one
// is written.
func directoryWritingBetweenParts(t *testing.T) (*Directory, *writeBetweenParts) {
	t.Helper()
	d := mustOpen(t, testConfig(t, t.TempDir()))
	if _, err := d.Apply(context.Background(), Change{Put: []*Listing{gardenListing("p1", "a", "Gardening club")}}); err != nil {
		d.Close()
		t.Fatal(err)
	}
	return d, &writeBetweenParts{idx: d.ix().idx, firstDone: make(chan struct{}), write: func() {
		if _, err := d.Apply(context.Background(), Change{Put: []*Listing{gardenListing("p1", "b", "Gardening group")}}); err != nil {
			t.Error(err)
		}
	}}
}

// gardeningRequest finds "gardening" in listings' names, best first.
func gardeningRequest() *bleve.SearchRequest {
	req := bleve.NewSearchRequest(fieldQ(bleve.NewMatchQuery("gardening"), fName))
	req.SortBy([]string{"-_score"})
	return req
}

// writeBetweenParts runs part 1 of a search after part 0 has finished and
// write has run.
type writeBetweenParts struct {
	idx       bleve.Index
	firstDone chan struct{}
	write     func()
}

func (w *writeBetweenParts) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	p, ok := req.Query.(partQuery)
	if !ok {
		return w.idx.SearchInContext(ctx, req) // the search run again whole
	}
	if p.part == 0 {
		defer close(w.firstDone)
		return w.idx.SearchInContext(ctx, req)
	}
	<-w.firstDone
	w.write()
	return w.idx.SearchInContext(ctx, req)
}

// TestCutoffInPartsKeepsTheBest checks that a cutoff shared by parts
// searching at once never turns away a match that may be among the first
// n: every key at least as good as the n-th best of all is let through,
// in any interleaving, ties included, for a score order and for an order
// by a key and then the score.
func TestCutoffInPartsKeepsTheBest(t *testing.T) {
	orders := []keyOrder{
		{scoring: []bool{true}, desc: []bool{true}},
		{scoring: []bool{false, true}, desc: []bool{false, true}},
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 300 {
		order := orders[trial%len(orders)]
		n, parts := 1+rng.IntN(60), 1+rng.IntN(3)
		c := newCutoff(order, n, parts)
		streams := make([][]sortKey, parts)
		for range 200 + rng.IntN(800) {
			k := sortKey{score: float64(rng.IntN(25))}
			if !order.scoreOnly() {
				k.sort = []string{fmt.Sprintf("%02d", rng.IntN(8)), ""}
			}
			p := rng.IntN(parts)
			streams[p] = append(streams[p], k)
		}
		admitted := make([][]bool, parts)
		var wg sync.WaitGroup
		for range parts {
			part, ok := c.join()
			if !ok {
				t.Fatal("a cutoff of parts parts refused a part")
			}
			wg.Go(func() {
				for _, k := range streams[part] {
					admitted[part] = append(admitted[part], c.admit(part, k))
				}
			})
		}
		wg.Wait()
		if _, ok := c.join(); ok {
			t.Fatal("a cutoff let in more parts than it was made for")
		}
		all := slices.Concat(streams...)
		slices.SortFunc(all, order.compare)
		nth := all[min(n, len(all))-1]
		for p := range parts {
			for i, k := range streams[p] {
				if order.compare(k, nth) <= 0 && !admitted[p][i] {
					t.Fatalf("trial %d (n %d, %d parts): %+v, as good as the n-th best %+v, was turned away", trial, n, parts, k, nth)
				}
			}
		}
	}
}

// TestCutoffTurnsAwayTheRest checks that, searched whole, the cutoff lets
// through only what can still make the page: after n keys, one behind all
// of them is turned away.
func TestCutoffTurnsAwayTheRest(t *testing.T) {
	c := newCutoff(keyOrder{scoring: []bool{true}, desc: []bool{true}}, 3, 1)
	part, _ := c.join()
	for _, s := range []float64{5, 9, 7} {
		if !c.admit(part, sortKey{score: s}) {
			t.Fatalf("%v turned away before the page is full", s)
		}
	}
	// 5 ties with the worst of the best three, and may make the page by
	// its id; once 6 is in, 5 is behind three.
	for _, tt := range []struct {
		score float64
		want  bool
	}{{4, false}, {5, true}, {6, true}, {5, false}, {10, true}, {6, false}} {
		if got := c.admit(part, sortKey{score: tt.score}); got != tt.want {
			t.Errorf("admit(%v) = %v, want %v", tt.score, got, tt.want)
		}
	}
}

// TestWithoutIsBooleanMustNot checks that a query's matches less those of
// another score exactly as in Bleve's boolean query, which also put the
// words in a disjunction and a conjunction of one each.
func TestWithoutIsBooleanMustNot(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	var puts []*Listing
	names := []string{"Gardening club", "Allotment garden walk", "Community gardens", "Garden"}
	for i := range 60 {
		l := gardenListing("p1", fmt.Sprintf("r%02d", i), names[i%len(names)])
		l.Description = fmt.Sprintf("%s, week %d: garden, walk and talk %s.", l.Name, i, names[(i/4)%len(names)])
		if i%7 == 0 {
			l.Status = StatusInactive
		}
		puts = append(puts, l)
	}
	if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"garden", "allotment walk", "gardening club"} {
		scoring, _ := d.textQuery(text)
		boolean := bleve.NewBooleanQuery()
		boolean.AddMust(bleve.NewDisjunctionQuery(scoring))
		boolean.AddMustNot(inactive())
		got := scoredIDs(t, d, withoutQuery{q: scoring, not: inactive()})
		want := scoredIDs(t, d, boolean)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%q: without %v, boolean %v", text, got, want)
		}
	}
}

// scoredIDs returns every match of q with its score, best first.
func scoredIDs(t *testing.T, d *Directory, q query.Query) []string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
	req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, &search.SortDocID{}})
	res, err := d.searchIndex(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, fmt.Sprintf("%s %v", h.ID, h.Score))
	}
	return out
}

// TestSearchAroundAPlaceIsNotSplit checks that a search around a place
// runs whole, the online listings included or not: its distance checks
// note distances in one memo, which two parts at once would share (a race
// that panicked inside Bleve in a matcher's search at a million listings).
func TestSearchAroundAPlaceIsNotSplit(t *testing.T) {
	splitting(t, true)
	d := segmentedDirectory(t)
	defer d.Close()
	// A merge landing between the parts' starts makes a split search run
	// again whole, which is not counted as split.
	settleMerges(d)
	for _, q := range []Query{
		{Boosts: []Boost{{Words: "garden"}}, Postcode: "SW9", RadiusKm: 5, IncludeOnline: true},
		{Boosts: []Boost{{Words: "garden"}}, Postcode: "SW9", RadiusKm: 5},
		{Text: "garden", Postcode: "SW9", RadiusKm: 5, IncludeOnline: true},
		{Text: "garden", Postcode: "SW9"},
	} {
		before := d.splitSearches.Load()
		if _, err := d.Search(context.Background(), q); err != nil {
			t.Fatal(err)
		}
		if d.splitSearches.Load() != before {
			t.Errorf("%+v was split", q)
		}
	}
	// And one without a place is, so that the test can fail.
	before := d.splitSearches.Load()
	if _, err := d.Search(context.Background(), Query{Boosts: []Boost{{Words: "garden"}}}); err != nil {
		t.Fatal(err)
	}
	if d.splitSearches.Load() == before {
		t.Error("a search of boosts alone was not split")
	}
}

// TestSearchesAtOnce runs searches of every kind one at a time, with
// splitting on (a search's parts run at once), then from several
// goroutines at once: under the race detector (.ci/run) it finds state
// that a search's parts, or two searches, share.
func TestSearchesAtOnce(t *testing.T) {
	splitting(t, true)
	d := segmentedDirectory(t)
	defer d.Close()
	queries := []Query{
		{Text: "gardening club"},
		{Text: "garden", Page: 30, PerPage: 20},
		{Text: "allotment", Facets: true},
		{Text: "garden", Postcode: "SW9", RadiusKm: 5, Sort: SortDistance},
		{Boosts: []Boost{{Words: "garden walk"}, {Category: "community-gardens"}}},
		{Boosts: []Boost{{Words: "garden"}}, Postcode: "SW9", RadiusKm: 5, IncludeOnline: true},
		{Postcode: "SW9", RadiusKm: 3, Sort: SortDistance},
		{Text: "garden", Sort: SortSoonest},
	}
	for _, q := range queries {
		if _, err := d.Search(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := range 3 * len(queries) {
				if _, err := d.Search(context.Background(), queries[(i+w)%len(queries)]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
