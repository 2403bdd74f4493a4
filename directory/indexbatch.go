package directory

import (
	"errors"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// How listings go into the index in bulk (catch-up after a big import,
// rebuilds): in batches, handed to Bleve one at a time. Bleve analyses a
// batch's documents on every core but builds the batch's segment on one,
// so two batches in flight keep a 2-core server busier (a 100,000-row
// import 2,850-2,950 rows/s with two, 2,380-2,680 with one). But with two in-memory segments waiting and the disk full, Bleve
// v2.6.1's persister merges them after one was closed and panics in its
// own goroutine ("assignment to entry in nil map" in zapx's inverted
// index cache), which takes the whole server down: TestDiskFull in e2e
// shows it. So one batch at a time, until a Bleve release fixes that.
// The generation is recorded after all the batches, in a batch of its
// own.

// indexBatchSize is how many listings go into one index batch.
const indexBatchSize = 1000

// batchErr is an error from preparing a batch (reading the store), as
// opposed to one from the index taking it.
type batchErr struct{ err error }

func (e batchErr) Error() string { return e.err.Error() }
func (e batchErr) Unwrap() error { return e.err }

// indexBatches calls fill for each of n batches and hands each filled
// batch to the index, one at a time (see above). The next batch is filled
// in a goroutine of its own while the index takes the one before, so that
// reading and decoding listings and mapping them to documents (about 4 CPU
// seconds for 100,000 listings) overlaps with Bleve's work rather than
// adding to it: only one batch is ever in Bleve. It returns the first
// error: from fill wrapped as batchErr, or from the index as it came;
// after an error no further batch is started.
func (ix *bleveIndex) indexBatches(n int, fill func(i int, b *bleve.Batch) error) error {
	if n <= 0 {
		return nil
	}
	free := make(chan *bleve.Batch, 2)
	free <- ix.idx.NewBatch()
	free <- ix.idx.NewBatch()
	ready := make(chan *bleve.Batch, 1)
	stop := make(chan struct{})
	var fillErr error
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
				fillErr = batchErr{err}
				return
			}
			select {
			case ready <- b:
			case <-stop:
				return
			}
		}
	})
	var err error
	for b := range ready {
		if err = ix.idx.Batch(b); err != nil {
			break
		}
		free <- b
	}
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	return fillErr
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
