package directory

import (
	"context"
	"errors"
	"math"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"
)

// Facet counts from the index's posting lists. Bleve counts a facet by
// reading, for every match, the doc values of each faceted field: eight
// fields for each of the tens of thousands of listings a common word
// matches, which was 70 to 80 ms of a 10 ms search at 100,000 listings,
// and the public search page and the API ask for facets by default. A
// facet term's count is how many matches its posting list holds: the
// matches are noted as they are found (one number each), and each term of
// each faceted field is then counted against them as bitmaps, a few
// hundred intersections in all. The counts are the same: the doc values
// Bleve read are made from the same terms.

type facetTallyKey struct{}

// withFacetTally returns ctx set up so that the searches started with it
// add the facet counts of their matches to t. It must come before
// withCutoff, whose handler notes the matches when there is one.
func withFacetTally(ctx context.Context, t *facetTally) context.Context {
	ctx = context.WithValue(ctx, facetTallyKey{}, t)
	var maker search.MakeDocumentMatchHandler = func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil || next == nil {
			return next, loadID, err
		}
		nums := t.noter(sctx)
		return func(d *search.DocumentMatch) error {
			if err := nums.note(d); err != nil {
				return err
			}
			return next(d)
		}, loadID, nil
	}
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker)
}

// tallyOf returns the facet tally ctx has, or nil.
func tallyOf(ctx context.Context) *facetTally {
	t, _ := ctx.Value(facetTallyKey{}).(*facetTally)
	return t
}

// facetTally adds up, over the searches of one search's parts, how many of
// their matches have each term of each faceted field.
type facetTally struct {
	mu     sync.Mutex
	counts map[string]map[string]int // by facet name, then term
}

func newFacetTally() *facetTally {
	return &facetTally{counts: map[string]map[string]int{}}
}

// reset forgets every count, for a search run again.
func (t *facetTally) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.counts = map[string]map[string]int{}
}

// result returns the counts.
func (t *facetTally) result() map[string]map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts
}

// noter returns what notes one collector's matches, and counts them into
// the tally at the end, on the same snapshot of the index. A nil tally
// notes nothing.
func (t *facetTally) noter(sctx *search.SearchContext) *matchNoter {
	if t == nil {
		return nil
	}
	return &matchNoter{tally: t, reader: sctx.IndexReader}
}

// matchNoter notes the internal numbers of a search's matches, in a
// bitmap, through a small buffer (a bitmap takes numbers in bulk faster
// than one by one, and a slice of them all grew to hundreds of KB).
type matchNoter struct {
	tally   *facetTally
	reader  index.IndexReader
	matched *roaring.Bitmap
	buf     []uint32
}

// note notes d, or counts what was noted when d is nil (the end of the
// matches).
func (n *matchNoter) note(d *search.DocumentMatch) error {
	if n == nil {
		return nil
	}
	if n.matched == nil {
		n.matched, n.buf = roaring.New(), make([]uint32, 0, 1024)
	}
	if d == nil || len(n.buf) == cap(n.buf) {
		n.matched.AddMany(n.buf)
		n.buf = n.buf[:0]
	}
	if d == nil {
		return n.tally.add(n.reader, n.matched)
	}
	num, ok := docNumber(d.IndexInternalID)
	if !ok || num > math.MaxUint32 {
		return errors.New("facets: an internal id that is not a document number")
	}
	n.buf = append(n.buf, uint32(num))
	return nil
}

// add counts the terms of the faceted fields of the listings matched (by
// their internal numbers) in r.
func (t *facetTally) add(r index.IndexReader, matched *roaring.Bitmap) error {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return errors.New("facets: the index is not a scorch index")
	}
	counts := map[string]map[string]int{}
	terms := map[string][]string{}
	for _, f := range facetFields {
		counts[f.name] = map[string]int{}
		list, err := fieldTerms(snap, f.field)
		if err != nil {
			return err
		}
		terms[f.name] = list
	}
	var offset uint64
	for _, ss := range snap.Segments() {
		full := uint64(ss.FullSize())
		// The segment's matches, numbered within it.
		inSegment := roaring.New()
		inSegment.AddRange(offset, offset+full)
		inSegment.And(matched)
		if !inSegment.IsEmpty() {
			local := roaring.AddOffset64(inSegment, -int64(offset))
			// A posting list counts what it holds less what is
			// excepted: everything the search did not match.
			except := roaring.Flip(local, 0, full)
			for _, f := range facetFields {
				dict, err := ss.Segment().Dictionary(f.field)
				if err != nil {
					return err
				}
				for _, term := range terms[f.name] {
					pl, err := dict.PostingsList([]byte(term), except, nil)
					if err != nil {
						return err
					}
					if c := pl.Count(); c > 0 {
						counts[f.name][term] += int(c)
					}
				}
			}
		}
		offset += full
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for name, byTerm := range counts {
		if t.counts[name] == nil {
			t.counts[name] = map[string]int{}
		}
		for term, c := range byTerm {
			t.counts[name][term] += c
		}
	}
	return nil
}

// fieldTerms returns every term of field in the snapshot.
func fieldTerms(snap *scorch.IndexSnapshot, field string) (out []string, err error) {
	dict, err := snap.FieldDict(field)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := dict.Close(); err == nil {
			err = cerr
		}
	}()
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return out, nil
		}
		out = append(out, e.Term)
	}
}
