package directory

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The buckets of the store. bbolt is the source of truth; everything in the
// Bleve index can be rebuilt from here.
var (
	bucketMeta     = []byte("meta")     // "generation", "schema"
	bucketListings = []byte("listings") // listing id -> JSON Listing
	bucketRefs     = []byte("refs")     // partner id \x00 ref -> listing id
	// bucketPending holds index work the store has committed but the index
	// may not have: generation (8 bytes, big-endian) + listing id -> "".
	bucketPending = []byte("pending")
)

var allBuckets = [][]byte{bucketMeta, bucketListings, bucketRefs, bucketPending}

var keyGeneration = []byte("generation")

// storeSchema is the layout version of the store; a store with a newer
// schema is refused so an old binary never damages a newer data directory.
const storeSchema = 1

// store is the bbolt file of a data directory.
type store struct {
	db *bolt.DB
}

// openStore opens (creating if need be) the store at path. It waits at most
// lockTimeout for the file lock and then returns ECONFLICT, so a second
// process on the same data directory gets a clear error instead of hanging.
func openStore(path string, lockTimeout time.Duration) (*store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, Errorf(EINVALID, "cannot create the data directory %s: %v", filepath.Dir(path), err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, FreelistType: bolt.FreelistMapType, InitialMmapSize: initialMmapSize(), PageSize: storePageSize})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, Errorf(ECONFLICT, "the data directory %s is in use by another livingwell process - stop it first, or use another --data directory", filepath.Dir(path))
	}
	if err != nil {
		return nil, Internal(err, "open the store "+path)
	}
	s := &store{db: db}
	if err := db.Update(s.init); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// storePageSize is the page size of a new store (an existing one keeps the
// size it was made with). A listing's JSON is about 1.5 KB, so a 4 KB page
// holds two and a new store is a third empty; 16 KB pages filled to
// listingFill hold about ten.
const storePageSize = 16 << 10

// listingFill is how full bbolt fills a page of listings when it splits
// one, instead of its default half: a large import writes its listings in
// key order, which is an append into pages it fills itself.
const listingFill = 0.9

// initialMmapSize is how much of the store file bbolt maps from the start:
// 1 GB on 64-bit Unix. Each time a write outgrows the map, bbolt copies
// every key and value the transaction has written so far to the heap
// before mapping again, so a large import into a small store otherwise
// copies its data over and over. The map is address space, not memory; on
// Windows bbolt would grow the file to the full size, so there it starts
// small.
func initialMmapSize() int {
	if strconv.IntSize < 64 || runtime.GOOS == "windows" {
		return 0
	}
	return 1 << 30
}

func (s *store) init(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return Internal(err, "create bucket "+string(name))
		}
	}
	meta := tx.Bucket(bucketMeta)
	if v := meta.Get([]byte("schema")); v != nil {
		if got := int(binary.BigEndian.Uint64(v)); got > storeSchema {
			return Errorf(ECONFLICT, "the data directory was written by a newer livingwell (store schema %d, this one knows %d) - upgrade livingwell", got, storeSchema)
		}
	}
	return meta.Put([]byte("schema"), u64(storeSchema))
}

func (s *store) close() error { return s.db.Close() }

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

func readU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// generation returns the store's listing generation: it grows by one with
// every transaction that changes listings.
func (s *store) generation() (uint64, error) {
	var g uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		g = readU64(tx.Bucket(bucketMeta).Get(keyGeneration))
		return nil
	})
	return g, err
}

// getListing reads one listing inside tx, returning nil when it is absent.
func getListing(tx *bolt.Tx, id string) (*Listing, error) {
	v := tx.Bucket(bucketListings).Get([]byte(id))
	if v == nil {
		return nil, nil
	}
	var l Listing
	if err := json.Unmarshal(v, &l); err != nil {
		return nil, Internal(err, "decode listing "+id)
	}
	return &l, nil
}

func refKey(partnerID, ref string) []byte { return []byte(partnerID + "\x00" + ref) }

// listingWrite is the outcome of writing listings in one transaction.
type listingWrite struct {
	generation uint64
	// previous holds, for every id written or deleted, what was stored
	// before (nil when it did not exist).
	previous map[string]*Listing
}

// writeListings puts and deletes listings inside tx, bumps the generation
// and queues the ids for the index. It enforces ownership: when partnerID is
// not empty, every listing written or deleted must belong to that partner.
// Unless stamp is zero, each listing put keeps the Created time it was
// stored with (or gets stamp when new) and gets stamp as Updated.
//
// writeListings takes puts over: it sorts the slice and clears each entry
// once the listing is encoded, so that in a large change the decoded
// listings can be freed while the transaction goes on, and only their
// encodings (which bbolt holds until the commit in any case) stay.
func writeListings(tx *bolt.Tx, partnerID string, puts []*Listing, deletes []string, stamp time.Time) (*listingWrite, error) {
	meta, listings, refs, pending := tx.Bucket(bucketMeta), tx.Bucket(bucketListings), tx.Bucket(bucketRefs), tx.Bucket(bucketPending)
	listings.FillPercent, refs.FillPercent, pending.FillPercent = listingFill, listingFill, listingFill
	gen := readU64(meta.Get(keyGeneration)) + 1
	if err := meta.Put(keyGeneration, u64(gen)); err != nil {
		return nil, Internal(err, "bump generation")
	}
	w := &listingWrite{generation: gen, previous: make(map[string]*Listing, len(puts)+len(deletes))}
	// Each listing put is queued with its place, the order the index
	// takes it in (placeorder.go).
	queue := func(id string, place []byte) error {
		return pending.Put(append(u64(gen), id...), place)
	}
	remember := func(id string) (*Listing, error) {
		if prev, seen := w.previous[id]; seen {
			return prev, nil
		}
		prev, err := getListing(tx, id)
		if err != nil {
			return nil, err
		}
		if prev != nil && partnerID != "" && prev.PartnerID != partnerID {
			return nil, Errorf(EUNAUTHORIZED, "listing %s belongs to another partner - you can only change your own listings", id)
		}
		w.previous[id] = prev
		return prev, nil
	}
	for _, id := range slices.Sorted(slices.Values(deletes)) {
		prev, err := remember(id)
		if err != nil {
			return nil, err
		}
		if prev == nil {
			return nil, Errorf(ENOTFOUND, "listing %s does not exist", id)
		}
		if err := listings.Delete([]byte(id)); err != nil {
			return nil, Internal(err, "delete listing")
		}
		if err := refs.Delete(refKey(prev.PartnerID, prev.Ref)); err != nil {
			return nil, Internal(err, "delete ref")
		}
		if err := queue(id, nil); err != nil {
			return nil, Internal(err, "queue index work")
		}
	}
	// bbolt splits a node only when the transaction commits, so every key
	// put in random order shifts the rest of a growing node along: a large
	// change is written in key order, which keeps it linear.
	slices.SortStableFunc(puts, func(a, b *Listing) int { return strings.Compare(a.ID, b.ID) })
	for _, l := range puts {
		if partnerID != "" && l.PartnerID != partnerID {
			return nil, Errorf(EUNAUTHORIZED, "listing %q belongs to partner %s, not %s - you can only change your own listings", l.Ref, l.PartnerID, partnerID)
		}
		if l.ID != ListingID(l.PartnerID, l.Ref) {
			return nil, Errorf(EINVALID, "listing %q has id %s, which does not match its partner and reference", l.Ref, l.ID)
		}
		prev, err := remember(l.ID)
		if err != nil {
			return nil, err
		}
		if !stamp.IsZero() {
			if prev != nil && !prev.Created.IsZero() {
				l.Created = prev.Created
			} else if l.Created.IsZero() {
				l.Created = stamp
			}
			l.Updated = stamp
		}
	}
	encoded, err := encodeListings(puts)
	if err != nil {
		return nil, err
	}
	refKeys := make([][2]string, 0, len(encoded))
	for _, e := range encoded {
		if err := listings.Put([]byte(e.id), e.json); err != nil {
			return nil, Internal(err, "store listing")
		}
		refKeys = append(refKeys, [2]string{e.refKey, e.id})
		if err := queue(e.id, e.place); err != nil {
			return nil, Internal(err, "queue index work")
		}
	}
	slices.SortStableFunc(refKeys, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	for _, kv := range refKeys {
		if err := refs.Put([]byte(kv[0]), []byte(kv[1])); err != nil {
			return nil, Internal(err, "store ref")
		}
	}
	return w, nil
}

// encodedListing is a listing as writeListings stores it.
type encodedListing struct {
	id, refKey string
	json       []byte
	place      []byte
}

// encodeListings encodes puts on every core, in order, clearing each
// entry once encoded (see writeListings). Encoding was about half of a
// large import's store transaction, which has the store to itself (one
// core) while nothing else can go on: the index waits for its commit.
func encodeListings(puts []*Listing) ([]encodedListing, error) {
	out := make([]encodedListing, len(puts))
	const chunk = 512
	workers := min(runtime.GOMAXPROCS(0), (len(puts)+chunk-1)/chunk)
	var next atomic.Int64
	errs := make([]error, max(workers, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			// A panic here would stop the process, where the
			// transaction's own goroutine is the caller's to recover.
			defer func() {
				if r := recover(); r != nil {
					errs[w] = Internal(fmt.Errorf("%v", r), "encode listing")
				}
			}()
			for {
				from := int(next.Add(chunk)) - chunk
				if from >= len(puts) {
					return
				}
				for i := from; i < min(from+chunk, len(puts)); i++ {
					l := puts[i]
					b, err := json.Marshal(l)
					if err != nil {
						errs[w] = Internal(err, "encode listing")
						return
					}
					out[i] = encodedListing{id: l.ID, refKey: string(refKey(l.PartnerID, l.Ref)), json: b, place: placeValue(l)}
					puts[i] = nil
				}
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// pendingSince returns the ids queued for the index with a generation above
// gen, each once, in the order of their places (placeorder.go): removals,
// queued without a place, first.
func (s *store) pendingSince(gen uint64) ([]string, error) {
	var ps []placed
	seen := map[string]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPending).Cursor()
		for k, v := c.Seek(u64(gen + 1)); k != nil; k, v = c.Next() {
			if len(k) < 8 {
				continue
			}
			if id := string(k[8:]); !seen[id] {
				seen[id] = true
				p := placed{id: id}
				if len(v) == 8 {
					p.key = readU64(v)
				}
				ps = append(ps, p)
			}
		}
		return nil
	})
	return byPlace(ps), err
}

// clearPending drops queued index work up to and including gen, which the
// index has committed. When that is all of it (as it is after a catch-up,
// which holds the write lock), the bucket is dropped and made again: after
// a large import, deleting 100,000 keys one by one from the front took
// about 2 CPU seconds.
func (s *store) clearPending(gen uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPending).Cursor()
		if last, _ := c.Last(); last == nil || readU64(last[:min(8, len(last))]) <= gen {
			if err := tx.DeleteBucket(bucketPending); err != nil {
				return err
			}
			_, err := tx.CreateBucket(bucketPending)
			return err
		}
		for k, _ := c.First(); k != nil && readU64(k[:min(8, len(k))]) <= gen; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

// forEachListing calls fn for every stored listing in id order inside one
// read transaction, stopping at the first error.
func (s *store) forEachListing(fn func(*Listing) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketListings).ForEach(func(k, v []byte) error {
			var l Listing
			if err := json.Unmarshal(v, &l); err != nil {
				return Internal(err, fmt.Sprintf("decode listing %s", k))
			}
			return fn(&l)
		})
	})
}
