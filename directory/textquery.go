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
var fuzzyFields = []string{fName, fAbout, fInterests}

// phraseField is where a phrase is looked for, with its weight: pairs is
// the field of the text's pairs of words (index.go), and words the fields
// of the same text where a "phrase" of one word is looked for ("drop in"
// is the word "drop": "in" is a stop word).
type phraseField struct {
	pairs string
	boost float64
	words []string
}

// phraseFields are where phrases, as typed and as the thesaurus's
// multi-word synonyms, are looked for: not in the long description,
// where they mostly find noise.
var phraseFields = []phraseField{
	{fNamePairs, 3, []string{fName}},
	{fAboutPairs, 1.5, []string{fAbout, fInterests, fStrengths}},
}

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
	phrases := func(p string, weight float64) []query.Query {
		return phraseQueries(analyzedTerms(analyzer, p), weight)
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
				typed = append(typed, phrases(e.Phrase, 1)...)
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
		synonyms = append(synonyms, phrases(sp.phrase, synonymWeight*float64(sp.times))...)
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
		whole = phrases(all, phraseWeight)
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
			groups = append(groups, anyOf(g))
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
	return anyOf(groups), crisis
}

// anyOf returns the disjunction of qs, or the one query when there is one:
// a disjunction of one scores as its query does (the sum of one score,
// times the one match of one clause), and every match of a common word
// passed through the needless layer.
func anyOf(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
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
		key = strings.Join(analyzedTerms(analyzer, phrase), " ")
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

// analyzedTerms returns the terms the text analyzer makes of text, in
// order (none without an analyzer).
func analyzedTerms(analyzer analysis.Analyzer, text string) []string {
	if analyzer == nil {
		return nil
	}
	toks := analyzer.Analyze([]byte(text))
	out := make([]string, len(toks))
	for i, tok := range toks {
		out[i] = string(tok.Term)
	}
	return out
}

// phraseQueries finds a phrase, given as its analysed terms, in each of
// phraseFields at weight times the field's boost. A phrase of one term
// (the rest stop words) is that term in the field's words. A longer one
// is its pairs of terms next to each other in the pairs field ("walking
// group" is "walk group"; "walk in the park" is "walk park"), each scored
// as a term: a listing has the phrase when it has all its pairs. For
// phrases of three or more words that is slightly looser than the words
// in order ("men walk group" and "walk group men" share "walk group" but
// each also needs its other pair), and it costs a look-up of a term or
// two where a phrase query reads the position of every word in every
// listing having them all.
func phraseQueries(terms []string, weight float64) []query.Query {
	if len(terms) == 0 {
		return nil
	}
	var out []query.Query
	for _, f := range phraseFields {
		boost := f.boost * weight
		if len(terms) == 1 {
			for _, field := range f.words {
				out = append(out, exactTerm{Field: field, Term: terms[0], Boost: boost})
			}
			continue
		}
		var pairs []query.Query
		seen := map[string]bool{}
		for i := 1; i < len(terms); i++ {
			pair := terms[i-1] + " " + terms[i]
			if !seen[pair] {
				seen[pair] = true
				pairs = append(pairs, exactTerm{Field: f.pairs, Term: pair, Boost: boost})
			}
		}
		if len(pairs) == 1 {
			out = append(out, pairs[0])
			continue
		}
		// A conjunction does not pass its weight on, so each pair
		// carries it.
		out = append(out, bleve.NewConjunctionQuery(pairs...))
	}
	return out
}

// exactTerm is a term in a field, as typed: a phrase's one word, or a pair
// of words in a pairs field. Bleve widens a term query on a field with a
// synonym source by the term's synonyms, and a phrase's word ("drop" of
// "drop in") widened by the synonyms of that word alone found listings
// the phrase has nothing to do with ("walk" for "walk in"). Bleve finds
// the synonyms a search needs by walking its query, and does not see into
// a query of ours; the searcher is also given none.
type exactTerm struct {
	Field string  `json:"field"`
	Term  string  `json:"term"`
	Boost float64 `json:"boost"`
}

// Searcher returns a term searcher with no synonyms.
func (q exactTerm) Searcher(ctx context.Context, i index.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	ctx = context.WithValue(ctx, search.FieldTermSynonymMapKey, search.FieldTermSynonymMap(nil))
	return searcher.NewTermSearcher(ctx, i, q.Term, q.Field, q.Boost, options)
}
