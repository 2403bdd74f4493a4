package directory

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// TestNearestFromTheRadiusCheck checks that a search within a radius,
// ordered by distance or by words and distance, takes each listing's
// nearest distance from the radius check (nearestMemo) for every result,
// never reading its locations again, and orders and measures the results
// exactly as reading them does. Listings have one to three locations,
// some outside the radius, so the nearest is not simply the first.
func TestNearestFromTheRadiusCheck(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	rng := rand.New(rand.NewPCG(7, 11))
	var puts []*Listing
	for i := range 300 {
		l := gardenListing("p1", fmt.Sprintf("r%03d", i), []string{"Gardening club", "Garden group", "Allotment"}[i%3])
		l.Locations = nil
		for range 1 + rng.IntN(3) {
			// Within about 15 km of Brixton.
			p := LatLon{Lat: 51.4626 + (rng.Float64()-0.5)*0.27, Lon: -0.1155 + (rng.Float64()-0.5)*0.43}
			l.Locations = append(l.Locations, Location{Point: &p})
		}
		puts = append(puts, l)
	}
	if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []Query{
		{Postcode: "SW9", RadiusKm: 5, Sort: SortDistance},
		{Postcode: "SW9", RadiusKm: 5},
		{Text: "gardening", Postcode: "SW9", RadiusKm: 5},
		{Text: "gardening", Postcode: "SW9", RadiusKm: 8, Sort: SortDistance},
		{Postcode: "SW9", RadiusKm: 3, Sort: SortDistance, Categories: []string{"community"}},
	} {
		q.PerPage = MaxPerPage
		if err := d.normalise(&q); err != nil {
			t.Fatal(err)
		}
		bq, _, near := d.buildQuery(&q)
		if near == nil {
			t.Fatalf("%+v: no distances from the radius check", q)
		}
		read := rankedIDs(t, d, bq, newRankOrder(&q, d.now(), nil))
		memo := rankedIDs(t, d, bq, newRankOrder(&q, d.now(), near))
		if near.misses != 0 {
			t.Errorf("%q near %s: the order read the locations of %d listings again", q.Text, q.Postcode, near.misses)
		}
		if len(read) < 10 || !slices.Equal(read, memo) {
			t.Errorf("%q near %s: with the check's distances %v, reading the locations %v", q.Text, q.Postcode, memo, read)
		}
		// The hits of Search, which uses the memo, are measured from
		// the listings themselves: they must come nearest first.
		if q.Sort == SortDistance {
			res, err := d.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			last := 0.0
			for _, h := range res.Hits {
				if h.DistanceKm == nil || *h.DistanceKm > q.RadiusKm || *h.DistanceKm < last-1e-9 {
					t.Fatalf("%q near %s: hit %s at %v km after %v km", q.Text, q.Postcode, h.Listing.Ref, h.DistanceKm, last)
				}
				last = *h.DistanceKm
			}
		}
	}
}

// rankedIDs returns the ids of every match of bq in the order of by, then
// score, then id.
func rankedIDs(t *testing.T, d *Directory, bq query.Query, by *rankOrder) []string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(bq, MaxPerPage, 0, false)
	req.SortByCustom(search.SortOrder{by, &search.SortScore{Desc: true}, &search.SortDocID{}})
	return requestIDs(t, d, req)
}

// fakePoints is a reader of locations: listing id's are points[id[0]].
type fakePoints map[byte][]LatLon

func (f fakePoints) VisitDocValues(id index.IndexInternalID, visit index.DocValueVisitor) error {
	for _, p := range f[id[0]] {
		visit(fPoints, []byte(encodePoint(p)))
	}
	return nil
}

func (f fakePoints) BytesRead() uint64 { return 0 }

// TestNearestMemoForgetsEarlierSearches checks that the memo answers from
// the listings this search's check passed, and never from an earlier
// search's (whose internal ids may name other listings by now).
func TestNearestMemoForgetsEarlierSearches(t *testing.T) {
	brixton := LatLon{Lat: 51.4626, Lon: -0.1155}
	near, far := LatLon{Lat: 51.47, Lon: -0.12}, LatLon{Lat: 51.50, Lon: -0.20}
	_, m := withinCheck(brixton, 10)
	m.reset(fakePoints{1: {far, near}, 2: {far}})
	if ok, _ := m.pass(index.IndexInternalID{1}); !ok {
		t.Fatal("listing 1 has a location within 10 km")
	}
	want := DistanceKm(brixton, near)
	if km, ok := m.nearest(index.IndexInternalID{1}); !ok || km != want || m.misses != 0 {
		t.Fatalf("nearest = %v, %v after %d misses; want %v from the check", km, ok, m.misses, want)
	}
	// The next search: listing 1 is now elsewhere.
	m.reset(fakePoints{1: {far}})
	if km, ok := m.nearest(index.IndexInternalID{1}); !ok || km != DistanceKm(brixton, far) || m.misses != 1 {
		t.Fatalf("nearest = %v, %v after %d misses; want it read again: %v", km, ok, m.misses, DistanceKm(brixton, far))
	}
}
