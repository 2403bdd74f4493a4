package directory

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// constantScoreQuery matches what its query matches, every match scoring
// the same. Search puts the filters of a search in one of these, beside
// the words' query in a conjunction, rather than in a Bleve boolean
// query's filter: the boolean query walks every match of the words and
// checks each against the filters, so that "support group" within 5 km
// of SE5 looked at the tens of thousands of listings that say "support"
// anywhere, where a conjunction leaps from one listing within the area to
// the next. The filters are run unscored, which lets Bleve combine their
// terms as bitmaps; a score of 0 leaves the words' scores exactly as they
// were.
type constantScoreQuery struct {
	q     query.Query
	score float64
}

// Searcher returns an unscored searcher of the query whose matches all
// score c.score.
func (c constantScoreQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	options.Score, options.Explain, options.IncludeTermVectors = "none", false, false
	s, err := c.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	return &constantScoreSearcher{Searcher: s, score: c.score}, nil
}

// constantScoreSearcher gives every match of its searcher the same score,
// and takes no part in normalising the scores of the query around it.
type constantScoreSearcher struct {
	search.Searcher
	score float64
}

func (s *constantScoreSearcher) set(d *search.DocumentMatch) *search.DocumentMatch {
	if d != nil {
		d.Score, d.Expl = s.score, nil
	}
	return d
}

// Next returns the next match, scored.
func (s *constantScoreSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	return s.set(d), err
}

// Advance returns the first match at or after id, scored.
func (s *constantScoreSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	return s.set(d), err
}

// Weight is 0: a constant score takes no part in the query norm.
func (s *constantScoreSearcher) Weight() float64 { return 0 }

// SetQueryNorm does nothing: the score is constant.
func (s *constantScoreSearcher) SetQueryNorm(float64) {}

// narrowConjunctionQuery matches what every one of its parts matches, as
// Bleve's conjunction does, but says it may match no more than its
// narrowest part. Bleve estimates a conjunction as the sum of its parts,
// and a conjunction of conjunctions leads with the part it thinks
// narrowest: with the sum, the words of a search (tens of thousands of
// matches) would lead the few hundred listings within a circle.
type narrowConjunctionQuery struct {
	parts []query.Query
}

// Searcher returns a conjunction searcher of the parts, counting as the
// narrowest.
func (c narrowConjunctionQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	ss := make([]search.Searcher, 0, len(c.parts))
	closeAll := func() {
		for _, s := range ss {
			_ = s.Close()
		}
	}
	var least uint64
	for n, p := range c.parts {
		s, err := p.Searcher(ctx, i, m, options)
		if err != nil {
			closeAll()
			return nil, err
		}
		ss = append(ss, s)
		if n == 0 || s.Count() < least {
			least = s.Count()
		}
	}
	s, err := searcher.NewConjunctionSearcher(ctx, i, ss, options)
	if err != nil {
		closeAll()
		return nil, err
	}
	return &countedSearcher{Searcher: s, count: least}, nil
}

// countedSearcher is a searcher with its own estimate of how many it
// matches.
type countedSearcher struct {
	search.Searcher
	count uint64
}

// Count returns the estimate.
func (s *countedSearcher) Count() uint64 { return s.count }

// withoutQuery matches what q matches and not what not matches, scored as
// q alone scores. It is Bleve's boolean query with one "must" and one "must
// not", less the conjunction of one that the boolean query puts its "must"
// in: a layer every match of a common word passed through.
type withoutQuery struct {
	q, not query.Query
}

// Searcher returns q's searcher, skipping the matches of not.
func (w withoutQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	ctx, err := withSynonymsOf(ctx, i, m, w.q)
	if err != nil {
		return nil, err
	}
	s, err := w.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	notOptions := options
	notOptions.Score, notOptions.Explain, notOptions.IncludeTermVectors = "none", false, false
	not, err := w.not.Searcher(ctx, i, m, notOptions)
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	// Normalised as the top of a query, as Bleve's boolean query does.
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return &withoutSearcher{Searcher: s, not: not}, nil
}

// withoutSearcher passes on its searcher's matches that its not searcher
// does not match.
type withoutSearcher struct {
	search.Searcher
	not     search.Searcher
	notCurr *search.DocumentMatch
	notDone bool
}

// Next returns the next match not excluded.
func (s *withoutSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	return firstKept(ctx, s.Searcher, d, err, s.keeper(ctx))
}

// Advance returns the first match at or after id not excluded.
func (s *withoutSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	return firstKept(ctx, s.Searcher, d, err, s.keeper(ctx))
}

// keeper returns what keeps a match: that not does not match it.
func (s *withoutSearcher) keeper(ctx *search.SearchContext) func(*search.DocumentMatch) (bool, error) {
	return func(d *search.DocumentMatch) (bool, error) {
		excluded, err := s.excludes(ctx, d.IndexInternalID)
		return !excluded, err
	}
}

// excludes reports whether the not searcher matches id. The ids asked
// about only grow, so it moves forward only.
func (s *withoutSearcher) excludes(ctx *search.SearchContext, id index.IndexInternalID) (bool, error) {
	if s.notDone {
		return false, nil
	}
	if s.notCurr == nil || s.notCurr.IndexInternalID.Compare(id) < 0 {
		if s.notCurr != nil {
			ctx.DocumentMatchPool.Put(s.notCurr)
		}
		var err error
		s.notCurr, err = s.not.Advance(ctx, id)
		if err != nil {
			return false, err
		}
		if s.notCurr == nil {
			s.notDone = true
			return false, nil
		}
	}
	return s.notCurr.IndexInternalID.Equals(id), nil
}

// Close closes both searchers.
func (s *withoutSearcher) Close() error {
	err := s.Searcher.Close()
	if nerr := s.not.Close(); err == nil {
		err = nerr
	}
	return err
}

// DocumentMatchPoolSize makes room for the not searcher's match too.
func (s *withoutSearcher) DocumentMatchPoolSize() int {
	return s.Searcher.DocumentMatchPoolSize() + s.not.DocumentMatchPoolSize()
}

// withSynonymsOf returns ctx with the synonyms Bleve would have found for
// q. Bleve finds the synonyms a search needs by walking its query before
// it asks for the searcher, and does not see into a query of ours: a query
// of ours around words finds them for the words instead, in the same way.
// ctx is returned as it is when it has them already.
func withSynonymsOf(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, q query.Query) (context.Context, error) {
	if _, ok := ctx.Value(search.FieldTermSynonymMapKey).(search.FieldTermSynonymMap); ok {
		return ctx, nil
	}
	sm, ok := m.(mapping.SynonymMapping)
	if !ok || sm.SynonymCount() == 0 {
		return ctx, nil
	}
	tr, ok := i.(index.ThesaurusReader)
	if !ok {
		return ctx, nil
	}
	fts, err := query.ExtractSynonyms(ctx, sm, tr, q, nil)
	if err != nil || fts == nil {
		return ctx, err
	}
	return context.WithValue(ctx, search.FieldTermSynonymMapKey, fts), nil
}
