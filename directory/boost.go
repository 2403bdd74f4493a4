package directory

import (
	"math"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Boost is one optional scoring clause of a search: words looked for in the
// listing's text, or a category.
type Boost struct {
	// Words are looked for in the name, interests and strengths: what a
	// listing says it is and asks for. The summary and description are
	// left out (they mention much in passing, and their many words would
	// make every boost slow), as are the category labels, which category
	// boosts cover. A field matches when it has all the words, after
	// stemming but without the index's synonyms.
	Words string
	// Category, used instead of Words, is a taxonomy code; listings filed
	// under it or under a category below it match.
	Category string
	// Weight scales the clause's score; 1 when 0.
	Weight float64
}

// Limits on boosts, so that one search cannot ask the index for unbounded
// work.
const (
	MaxBoosts        = 300
	maxBoostWordsLen = 200
)

// checkBoosts returns EINVALID naming the first boost that is wrong.
func checkBoosts(bs []Boost) error {
	if len(bs) > MaxBoosts {
		return Errorf(EINVALID, "a search may have at most %d boosts, not %d", MaxBoosts, len(bs))
	}
	for _, b := range bs {
		words, cat := strings.TrimSpace(b.Words), strings.TrimSpace(b.Category)
		switch {
		case (words == "") == (cat == ""):
			return Errorf(EINVALID, "a boost needs either words or a category, not both or neither")
		case len(words) > maxBoostWordsLen || len(cat) > maxBoostWordsLen:
			return Errorf(EINVALID, "a boost's words or category may be at most %d characters", maxBoostWordsLen)
		case b.Weight < 0 || math.IsNaN(b.Weight) || math.IsInf(b.Weight, 0):
			return Errorf(EINVALID, "a boost's weight must be a number of 0 or more")
		}
	}
	return nil
}

// boostedQuery combines a search's parts so that the text (when there is
// any: the first of must) and the boosts decide the score, while the
// filters (the rest of must) still have to match and still drive the
// search, so that only listings passing them are looked at. The filters
// are made to score next to nothing, and without text every listing that
// passes them comes back, the boosts only ordering them.
func (d *Directory) boostedQuery(must []query.Query, hasText bool, bs []Boost, exclude []string) query.Query {
	filters := must
	b := bleve.NewBooleanQuery()
	if hasText {
		b.AddMust(must[0])
		filters = must[1:]
	}
	// The filters unscored, as in every search (filter.go), each match
	// scoring filterBoost.
	b.AddMust(constantScoreQuery{q: bleve.NewConjunctionQuery(filters...), score: filterBoost})
	b.AddShould(d.boostQueries(bs)...)
	if len(exclude) > 0 {
		b.AddMustNot(bleve.NewDocIDQuery(exclude))
	}
	return b
}

// filterBoost is the score of passing the filters among boosts: enough to
// keep scores positive, too little to change an order.
const filterBoost = 1e-6

// boostQueries turns boosts into should-clauses: a category as a term on
// the category field, which holds each listing's categories with their
// ancestors; words, analysed as the index analyses text (lower case,
// stemmed, without stop words), as a conjunction of their terms in the
// name, interests and strengths fields, with each field's weight. Words are matched as they
// are, without the index's synonyms: a caller boosting words has expanded
// them already, and synonym expansion of every boost would make a search
// slow.
func (d *Directory) boostQueries(bs []Boost) []query.Query {
	analyzer := d.ix().idx.Mapping().AnalyzerNamed(textAnalyzer)
	var out []query.Query
	for _, b := range bs {
		w := b.Weight
		if w == 0 {
			w = 1
		}
		if cat := strings.TrimSpace(b.Category); cat != "" {
			t := bleve.NewTermQuery(cat)
			t.SetField(fCategory)
			t.SetBoost(w)
			out = append(out, t)
			continue
		}
		terms := analyzedTerms(analyzer, b.Words)
		if len(terms) == 0 {
			continue
		}
		for _, f := range textFields {
			if f.name != fName && f.name != fInterests && f.name != fStrengths {
				continue
			}
			// A conjunction does not pass its weight on, so each term
			// carries it.
			conj := make([]query.Query, len(terms))
			for i, t := range terms {
				tq := bleve.NewTermQuery(t)
				tq.SetField(f.name)
				tq.SetBoost(f.boost * w)
				conj[i] = tq
			}
			if len(conj) == 1 {
				out = append(out, conj[0])
				continue
			}
			out = append(out, bleve.NewConjunctionQuery(conj...))
		}
	}
	return out
}
