package directory

import (
	"context"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A data directory made before stores had 16 KB pages keeps its 4 KB
// pages: it opens, takes changes and finds them again after a restart.
func TestStoreWithOldPageSizeStillWorks(t *testing.T) {
	dir := t.TempDir()
	db, err := bolt.Open(filepath.Join(dir, storeFile), 0o600, &bolt.Options{PageSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	cfg := testConfig(t, dir)
	d := mustOpen(t, cfg)
	var puts []*Listing
	for _, ref := range []string{"a", "b", "c"} {
		puts = append(puts, gardenListing("p", ref, "Garden "+ref))
	}
	if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
		t.Fatal(err)
	}
	if got := d.store.db.Info().PageSize; got != 4096 {
		t.Errorf("the old store's page size became %d", got)
	}
	d.Close()
	d = mustOpen(t, cfg)
	defer d.Close()
	if got := searchIDs(t, d, "garden"); len(got) != 3 {
		t.Errorf("after reopening, search for garden finds %d listings, want 3", len(got))
	}
	if n, err := d.Count(context.Background()); err != nil || n != 3 {
		t.Errorf("Count = %d, %v; want 3", n, err)
	}
}

// Clearing the index queue up to a generation keeps the work queued after
// it, and clearing all of it leaves an empty queue that takes new work.
func TestClearPending(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	queue := func(gen uint64, id string) {
		t.Helper()
		err := d.store.db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketPending).Put(append(u64(gen), id...), nil)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	queue(1, "a")
	queue(2, "b")
	queue(3, "c")
	tests := []struct {
		name  string
		clear uint64
		want  []string
	}{
		{"up to a generation", 2, []string{"c"}},
		{"all", 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := d.store.clearPending(tt.clear); err != nil {
				t.Fatal(err)
			}
			got, err := d.store.pendingSince(0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
				t.Errorf("queued after clearing to %d: %v, want %v", tt.clear, got, tt.want)
			}
		})
	}
	queue(4, "d")
	if got, _ := d.store.pendingSince(3); len(got) != 1 || got[0] != "d" {
		t.Errorf("after clearing all, new work queued is %v, want [d]", got)
	}
}

// A new store has 16 KB pages, about ten listings a page.
func TestNewStorePageSize(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	if got := d.store.db.Info().PageSize; got != storePageSize {
		t.Errorf("a new store has %d-byte pages, want %d", got, storePageSize)
	}
}
