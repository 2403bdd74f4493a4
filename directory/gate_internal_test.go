package directory

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestPlainPhrasesAsPhrases checks that a phrase of two words found
// through the pairs field, and a phrase of one word and stop words found
// as a term (textquery.go), find exactly the listings the phrase query
// finds, with the same scores: across stop words, plurals, word order,
// the parts of a listing (a phrase never spans two interests) and the
// start of a name.
func TestPlainPhrasesAsPhrases(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	names := []string{
		"Walking group", "Walking Groups for men", "Group walking", "A walk in the park group",
		"The walking and talking group", "Walking: a group", "Men's walking group", "Help with housing",
		"Help for housing", "Housing help desk", "Lunch club and coffee morning", "Coffee, then a morning walk",
	}
	var puts []*Listing
	for i, name := range names {
		l := gardenListing("p1", string(rune('a'+i)), name)
		l.Summary = "About: " + name
		l.Interests = []string{"walking", "group", "coffee morning"}
		puts = append(puts, l)
	}
	if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
		t.Fatal(err)
	}
	analyzer := d.ix().idx.Mapping().AnalyzerNamed(textAnalyzer)
	// What each phrase becomes: a pair, a word, or still a phrase.
	const pair, word, phrase = "pair", "word", "phrase"
	phrases := map[string]string{
		"walking group": pair, "walking groups": pair, "group walking": pair, "housing help": pair,
		"coffee morning": pair, "lunch club": pair, "men's walking": pair, "morning walk": pair, "a walking group": pair,
		"walk in the park": phrase, "walking and talking group": phrase, "help with housing": phrase,
		"a walk": word, "walking in": word, "the housing": word,
	}
	for p, want := range phrases {
		for _, f := range typedPhraseFields {
			t.Run(p+" in "+f.name, func(t *testing.T) {
				plain := bleve.NewMatchPhraseQuery(p)
				plain.SetField(f.name)
				plain.SetBoost(f.boost)
				cheaper := plainPhrase(plain, f.pairs, analyzer)
				got := phrase
				switch cheaper.(type) {
				case *query.TermQuery:
					got = word
				case pairPhraseQuery:
					got = pair
				}
				if want == pair && f.pairs == "" {
					want = phrase // no pairs of the description
				}
				if got != want {
					t.Fatalf("%q became a %s, want a %s", p, got, want)
				}
				// In a disjunction, as in a search, which weighs its
				// parts together.
				other := bleve.NewTermQuery("unheard-of")
				other.SetField(fName)
				before, after := phraseScores(t, d, bleve.NewDisjunctionQuery(plain, other)), phraseScores(t, d, bleve.NewDisjunctionQuery(cheaper, other))
				if len(before) == 0 {
					t.Fatalf("%q found nothing: the test's listings should have it", p)
				}
				if len(after) != len(before) {
					t.Fatalf("%q found %d listings, the phrase query %d", p, len(after), len(before))
				}
				for id, s := range before {
					if after[id] != s {
						t.Errorf("%s: score %v, with the phrase query %v", id, after[id], s)
					}
				}
			})
		}
	}
}

// phraseScores returns the score of every listing q finds.
func phraseScores(t *testing.T, d *Directory, q query.Query) map[string]float64 {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 100, 0, false)
	res, err := d.searchIndex(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out
}
