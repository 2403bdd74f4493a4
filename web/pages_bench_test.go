package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// BenchmarkResultsPage measures the server time of a results page on the
// sample network, through the whole handler (routing, middleware, search,
// facet counts, rendering). Besides ns/op it reports the median and 95th
// percentile of single requests:
//
//	go test ./web -run '^$' -bench ResultsPage -benchtime 200x
func BenchmarkResultsPage(b *testing.B) {
	f := newPagesFixture(b)
	// Loading the sample leaves the index in many small segments that Bleve
	// merges in the background for a while; a rebuild gives the settled
	// index a running server has.
	if err := f.dir.Rebuild(context.Background()); err != nil {
		b.Fatal(err)
	}
	pages := []struct{ name, target string }{
		{"all", "/search"},
		{"words-near", "/search?q=gardening&postcode=SW9"},
		{"filtered-soonest", "/search?q=gardening&postcode=SW9&day=sat&day=sun&free=true&sort=soonest"},
		{"categories-page3", "/search?category=basics&category=things-to-do&page=3"},
		{"no-results", "/search?q=knitting&postcode=SE11&radius_km=1"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				rec := httptest.NewRecorder()
				start := time.Now()
				f.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p.target, nil))
				took = append(took, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s = %d", p.target, rec.Code)
				}
			}
			reportLatency(b, took)
		})
	}
	// The same words-near search straight from the directory, without the
	// page: the difference is the page's own cost (facets, rendering).
	b.Run("words-near-search-alone", func(b *testing.B) {
		q := directory.Query{Text: "gardening", Postcode: "SW9", RadiusKm: DefaultRadiusKm, PerPage: resultsPerPage, Facets: true}
		var took []time.Duration
		for b.Loop() {
			start := time.Now()
			if _, err := f.dir.Search(context.Background(), q); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
		reportLatency(b, took)
	})
}

// reportLatency reports the median and 95th percentile of single requests.
func reportLatency(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}
