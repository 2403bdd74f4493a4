package directory

import (
	"context"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestPairPhrasesAsPhrases checks that a phrase of two words found
// through the pairs field (textquery.go) finds exactly the listings the
// phrase query finds, with the same scores: across stop words, plurals,
// word order, the parts of a listing (a phrase never spans two
// interests) and the start of a name.
func TestPairPhrasesAsPhrases(t *testing.T) {
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
	phrases := []string{
		"walking group", "walking groups", "group walking", "walk in the park", "walking and talking group",
		"help with housing", "housing help", "coffee morning", "lunch club", "men's walking", "morning walk", "a walking group",
	}
	for _, p := range phrases {
		for _, f := range synonymPhraseFields {
			t.Run(p+" in "+f.name, func(t *testing.T) {
				plain := bleve.NewMatchPhraseQuery(p)
				plain.SetField(f.name)
				plain.SetBoost(f.boost)
				paired := pairPhrase(plain, f.pairs, analyzer)
				// Only two words next to each other make a pair.
				two := !strings.Contains(p, " the ") && !strings.Contains(p, " and ") && !strings.Contains(p, " with ")
				if _, ok := paired.(pairPhraseQuery); ok != two {
					t.Fatalf("%q as a pair: %v", p, ok)
				}
				want, got := phraseScores(t, d, plain), phraseScores(t, d, paired)
				if len(want) == 0 {
					t.Fatalf("%q found nothing: the test's listings should have it", p)
				}
				if len(got) != len(want) {
					t.Fatalf("paired %q found %d listings, the phrase alone %d", p, len(got), len(want))
				}
				for id, s := range want {
					if got[id] != s {
						t.Errorf("%s: paired score %v, the phrase alone %v", id, got[id], s)
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
