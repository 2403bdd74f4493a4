package directory

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// A data directory this process cannot write (a read-only file system, or
// files owned by someone else) is opened read-only rather than not at all,
// so people can still search while the problem is put right: every write
// then fails with an error Unwritable recognises, which the web layer
// answers with a clear 503. The index is used as it is on disk when it is
// in step with the store; otherwise it is built in memory from the store,
// since it cannot be rebuilt on disk.

// ReadOnly reports whether the directory was opened read-only because its
// data directory cannot be written.
func (d *Directory) ReadOnly() bool { return d.readOnly }

// openStoreReadOnly opens the store of cfg.Dir read-only after a
// read-write open failed with cause.
func openStoreReadOnly(cfg Config, cause error) (*store, error) {
	path := filepath.Join(cfg.Dir, storeFile)
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: cfg.LockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, Errorf(ECONFLICT, "the data directory %s is in use by another livingwell process - stop it first, or use another --data directory", cfg.Dir)
	}
	if err != nil {
		return nil, Internal(cause, "open the store "+path)
	}
	var missing []string
	err = db.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				missing = append(missing, string(name))
			}
		}
		return nil
	})
	if err != nil || len(missing) > 0 {
		db.Close()
		return nil, Internal(cause, fmt.Sprintf("open the store %s (it cannot be written, and read-only it lacks %s)", path, strings.Join(missing, ", ")))
	}
	cfg.Logger.Warn("the data directory cannot be written, so the directory is open read-only: searches and pages work, and every change is refused until the data directory can be written again", "data", cfg.Dir, "cause", cause.Error())
	return &store{db: db}, nil
}

// openIndexReadOnly uses the index on disk when it is in step with the
// store, and otherwise builds one in memory.
func (d *Directory) openIndexReadOnly() error {
	storeGen, err := d.store.generation()
	if err != nil {
		return Internal(err, "read store generation")
	}
	reason := "there was no index"
	idx, err := bleve.OpenUsing(d.indexPath(), map[string]any{"read_only": true})
	if err == nil {
		ix := &bleveIndex{idx: idx, path: d.indexPath()}
		v, _ := idx.GetInternal(internalMapping)
		gen, gerr := ix.generation()
		if string(v) == mappingVersion && gerr == nil && gen == storeGen {
			d.index.Store(ix)
			return nil
		}
		idx.Close()
		reason = fmt.Sprintf("the index on disk is not in step with the store (layout %q, generation %d of %d)", v, gen, storeGen)
	} else {
		reason = fmt.Sprintf("the index would not open read-only (%v)", err)
	}
	d.log.Warn("building the search index in memory from the store", "reason", reason)
	m, err := newIndexMapping()
	if err != nil {
		return Internal(err, "build the index mapping")
	}
	mem, err := bleve.NewMemOnly(m)
	if err != nil {
		return Internal(err, "create the index in memory")
	}
	ix := &bleveIndex{idx: mem}
	if _, err := ix.ensureSynonyms(d.th); err != nil {
		mem.Close()
		return err
	}
	b := mem.NewBatch()
	err = d.store.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketListings).ForEach(func(k, v []byte) error {
			var l Listing
			if err := json.Unmarshal(v, &l); err != nil {
				return Internal(err, "decode listing "+string(k))
			}
			if err := b.Index(l.ID, newIndexDoc(&l, d.tax)); err != nil {
				return Internal(err, "index listing "+l.ID)
			}
			if b.Size() >= indexBatchSize {
				if err := mem.Batch(b); err != nil {
					return Internal(err, "index listings")
				}
				b.Reset()
			}
			return nil
		})
	})
	if err == nil {
		b.SetInternal(internalGeneration, u64(storeGen))
		err = mem.Batch(b)
	}
	if err != nil {
		mem.Close()
		return Internal(err, "build the index in memory")
	}
	d.index.Store(ix)
	return nil
}
