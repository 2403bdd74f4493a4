package directory

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// Health is the state of the store and the index, for /readyz and
// /metrics.
type Health struct {
	// Listings is how many listings the store holds; Documents how many
	// documents the index holds (listings plus the synonym definitions).
	Listings  int    `json:"listings"`
	Documents uint64 `json:"index_documents"`
	// IndexedListings is how many listings the index holds. It equals
	// Listings when the two agree.
	IndexedListings int `json:"indexed_listings"`
	// StoreGeneration and IndexGeneration are the store's listing
	// generation and the one the index has caught up with; Pending is the
	// index work the store has queued and the index not yet done.
	StoreGeneration uint64 `json:"store_generation"`
	IndexGeneration uint64 `json:"index_generation"`
	Pending         int    `json:"pending"`
	// StoreBytes and IndexBytes are their sizes on disk (IndexBytes is 0
	// for an index held in memory); DiskFree is the space left on the data
	// directory's file system, -1 when unknown.
	StoreBytes int64 `json:"store_bytes"`
	IndexBytes int64 `json:"index_bytes"`
	DiskFree   int64 `json:"disk_free_bytes"`
	ReadOnly   bool  `json:"read_only"`
}

// InStep reports whether the index has caught up with the store.
func (h *Health) InStep() bool { return h.IndexGeneration == h.StoreGeneration && h.Pending == 0 }

// Health reads the state of the store and the index.
func (d *Directory) Health(ctx context.Context) (*Health, error) {
	h := &Health{ReadOnly: d.readOnly, DiskFree: diskFree(d.dir)}
	err := d.store.db.View(func(tx *bolt.Tx) error {
		h.Listings = tx.Bucket(bucketListings).Stats().KeyN
		h.StoreGeneration = readU64(tx.Bucket(bucketMeta).Get(keyGeneration))
		h.Pending = tx.Bucket(bucketPending).Stats().KeyN
		h.StoreBytes = tx.Size()
		return nil
	})
	if err != nil {
		return nil, Internal(err, "read the store's state")
	}
	if h.IndexGeneration, err = d.ix().generation(); err != nil {
		return nil, err
	}
	if h.Documents, err = d.ix().idx.DocCount(); err != nil {
		return nil, Internal(err, "count the index's documents")
	}
	// Every listing document has a status, and nothing else in the index
	// (the synonym definitions) has one.
	req := bleve.NewSearchRequestOptions(anyTerm(fStatus, Statuses), 0, 0, false)
	res, err := d.searchIndex(ctx, req)
	if err != nil {
		return nil, Internal(err, "count the indexed listings")
	}
	h.IndexedListings = int(res.Total)
	if d.ix().path != "" {
		h.IndexBytes = dirSize(d.ix().path)
	}
	return h, nil
}

func dirSize(path string) int64 {
	var n int64
	filepath.WalkDir(path, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// MinDiskFree is the free space below which the directory is not ready:
// room for the store to grow by a large upload and the index with it.
const MinDiskFree = 64 << 20

var keyWriteProbe = []byte("write_probe")

// Ready returns nil when the directory can serve and take changes: the
// index is in step with the store, the store accepts a write, and the disk
// has at least MinDiskFree left. Otherwise it returns an error saying
// which is wrong.
func (d *Directory) Ready(ctx context.Context) error {
	h, err := d.Health(ctx)
	if err != nil {
		return err
	}
	if !h.InStep() {
		return Errorf(ECONFLICT, "the search index is catching up with the store (generation %d of %d, %d listings pending)", h.IndexGeneration, h.StoreGeneration, h.Pending)
	}
	if h.ReadOnly {
		return Errorf(ECONFLICT, "the data directory %s cannot be written, so the directory is read-only", d.dir)
	}
	if h.DiskFree >= 0 && h.DiskFree < MinDiskFree {
		return Errorf(ECONFLICT, "the data directory's disk has only %d MB free", h.DiskFree>>20)
	}
	err = d.store.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyWriteProbe, []byte(d.now().UTC().Format(time.RFC3339)))
	})
	if err != nil {
		return Errorf(ECONFLICT, "the store does not accept writes (%v)", err)
	}
	return nil
}

// String describes the state in one line for logs.
func (h *Health) String() string {
	return fmt.Sprintf("%d listings, index %d documents, generation %d/%d, %d pending", h.Listings, h.Documents, h.IndexGeneration, h.StoreGeneration, h.Pending)
}
