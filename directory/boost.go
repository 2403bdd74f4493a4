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
	// Words are looked for in each text field; a field matches when it has
	// all of them (after stemming and synonyms).
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

// scored reports whether a search ranks by how well listings match (text
// or boosts) rather than only by place or time.
func (q *Query) scored() bool { return q.Text != "" || len(q.Boosts) > 0 }

// boostedQuery wraps a search's parts so that the text (when there is
// any: the first of must) and the boosts decide the score. The filters (the
// rest of must) still have to match but no longer score, and without text
// every listing that passes them comes back, the boosts only ordering them.
func boostedQuery(must []query.Query, hasText bool, bs []Boost, exclude []string) query.Query {
	b := bleve.NewBooleanQuery()
	if hasText {
		b.AddMust(must[0])
		must = must[1:]
	} else {
		// A small, equal score for every listing, so that the should
		// clauses are optional and only order the results.
		all := bleve.NewMatchAllQuery()
		all.SetBoost(0.001)
		b.AddMust(all)
	}
	b.AddFilter(bleve.NewConjunctionQuery(must...))
	b.AddShould(boostQueries(bs)...)
	if len(exclude) > 0 {
		b.AddMustNot(bleve.NewDocIDQuery(exclude))
	}
	return b
}

// boostQueries turns boosts into should-clauses: words as an all-words
// match in every text field (with the field's weight), a category as a term
// on the category field, which holds each listing's categories with their
// ancestors.
func boostQueries(bs []Boost) []query.Query {
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
		for _, f := range textFields {
			m := bleve.NewMatchQuery(strings.TrimSpace(b.Words))
			m.SetField(f.name)
			m.SetOperator(query.MatchQueryOperatorAnd)
			m.SetBoost(f.boost * w)
			out = append(out, m)
		}
	}
	return out
}
