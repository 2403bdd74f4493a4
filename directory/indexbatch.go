package directory

import (
	"errors"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// How listings go into the index in bulk (catch-up after a big import,
// rebuilds): in batches, handed to Bleve one at a time. The generation is
// recorded after all the batches, in a batch of its own.
//
// Why not two at once. Bleve analyses a batch's documents on every core
// but builds its segment on one, so two batches in flight once made a
// 100,000-row import faster (2,850-2,950 rows/s against 2,380-2,680). But
// with Bleve v2.6.1's default (safe) batches that crashes the server when
// the disk fills: Batch waits for the persister (index/scorch/scorch.go:
// 683-685) and, when the persister fails, closes the batch's new segment
// (scorch.go:597-601) although the introducer has already put it in the
// live snapshot (introducer.go:210, 243). Closing an in-memory zapx v17
// segment sets its term-dictionary cache to nil (zapx segment.go:204-205,
// inverted_text_cache.go:37-41), so whatever next reads that segment's
// dictionary panics with "assignment to entry in nil map"
// (inverted_text_cache.go:94): the other batch in flight working out which
// documents it replaces (scorch.go:665-666), the introducer doing the same
// for a batch prepared before the closed one came in
// (introducer.go:137-140), or the persister merging the in-memory segments
// (persister.go:525, merge.go:579 and 613, a goroutine with no recover).
// TestDiskFull in e2e crashed 3 runs of 3 with two in flight. One at a
// time, no second batch or in-memory segment is there to read the closed
// one before catchUp reopens the index.
//
// A safe way to have two exists: open the index with "unsafe_batch", so
// that Batch never waits for the persister and so never closes a segment
// a snapshot holds (it closes one only when it never got into a snapshot:
// scorch.go:666-668, introducer.go:140-145), and wait for each batch
// ourselves (Batch.SetPersistedCallback, failing on a rise in the scorch
// Stats' TotPersistLoopErr or a closed index); the code is in commit
// c057151. Tried on 22 November 2026 (TestDiskFull passed 32 runs of 32),
// it did not pay: a 100,000-row `livingwell import` on the idle 2-core
// machine took 67 to 79 CPU seconds instead of 50 to 63, with no faster
// wall time (36 to 42 s against 32 to 47 s), and a peak RSS of 503 to 517
// MB (476 to 496 before), over the 500 MB target; with batches of 500,
// 470 to 473 MB and 65 to 68 CPU seconds, wall time (36 s) again within
// the noise. The second batch's documents and segment raise the live
// heap under the import's soft memory limit (cmd/livingwell/import.go):
// about 30 more collections, each over a bigger heap, take the core the
// second batch would have used (without the limit the CPU was back at 63
// seconds, at a peak of 816 MB).

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
// reading and decoding listings and mapping them to documents (about 9 CPU
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
		// Filling runs code that reads and maps stored listings; a panic
		// in it (a bug) fails the catch-up, which the store's queue
		// retries, rather than stopping the process from a goroutine no
		// caller can recover.
		defer func() {
			if r := recover(); r != nil {
				fillErr = batchErr{fmt.Errorf("filling an index batch: %v", r)}
			}
		}()
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

// addAnalysed adds listing id's index document to b with its fields
// already analysed (indexfields.go). Bleve analyses a batch's documents
// when it is handed the batch, on every core, and then builds the batch's
// segment on one; analysed here, in indexBatches's goroutine that fills
// the next batch, the analysis of one batch overlaps the building of the
// one before instead of waiting for it.
func (ix *bleveIndex) addAnalysed(b *bleve.Batch, id string, data indexDoc) error {
	fields, err := ix.docFields()
	if err != nil {
		return err
	}
	return b.IndexAdvanced(fields.document(id, &data))
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
