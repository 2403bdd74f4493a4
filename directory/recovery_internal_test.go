package directory

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// These tests reach inside the directory to stop it half-way, as a crash
// would, and check that opening it again loses nothing.

// testConfig returns a small vocabulary and dir as a Config.
func testConfig(t testing.TB, dir string) Config {
	t.Helper()
	tax, err := NewTaxonomy([]Term{
		{Code: "community", Label: "Community", Stages: []Stage{StageRelationships}},
		{Code: "community-gardens", Label: "Community gardens", Parent: "community", Stages: []Stage{StageWellbeing}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		Dir: dir, Taxonomy: tax,
		Thesaurus: NewThesaurus([]SynonymGroup{{Synonyms: []string{"allotment", "garden"}}}),
		Gazetteer: NewGazetteer([]District{{Code: "SW9", Point: LatLon{Lat: 51.4691, Lon: -0.113681}}}, nil),
	}
}

func mustOpen(t *testing.T, cfg Config) *Directory {
	t.Helper()
	d, err := Open(cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return d
}

func gardenListing(partner, ref, name string) *Listing {
	return &Listing{
		ID: ListingID(partner, ref), PartnerID: partner, Ref: ref, Name: name,
		Description: name + " in Brixton.", Categories: []string{"community-gardens"},
		Locations: []Location{{Point: &LatLon{Lat: 51.4626, Lon: -0.1155}}},
		Contact:   Contact{Phone: "020 7946 0000"}, Status: StatusActive,
	}
}

// searchPage returns the ids and total of a search, in order.
func searchPage(t *testing.T, d *Directory, q Query) ([]string, int) {
	t.Helper()
	res, err := d.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.Listing.ID)
	}
	return ids, res.Total
}

// searchIDs returns the ids a search for text finds.
func searchIDs(t *testing.T, d *Directory, text string) map[string]bool {
	t.Helper()
	res, err := d.Search(context.Background(), Query{Text: text, PerPage: MaxPerPage})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	out := map[string]bool{}
	for _, h := range res.Hits {
		out[h.Listing.ID] = true
	}
	if res.Total != len(out) {
		t.Fatalf("search %q: Total %d but %d hits", text, res.Total, len(out))
	}
	return out
}

// pendingCount returns how many index jobs the store has queued.
func pendingCount(t *testing.T, d *Directory) int {
	t.Helper()
	n := 0
	d.store.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketPending).Stats().KeyN
		return nil
	})
	return n
}

// writeStoreOnly commits listings to the store exactly as Apply does, and
// stops before the index hears of them: a crash between the two.
func writeStoreOnly(t *testing.T, d *Directory, puts []*Listing, deletes []string) {
	t.Helper()
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		_, err := writeListings(tx, "", slices.Clone(puts), deletes, time.Time{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCrashBetweenStoreAndIndex(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	d := mustOpen(t, cfg)
	kept := gardenListing("p", "kept", "Allotment club")
	gone := gardenListing("p", "gone", "Garden share")
	if _, err := d.Apply(context.Background(), Change{Put: []*Listing{kept, gone}}); err != nil {
		t.Fatal(err)
	}
	// Crash after the store has a new listing and a deletion, before the
	// index has either.
	added := gardenListing("p", "added", "Rooftop garden")
	writeStoreOnly(t, d, []*Listing{added}, []string{gone.ID})
	if got := searchIDs(t, d, "rooftop"); len(got) != 0 {
		t.Fatalf("the index already has the listing; the test did not stop it: %v", got)
	}
	d.Close()

	d = mustOpen(t, cfg)
	defer d.Close()
	if got := searchIDs(t, d, "rooftop"); !got[added.ID] {
		t.Errorf("after reopening, the listing written before the crash is not found")
	}
	if got := searchIDs(t, d, "garden"); got[gone.ID] || !got[kept.ID] {
		t.Errorf("after reopening, search for garden finds %v; want the kept one and not the deleted one", got)
	}
	if n := pendingCount(t, d); n != 0 {
		t.Errorf("%d index jobs still queued after catching up", n)
	}
}

func TestIndexFailureDuringApply(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	d := mustOpen(t, cfg)
	// The index breaks under the directory (a full disk, say): Apply still
	// stores the change and says so, and the index catches up later.
	d.ix().close()
	l := gardenListing("p", "1", "Herb spiral")
	if _, err := d.Apply(context.Background(), Change{Put: []*Listing{l}}); err != nil {
		t.Fatalf("Apply with a broken index: %v; the store has the change, so it should succeed", err)
	}
	if n := pendingCount(t, d); n == 0 {
		t.Error("no index work queued for the listing the index missed")
	}
	d.Close()

	d = mustOpen(t, cfg)
	defer d.Close()
	if got := searchIDs(t, d, "herb"); !got[l.ID] {
		t.Error("the listing stored while the index was broken is not found after reopening")
	}
}

func TestLargeCatchUp(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	d := mustOpen(t, cfg)
	// More than one index batch of work left behind by a crash.
	var puts []*Listing
	for i := range indexBatchSize*2 + 10 {
		puts = append(puts, gardenListing("p", fmt.Sprint(i), fmt.Sprintf("Plot %d", i)))
	}
	writeStoreOnly(t, d, puts[:indexBatchSize], nil)
	writeStoreOnly(t, d, puts[indexBatchSize:], nil)
	d.Close()

	d = mustOpen(t, cfg)
	defer d.Close()
	res, err := d.Search(context.Background(), Query{Text: "plot"})
	if err != nil || res.Total != len(puts) {
		t.Errorf("after catching up, %d of %d listings are found (%v)", res.Total, len(puts), err)
	}
	if n := pendingCount(t, d); n != 0 {
		t.Errorf("%d index jobs still queued after catching up", n)
	}
}

func TestIndexRebuiltWhenMissingDamagedOrAhead(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, dir string, d *Directory)
	}{
		{"index folder deleted", func(t *testing.T, dir string, d *Directory) {
			d.Close()
			if err := os.RemoveAll(filepath.Join(dir, indexDir)); err != nil {
				t.Fatal(err)
			}
		}},
		{"index folder damaged", func(t *testing.T, dir string, d *Directory) {
			d.Close()
			idx := filepath.Join(dir, indexDir)
			entries, _ := os.ReadDir(idx)
			for _, e := range entries {
				os.RemoveAll(filepath.Join(idx, e.Name()))
			}
			os.WriteFile(filepath.Join(idx, "index_meta.json"), []byte("{not json"), 0o600)
		}},
		{"index of an older layout", func(t *testing.T, dir string, d *Directory) {
			d.ix().idx.SetInternal(internalMapping, []byte("lw-0"))
			d.Close()
		}},
		{"index ahead of the store, as after restoring a backup", func(t *testing.T, dir string, d *Directory) {
			d.ix().idx.SetInternal(internalGeneration, u64(1000))
			d.Close()
		}},
		{"a rebuild interrupted", func(t *testing.T, dir string, d *Directory) {
			d.Close()
			os.MkdirAll(filepath.Join(dir, indexDir+".tmp", "junk"), 0o750)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := testConfig(t, dir)
			d := mustOpen(t, cfg)
			l := gardenListing("p", "1", "Allotment club")
			if _, err := d.Apply(context.Background(), Change{Put: []*Listing{l}}); err != nil {
				t.Fatal(err)
			}
			tt.spoil(t, dir, d)
			d = mustOpen(t, cfg)
			defer d.Close()
			if got := searchIDs(t, d, "allotment"); !got[l.ID] || len(got) != 1 {
				t.Errorf("after reopening: %v; want the one listing", got)
			}
			// Synonyms came back with the rebuilt index.
			if got := searchIDs(t, d, "garden"); !got[l.ID] {
				t.Error("synonyms lost in the rebuilt index: garden does not find the allotment club")
			}
			if _, err := os.Stat(filepath.Join(dir, indexDir+".tmp")); !os.IsNotExist(err) {
				t.Errorf("the temporary rebuild folder was left behind: %v", err)
			}
			storeGen, _ := d.store.generation()
			idxGen, _ := d.ix().generation()
			if storeGen != idxGen {
				t.Errorf("index generation %d, store generation %d; want them equal", idxGen, storeGen)
			}
		})
	}
}

func TestRebuild(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	d := mustOpen(t, cfg)
	defer d.Close()
	l := gardenListing("p", "1", "Allotment club")
	if _, err := d.Apply(context.Background(), Change{Put: []*Listing{l}}); err != nil {
		t.Fatal(err)
	}
	writeStoreOnly(t, d, []*Listing{gardenListing("p", "2", "Allotment plot share")}, nil)
	if err := d.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, d, "allotment"); len(got) != 2 {
		t.Errorf("after Rebuild: %v; want both listings", got)
	}
	if n := pendingCount(t, d); n != 0 {
		t.Errorf("%d index jobs still queued after a rebuild", n)
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	d := mustOpen(t, cfg)
	defer d.Close()
	cfg.LockTimeout = 50 * time.Millisecond
	second, err := Open(cfg)
	if err == nil {
		second.Close()
		t.Fatal("a second Open on the same data directory succeeded")
	}
	if ErrorCode(err) != ECONFLICT {
		t.Errorf("error %v; want ECONFLICT", err)
	}
	if msg := ErrorMessage(err); !strings.Contains(msg, "in use") {
		t.Errorf("message %q does not say the directory is in use", msg)
	}
}

func TestCrashBeforeQueueCleared(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	d := mustOpen(t, cfg)
	l := gardenListing("p", "1", "Allotment club")
	writeStoreOnly(t, d, []*Listing{l}, nil)
	// The index catches up, and the crash comes before the queue is
	// cleared.
	storeGen, _ := d.store.generation()
	b := d.ix().idx.NewBatch()
	if err := b.Index(l.ID, newIndexDoc(l, d.tax)); err != nil {
		t.Fatal(err)
	}
	b.SetInternal(internalGeneration, u64(storeGen))
	if err := d.ix().idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	d.Close()

	d = mustOpen(t, cfg)
	defer d.Close()
	if n := pendingCount(t, d); n != 0 {
		t.Errorf("%d index jobs the index already has are still queued after reopening", n)
	}
	if got := searchIDs(t, d, "allotment"); !got[l.ID] {
		t.Error("the listing is not found")
	}
}
