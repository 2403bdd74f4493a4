package directory

import (
	"context"

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
