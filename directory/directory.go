package directory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// Config is what a Directory needs to open.
type Config struct {
	// Dir is the data directory; it holds the store file and the index.
	Dir string
	// Taxonomy, Thesaurus and Gazetteer are the vocabulary: categories,
	// synonyms and postcode districts.
	Taxonomy  *Taxonomy
	Thesaurus *Thesaurus
	Gazetteer *Gazetteer
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives start-up and repair messages; discarded when nil.
	Logger *slog.Logger
	// LockTimeout is how long to wait for another process to release the
	// data directory before giving up; one second when zero.
	LockTimeout time.Duration
}

// Directory is the community resource directory: the bbolt store (the
// source of truth) and the Bleve index (derived from it), kept in step.
// Every listing write goes to the store in one transaction, which also
// queues the listing ids as pending index work; the index then catches up
// and records the store generation it has reached. On open, pending work
// left by a crash is replayed, so the index never stays behind the store.
// A Directory is safe for concurrent use.
type Directory struct {
	dir   string
	store *store
	// index is the current search index; it is swapped when rebuilt or
	// reopened after a failed write, so it is read through ix().
	index atomic.Pointer[bleveIndex]
	tax   *Taxonomy
	th    *Thesaurus
	gaz   *Gazetteer
	now   func() time.Time
	log   *slog.Logger
	cache *listingCache
	// writeMu serialises listing writes so the index applies generations
	// in order.
	writeMu sync.Mutex
	// readOnly is set when the data directory cannot be written
	// (readonly.go).
	readOnly bool
	// compact merges the index's segments in the background (compact.go).
	compact compactor
	// searching counts the searches running, so that a search is split
	// over the cores only when some are idle (search_parts.go).
	searching atomic.Int64
	// splitSearches counts the searches run in parts.
	splitSearches atomic.Int64
}

const (
	storeFile = "livingwell.db"
	indexDir  = "index.bleve"
)

// Open opens the directory in cfg.Dir, creating it when empty, and brings
// the index into step with the store (rebuilding it when it is missing,
// damaged or of an older layout). It returns ECONFLICT when another process
// holds the data directory.
func Open(cfg Config) (*Directory, error) {
	if cfg.Taxonomy == nil || cfg.Thesaurus == nil || cfg.Gazetteer == nil {
		return nil, Errorf(EINVALID, "directory: taxonomy, thesaurus and gazetteer are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.LockTimeout == 0 {
		cfg.LockTimeout = time.Second
	}
	st, err := openStore(filepath.Join(cfg.Dir, storeFile), cfg.LockTimeout)
	readOnly := false
	if err != nil && Unwritable(err) {
		st, err = openStoreReadOnly(cfg, err) // readonly.go
		readOnly = true
	}
	if err != nil {
		return nil, err
	}
	d := &Directory{dir: cfg.Dir, store: st, tax: cfg.Taxonomy, th: cfg.Thesaurus, gaz: cfg.Gazetteer, now: cfg.Now, log: cfg.Logger, cache: newListingCache(), readOnly: readOnly}
	openIndex := d.openIndex
	if readOnly {
		openIndex = d.openIndexReadOnly
	}
	if err := openIndex(); err != nil {
		st.close()
		return nil, err
	}
	return d, nil
}

func (d *Directory) indexPath() string { return filepath.Join(d.dir, indexDir) }

// openIndex opens or rebuilds the index and replays pending work.
func (d *Directory) openIndex() error {
	// A rebuild interrupted by a crash leaves its temporary folder behind.
	os.RemoveAll(d.indexPath() + ".tmp")
	ix, fresh, reason, err := openIndex(d.indexPath())
	if err != nil {
		return err
	}
	d.index.Store(ix)
	if fresh {
		if gen, _ := d.store.generation(); gen > 0 {
			d.log.Warn("rebuilding the search index from the store", "reason", reason)
		}
		return d.rebuild()
	}
	if changed, err := d.ix().ensureSynonyms(d.th); err != nil {
		return err
	} else if changed {
		d.log.Info("loaded a new synonym vocabulary into the index", "groups", d.th.Len())
	}
	storeGen, err := d.store.generation()
	if err != nil {
		return Internal(err, "read store generation")
	}
	idxGen, err := d.ix().generation()
	if err != nil {
		return err
	}
	switch {
	case idxGen > storeGen:
		d.log.Warn("rebuilding the search index from the store", "reason", fmt.Sprintf("the index (generation %d) is ahead of the store (generation %d), as after restoring a backup", idxGen, storeGen))
		return d.rebuild()
	case idxGen < storeGen:
		n, err := d.catchUp()
		if err != nil {
			// Serve what the index has rather than nothing: the work stays
			// queued and the next write or start tries again; /readyz says
			// the index is behind.
			d.log.Error("the search index could not catch up with the store; searches miss the newest changes until it can", "err", err)
			return nil
		}
		d.log.Warn("brought the search index back in step with the store", "listings", n, "from_generation", idxGen, "to_generation", storeGen)
	default:
		// A crash after the index caught up but before the queue was
		// cleared leaves work the index already has.
		left, err := d.store.pendingSince(0)
		if err != nil {
			return Internal(err, "read pending index work")
		}
		if len(left) > 0 {
			if err := d.store.clearPending(storeGen); err != nil {
				return Internal(err, "clear pending index work")
			}
		}
	}
	return nil
}

// Close closes the index and the store.
func (d *Directory) Close() error {
	d.stopCompacting()
	return errors.Join(d.ix().close(), d.store.close())
}

// Rebuild recreates the whole index from the store.
func (d *Directory) Rebuild(ctx context.Context) error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	return d.rebuild()
}

// rebuild builds a new index in a temporary folder from a snapshot of the
// store and swaps it into place, so a crash half-way leaves either the old
// index or none (which the next start rebuilds).
func (d *Directory) rebuild() error {
	start := time.Now()
	tmp := d.indexPath() + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return Internal(err, "clear the temporary index")
	}
	ix, _, _, err := openIndex(tmp)
	if err != nil {
		return err
	}
	if _, err := ix.ensureSynonyms(d.th); err != nil {
		ix.close()
		return err
	}
	n := 0
	var gen uint64
	err = d.store.db.View(func(tx *bolt.Tx) error {
		gen = readU64(tx.Bucket(bucketMeta).Get(keyGeneration))
		// One reader walks the store, in the order of the listings'
		// places (placeorder.go); the index workers take its listings a
		// batch at a time.
		chunks := make(chan []*Listing, 1)
		var walkErr error
		go func() {
			defer close(chunks)
			bucket := tx.Bucket(bucketListings)
			var ids []string
			ids, walkErr = idsByPlace(bucket)
			var chunk []*Listing
			for _, id := range ids {
				var l Listing
				if err := json.Unmarshal(bucket.Get([]byte(id)), &l); err != nil {
					walkErr = Internal(err, "decode listing "+id)
					return
				}
				n++
				if chunk = append(chunk, &l); len(chunk) == indexBatchSize {
					chunks <- chunk
					chunk = nil
					// The listings are decoded: what the walk read of
					// the store need not stay in memory (a million
					// listings are 1.8 GB of it).
					releaseMapped(tx)
				}
			}
			if len(chunk) > 0 {
				chunks <- chunk
			}
		}()
		err := ix.indexBatches(math.MaxInt, func(_ int, b *bleve.Batch) error {
			chunk, ok := <-chunks
			if !ok {
				return errNoMoreBatches
			}
			for _, l := range chunk {
				if err := ix.addAnalysed(b, l.ID, newIndexDoc(l, d.tax)); err != nil {
					return Internal(err, "index listing "+l.ID)
				}
			}
			return nil
		})
		for range chunks {
			// Let the reader finish after an error.
		}
		if err != nil && !errors.Is(err, errNoMoreBatches) {
			return err
		}
		if walkErr != nil {
			return walkErr
		}
		return ix.setGeneration(gen)
	})
	if err != nil {
		ix.close()
		return Internal(err, "rebuild the index")
	}
	if err := ix.close(); err != nil {
		return Internal(err, "close the new index")
	}
	if old := d.ix(); old != nil {
		old.close()
	}
	if err := os.RemoveAll(d.indexPath()); err != nil {
		return Internal(err, "remove the old index")
	}
	if err := os.Rename(tmp, d.indexPath()); err != nil {
		return Internal(err, "put the new index in place")
	}
	ix, _, _, err = openIndex(d.indexPath())
	if err != nil {
		return err
	}
	d.index.Store(ix)
	if err := d.store.clearPending(gen); err != nil {
		return Internal(err, "clear pending index work")
	}
	d.log.Info("search index rebuilt", "listings", n, "generation", gen, "took", time.Since(start).Round(time.Millisecond))
	d.wroteListings(n)
	return nil
}

// catchUp indexes every listing the store has queued since the index's
// generation, read from the store a batch at a time, then records the
// store's generation in the index and clears the queue. It returns how
// many listings it indexed or removed. Callers hold writeMu (or are
// opening).
//
// The listings are read back from the store rather than kept from the
// transaction that wrote them: a large import's JSON kept in memory
// until indexed (150 MB for 100,000 listings) made the collector run
// about twice as often while the index caught up, under the import's
// memory limit. What reading them back costs in memory, the store's
// pages mapped into the process, is let go of batch by batch
// (releaseMapped).
func (d *Directory) catchUp() (int, error) {
	storeGen, err := d.store.generation()
	if err != nil {
		return 0, Internal(err, "read store generation")
	}
	idxGen, err := d.ix().generation()
	if err != nil {
		return 0, err
	}
	if idxGen >= storeGen {
		return 0, nil
	}
	ids, err := d.store.pendingSince(idxGen)
	if err != nil {
		return 0, Internal(err, "read pending index work")
	}
	ix := d.ix()
	err = ix.indexBatches((len(ids)+indexBatchSize-1)/indexBatchSize, func(i int, b *bleve.Batch) error {
		chunk := ids[i*indexBatchSize : min((i+1)*indexBatchSize, len(ids))]
		return d.store.db.View(func(tx *bolt.Tx) error {
			for _, id := range chunk {
				l, err := getListing(tx, id)
				if err != nil {
					return err
				}
				if l == nil {
					b.Delete(id)
					continue
				}
				if err := ix.addAnalysed(b, id, newIndexDoc(l, d.tax)); err != nil {
					return Internal(err, "index listing "+id)
				}
			}
			if len(ids) > indexBatchSize {
				releaseMapped(tx)
			}
			return nil
		})
	})
	if err == nil {
		err = ix.setGeneration(storeGen)
	}
	var be batchErr
	if errors.As(err, &be) {
		return 0, be.err
	}
	if err != nil {
		d.reopenIndex(err)
		return 0, Internal(err, "update the index")
	}
	if err := d.store.clearPending(storeGen); err != nil {
		return 0, Internal(err, "clear pending index work")
	}
	d.wroteListings(len(ids))
	return len(ids), nil
}

// ix returns the current search index.
func (d *Directory) ix() *bleveIndex { return d.index.Load() }

// reopenIndex drops the index's in-memory state after a failed write and
// opens it again from disk. A batch that fails half-way (a segment that
// could not be written, as on a full disk) can leave Bleve's in-memory
// state unusable, so that the next search panics, while what is on disk is
// the last good state. The store still holds the work queued, so nothing is
// lost: the next write or start catches up. Callers hold writeMu.
func (d *Directory) reopenIndex(cause error) {
	old := d.ix()
	if old == nil || old.path == "" {
		return
	}
	d.log.Warn("reopening the search index from disk after a failed write", "cause", cause)
	old.close()
	ix, fresh, reason, err := openIndex(old.path)
	if err != nil {
		d.log.Error("the search index could not be reopened; searches fail until the next start", "err", err)
		return
	}
	d.index.Store(ix)
	if fresh {
		d.log.Warn("rebuilding the search index from the store", "reason", reason)
		if err := d.rebuild(); err != nil {
			d.log.Error("the search index could not be rebuilt; it will be on the next start", "err", err)
		}
	}
}

// searchIndex runs a search on the current index.
func (d *Directory) searchIndex(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return searchBleve(ctx, d.ix().idx, req)
}

// searchBleve runs a search on idx. A panic inside Bleve becomes an
// internal error rather than taking down the caller.
func searchBleve(ctx context.Context, idx indexSearcher, req *bleve.SearchRequest) (res *bleve.SearchResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Internal(fmt.Errorf("panic in the index: %v", r), "search the index")
		}
	}()
	return idx.SearchInContext(ctx, req)
}

// Now returns the directory's clock reading.
func (d *Directory) Now() time.Time { return d.now() }

// Taxonomy returns the categories in use.
func (d *Directory) Taxonomy() *Taxonomy { return d.tax }

// Thesaurus returns the synonym vocabulary in use.
func (d *Directory) Thesaurus() *Thesaurus { return d.th }

// Gazetteer returns the postcode lookup in use.
func (d *Directory) Gazetteer() *Gazetteer { return d.gaz }

// Listing returns the listing with the given id, or ENOTFOUND.
func (d *Directory) Listing(ctx context.Context, id string) (*Listing, error) {
	ls, err := d.Listings(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, Errorf(ENOTFOUND, "there is no listing %q - it may have been removed", id)
	}
	return ls[0], nil
}

// Listings returns the listings with the given ids, in the same order,
// skipping ids that do not exist.
func (d *Directory) Listings(ctx context.Context, ids []string) ([]*Listing, error) {
	out := make([]*Listing, len(ids))
	var missing []int
	for i, id := range ids {
		if l, ok := d.cache.get(id); ok {
			out[i] = l
		} else {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		epoch := d.cache.begin()
		err := d.store.db.View(func(tx *bolt.Tx) error {
			for _, i := range missing {
				l, err := getListing(tx, ids[i])
				if err != nil {
					return err
				}
				out[i] = l
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, i := range missing {
			if out[i] != nil {
				d.cache.put(epoch, out[i])
			}
		}
	}
	return slices.DeleteFunc(out, func(l *Listing) bool { return l == nil }), nil
}

// PartnerListings returns every listing of a partner, ordered by reference.
func (d *Directory) PartnerListings(ctx context.Context, partnerID string) ([]*Listing, error) {
	var out []*Listing
	err := d.store.db.View(func(tx *bolt.Tx) error {
		prefix := []byte(partnerID + "\x00")
		c := tx.Bucket(bucketRefs).Cursor()
		for k, v := c.Seek(prefix); k != nil && len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
			l, err := getListing(tx, string(v))
			if err != nil {
				return err
			}
			if l != nil {
				out = append(out, l)
			}
		}
		return nil
	})
	return out, err
}

// ForEachListing calls fn with every listing in id order, in one consistent
// read, stopping at the first error fn returns.
func (d *Directory) ForEachListing(ctx context.Context, fn func(*Listing) error) error {
	return d.store.forEachListing(func(l *Listing) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(l)
	})
}

// Count returns how many listings the store holds.
func (d *Directory) Count(ctx context.Context) (int, error) {
	n := 0
	err := d.store.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketListings).Stats().KeyN
		return nil
	})
	return n, err
}

// Change is a set of listing writes applied together: all of them land, or
// none.
type Change struct {
	// PartnerID, when set, is the partner making the change: every listing
	// put or deleted must be theirs, or the change is refused with
	// EUNAUTHORIZED. Empty means a network-wide change (admin or system).
	PartnerID string
	Put       []*Listing
	Delete    []string
	// Import, when set, is recorded in the import history in the same
	// transaction, with the previous version of every listing the change
	// touches, so that UndoImport can put them back.
	Import *ImportRecord
	// keepTimes stores listings with their Created and Updated as given
	// (undo restores them exactly).
	keepTimes bool
}

// Applied reports what a Change did.
type Applied struct {
	Generation uint64
	// Previous holds what each changed listing was before (nil when new).
	Previous map[string]*Listing
}

// Apply validates and stores a change in one transaction, then updates the
// index. It returns EINVALID when a listing is not valid, EUNAUTHORIZED when
// it touches another partner's listing and ENOTFOUND when it deletes a
// listing that does not exist; in every such case nothing is stored.
// Created is kept from the stored version and Updated set to now.
func (d *Directory) Apply(ctx context.Context, ch Change) (*Applied, error) {
	for _, l := range ch.Put {
		if err := d.Validate(l); err != nil {
			return nil, err
		}
	}
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	return d.applyLocked(ctx, ch, nil)
}

// applyLocked is Apply for callers holding writeMu; also, when set, runs in
// the same store transaction after the listings are written.
//
// A large change (an import of 100,000 listings) is the peak of the
// process's memory, so the listings are let go as they are stored: the
// transaction takes its own copy of ch.Put, which writeListings clears as
// it encodes each listing, and the index catches up from the encodings
// (which bbolt holds until the commit anyway), not from decoded listings
// kept alongside them.
func (d *Directory) applyLocked(ctx context.Context, ch Change, also func(tx *bolt.Tx) error) (*Applied, error) {
	now := d.now().UTC()
	stamp := now
	if ch.keepTimes {
		stamp = time.Time{}
	}
	puts := slices.Clone(ch.Put)
	ch.Put = nil
	var w *listingWrite
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		if w, err = writeListings(tx, ch.PartnerID, puts, ch.Delete, stamp); err != nil {
			return err
		}
		if ch.Import != nil {
			if err := putImport(tx, ch.Import, w.previous, now); err != nil {
				return err
			}
		}
		if err := auditChange(ctx, tx, now, ch, len(puts)); err != nil {
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.cache.forget(slices.Collect(maps.Keys(w.previous)))
	if _, err := d.catchUp(); err != nil {
		// The store has the change; the index will catch up on the next
		// write or start. Searches miss it until then.
		d.log.Error("index update failed; it will be retried", "err", err)
	}
	return &Applied{Generation: w.generation, Previous: w.previous}, nil
}

var keyInitialised = []byte("initialised")

// Initialised reports whether the data directory has been set up before
// (for example with the sample network), so a first run can be told from
// a directory whose listings were all removed on purpose.
func (d *Directory) Initialised() (bool, error) {
	var ok bool
	err := d.store.db.View(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketMeta).Get(keyInitialised) != nil
		return nil
	})
	return ok, err
}

// MarkInitialised records that the data directory has been set up.
func (d *Directory) MarkInitialised() error {
	return d.store.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyInitialised, []byte(d.now().UTC().Format(time.RFC3339)))
	})
}
