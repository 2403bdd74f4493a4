package directory

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// TestCutoffKeepsTheOrder checks that reading ids only for the matches
// that may make the page (search_cutoff.go) gives every page exactly as
// Bleve's own order by key and then id does, when many listings tie: the
// same words, the same places.
func TestCutoffKeepsTheOrder(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	names := []string{"Gardening club", "Community gardening club", "Gardening", "Allotment and gardening group"}
	places := []LatLon{{Lat: 51.4626, Lon: -0.1155}, {Lat: 51.47, Lon: -0.12}, {Lat: 51.4626, Lon: -0.1155}}
	var puts []*Listing
	for i := range 90 {
		l := gardenListing("p1", fmt.Sprintf("r%02d", i), names[i%len(names)])
		l.Description = l.Name + "."
		l.Locations[0].Point = &places[i%len(places)]
		puts = append(puts, l)
	}
	if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
		t.Fatal(err)
	}
	queries := []struct {
		name string
		q    Query
	}{
		{"words", Query{Text: "gardening"}},
		{"words near a place", Query{Text: "gardening club", Postcode: "SW9", RadiusKm: 5}},
		{"nearest first", Query{Postcode: "SW9", Sort: SortDistance}},
		{"nearest first within a radius", Query{Postcode: "SW9", RadiusKm: 5, Sort: SortDistance}},
		{"no words", Query{}},
	}
	for _, tt := range queries {
		for _, perPage := range []int{1, 7, 20} {
			for page := 1; page*perPage <= 100; page++ {
				t.Run(fmt.Sprintf("%s/%d of %d", tt.name, page, perPage), func(t *testing.T) {
					q := tt.q
					q.Page, q.PerPage = page, perPage
					got, _ := searchPage(t, d, q)
					if want := bleveOrder(t, d, q); !slices.Equal(got, want) {
						t.Errorf("page %v, Bleve's own order %v", got, want)
					}
				})
			}
		}
	}
}

// bleveOrder returns the ids of the page q asks for in Bleve's own order
// by key, then id.
func bleveOrder(t *testing.T, d *Directory, q Query) []string {
	t.Helper()
	if err := d.normalise(&q); err != nil {
		t.Fatal(err)
	}
	bq, _, _ := d.buildQuery(&q)
	req := bleve.NewSearchRequestOptions(bq, q.PerPage, (q.Page-1)*q.PerPage, false)
	if by := newRankOrder(&q, d.now(), nil); by != nil {
		req.SortByCustom(search.SortOrder{by, &search.SortScore{Desc: true}, &search.SortDocID{}})
	} else {
		req.SortBy([]string{"-_score", "_id"})
	}
	return requestIDs(t, d, req)
}

// requestIDs runs req and returns the ids of its hits, in order.
func requestIDs(t *testing.T, d *Directory, req *bleve.SearchRequest) []string {
	t.Helper()
	res, err := d.searchIndex(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}
