package directory_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// reportMedian records the median of the iterations' durations as p50-ms.
func reportMedian(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/float64(time.Millisecond), "p50-ms")
}

// BenchmarkSearch searches the sample network in-process, one kind of
// query per sub-benchmark, and reports the median time of one search.
//
//	go test ./directory -run '^$' -bench BenchmarkSearch -benchtime 2s
func BenchmarkSearch(b *testing.B) {
	d := sampleDirectory(b)
	kinds := []struct {
		name string
		q    directory.Query
	}{
		{"text", directory.Query{Text: "gardening"}},
		{"text+postcode+radius", directory.Query{Text: "food bank", Postcode: "SW9", RadiusKm: 2}},
		{"category+day+free", directory.Query{Categories: []string{"things-to-do"}, Days: []time.Weekday{time.Tuesday}, FreeOnly: true}},
		{"open-now", directory.Query{OpenAt: sampleNow}},
		{"sort-distance", directory.Query{Postcode: "SE5", Sort: directory.SortDistance}},
		{"sort-soonest+text", directory.Query{Text: "choir", Postcode: "SW9", RadiusKm: 5, Sort: directory.SortSoonest}},
		{"facets", directory.Query{Text: "support", Facets: true}},
		{"api-default", directory.Query{Text: "counselling", Postcode: "SW9", RadiusKm: 5, Facets: true}},
	}
	ctx := context.Background()
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			took := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				if _, err := d.Search(ctx, k.q); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			reportMedian(b, took)
		})
	}
}

// BenchmarkStartup measures a start on an existing data directory: read
// the embedded vocabulary, open the store and index, run the first search,
// close.
//
//	go test ./directory -run '^$' -bench BenchmarkStartup -benchtime 20x
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	vocab, err := data.LoadVocabulary()
	if err != nil {
		b.Fatal(err)
	}
	d, err := directory.Open(directory.Config{Dir: dir, Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := importer.New(d).LoadSample(context.Background()); err != nil {
		b.Fatal(err)
	}
	d.Close()
	if _, err := os.Stat(dir); err != nil {
		b.Fatal(err)
	}
	took := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		vocab, err := data.LoadVocabulary()
		if err != nil {
			b.Fatal(err)
		}
		d, err := directory.Open(directory.Config{Dir: dir, Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.Search(context.Background(), directory.Query{Text: "gardening", Postcode: "SW9", RadiusKm: 5, Facets: true}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		d.Close()
	}
	reportMedian(b, took)
}
