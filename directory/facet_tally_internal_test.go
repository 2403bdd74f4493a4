package directory

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// TestFacetTallyIsBleves checks that facet counts from the posting lists
// (facet_tally.go) are the ones Bleve's facets, read from doc values, give:
// for searches whole and split over the cores, for counts alone, on an
// index of several segments with deleted documents, and listings of
// varied days, costs, formats, access, languages and places.
func TestFacetTallyIsBleves(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	names := []string{"Gardening club", "Community garden", "Allotment group", "Garden walk"}
	langs := [][]string{nil, {"en"}, {"en", "cy"}, {"pl", "ur"}}
	formats := []Format{FormatGroup, FormatOneToOne, FormatDropIn}
	access := []Access{AccessStepFree, AccessHearing, AccessBSL}
	listing := func(ref string, i int) *Listing {
		l := gardenListing("p1", ref, names[i%len(names)])
		l.Sessions = []Session{{Day: time.Weekday(i % 7), Start: 600, End: 660 + i%120}}
		if i%5 == 0 {
			l.Sessions = append(l.Sessions, Session{Day: time.Weekday((i + 3) % 7), Start: 1080, End: 1200})
		}
		if i%3 == 0 {
			l.Cost = Cost{Pence: 300}
		} else {
			l.Cost = Cost{Free: true}
		}
		l.Formats = []Format{formats[i%len(formats)]}
		l.Accessibility = access[:i%(len(access)+1)]
		l.Languages = langs[i%len(langs)]
		l.Online = i%4 == 0
		if i%6 == 0 {
			l.Categories = append(l.Categories, "community", fmt.Sprintf("extra-%d", i%9))
		}
		return l
	}
	for round := range 3 {
		var puts []*Listing
		for i := range 1500 {
			puts = append(puts, listing(fmt.Sprintf("r%d-%04d", round, i), i+round))
		}
		if round == 2 {
			for i := range 300 {
				puts = append(puts, listing(fmt.Sprintf("r0-%04d", i), i+7))
			}
		}
		if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
			t.Fatal(err)
		}
	}
	queries := []Query{
		{Text: "gardening"},
		{Text: "garden walk", Page: 3, PerPage: 7},
		{},
		{Days: []time.Weekday{time.Tuesday}, FreeOnly: true},
		{Text: "allotment", Categories: []string{"community"}},
		{Postcode: "SW9", RadiusKm: 3},
	}
	settleMerges(d)
	if n := d.ix().segments(); n < 2 {
		t.Fatalf("the index has %d segment: the test needs several", n)
	}
	for _, split := range []bool{false, true} {
		splitting(t, split)
		before := d.splitSearches.Load()
		for _, q := range queries {
			q.Facets = true
			t.Run(fmt.Sprintf("split %v %+v", split, q), func(t *testing.T) {
				want := bleveFacets(t, d, q)
				res, err := d.Search(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(res.Facets, want) {
					t.Errorf("from the postings %v\nBleve's %v", res.Facets, want)
				}
				_, counted, err := d.CountResults(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(counted, want) {
					t.Errorf("counted %v\nBleve's %v", counted, want)
				}
			})
		}
		if split && d.splitSearches.Load() == before {
			t.Error("no search was split")
		}
	}
}

// bleveFacets returns q's facets as Bleve counts them, from doc values.
func bleveFacets(t *testing.T, d *Directory, q Query) map[string][]FacetCount {
	t.Helper()
	if err := d.normalise(&q); err != nil {
		t.Fatal(err)
	}
	bq, _, _ := d.buildQuery(&q)
	req := bleve.NewSearchRequestOptions(bq, 0, 0, false)
	for _, f := range facetFields {
		req.AddFacet(f.name, bleve.NewFacetRequest(f.field, 100000))
	}
	res, err := d.searchIndex(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Fatal("the search found nothing: the test needs matches")
	}
	counts := map[string]map[string]int{}
	for name, fr := range res.Facets {
		counts[name] = map[string]int{}
		for _, tf := range fr.Terms.Terms() {
			counts[name][tf.Term] = tf.Count
		}
	}
	return d.facetCounts(counts)
}
