package directory

import (
	"errors"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// How listings go into the index in bulk (catch-up after a big import,
// rebuilds): in batches, handed to Bleve by indexWorkers goroutines.
// Bleve analyses a batch's documents on every core but builds the batch's
// segment on one, so two batches in flight keep a 2-core server busier
// (a 100,000-row import 2,850-2,950 rows/s with two, 2,380-2,680 with
// one). But with two in-memory segments waiting and the disk full, Bleve
// v2.6.1's persister merges them after one was closed and panics in its
// own goroutine ("assignment to entry in nil map" in zapx's inverted
// index cache), which takes the whole server down: TestDiskFull in e2e
// shows it. So one batch at a time, until a Bleve release fixes that.
// Listings are never in two batches of one run, so the order in which
// Bleve takes the batches does not matter; the generation is recorded
// after all of them, in a batch of its own.

// indexBatchSize is how many listings go into one index batch.
const indexBatchSize = 1000

// indexWorkers is how many batches are prepared and handed to Bleve at
// once (see above for why it is one).
const indexWorkers = 1

// batchErr is an error from preparing a batch (reading the store), as
// opposed to one from the index taking it.
type batchErr struct{ err error }

func (e batchErr) Error() string { return e.err.Error() }
func (e batchErr) Unwrap() error { return e.err }

// indexBatches calls fill for each of n batches, from indexWorkers
// goroutines, and hands each filled batch to the index. It returns the
// first error: from fill wrapped as batchErr, or from the index as it
// came; after an error no further batch is started.
func (ix *bleveIndex) indexBatches(n int, fill func(i int, b *bleve.Batch) error) error {
	var (
		mu    sync.Mutex
		next  int
		first error
		wg    sync.WaitGroup
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if first != nil || next >= n {
			return 0, false
		}
		next++
		return next - 1, true
	}
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
		}
	}
	for range min(indexWorkers, n) {
		wg.Go(func() {
			b := ix.idx.NewBatch()
			for {
				i, ok := take()
				if !ok {
					return
				}
				b.Reset()
				if err := fill(i, b); err != nil {
					fail(batchErr{err})
					return
				}
				if err := ix.idx.Batch(b); err != nil {
					fail(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// setGeneration records in the index the store generation it now holds.
func (ix *bleveIndex) setGeneration(gen uint64) error {
	b := ix.idx.NewBatch()
	b.SetInternal(internalGeneration, u64(gen))
	return ix.idx.Batch(b)
}

// errNoMoreBatches tells indexBatches, from fill, that there is nothing
// more to index.
var errNoMoreBatches = errors.New("no more batches")
