package directory

import (
	"context"
	"errors"
	"math"
	"sync/atomic"

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
// id read. order must end with lastID, whose key is that id. Each search
// started with ctx has its own cutoff; the parts of a search split over
// the cores share one (partsCutoff).
func withCutoff(ctx context.Context, order search.SortOrder, n int) context.Context {
	spec := &cutoffSpec{scoring: order.CacheIsScore(), desc: order.CacheDescending(), n: n, tally: tallyOf(ctx)}
	ctx = context.WithValue(ctx, cutoffSpecKey{}, spec)
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, spec.handlerMaker(0))
}

// partsCutoff returns ctx with one cutoff for the parts searches started
// with it, when ctx has a cutoff (withCutoff): each part then passes on
// only what can make the page of the whole search, not of its part.
func partsCutoff(ctx context.Context, parts int) context.Context {
	spec, ok := ctx.Value(cutoffSpecKey{}).(*cutoffSpec)
	if !ok {
		return ctx
	}
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, spec.handlerMaker(parts))
}

type cutoffSpecKey struct{}

// cutoffSpec is the order and page size a cutoff is for, and the facet
// tally every match is noted for, if any (facet_tally.go).
type cutoffSpec struct {
	scoring, desc []bool
	n             int
	tally         *facetTally
}

// handlerMaker returns the maker of Bleve's match handlers. With parts 0,
// each search has a cutoff of its own; otherwise the first parts searches
// share one, each as one of its parts.
func (sp *cutoffSpec) handlerMaker(parts int) search.MakeDocumentMatchHandler {
	k := len(sp.scoring) - 1 // the keys before the id
	order := keyOrder{scoring: sp.scoring[:k], desc: sp.desc[:k]}
	var shared *cutoff
	if parts > 0 {
		shared = newCutoff(order, sp.n, parts)
	}
	return func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil || next == nil {
			return next, loadID, err
		}
		c := shared
		if c == nil {
			c = newCutoff(order, sp.n, 1)
		}
		part, ok := c.join()
		if !ok {
			return nil, false, errors.New("more searches than parts share a cutoff")
		}
		nums := sp.tally.noter(sctx)
		return func(d *search.DocumentMatch) error {
			if err := nums.note(d); err != nil {
				return err
			}
			if d == nil {
				return next(nil)
			}
			d.Score = steadyScore(d.Score)
			if !c.admit(part, sortKey{score: d.Score, sort: d.Sort[:k]}) {
				// Behind n matches already seen: it cannot make the page.
				sctx.DocumentMatchPool.Put(d)
				return nil
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
}

// cutoff turns away the matches that cannot be among the first n of a
// search, which may be searched in parts at once. Each part keeps the
// best n/parts keys it has passed on, and shows the worst of them to the
// others once it has that many: then there are n keys at least as good as
// the worst of what the parts show, and a match behind it is behind n
// matches. With one part it is the worst of the best n seen.
type cutoff struct {
	order keyOrder
	// scoreOnly is true when the keys are the score alone, and their
	// sort values need not be kept.
	scoreOnly bool
	size      int // the keys each part keeps
	parts     []cutoffPart
	// joined counts the parts taken.
	joined atomic.Int32
}

// cutoffPart is one part's keys: written by that part alone, its bound
// read by all.
type cutoffPart struct {
	best  keyHeap
	bound atomic.Pointer[sortKey]
	_     [64]byte // the parts' bounds on their own cache lines
}

func newCutoff(order keyOrder, n, parts int) *cutoff {
	c := &cutoff{order: order, scoreOnly: order.scoreOnly(), size: (n + parts - 1) / parts, parts: make([]cutoffPart, parts)}
	for i := range c.parts {
		c.parts[i].best.keyOrder = order
	}
	return c
}

// join returns the next part not yet taken.
func (c *cutoff) join() (int, bool) {
	p := int(c.joined.Add(1)) - 1
	return p, p < len(c.parts)
}

// admit reports whether a match with key, found by part, may still make
// the page, and if so counts it among the part's best.
func (c *cutoff) admit(part int, key sortKey) bool {
	if c.behind(key) {
		return false
	}
	p := &c.parts[part]
	if p.best.Len() == c.size && c.order.compare(key, p.best.keys[0]) > 0 {
		return true // behind the part's own best, but perhaps not the others'
	}
	if c.scoreOnly {
		key.sort = nil
	} else {
		key.sort = append([]string(nil), key.sort...)
	}
	p.best.keep(key, c.size)
	if p.best.Len() == c.size {
		w := p.best.keys[0]
		p.bound.Store(&w)
	}
	return true
}

// behind reports whether key is behind every part's bound (and so behind
// n keys seen); false while a part has yet to show one.
func (c *cutoff) behind(key sortKey) bool {
	for i := range c.parts {
		b := c.parts[i].bound.Load()
		if b == nil || c.order.compare(key, *b) <= 0 {
			return false
		}
	}
	return true
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

// keyOrder orders keys as Bleve's sort order does, up to the id.
type keyOrder struct {
	scoring, desc []bool
}

// scoreOnly reports whether the keys are the score alone, so that their
// sort values need not be kept.
func (o keyOrder) scoreOnly() bool {
	for _, s := range o.scoring {
		if !s {
			return false
		}
	}
	return true
}

// compare orders two keys as Bleve's sort order does: below 0 when a
// comes first.
func (o keyOrder) compare(a, b sortKey) int {
	for x := range o.scoring {
		c := 0
		if o.scoring[x] {
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
			if o.desc[x] {
				c = -c
			}
			return c
		}
	}
	return 0
}

// keyHeap keeps the best keys seen, the worst of them on top.
type keyHeap struct {
	keyOrder
	keys []sortKey
}

// Len returns how many keys are kept.
func (h *keyHeap) Len() int { return len(h.keys) }

// keep adds key to the best size keys, the worst of them going when there
// are more: key is no worse than the worst when there are size already.
// (container/heap would box each key.)
func (h *keyHeap) keep(key sortKey, size int) {
	if len(h.keys) < size {
		h.keys = append(h.keys, key)
		h.up(len(h.keys) - 1)
		return
	}
	h.keys[0] = key
	h.down(0)
}

// worse reports whether key i comes after key j.
func (h *keyHeap) worse(i, j int) bool { return h.compare(h.keys[i], h.keys[j]) > 0 }

func (h *keyHeap) up(j int) {
	for j > 0 {
		i := (j - 1) / 2
		if !h.worse(j, i) {
			return
		}
		h.keys[i], h.keys[j] = h.keys[j], h.keys[i]
		j = i
	}
}

func (h *keyHeap) down(i int) {
	for {
		j := 2*i + 1
		if j >= len(h.keys) {
			return
		}
		if r := j + 1; r < len(h.keys) && h.worse(r, j) {
			j = r
		}
		if !h.worse(j, i) {
			return
		}
		h.keys[i], h.keys[j] = h.keys[j], h.keys[i]
		i = j
	}
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
