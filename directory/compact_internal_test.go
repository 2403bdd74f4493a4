package directory

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// segmentedDirectory returns a directory whose index has several
// segments: 6,000 listings written in three changes, the last of which
// also changes 500 of the first (leaving deleted documents in the older
// segments). Bleve's own merger merges small segments soon, so it takes
// thousands of listings to keep several.
func segmentedDirectory(t *testing.T) *Directory {
	t.Helper()
	d := mustOpen(t, testConfig(t, t.TempDir()))
	names := []string{"Gardening club", "Community garden", "Allotment group", "Garden walk"}
	for i := range 3 {
		var puts []*Listing
		for j := range 2000 {
			puts = append(puts, gardenListing("p1", fmt.Sprintf("r%d-%04d", i, j), names[j%len(names)]))
		}
		if i == 2 {
			for j := range 500 {
				puts = append(puts, gardenListing("p1", fmt.Sprintf("r0-%04d", j), names[(j+1)%len(names)]))
			}
		}
		if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
			t.Fatal(err)
		}
	}
	// Bleve's merger may have merged some already, while the test ran.
	if n := d.ix().segments(); n < 2 {
		d.Close()
		t.Fatalf("the index has %d segments after three large changes: the test needs several", n)
	}
	return d
}

// TestCompactMergesSegments checks that Compact leaves the index in one
// segment and that every search finds the same listings in the same order
// as before.
func TestCompactMergesSegments(t *testing.T) {
	d := segmentedDirectory(t)
	defer d.Close()
	queries := []Query{
		{Text: "gardening", PerPage: MaxPerPage},
		{Text: "garden walk", PerPage: 7, Page: 2},
		{Postcode: "SW9", RadiusKm: 3, Sort: SortDistance, PerPage: MaxPerPage},
		{PerPage: MaxPerPage},
	}
	type page struct {
		ids   []string
		total int
	}
	var before []page
	for _, q := range queries {
		ids, total := searchPage(t, d, q)
		before = append(before, page{ids, total})
	}
	if err := d.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := d.ix().segments(); n != 1 {
		t.Fatalf("compacted into %d segments, want 1", n)
	}
	for i, q := range queries {
		ids, total := searchPage(t, d, q)
		if total != before[i].total || !slices.Equal(ids, before[i].ids) {
			t.Errorf("%+v: after compacting %d %v, before %d %v", q, total, ids, before[i].total, before[i].ids)
		}
	}
	// Compacting a compact index does nothing.
	if err := d.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestCompactInBackground checks that, once background compaction is on,
// a large write compacts the index without anyone waiting for it, that an
// edit does not, and that Close stops a compaction under way.
func TestCompactInBackground(t *testing.T) {
	d := segmentedDirectory(t)
	closed := false
	defer func() {
		if !closed {
			d.Close()
		}
	}()
	d.compact.after = 1000
	d.CompactInBackground() // below compactAtSegments: nothing yet
	var puts []*Listing
	for i := range 1000 {
		puts = append(puts, gardenListing("p2", fmt.Sprintf("b%04d", i), "Garden bench"))
	}
	if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for d.ix().segments() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the index still has %d segments 20 s after a large write", d.ix().segments())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, total := searchPage(t, d, Query{Text: "bench"}); total != 1000 {
		t.Fatalf("found %d of the 1,000 listings written", total)
	}
	// An edit of a few listings does not compact.
	if _, err := d.Apply(context.Background(), Change{Put: []*Listing{gardenListing("p2", "c1", "Garden chair")}}); err != nil {
		t.Fatal(err)
	}
	if d.compacting() {
		t.Error("an edit of one listing started a compaction")
	}
	// Close stops a compaction under way (or one about to start).
	if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
		t.Fatal(err)
	}
	closed = true
	done := make(chan error, 1)
	go func() { done <- d.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Close waited over 20 s for a compaction")
	}
	if d.compacting() {
		t.Error("a compaction runs after Close")
	}
}
