package directory

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Compacting the index. Every batch of listings written becomes a segment
// of the index, and Bleve's merger keeps about ten segments of each size;
// an import of 100,000 listings left thirteen. A search looks each of its
// words up in every segment and walks each segment's matches on its own,
// so merging them all into one after a large import made searches with
// words a fifth cheaper in CPU at 100,000 listings, and searches with
// words near a place half as costly (README, "Fourth round").
//
// Merging rewrites the whole index: 2.5 s of CPU at 100,000 listings, 35 s
// at a million. It runs in the background, in long-running processes only
// (serve), while searches go on against the old segments; a command that
// exits after its work leaves it to the next start of the server.

// compactAfter is how many listings one catch-up of the index must write
// for the index to be compacted after it: an import, not an edit.
const compactAfter = 5000

// compactAtSegments is how many segments an index must have, when the
// server starts, to be compacted.
const compactAtSegments = 8

// compactor runs one compaction at a time in the background.
type compactor struct {
	// after is compactAfter, or what a test sets.
	after   int
	mu      sync.Mutex
	on      bool // CompactInBackground was called
	running bool
	again   bool // asked for again while running
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	// exclusive serialises compactions, background and Compact's.
	exclusive sync.Mutex
}

// CompactInBackground turns on background compaction of the index: now,
// when it has many segments, and after every large import. Long-running
// processes call it; Close stops a compaction under way.
func (d *Directory) CompactInBackground() {
	if d.readOnly {
		return
	}
	c := &d.compact
	c.mu.Lock()
	c.on = true
	if c.after == 0 {
		c.after = compactAfter
	}
	c.mu.Unlock()
	if n := d.ix().segments(); n >= compactAtSegments {
		d.log.Info("compacting the search index in the background", "segments", n)
		d.compactSoon()
	}
}

// wroteListings starts a background compaction when n listings, just
// written to the index, make an import rather than an edit.
func (d *Directory) wroteListings(n int) {
	c := &d.compact
	c.mu.Lock()
	large := c.on && n >= c.after
	c.mu.Unlock()
	if large {
		d.compactSoon()
	}
}

// compactSoon starts a background compaction, or asks the one running to
// go again, when background compaction is on.
func (d *Directory) compactSoon() {
	c := &d.compact
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.on {
		return
	}
	if c.running {
		c.again = true
		return
	}
	if c.ctx == nil {
		c.ctx, c.cancel = context.WithCancel(context.Background())
	}
	c.running = true
	c.wg.Go(func() {
		for {
			if err := d.Compact(c.ctx); err != nil && c.ctx.Err() == nil {
				d.log.Warn("the search index could not be compacted; searches are slower until it is", "err", err)
			}
			c.mu.Lock()
			if !c.again || c.ctx.Err() != nil {
				c.running = false
				c.mu.Unlock()
				return
			}
			c.again = false
			c.mu.Unlock()
		}
	})
}

// compacting reports whether a background compaction is running.
func (d *Directory) compacting() bool {
	c := &d.compact
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}

// stopCompacting cancels a background compaction and waits for it to stop;
// no other starts afterwards.
func (d *Directory) stopCompacting() {
	c := &d.compact
	c.mu.Lock()
	c.on = false
	if c.cancel != nil {
		c.cancel()
	}
	c.mu.Unlock()
	c.wg.Wait()
}

// Compact merges the index's segments into one and returns when done or
// when ctx is cancelled. Searches and writes go on meanwhile. It refuses
// when the disk has too little room for a second copy of the index.
func (d *Directory) Compact(ctx context.Context) error {
	if d.readOnly {
		return Errorf(EINVALID, "the data directory is read-only")
	}
	c := &d.compact
	c.exclusive.Lock()
	defer c.exclusive.Unlock()
	ix := d.ix()
	before := ix.segments()
	if before <= 1 {
		return nil
	}
	size := dirSize(ix.path)
	if free := diskFree(ix.path); free >= 0 && free < 2*size {
		// Bleve retries a merge that failed without end, so one that
		// would fill the disk is not started.
		return fmt.Errorf("compact the search index: %d MB free on disk, %d MB needed", free>>20, 2*size>>20)
	}
	start := time.Now()
	if err := ix.compact(ctx); err != nil {
		return Internal(err, "compact the search index")
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if d.ix() != ix {
		// Rebuilt or reopened meanwhile: Bleve stopped the merge when
		// the old index closed, and the new one compacts on its own.
		return nil
	}
	d.log.Info("compacted the search index", "segments_before", before, "segments", ix.segments(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// compact merges every segment into one, in one pass: Bleve's own plan
// for a single segment merges ten at a time, and rewrote a million
// listings' index twice.
func (ix *bleveIndex) compact(ctx context.Context) error {
	sc, err := ix.scorch()
	if err != nil {
		return err
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	opts.SegmentsPerMergeTask = 1 << 16
	return sc.ForceMerge(ctx, &opts)
}

// segments returns how many segments the index has on disk, or 0 when it
// cannot tell.
func (ix *bleveIndex) segments() int {
	sc, err := ix.scorch()
	if err != nil {
		return 0
	}
	st, ok := sc.Stats().(*scorch.Stats)
	if !ok {
		return 0
	}
	return int(atomic.LoadUint64(&st.TotFileSegmentsAtRoot))
}

func (ix *bleveIndex) scorch() (*scorch.Scorch, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, fmt.Errorf("the index is a %T, not scorch", adv)
	}
	return sc, nil
}
