package directory

import (
	"container/heap"
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
)

// Results with equal keys (the same score, or the same distance and score)
// are ordered by listing id, so that a page holds the same listings
// however the index happens to be laid out. Bleve reads the id of every
// match for that, from the stored fields, which was a tenth of a text
// search: a common word matches tens of thousands of listings, of which
// twenty make the page. withCutoff reads the ids only of the matches that
// may still make the page, comparing the rest of the key first.

// withCutoff returns ctx set up so that Bleve's collector passes on only
// the matches that can still be among the first n of order, each with its
// id read. order must end with lastID, whose key is that id.
func withCutoff(ctx context.Context, order search.SortOrder, n int) context.Context {
	scoring, desc := order.CacheIsScore(), order.CacheDescending()
	k := len(order) - 1 // the keys before the id
	var maker search.MakeDocumentMatchHandler = func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil || next == nil {
			return next, loadID, err
		}
		best := &keyHeap{scoring: scoring[:k], desc: desc[:k]}
		return func(d *search.DocumentMatch) error {
			if d == nil {
				return next(nil)
			}
			d.Score = steadyScore(d.Score)
			key := sortKey{score: d.Score, sort: d.Sort[:k]}
			if best.Len() == n && best.compare(key, best.keys[0]) > 0 {
				// Behind n matches already seen: it cannot make the page.
				sctx.DocumentMatchPool.Put(d)
				return nil
			}
			key.sort = append([]string(nil), key.sort...)
			heap.Push(best, key)
			if best.Len() > n {
				heap.Pop(best)
			}
			if d.ID == "" {
				id, err := sctx.IndexReader.ExternalID(d.IndexInternalID)
				if err != nil {
					return err
				}
				d.ID = id
			}
			d.Sort[k] = d.ID
			return next(d)
		}, loadID, nil
	}
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker)
}

// steadyScore returns score with the last 20 bits of its 52-bit fraction
// cleared: a relative precision of about 2e-10. Bleve adds up the parts of
// a score in the order its searchers happen to reach a listing, which
// differs between a search and the same search narrowed by filters (one
// walks the words, the other jumps to the listings passing the filters),
// so two listings that score the same could differ in the last bit and
// swap places when a filter was added. Rounded, they tie, and their ids
// order them the same way every time.
func steadyScore(score float64) float64 {
	return math.Float64frombits(math.Float64bits(score) &^ (1<<20 - 1))
}

// sortKey is a match's key before its id.
type sortKey struct {
	score float64
	sort  []string
}

// keyHeap keeps the best keys seen, the worst of them on top.
type keyHeap struct {
	keys          []sortKey
	scoring, desc []bool
}

// compare orders two keys as Bleve's sort order does: below 0 when a
// comes first.
func (h *keyHeap) compare(a, b sortKey) int {
	for x := range h.scoring {
		c := 0
		if h.scoring[x] {
			switch {
			case a.score < b.score:
				c = -1
			case a.score > b.score:
				c = 1
			}
		} else {
			switch {
			case a.sort[x] < b.sort[x]:
				c = -1
			case a.sort[x] > b.sort[x]:
				c = 1
			}
		}
		if c != 0 {
			if h.desc[x] {
				c = -c
			}
			return c
		}
	}
	return 0
}

func (h *keyHeap) Len() int           { return len(h.keys) }
func (h *keyHeap) Less(i, j int) bool { return h.compare(h.keys[i], h.keys[j]) > 0 }
func (h *keyHeap) Swap(i, j int)      { h.keys[i], h.keys[j] = h.keys[j], h.keys[i] }
func (h *keyHeap) Push(x any)         { h.keys = append(h.keys, x.(sortKey)) }
func (h *keyHeap) Pop() any {
	last := h.keys[len(h.keys)-1]
	h.keys = h.keys[:len(h.keys)-1]
	return last
}

// lastID is the last key of a search's order: the listing's id, which
// withCutoff fills in for the matches that may make the page.
type lastID struct {
	desc bool
}

// UpdateVisitor reads nothing.
func (s *lastID) UpdateVisitor(string, []byte) {}

// Value returns the id when it has been read, else nothing yet.
func (s *lastID) Value(d *search.DocumentMatch) string { return d.ID }

// DecodeValue returns the id.
func (s *lastID) DecodeValue(v string) string { return v }

// Descending reports whether later ids come first.
func (s *lastID) Descending() bool { return s.desc }

// RequiresDocID reports false: withCutoff reads the ids it needs.
func (s *lastID) RequiresDocID() bool { return false }

// RequiresScoring reports false.
func (s *lastID) RequiresScoring() bool { return false }

// RequiresFields names no doc values.
func (s *lastID) RequiresFields() []string { return nil }

// Reverse turns the order around.
func (s *lastID) Reverse() { s.desc = !s.desc }

// Copy returns a copy.
func (s *lastID) Copy() search.SearchSort { c := *s; return &c }
