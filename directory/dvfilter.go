package directory

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// docValueCheck is a test of a listing by one of its doc values: a
// location within a radius (nearby.go), a session within a time window
// (window.go). A listing passes when any of its values does.
type docValueCheck struct {
	field string
	keep  func(value []byte) bool
	// nearest, when set, is the radius check instead of keep: it needs
	// all of a listing's locations, to find the nearest.
	nearest *nearestMemo
}

// over returns a query matching what q matches that passes the check,
// scored as q scores it.
func (c docValueCheck) over(q query.Query) query.Query {
	return docValueFilterQuery{candidates: q, check: c}
}

// docValueFilterQuery matches the listings its candidates match that pass
// a check of their doc values, with the candidates' scores. Search puts
// the checks around its whole query (buildQuery), so that only the
// listings that pass everything else are checked: reading one listing's
// doc value means unpacking the block of a thousand listings it is
// stored in.
//
// Bleve's own custom filter query does the same, but for every candidate
// it also reads the listing's id from its stored fields and gathers the
// doc values into a fresh map; near a place the candidates run into
// thousands, and that was most of a search's time. This one reads the one
// field, with one reader for the whole search, and nothing else.
type docValueFilterQuery struct {
	candidates query.Query
	check      docValueCheck
}

// Searcher returns a searcher of the candidates that skips the listings
// that do not pass the check.
func (q docValueFilterQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	s, err := q.candidates.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	dvr, err := i.DocValueReader([]string{q.check.field})
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	if q.check.nearest != nil {
		q.check.nearest.reset(dvr)
	}
	fs := &docValueFilterSearcher{Searcher: s, dvr: dvr, keep: q.check.keep, nearest: q.check.nearest}
	fs.visitor = fs.visit
	return fs, nil
}

// docValueFilterSearcher is docValueFilterQuery's searcher.
type docValueFilterSearcher struct {
	search.Searcher
	dvr     index.DocValueReader
	keep    func([]byte) bool
	nearest *nearestMemo
	// visitor is visit, made once: a method value passed on each call
	// would be made afresh every time.
	visitor index.DocValueVisitor
	pass    bool
}

// Next returns the next candidate that passes.
func (s *docValueFilterSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	return firstKept(ctx, s.Searcher, d, err, s.passes)
}

// Advance returns the first candidate at or after id that passes.
func (s *docValueFilterSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	return firstKept(ctx, s.Searcher, d, err, s.passes)
}

// firstKept returns d, the match s has just found (or its error), when
// keep keeps it, else the next match of s that keep keeps: the loop of a
// searcher that passes on some of another's matches.
func firstKept(ctx *search.SearchContext, s search.Searcher, d *search.DocumentMatch, err error, keep func(*search.DocumentMatch) (bool, error)) (*search.DocumentMatch, error) {
	for err == nil && d != nil {
		ok, kerr := keep(d)
		if kerr != nil {
			return nil, kerr
		}
		if ok {
			return d, nil
		}
		ctx.DocumentMatchPool.Put(d)
		d, err = s.Next(ctx)
	}
	return d, err
}

func (s *docValueFilterSearcher) passes(d *search.DocumentMatch) (bool, error) {
	if s.nearest != nil {
		return s.nearest.pass(d.IndexInternalID)
	}
	s.pass = false
	err := s.dvr.VisitDocValues(d.IndexInternalID, s.visitor)
	return s.pass, err
}

func (s *docValueFilterSearcher) visit(_ string, value []byte) {
	if !s.pass && s.keep(value) {
		s.pass = true
	}
}
