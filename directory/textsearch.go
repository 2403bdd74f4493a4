package directory

import (
	"context"
	"encoding/binary"
	"maps"
	"math"
	"math/bits"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Scoring words a word at a time. A search for common words matches tens
// of thousands of listings, and Bleve finds each of them by walking every
// clause of the query at once: every word in every text field, with its
// synonyms, each an iterator compared with the others at every listing.
// That walk was about two thirds of a search with words (the profile of
// the benchmark's text searches, 22 November 2026).
//
// wordsQuery gives the same matches with the same scores another way:
// each word's postings are read in order, a block of listings at a time
// (wordsBlock), and each "any of" or "all of" adds up its clauses' scores
// in an array indexed by listing. The scores are Bleve's own: the same idf, query norms, field
// norms, coordination factors and additions in the same order (clauses
// sorted by their counts where Bleve sorts them), so a page is the same
// page (TestWordsQueryScoresAsBleve compares every match's score).
//
// It is used where the words are the whole search (words alone in
// buildQuery): with filters, Bleve's walk jumps from one listing that
// passes them to the next, where reading every posting would be more work.
// Anything it does not know (spelling mistakes, Bleve's fuzzy search) is
// Bleve's searcher, read to its end in the same way.
//
// Having every match and its score at hand, it also passes on only the
// matches that can make the page when the search is in order of score
// and counts no facets (pageOnly): a common word's tens of thousands of
// matches went one by one through Bleve's collector, which was most of
// what was left of a search's time. The ones left out are counted into
// the total.

// wordsQuery is q less what not matches (withoutQuery), scored a word at
// a time when the index allows it. not may be nil.
type wordsQuery struct {
	q, not query.Query
}

// Searcher returns the word-at-a-time searcher for q, or Bleve's when the
// search needs what only Bleve's gives: explanations, term vectors, no
// scores (Bleve's unscored shortcuts are quicker), BM25 scoring, or an
// index that is not scorch.
func (w wordsQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	snap, ok := i.(*scorch.IndexSnapshot)
	if !ok || options.Explain || options.IncludeTermVectors || options.Score == "none" || bm25(ctx) {
		if w.not != nil {
			return withoutQuery(w).Searcher(ctx, i, m, options)
		}
		ctx, err := withSynonymsAdded(ctx, i, m, w.q)
		if err != nil {
			return nil, err
		}
		return w.q.Searcher(ctx, i, m, options)
	}
	ctx, err := withSynonymsAdded(ctx, i, m, w.q)
	if err != nil {
		return nil, err
	}
	docTotal, err := snap.DocCount()
	if err != nil {
		return nil, err
	}
	b := &wordsBuilder{ctx: ctx, snap: snap, m: m, options: options, docTotal: docTotal, dicts: map[string][]segment.TermDictionary{}}
	b.synonyms, _ = ctx.Value(search.FieldTermSynonymMapKey).(search.FieldTermSynonymMap)
	var offset uint64
	for _, s := range snap.Segments() {
		size := uint64(s.FullSize())
		b.segs = append(b.segs, wordsSegment{seg: s.Segment(), deleted: s.Deleted(), offset: offset, size: size})
		offset += size
	}
	closeAll := func() {
		for _, o := range b.opened {
			_ = o.Close()
		}
	}
	root, err := b.node(w.q)
	if err != nil {
		closeAll()
		return nil, err
	}
	ws := &wordsSearcher{ctx: ctx, root: root, segs: b.segs, hi: offset}
	if r, ok := ctx.Value(partRangeKey{}).([2]uint64); ok {
		ws.lo, ws.hi = min(r[0], offset), min(r[1], offset)
		ws.hi = max(ws.lo, ws.hi)
	}
	if w.not != nil {
		notOptions := options
		notOptions.Score, notOptions.Explain, notOptions.IncludeTermVectors = "none", false, false
		not, err := w.not.Searcher(ctx, i, m, notOptions)
		if err != nil {
			closeAll()
			return nil, err
		}
		b.opened = append(b.opened, not)
		ws.not = &bleveNode{s: not}
		// Normalised as the top of a query, as withoutQuery is.
		root.setQueryNorm(1 / math.Sqrt(root.weight()))
	}
	ws.opened = b.opened
	ws.page, _ = ctx.Value(pageOnlyKey{}).(*pageOnly)
	return ws, nil
}

// pageOnly tells a word-at-a-time searcher that its search is in order
// of score (best first, then by id) and counts no facets, so that it may
// leave out the matches that cannot make the first n. It counts those
// left out, for the total.
type pageOnly struct {
	n      int
	unseen atomic.Int64
}

type pageOnlyKey struct{}

// withPageOnly returns ctx set up for a search in order of score whose
// page ends at the nth match.
func withPageOnly(ctx context.Context, n int) (context.Context, *pageOnly) {
	p := &pageOnly{n: n}
	return context.WithValue(ctx, pageOnlyKey{}, p), p
}

// leftOut returns how many matches searchers left out, 0 for nil.
func (p *pageOnly) leftOut() int {
	if p == nil {
		return 0
	}
	return int(p.unseen.Load())
}

// restart forgets the matches left out, for a search run again.
func restartPageOnly(ctx context.Context) {
	if p, ok := ctx.Value(pageOnlyKey{}).(*pageOnly); ok {
		p.unseen.Store(0)
	}
}

// bm25 reports whether the index scores with BM25, which wordsQuery does
// not (ours scores with Bleve's default, tf-idf).
func bm25(ctx context.Context) bool {
	f, ok := ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn)
	return ok && f() == index.BM25Scoring
}

// partRangeKey is the context key of the internal numbers [lo, hi) a
// part of a search covers (search_parts.go), so that a word-at-a-time
// searcher reads only that part of each word's postings.
type partRangeKey struct{}

// withSynonymsAdded returns ctx with the synonyms Bleve would find for q
// added to any it has: Bleve looks for synonyms by walking the query it is
// given, and cannot see into wordsQuery.
func withSynonymsAdded(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, q query.Query) (context.Context, error) {
	had, ok := ctx.Value(search.FieldTermSynonymMapKey).(search.FieldTermSynonymMap)
	if !ok {
		return withSynonymsOf(ctx, i, m, q)
	}
	found, err := withSynonymsOf(context.WithValue(ctx, search.FieldTermSynonymMapKey, nil), i, m, q)
	if err != nil {
		return nil, err
	}
	more, _ := found.Value(search.FieldTermSynonymMapKey).(search.FieldTermSynonymMap)
	if len(more) == 0 {
		return ctx, nil
	}
	all := make(search.FieldTermSynonymMap, len(had)+len(more))
	for field, terms := range had {
		all[field] = maps.Clone(terms)
	}
	for field, terms := range more {
		if all[field] == nil {
			all[field] = map[string][]string{}
		}
		maps.Copy(all[field], terms)
	}
	return context.WithValue(ctx, search.FieldTermSynonymMapKey, all), nil
}

// wordsSegment is a segment of the snapshot searched: its deleted
// listings and the internal number of its first.
type wordsSegment struct {
	seg          segment.Segment
	deleted      *roaring.Bitmap
	offset, size uint64
}

// wordsBuilder turns a query into the nodes that score it.
type wordsBuilder struct {
	ctx      context.Context
	snap     *scorch.IndexSnapshot
	m        mapping.IndexMapping
	options  search.SearcherOptions
	synonyms search.FieldTermSynonymMap
	docTotal uint64
	segs     []wordsSegment
	dicts    map[string][]segment.TermDictionary
	opened   []search.Searcher // Bleve's searchers, closed with ours
}

// scoreNode is a part of a query scored a word at a time.
type scoreNode interface {
	// weight and setQueryNorm are Bleve's Searcher.Weight and
	// SetQueryNorm: the query norm is worked out from the weights of
	// all the words, and every word's score is scaled by it.
	weight() float64
	setQueryNorm(float64)
	// count is Bleve's Searcher.Count, by which Bleve orders clauses.
	count() uint64
	// eval returns the node's matches between the evaluation's bounds,
	// in order.
	eval(e *wordsEval) (*scoredList, error)
}

// node returns the node scoring q as Bleve's searcher for q would.
func (b *wordsBuilder) node(q query.Query) (scoreNode, error) {
	switch q := q.(type) {
	case *query.DisjunctionQuery:
		children, err := b.nodes(q.Disjuncts)
		if err != nil || len(children) == 0 {
			return noMatches{}, err
		}
		return newAnyNode(children, int(q.Min)), nil
	case *query.ConjunctionQuery:
		children, err := b.nodes(q.Conjuncts)
		if err != nil || len(children) == 0 {
			return noMatches{}, err
		}
		return newAllNode(children), nil
	case *query.MatchQuery:
		if q.Fuzziness == 0 && !autoFuzzy(q) {
			return b.match(q)
		}
	case *query.TermQuery:
		return b.term(b.field(q.FieldVal), q.Term, q.BoostVal.Value(), true)
	case exactTerm:
		return b.term(q.Field, q.Term, q.Boost, false)
	case *query.MatchNoneQuery:
		return noMatches{}, nil
	}
	return b.bleve(q)
}

func (b *wordsBuilder) nodes(qs []query.Query) ([]scoreNode, error) {
	out := make([]scoreNode, 0, len(qs))
	for _, q := range qs {
		n, err := b.node(q)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// autoFuzzy reports whether q was set to allow spelling mistakes by the
// length of its words (Bleve keeps that unexported).
func autoFuzzy(q *query.MatchQuery) bool {
	f := reflect.ValueOf(q).Elem().FieldByName("autoFuzzy")
	return !f.IsValid() || f.Bool()
}

func (b *wordsBuilder) field(f string) string {
	if f == "" {
		return b.m.DefaultSearchField()
	}
	return f
}

// match is Bleve's MatchQuery.Searcher: the analysed words, any or all
// of them.
func (b *wordsBuilder) match(q *query.MatchQuery) (scoreNode, error) {
	field := b.field(q.FieldVal)
	name := q.Analyzer
	if name == "" {
		name = b.m.AnalyzerNameForPath(field)
	}
	analyzer := b.m.AnalyzerNamed(name)
	if analyzer == nil {
		// Bleve's error, from Bleve.
		return b.bleve(q)
	}
	tokens := analyzer.Analyze([]byte(q.Match))
	if len(tokens) == 0 {
		return noMatches{}, nil
	}
	children := make([]scoreNode, len(tokens))
	for i, tok := range tokens {
		n, err := b.term(field, string(tok.Term), q.BoostVal.Value(), true)
		if err != nil {
			return nil, err
		}
		children[i] = n
	}
	switch q.Operator {
	case query.MatchQueryOperatorOr:
		return newAnyNode(children, 1), nil
	case query.MatchQueryOperatorAnd:
		return newAllNode(children), nil
	}
	return b.bleve(q)
}

// bleve returns Bleve's own searcher for q as a node.
func (b *wordsBuilder) bleve(q query.Query) (scoreNode, error) {
	s, err := q.Searcher(b.ctx, b.snap, b.m, b.options)
	if err != nil {
		return nil, err
	}
	b.opened = append(b.opened, s)
	return &bleveNode{s: s}, nil
}

// term is Bleve's NewTermSearcher: the term, or with synonyms the term
// and its synonyms at half its weight.
func (b *wordsBuilder) term(field, term string, boost float64, synonyms bool) (scoreNode, error) {
	if synonyms {
		if syns, ok := b.synonyms[field][term]; ok {
			children := make([]scoreNode, 0, len(syns)+1)
			t, err := b.oneTerm(field, term, boost)
			if err != nil {
				return nil, err
			}
			children = append(children, t)
			for _, syn := range syns {
				t, err := b.oneTerm(field, syn, boost/2.0)
				if err != nil {
					return nil, err
				}
				children = append(children, t)
			}
			return newAnyNode(children, 0), nil
		}
	}
	return b.oneTerm(field, term, boost)
}

// oneTerm is Bleve's TermSearcher with its TermQueryScorer (tf-idf).
func (b *wordsBuilder) oneTerm(field, term string, boost float64) (*termNode, error) {
	dicts, ok := b.dicts[field]
	if !ok {
		dicts = make([]segment.TermDictionary, len(b.segs))
		for i, s := range b.segs {
			d, err := s.seg.Dictionary(field)
			if err != nil {
				return nil, err
			}
			dicts[i] = d
		}
		b.dicts[field] = dicts
	}
	t := &termNode{lists: make([]segment.PostingsList, len(b.segs)), boost: boost, queryWeight: 1.0}
	for i, d := range dicts {
		pl, err := d.PostingsList([]byte(term), b.segs[i].deleted, nil)
		if err != nil {
			return nil, err
		}
		t.lists[i] = pl
		t.n += pl.Count()
	}
	t.idf = 1.0 + math.Log(float64(b.docTotal)/float64(t.n+1.0))
	return t, nil
}

// termNode is a term in a field.
type termNode struct {
	lists                   []segment.PostingsList // by segment
	n                       uint64                 // listings having it
	boost, idf, queryWeight float64

	// Where the reading is, from one block of listings to the next: the
	// segment, its iterator, and a posting read past the last block.
	seg     int
	it      segment.PostingsIterator
	started bool
	ahead   bool
	doc     uint64
	score   float64
}

func (t *termNode) weight() float64 {
	sum := t.boost * t.idf
	return sum * sum
}

func (t *termNode) setQueryNorm(n float64) { t.queryWeight = t.boost * t.idf * n }

func (t *termNode) count() uint64 { return t.n }

// eval reads the term's postings between the bounds, scoring each as
// Bleve's TermQueryScorer does.
func (t *termNode) eval(e *wordsEval) (*scoredList, error) {
	out := e.list(int(min(t.n, e.hi-e.lo)))
	err := t.each(e, func(doc uint32, score float64) {
		out.docs = append(out.docs, doc)
		out.scores = append(out.scores, score)
	})
	if err != nil {
		e.release(out)
		return nil, err
	}
	return out, nil
}

// each calls f with each listing having the term in the evaluation's
// block, in order, and its score. Blocks come in order; the first starts
// the reading at its lower bound.
func (t *termNode) each(e *wordsEval, f func(doc uint32, score float64)) error {
	if !t.started {
		// Just before the first segment reaching the block.
		t.started = true
		t.seg = len(e.segs)
		for i, s := range e.segs {
			if s.offset+s.size > e.lo {
				t.seg = i - 1
				break
			}
		}
	}
	for {
		if t.ahead {
			if t.doc >= e.hi {
				return nil
			}
			f(uint32(t.doc-e.lo), t.score)
			t.ahead = false
		}
		if err := t.read(e); err != nil || !t.ahead {
			return err
		}
	}
}

// read reads the next posting, moving on through the segments; t.ahead
// is false when there are no more.
func (t *termNode) read(e *wordsEval) error {
	for t.seg < len(e.segs) {
		if t.it == nil {
			t.seg++
			if t.seg >= len(e.segs) {
				return nil
			}
			s := e.segs[t.seg]
			if t.lists[t.seg] == nil || t.lists[t.seg].Count() == 0 {
				continue
			}
			t.it = t.lists[t.seg].Iterator(true, true, false, nil)
			var p segment.Posting
			var err error
			if e.lo > s.offset {
				p, err = t.it.Advance(e.lo - s.offset)
			} else {
				p, err = t.it.Next()
			}
			if err != nil || p != nil {
				return t.note(p, s.offset, err)
			}
			t.it = nil
			continue
		}
		p, err := t.it.Next()
		if err != nil || p != nil {
			return t.note(p, e.segs[t.seg].offset, err)
		}
		t.it = nil
	}
	return nil
}

// note keeps posting p of the segment at offset, scored as Bleve's
// TermQueryScorer scores it.
func (t *termNode) note(p segment.Posting, offset uint64, err error) error {
	if err != nil {
		return err
	}
	var tf float64
	if f := p.Frequency(); f < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[int(f)]
	} else {
		tf = math.Sqrt(float64(f))
	}
	score := tf * postingNorm(p) * t.idf
	if t.queryWeight != 1.0 {
		score = score * t.queryWeight
	}
	t.doc, t.score, t.ahead = offset+p.Number(), score, true
	return nil
}

// postingNorm is p.Norm(), for zap's postings from a table by the
// field's length: zap works out one over its square root for every
// posting read, a tenth of the time of a search of a million listings.
func postingNorm(p segment.Posting) float64 {
	if z, ok := p.(interface{ NormUint64() uint64 }); ok {
		if n := z.NormUint64(); n < uint64(len(normsByLength)) {
			return normsByLength[n]
		}
	}
	return p.Norm()
}

// normsByLength is zap's norm of a field of each length (zapx
// Posting.Norm).
var normsByLength = func() []float64 {
	t := make([]float64, 1024)
	for n := range t {
		t[n] = float64(float32(1.0 / math.Sqrt(float64(n))))
	}
	return t
}()

// groupNode is Bleve's disjunction searcher ("any of": the sum of the
// scores of the clauses matched, times the share of the clauses matched)
// or conjunction searcher ("all of": the sum, where every clause
// matches). Bleve sorts a conjunction's clauses by count, and a
// disjunction's when there are few (DisjunctionHeapTakeover), and adds up
// in that order; a larger disjunction keeps them as given.
type groupNode struct {
	children []scoreNode
	least    int  // the fewest clauses a match has
	all      bool // a conjunction
}

func newAnyNode(children []scoreNode, min int) *groupNode {
	return newGroupNode(children, min, false)
}

func newAllNode(children []scoreNode) *groupNode {
	return newGroupNode(children, len(children), true)
}

func newGroupNode(children []scoreNode, least int, all bool) *groupNode {
	if all || len(children) <= searcher.DisjunctionHeapTakeover {
		sort.Sort(byCount(children))
	}
	g := &groupNode{children: children, least: least, all: all}
	g.setQueryNorm(1.0 / math.Sqrt(g.weight()))
	return g
}

func (g *groupNode) weight() float64 { return sumOfWeights(g.children) }

func (g *groupNode) setQueryNorm(n float64) {
	for _, c := range g.children {
		c.setQueryNorm(n)
	}
}

func (g *groupNode) count() uint64 { return sumOfCounts(g.children) }

func (g *groupNode) eval(e *wordsEval) (*scoredList, error) {
	if len(g.children) == 1 && g.least <= 1 {
		// Its child's scores, times one in one.
		return g.children[0].eval(e)
	}
	return e.combine(g.children, g.least, g.all)
}

func sumOfWeights(ns []scoreNode) float64 {
	var sum float64
	for _, c := range ns {
		sum += c.weight()
	}
	return sum
}

func sumOfCounts(ns []scoreNode) uint64 {
	var sum uint64
	for _, c := range ns {
		sum += c.count()
	}
	return sum
}

// byCount orders nodes as Bleve's OrderedSearcherList does, with the same
// sort, so that equal counts end up in the same order.
type byCount []scoreNode

func (b byCount) Len() int           { return len(b) }
func (b byCount) Less(i, j int) bool { return b[i].count() < b[j].count() }
func (b byCount) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

// noMatches is Bleve's MatchNoneSearcher: no weight, no matches, though
// it counts as a clause of a disjunction.
type noMatches struct{}

func (noMatches) weight() float64      { return 0 }
func (noMatches) setQueryNorm(float64) {}
func (noMatches) count() uint64        { return 0 }
func (noMatches) eval(e *wordsEval) (*scoredList, error) {
	return e.list(0), nil
}

// bleveNode is a Bleve searcher, read from the lower bound to the upper.
type bleveNode struct {
	s     search.Searcher
	sctx  *search.SearchContext
	ahead *search.DocumentMatch // read past the last block
	done  bool
}

func (b *bleveNode) weight() float64        { return b.s.Weight() }
func (b *bleveNode) setQueryNorm(n float64) { b.s.SetQueryNorm(n) }
func (b *bleveNode) count() uint64          { return b.s.Count() }

// eval returns the searcher's matches in the evaluation's block; blocks
// come in order, and the first starts the searcher at its lower bound.
func (b *bleveNode) eval(e *wordsEval) (*scoredList, error) {
	out := e.list(0)
	if b.done {
		return out, nil
	}
	d, err := b.ahead, error(nil)
	if b.sctx == nil {
		b.sctx = &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(b.s.DocumentMatchPoolSize()+1, 0), IndexReader: e.reader}
		var id [8]byte
		binary.BigEndian.PutUint64(id[:], e.lo)
		d, err = b.s.Advance(b.sctx, id[:])
	}
	b.ahead = nil
	for ; err == nil && d != nil; d, err = b.s.Next(b.sctx) {
		doc, ok := docNumber(d.IndexInternalID)
		if !ok {
			break
		}
		if doc >= e.hi {
			b.ahead = d
			return out, nil
		}
		out.docs = append(out.docs, uint32(doc-e.lo))
		out.scores = append(out.scores, d.Score)
		b.sctx.DocumentMatchPool.Put(d)
	}
	if err != nil {
		e.release(out)
		return nil, err
	}
	b.done = true
	return out, nil
}

// wordsBlock is how many listings are scored at a time: the sums of a
// block (10 bytes a listing) stay in the processor's cache. Whole, the
// half of a million listings a part covers took 5 MB a disjunction,
// and the additions were then mostly waits for memory.
const wordsBlock = 1 << 15

// scoredList is matches in order: listings by internal number less the
// evaluation's lower bound, and their scores.
type scoredList struct {
	docs   []uint32
	scores []float64
}

// wordsEval is one evaluation of a query's nodes between two internal
// numbers, with the buffers it reuses.
type wordsEval struct {
	ctx    context.Context
	reader index.IndexReader
	segs   []wordsSegment
	lo, hi uint64
	free   []*scoredList
}

// accumulator adds up the scores of a node's clauses by listing.
type accumulator struct {
	sums    []float64
	matched []uint16
	seen    []uint64 // a bit a listing
}

var accumulators = sync.Pool{New: func() any { return &accumulator{} }}

// scoredLists keeps lists between searches: a common word's run to tens
// of thousands of matches.
var scoredLists = sync.Pool{New: func() any { return &scoredList{} }}

func (e *wordsEval) list(capacity int) *scoredList {
	var l *scoredList
	if n := len(e.free); n > 0 {
		l = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		l = scoredLists.Get().(*scoredList)
	}
	l.docs, l.scores = l.docs[:0], l.scores[:0]
	if cap(l.docs) < capacity {
		l.docs, l.scores = make([]uint32, 0, capacity), make([]float64, 0, capacity)
	}
	return l
}

func (e *wordsEval) release(l *scoredList) { e.free = append(e.free, l) }

// done gives the lists it kept back to the pool.
func (e *wordsEval) done() {
	for _, l := range e.free {
		scoredLists.Put(l)
	}
	e.free = nil
}

// combine evaluates children and adds up their scores by listing, each
// listing's in the children's order. A listing matched by fewer than least
// of them is left out. The score of one of "any of" (all false) is the sum
// times the share of the children matched, as Bleve's disjunction scores;
// of "all of", the sum.
func (e *wordsEval) combine(children []scoreNode, least int, all bool) (*scoredList, error) {
	if len(children) > math.MaxUint16 {
		return nil, Internal(nil, "a query with too many clauses")
	}
	size := int(e.hi - e.lo)
	a := accumulators.Get().(*accumulator)
	defer accumulators.Put(a)
	if cap(a.sums) < size {
		a.sums = make([]float64, size)
		a.matched = make([]uint16, size)
		a.seen = make([]uint64, (size+63)/64)
	}
	sums, matched, seen := a.sums[:size], a.matched[:size], a.seen[:(size+63)/64]
	total := 0
	for _, c := range children {
		if err := e.ctx.Err(); err != nil {
			clearAccumulator(sums, matched, seen)
			return nil, err
		}
		if t, ok := c.(*termNode); ok {
			// Added up as read: the same additions in the same order,
			// without a list between.
			err := t.each(e, func(doc uint32, score float64) {
				sums[doc] += score
				matched[doc]++
				seen[doc>>6] |= 1 << (doc & 63)
			})
			if err != nil {
				clearAccumulator(sums, matched, seen)
				return nil, err
			}
			total += int(t.n)
			continue
		}
		l, err := c.eval(e)
		if err != nil {
			clearAccumulator(sums, matched, seen)
			return nil, err
		}
		for k, doc := range l.docs {
			sums[doc] += l.scores[k]
			matched[doc]++
			seen[doc>>6] |= 1 << (doc & 63)
		}
		total += len(l.docs)
		e.release(l)
	}
	out := e.list(min(total, size))
	for w, word := range seen {
		if word == 0 {
			continue
		}
		seen[w] = 0
		for word != 0 {
			doc := uint32(w<<6 + bits.TrailingZeros64(word))
			word &= word - 1
			if m := int(matched[doc]); m >= least {
				s := sums[doc]
				if !all {
					s = s * (float64(m) / float64(len(children)))
				}
				out.docs = append(out.docs, doc)
				out.scores = append(out.scores, s)
			}
			sums[doc], matched[doc] = 0, 0
		}
	}
	return out, nil
}

// clearAccumulator zeroes what an evaluation that stopped part-way left.
func clearAccumulator(sums []float64, matched []uint16, seen []uint64) {
	clear(sums)
	clear(matched)
	clear(seen)
}

// wordsSearcher passes on the matches of its nodes as a Bleve searcher,
// working them all out when first asked.
type wordsSearcher struct {
	ctx    context.Context
	root   scoreNode
	not    *bleveNode // matches left out, if any
	page   *pageOnly  // if set, only matches that can make the page
	opened []search.Searcher
	segs   []wordsSegment
	lo, hi uint64
	res    *scoredList
	pos    int
}

func (s *wordsSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if err := s.evaluate(ctx); err != nil {
		return nil, err
	}
	return s.match(ctx), nil
}

func (s *wordsSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if err := s.evaluate(ctx); err != nil {
		return nil, err
	}
	if n, ok := docNumber(id); ok && n > s.lo {
		want := uint32(min(n-s.lo, math.MaxUint32))
		docs := s.res.docs
		s.pos += sort.Search(len(docs)-s.pos, func(k int) bool { return docs[s.pos+k] >= want })
	}
	return s.match(ctx), nil
}

func (s *wordsSearcher) evaluate(ctx *search.SearchContext) error {
	if s.res != nil {
		return nil
	}
	if s.hi-s.lo > math.MaxUint32 {
		return Internal(nil, "an index too large to score a word at a time")
	}
	e := &wordsEval{ctx: s.ctx, reader: ctx.IndexReader, segs: s.segs}
	defer e.done()
	res := scoredLists.Get().(*scoredList)
	res.docs, res.scores = res.docs[:0], res.scores[:0]
	for lo := s.lo; lo < s.hi; lo += wordsBlock {
		e.lo, e.hi = lo, min(lo+wordsBlock, s.hi)
		l, err := s.root.eval(e)
		if err != nil {
			scoredLists.Put(res)
			return err
		}
		if s.not != nil {
			not, err := s.not.eval(e)
			if err != nil {
				scoredLists.Put(res)
				return err
			}
			without(l, not.docs)
			e.release(not)
		}
		from := uint32(lo - s.lo)
		for _, doc := range l.docs {
			res.docs = append(res.docs, from+doc)
		}
		res.scores = append(res.scores, l.scores...)
		e.release(l)
	}
	if s.page != nil {
		s.page.unseen.Add(int64(keepBest(res, s.page.n)))
	}
	s.res = res
	return nil
}

// without takes the listings of not out of l. Both are in order.
func without(l *scoredList, not []uint32) {
	if len(not) == 0 {
		return
	}
	kept, k := 0, 0
	for i, doc := range l.docs {
		for k < len(not) && not[k] < doc {
			k++
		}
		if k < len(not) && not[k] == doc {
			continue
		}
		l.docs[kept], l.scores[kept] = doc, l.scores[i]
		kept++
	}
	l.docs, l.scores = l.docs[:kept], l.scores[:kept]
}

// keepBest keeps the matches of l that may be among its best n, in
// order, and returns how many it left out. What orders matches is their
// score as the search's cutoff rounds it (steadyScore), then their ids,
// which only the collector reads: every match scoring as well as the nth
// is kept.
func keepBest(l *scoredList, n int) int {
	if n <= 0 || len(l.docs) <= n {
		return 0
	}
	sp := steadyScratch.Get().(*[]float64)
	defer steadyScratch.Put(sp)
	steady := (*sp)[:0]
	for _, s := range l.scores {
		steady = append(steady, steadyScore(s))
	}
	*sp = steady
	nth := nthLargest(steady, n)
	kept := 0
	for i, s := range l.scores {
		if steadyScore(s) >= nth {
			l.docs[kept], l.scores[kept] = l.docs[i], l.scores[i]
			kept++
		}
	}
	left := len(l.docs) - kept
	l.docs, l.scores = l.docs[:kept], l.scores[:kept]
	return left
}

var steadyScratch = sync.Pool{New: func() any { return new([]float64) }}

// nthLargest returns the nth largest of xs (1 for the largest), moving
// them about: quickselect, on average in time linear in len(xs).
func nthLargest(xs []float64, n int) float64 {
	k := n - 1 // the index it would have, sorted largest first
	lo, hi := 0, len(xs)-1
	for lo < hi {
		pivot := xs[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for xs[i] > pivot {
				i++
			}
			for xs[j] < pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}

func (s *wordsSearcher) match(ctx *search.SearchContext) *search.DocumentMatch {
	if s.pos >= len(s.res.docs) {
		return nil
	}
	d := ctx.DocumentMatchPool.Get()
	d.IndexInternalID = binary.BigEndian.AppendUint64(d.IndexInternalID[:0], s.lo+uint64(s.res.docs[s.pos]))
	d.Score = s.res.scores[s.pos]
	s.pos++
	return d
}

func (s *wordsSearcher) Close() error {
	if s.res != nil {
		scoredLists.Put(s.res)
		s.res = nil
	}
	var first error
	for _, o := range s.opened {
		if err := o.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *wordsSearcher) Weight() float64            { return s.root.weight() }
func (s *wordsSearcher) SetQueryNorm(n float64)     { s.root.setQueryNorm(n) }
func (s *wordsSearcher) Count() uint64              { return s.root.count() }
func (s *wordsSearcher) Min() int                   { return 0 }
func (s *wordsSearcher) Size() int                  { return 0 }
func (s *wordsSearcher) DocumentMatchPoolSize() int { return 1 }
