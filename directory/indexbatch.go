package directory

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// How listings go into the index in bulk (catch-up after a big import,
// rebuilds): in batches, two in Bleve at once. Bleve analyses a batch's
// documents on every core but builds the batch's segment on one, so with
// one batch at a time a 2-core server leaves a core idle for much of an
// import; with two, one batch's segment is built while the next is
// analysed. Listings are never in two batches of one run, so the order in
// which Bleve takes the batches does not matter; the generation is
// recorded after all of them, in a batch of its own.
//
// Two at once is safe only because the index runs with Bleve's
// "unsafe_batch" (indexConfig) and persist waits for each batch to be on
// disk instead of Bleve, so a batch still succeeds only once it is saved.
// In Bleve v2.6.1's default mode Batch itself waits for the persister
// (index/scorch/scorch.go:683-685), and when the persister fails (a full
// disk) Batch closes the batch's new segment (scorch.go:597-601) although
// the introducer has already put it in the index's live snapshot
// (introducer.go:210, 243). Closing an in-memory zapx v17 segment sets its
// term-dictionary cache to nil (zapx segment.go:204-205,
// inverted_text_cache.go:37-41), so whatever next reads that segment's
// dictionary panics with "assignment to entry in nil map"
// (inverted_text_cache.go:94): the other batch in flight working out which
// documents it replaces (scorch.go:665-666, in our goroutine), the
// introducer doing the same for a batch prepared before the closed one
// came in (introducer.go:137-140), or the persister merging the in-memory
// segments before writing them (persister.go:525, merge.go:579 and 613, a
// goroutine with no recover). Each takes the whole server down; TestDiskFull
// in e2e showed it. One batch at a time avoided it only because no second
// batch or in-memory segment was ever there before the failed index was
// reopened. With "unsafe_batch", prepareSegment never waits for the
// persister, so Batch closes a new segment only when it failed to get into
// a snapshot at all (scorch.go:666-668, introducer.go:140-145). No segment
// a snapshot holds is ever closed, so no reader can meet a closed one,
// however many batches are in flight. A failed persist is seen by persist
// instead, from the persister's error count, and catchUp then reopens the
// index from disk as before.

// indexBatchSize is how many listings go into one index batch.
const indexBatchSize = 1000

// indexWorkers is how many batches are in Bleve at once.
const indexWorkers = 2

// persistPoll is how often a batch waiting to be saved checks whether
// Bleve's persister has failed.
const persistPoll = 2 * time.Millisecond

// indexConfig is the Bleve configuration every on-disk index is created
// and opened with: Batch returns once the batch is searchable, and
// persist waits for it to be saved (see above). Bleve also records it in
// the index's index_meta.json. A batch handed to Bleve directly (the
// mapping marker openIndex sets) is saved with the next batch persist
// waits for; lost before that, the next start rebuilds the index.
func indexConfig() map[string]any { return map[string]any{"unsafe_batch": true} }

// batchErr is an error from preparing a batch (reading the store), as
// opposed to one from the index taking it.
type batchErr struct{ err error }

func (e batchErr) Error() string { return e.err.Error() }
func (e batchErr) Unwrap() error { return e.err }

// indexBatches calls fill for each of n batches, in order and from one
// goroutine, and hands each filled batch to the index, indexWorkers at a
// time, each waited for until it is on disk. Filling the next batch
// (reading and decoding listings and mapping them to documents) overlaps
// with Bleve's work rather than adding to it. It returns the first error:
// from fill wrapped as batchErr, or from the index as it came; after an
// error no further batch is started.
func (ix *bleveIndex) indexBatches(n int, fill func(i int, b *bleve.Batch) error) error {
	if n <= 0 {
		return nil
	}
	failed := ix.persistFailures()
	free := make(chan *bleve.Batch, indexWorkers+1)
	for range indexWorkers + 1 {
		free <- ix.idx.NewBatch()
	}
	ready := make(chan *bleve.Batch)
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	var (
		mu    sync.Mutex
		first error
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
		halt()
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(ready)
		for i := range n {
			var b *bleve.Batch
			select {
			case b = <-free:
			case <-stop:
				return
			}
			b.Reset()
			if err := fill(i, b); err != nil {
				fail(batchErr{err})
				return
			}
			select {
			case ready <- b:
			case <-stop:
				return
			}
		}
	})
	for range indexWorkers {
		wg.Go(func() {
			for b := range ready {
				if err := ix.persist(b, failed); err != nil {
					fail(err)
					return
				}
				free <- b
			}
		})
	}
	wg.Wait()
	return first
}

// persist hands b to the index and returns once Bleve has saved it to
// disk. It fails when the index refuses the batch, when the index is
// closed first, or when Bleve's persister has failed more often than
// failed times (the count when the caller began), leaving the index's
// memory ahead of its disk: the caller must then reopen the index. An
// index held only in memory has nothing to wait for.
func (ix *bleveIndex) persist(b *bleve.Batch, failed uint64) error {
	if ix.path == "" {
		return ix.idx.Batch(b)
	}
	saved := make(chan struct{}, 1)
	b.SetPersistedCallback(func(error) {
		select {
		case saved <- struct{}{}:
		default:
		}
	})
	if err := ix.idx.Batch(b); err != nil {
		return err
	}
	tick := time.NewTicker(persistPoll)
	defer tick.Stop()
	for {
		select {
		case <-saved:
			return nil
		case <-tick.C:
			if ix.persistFailures() > failed {
				return errors.New("the index could not save a batch to disk (is the disk full?)")
			}
			// Closing the index stops its persister, which then never
			// saves the batch.
			if _, err := ix.idx.GetInternal(internalGeneration); errors.Is(err, bleve.ErrorIndexClosed) {
				return fmt.Errorf("the index was closed before a batch was saved: %w", err)
			}
		}
	}
}

// persistFailures returns how many times the index's persister has failed
// to save to disk since the index was opened (0 for an index that does not
// report it).
func (ix *bleveIndex) persistFailures() uint64 {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return 0
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0
	}
	st, ok := s.Stats().(*scorch.Stats)
	if !ok {
		return 0
	}
	return atomic.LoadUint64(&st.TotPersistLoopErr)
}

// setGeneration records in the index the store generation it now holds.
func (ix *bleveIndex) setGeneration(gen uint64) error {
	b := ix.idx.NewBatch()
	b.SetInternal(internalGeneration, u64(gen))
	return ix.persist(b, ix.persistFailures())
}

// errNoMoreBatches tells indexBatches, from fill, that there is nothing
// more to index.
var errNoMoreBatches = errors.New("no more batches")
