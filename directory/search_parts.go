package directory

import (
	"context"
	"encoding/binary"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Searching in parts. A search for common words scores every listing
// having one of them, tens of thousands in a large directory, one after
// another on one core: Bleve has no way to skip the ones that cannot make
// the page. When another core is idle, such a search runs as two searches
// at once, each over half of the listings of the same snapshot of the
// index (by Bleve's internal numbers), and their pages and counts are
// merged. Every listing is scored exactly as in one search (the words'
// weights come from the whole index either way), so the page is the same,
// in a little over half the time. Search engines do the same with shards
// or segments (Lucene's IndexSearcher with an executor).
//
// Only when a core is idle: under load every core is busy already, and
// splitting would add the second search's setting up and the merge for
// nothing. Small directories are searched whole, as their searches take
// well under a millisecond.

// minListingsToSplit is the fewest listings for which a search is split.
// Below it a search with words takes a few milliseconds at most (p95 2.4
// ms at 10,000 listings), of which a second goroutine, setting up a second
// search and merging would be a larger share. (A variable so that tests
// can split small directories.)
var minListingsToSplit uint64 = 20000

// searchParts is how many parts a search is split into: one per core, at
// most two, the cores of the machine this was measured on (each part
// returns a whole page to merge, so more parts are not free).
func searchParts() int { return min(runtime.GOMAXPROCS(0), 2) }

// searchMaybeInParts runs req on the current index, in parts when split
// says the search may be (its query keeps no state between listings) and
// there is a core idle for each part.
func (d *Directory) searchMaybeInParts(ctx context.Context, req *bleve.SearchRequest, split bool) (*bleve.SearchResult, error) {
	ix := d.ix()
	parts := searchParts()
	// Bleve's own facets (req.Facets) are not split: a part's top terms
	// are not the whole search's. Searches count facets themselves
	// (facet_tally.go) and ask Bleve for none.
	if !split || len(req.Facets) > 0 || parts < 2 || d.searching.Load() > int64(runtime.GOMAXPROCS(0)/parts) {
		return searchBleve(ctx, ix.idx, req)
	}
	if n, err := ix.idx.DocCount(); err != nil || n < minListingsToSplit {
		return searchBleve(ctx, ix.idx, req)
	}
	res, split, err := searchInPartsOrWhole(ctx, ix.idx, req, parts)
	if split {
		d.splitSearches.Add(1)
	}
	return res, err
}

// searchInPartsOrWhole runs req in parts, or whole when the parts saw
// different snapshots of the index (a write or a merge landed between
// their starts). split reports whether the parts' result is the one
// returned.
func searchInPartsOrWhole(ctx context.Context, idx indexSearcher, req *bleve.SearchRequest, parts int) (res *bleve.SearchResult, split bool, err error) {
	res, same, err := searchInParts(ctx, idx, req, parts)
	if err != nil || same {
		return res, same, err
	}
	// The facet counts the parts made are of other snapshots.
	if t := tallyOf(ctx); t != nil {
		t.reset()
	}
	restartPageOnly(ctx)
	res, err = searchBleve(ctx, idx, req)
	return res, false, err
}

// searchInParts runs req as parts searches at once, each over its share of
// the listings, and merges what they find into the page req asks for.
// same is false when the parts searched different snapshots of the index
// (and then the result must not be used).
func searchInParts(ctx context.Context, idx indexSearcher, req *bleve.SearchRequest, parts int) (res *bleve.SearchResult, same bool, err error) {
	readers := make([]index.IndexReader, parts)
	results := make([]*bleve.SearchResult, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	ctx = partsCutoff(ctx, parts)
	for k := range parts {
		preq := partRequest(req, partQuery{q: req.Query, part: k, parts: parts, reader: &readers[k]})
		wg.Go(func() { results[k], errs[k] = searchBleve(ctx, idx, preq) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, false, err
		}
	}
	for _, r := range readers[1:] {
		if r != readers[0] {
			return nil, false, nil
		}
	}
	return mergeParts(req, results), true, nil
}

// indexSearcher is what a search needs of an index.
type indexSearcher interface {
	SearchInContext(context.Context, *bleve.SearchRequest) (*bleve.SearchResult, error)
}

// partRequest returns req for one part: its query narrowed to the part,
// and every hit up to the end of the page (any of them may make the page
// once merged).
func partRequest(req *bleve.SearchRequest, q partQuery) *bleve.SearchRequest {
	p := *req
	p.Query = q
	p.From, p.Size = 0, req.From+req.Size
	p.Sort = req.Sort.Copy()
	return &p
}

// mergeParts merges the parts' results into the one req asks for: hits in
// req's order, cut to the page, and totals added up.
func mergeParts(req *bleve.SearchRequest, results []*bleve.SearchResult) *bleve.SearchResult {
	out := results[0]
	for _, r := range results[1:] {
		out.Merge(r)
	}
	scoring, desc := req.Sort.CacheIsScore(), req.Sort.CacheDescending()
	slices.SortFunc(out.Hits, func(a, b *search.DocumentMatch) int {
		return req.Sort.Compare(scoring, desc, a, b)
	})
	n := len(out.Hits)
	out.Hits = out.Hits[min(req.From, n):min(req.From+req.Size, n)]
	out.Request = req
	return out
}

// partQuery is q over one part of the listings. It notes the snapshot of
// the index it was searched on, so that the parts can be checked to have
// searched the same one.
type partQuery struct {
	q           query.Query
	part, parts int
	reader      *index.IndexReader
}

// Searcher returns q's searcher, stopped at the part's bounds.
func (p partQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	*p.reader = i
	ctx, err := withSynonymsOf(ctx, i, m, p.q)
	if err != nil {
		return nil, err
	}
	lo, hi := partBounds(i, p.part, p.parts)
	// A searcher scoring words a word at a time reads only the part.
	ctx = context.WithValue(ctx, partRangeKey{}, [2]uint64{lo, hi})
	s, err := p.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	return &partSearcher{Searcher: s, lo: lo, hi: hi}, nil
}

// partBounds returns the internal numbers [lo, hi) of part of parts of the
// listings in i, each part holding about as many live listings. Bleve
// numbers the listings segment after segment, the deleted ones included.
// An index that is not Bleve's scorch is searched whole by the first part.
func partBounds(i index.IndexReader, part, parts int) (lo, hi uint64) {
	snap, ok := i.(*scorch.IndexSnapshot)
	if !ok {
		if part == 0 {
			return 0, math.MaxUint64
		}
		return 0, 0
	}
	segs := snap.Segments()
	var live int64
	for _, s := range segs {
		live += s.LiveSize()
	}
	cut := func(k int) uint64 {
		if k >= parts {
			return math.MaxUint64
		}
		want := live * int64(k) / int64(parts)
		var before int64
		var offset uint64
		for _, s := range segs {
			n := s.LiveSize()
			if want <= 0 || before+n >= want && n > 0 {
				share := float64(want-before) / float64(max(n, 1))
				return offset + uint64(share*float64(s.FullSize()))
			}
			before += n
			offset += uint64(s.FullSize())
		}
		return offset
	}
	return cut(part), cut(part + 1)
}

// partSearcher passes on what its searcher finds between two internal
// numbers: it starts its searcher at the first and stops at the second.
type partSearcher struct {
	search.Searcher
	lo, hi        uint64
	started, done bool
	buf           [8]byte
}

// Next returns the next match in the part.
func (s *partSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	if !s.started {
		return s.Advance(ctx, nil)
	}
	d, err := s.Searcher.Next(ctx)
	return s.within(ctx, d, err)
}

// Advance returns the first match in the part at or after id.
func (s *partSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	s.started = true
	if n, ok := docNumber(id); !ok || n < s.lo {
		binary.BigEndian.PutUint64(s.buf[:], s.lo)
		id = s.buf[:]
	}
	d, err := s.Searcher.Advance(ctx, id)
	return s.within(ctx, d, err)
}

// within returns d when it is in the part, and ends the part when it is
// past it.
func (s *partSearcher) within(ctx *search.SearchContext, d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if err != nil || d == nil {
		return d, err
	}
	if n, ok := docNumber(d.IndexInternalID); ok && n >= s.hi {
		s.done = true
		ctx.DocumentMatchPool.Put(d)
		return nil, nil
	}
	return d, nil
}

// docNumber returns the number in a scorch internal id.
func docNumber(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}
