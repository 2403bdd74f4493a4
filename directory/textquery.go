package directory

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Weights of the parts of a text query relative to the words matched as
// typed. Bleve's synonym source adds single-word synonyms at half weight.
const (
	// phraseWeight rewards the words typed appearing together ("food
	// bank" as a phrase, not "food" here and "bank" there).
	phraseWeight = 1.5
	// synonymWeight is for multi-word synonyms from the thesaurus
	// ("foodbank" leading to "food bank").
	synonymWeight = 0.5
	// fuzzyWeight is for words found only by allowing a spelling mistake.
	fuzzyWeight = 0.3
	// categoryWeight is for being filed under the category the words name.
	categoryWeight = 1
	crisisBoost    = 50
)

// fuzzyFields are the text fields where spelling mistakes are looked for:
// what a listing is, in few words. In the long description they mostly
// find noise ("council" for "councelling").
var fuzzyFields = []string{fName, fCatText, fInterests, fSummary}

// phraseField is a field phrase queries run on, with its weight.
type phraseField struct {
	name  string
	boost float64
	// pairs, when set, is the field of the same text's pairs of words
	// (index.go), which gate the phrase.
	pairs string
}

// typedPhraseFields are where phrases as typed are looked for, and
// synonymPhraseFields where multi-word synonyms are: not in the long
// description, where they mostly find noise.
var (
	typedPhraseFields   = []phraseField{{fNamePhrase, 3, fNamePairs}, {fAboutPhrase, 1.5, fAboutPairs}, {fDescription, 1, ""}}
	synonymPhraseFields = []phraseField{{fNamePhrase, 3, fNamePairs}, {fAboutPhrase, 1.5, fAboutPairs}}
)

// boostOf returns the weight of a text field.
func boostOf(field string) float64 {
	for _, f := range textFields {
		if f.name == field {
			return f.boost
		}
	}
	return 1
}

// textQuery builds the scoring part of a search from the words typed, as
// four kinds of evidence:
//   - the words as typed: phrases the thesaurus knows ("universal
//     credit") as phrases, so that their words do not also count one by
//     one ("universal" is not "university"), and every other word in
//     every text field, with the index's synonym source adding
//     single-word synonyms in the short fields at half weight;
//   - the whole text as a phrase, when it has several words;
//   - the multi-word synonyms the thesaurus finds, as phrases;
//   - allowing spelling mistakes, only the words that neither the index
//     nor the thesaurus knows, so a correctly spelt word never drags in
//     near misses ("credit" finding "accredited").
//
// Each kind is its own group: Bleve scales a disjunction's score by the
// share of its clauses that match, so grouping keeps a listing that
// matches many synonyms from outscoring one that matches what was typed.
// Crisis words add a strong pull towards crisis services.
func (d *Directory) textQuery(text string) (query.Query, bool) {
	var typed, whole, synonyms, fuzzy []query.Query
	analyzer := d.ix().idx.Mapping().AnalyzerNamed(textAnalyzer)
	phrases := func(p string, fields []phraseField, weight float64) []query.Query {
		out := make([]query.Query, len(fields))
		oneWord := !strings.ContainsAny(strings.TrimSpace(p), " -/")
		for i, f := range fields {
			if oneWord {
				// A phrase of one word is a plain match, without the cost
				// of checking word positions.
				q := bleve.NewMatchQuery(p)
				q.SetField(f.name)
				q.SetBoost(f.boost * weight)
				out[i] = q
				continue
			}
			q := bleve.NewMatchPhraseQuery(p)
			q.SetField(f.name)
			q.SetBoost(f.boost * weight)
			out[i] = plainPhrase(q, f.pairs, analyzer)
		}
		return out
	}
	words := splitWords(text)
	var synPhrases phraseSet
	covered := make([]bool, len(words))
	known := map[string]bool{}
	for _, e := range d.th.Expand(text) {
		multi := e.End-e.Start > 1
		if multi {
			for i := e.Start; i < e.End; i++ {
				covered[i] = true
			}
			if !known[e.Phrase] {
				known[e.Phrase] = true
				typed = append(typed, phrases(e.Phrase, typedPhraseFields, 1)...)
			}
		}
		for _, syn := range e.Synonyms {
			if !multi && !strings.Contains(syn, " ") {
				continue // single words: the index's synonym source has them
			}
			synPhrases.add(syn, analyzer)
		}
	}
	for _, sp := range synPhrases.list {
		synonyms = append(synonyms, phrases(sp.phrase, synonymPhraseFields, synonymWeight*float64(sp.times))...)
	}
	var loose []string
	for i, w := range words {
		if !covered[i] {
			loose = append(loose, w)
		}
	}
	if len(loose) > 0 {
		for _, f := range textFields {
			m := bleve.NewMatchQuery(strings.Join(loose, " "))
			m.SetField(f.name)
			m.SetBoost(f.boost)
			typed = append(typed, m)
		}
	}
	if all := strings.Join(words, " "); len(words) > 1 && !known[all] {
		whole = phrases(all, typedPhraseFields, phraseWeight)
	}
	for _, t := range d.unknownTerms(loose) {
		for _, f := range fuzzyFields {
			fz := bleve.NewFuzzyQuery(t)
			fz.SetField(f)
			fz.SetAutoFuzziness(true)
			// The first letter must be right: misspellings people
			// type keep it ("councelling", "befrending"), and without
			// it an unknown word two letters from others found them
			// ("zither" found "father" and "sister").
			fz.SetPrefix(1)
			fz.SetBoost(boostOf(f) * fuzzyWeight)
			fuzzy = append(fuzzy, fz)
		}
	}
	var named []query.Query
	if term, ok := d.namedCategory(words); ok {
		c := bleve.NewTermQuery(term)
		c.SetField(fCategory)
		c.SetBoost(categoryWeight)
		named = append(named, c)
	}
	var groups []query.Query
	for _, g := range [][]query.Query{typed, whole, synonyms, fuzzy, named} {
		if len(g) > 0 {
			groups = append(groups, bleve.NewDisjunctionQuery(g...))
		}
	}
	crisis := IsCrisis(text)
	if crisis {
		c := bleve.NewTermQuery("crisis-support")
		c.SetField(fCategory)
		c.SetBoost(crisisBoost)
		groups = append(groups, c)
	}
	if len(groups) == 0 {
		// Only punctuation: nothing can match.
		return bleve.NewMatchNoneQuery(), crisis
	}
	return bleve.NewDisjunctionQuery(groups...), crisis
}

// phraseSet collects phrases once each by what they analyse to: the
// thesaurus lists "walking group" and "walking groups", which the index
// sees as the same two words, and every phrase query costs a search of
// word positions. A phrase listed several times counts that many times
// over, so that dropping the copies leaves the scores much as they were.
type phraseSet struct {
	list  []countedPhrase
	index map[string]int
}

type countedPhrase struct {
	phrase string
	times  int
}

// add counts phrase, keyed by its analysed words (by the phrase itself
// without an analyzer).
func (ps *phraseSet) add(phrase string, analyzer analysis.Analyzer) {
	key := phrase
	if analyzer != nil {
		var terms []string
		for _, tok := range analyzer.Analyze([]byte(phrase)) {
			terms = append(terms, string(tok.Term))
		}
		key = strings.Join(terms, " ")
	}
	if ps.index == nil {
		ps.index = map[string]int{}
	}
	if i, ok := ps.index[key]; ok {
		ps.list[i].times++
		return
	}
	ps.index[key] = len(ps.list)
	ps.list = append(ps.list, countedPhrase{phrase: phrase, times: 1})
}

// namedCategory returns the taxonomy code the words name exactly, by code
// or label ("counselling", "peer support", "food bank" for food-bank), so
// that listings filed under it (or under a category below it) count as
// what was asked for even when their text says it differently.
func (d *Directory) namedCategory(words []string) (string, bool) {
	if len(words) == 0 {
		return "", false
	}
	for _, s := range []string{strings.Join(words, " "), strings.Join(words, "-")} {
		if t, ok := d.tax.Resolve(s); ok {
			return t.Code, true
		}
	}
	return "", false
}

// minFuzzyTerm is the shortest analysed word that may be matched with a
// spelling mistake; shorter ones match too many other words.
const minFuzzyTerm = 4

// unknownTerms returns the analysed terms of words that are in no text
// field of the index and whose words the thesaurus does not know: the
// likely spelling mistakes.
func (d *Directory) unknownTerms(words []string) []string {
	analyzer := d.ix().idx.Mapping().AnalyzerNamed(textAnalyzer)
	if analyzer == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, word := range words {
		if d.th.Lookup(word) != nil {
			continue
		}
		for _, tok := range analyzer.Analyze([]byte(word)) {
			t := string(tok.Term)
			if len(t) < minFuzzyTerm || seen[t] {
				continue
			}
			seen[t] = true
			if !d.ix().hasTerm(t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// pairPhraseQuery is a phrase of two words next to each other, found
// through the pairs field (index.go) instead of word positions: a phrase
// query walks every listing having both words and reads where each word
// is, and with common words ("social groups") that was a third of a text
// search's time. It matches the listings with the pair and both words in
// the phrase's field, which are exactly the ones the phrase query
// matches, and scores them as the phrase query does (the sum of the two
// words' scores in the field, at the phrase's weight): the pair itself is
// unscored.
type pairPhraseQuery struct {
	Field string    `json:"field"`
	Words [2]string `json:"words"` // as analysed
	Pairs string    `json:"pairs"` // the pairs field
	Boost float64   `json:"boost"`
}

// pair returns the unscored query of the pair.
func (p pairPhraseQuery) pair() query.Query {
	return constantScoreQuery{q: term(p.Pairs, p.Words[0]+" "+p.Words[1])}
}

// Searcher returns a conjunction of the unscored pair and the two words.
func (p pairPhraseQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	ss := make([]search.Searcher, 0, 3)
	closeAll := func() {
		for _, s := range ss {
			_ = s.Close()
		}
	}
	gate, err := p.pair().Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	ss = append(ss, gate)
	for _, w := range p.Words {
		ts, err := searcher.NewTermSearcher(ctx, i, w, p.Field, p.Boost, options)
		if err != nil {
			closeAll()
			return nil, err
		}
		ss = append(ss, ts)
	}
	s, err := searcher.NewConjunctionSearcher(ctx, i, ss, options)
	if err != nil {
		closeAll()
		return nil, err
	}
	return s, nil
}

// plainPhrase returns q as a cheaper query finding the same listings with
// the same scores, when there is one: a term query when q analyses to one
// word ("drop in", "be a volunteer": the rest are stop words), a
// pairPhraseQuery when it is two different words next to each other and
// its field has a pairs field; else q.
func plainPhrase(q *query.MatchPhraseQuery, pairs string, analyzer analysis.Analyzer) query.Query {
	if analyzer == nil {
		return q
	}
	toks := analyzer.Analyze([]byte(q.MatchPhrase))
	switch {
	case len(toks) == 1:
		t := bleve.NewTermQuery(string(toks[0].Term))
		t.SetField(q.FieldVal)
		t.SetBoost(q.BoostVal.Value())
		return t
	case pairs == "" || len(toks) != 2 || toks[1].Position != toks[0].Position+1 || string(toks[0].Term) == string(toks[1].Term):
		return q
	}
	return pairPhraseQuery{Field: q.FieldVal, Words: [2]string{string(toks[0].Term), string(toks[1].Term)}, Pairs: pairs, Boost: q.BoostVal.Value()}
}
