package directory

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestPhrasesThroughPairs checks that a phrase, found through the pairs
// of words next to each other (textquery.go, pairs.go), finds the listings
// with its words together and in order, across stop words, plurals and
// punctuation, and not those with the words apart, in another order, or
// in two parts of a listing (two interests); a phrase of one word and stop
// words is that word, without its synonyms.
func TestPhrasesThroughPairs(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	names := []string{
		"Walking group", "Walking Groups for men", "Group walking", "A walk in the park group",
		"Walking: a group", "Help with housing", "Housing help desk", "Lunch club", "Allotment society",
	}
	var puts []*Listing
	for i, name := range names {
		l := gardenListing("p1", string(rune('a'+i)), name)
		l.Summary = "Somewhere to be."
		l.Interests = []string{"walking", "group", "coffee morning"}
		puts = append(puts, l)
	}
	if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
		t.Fatal(err)
	}
	analyzer := d.ix().idx.Mapping().AnalyzerNamed(textAnalyzer)
	all := slices.Clone(names)
	tests := []struct {
		phrase string
		want   []string
	}{
		{"walking group", []string{"Walking group", "Walking Groups for men", "Walking: a group"}},
		{"WALKING GROUPS", []string{"Walking group", "Walking Groups for men", "Walking: a group"}},
		{"group walking", []string{"Group walking"}},
		{"walk in the park", []string{"A walk in the park group"}},
		{"walking in the park group", []string{"A walk in the park group"}},
		{"park walking group", nil},
		{"help with housing", []string{"Help with housing"}},
		{"housing help", []string{"Housing help desk"}},
		{"the housing", []string{"Help with housing", "Housing help desk"}},
		// A phrase's one word is that word, not its synonyms: every
		// listing has "garden" (its category), the thesaurus's synonym
		// of "allotment".
		{"the allotment", []string{"Allotment society"}},
		// In the interests, each its own part: "walking" and "group" are
		// two interests, "coffee morning" one.
		{"coffee morning", all},
		{"group coffee", nil},
		{"the and of", nil},
	}
	for _, tt := range tests {
		t.Run(tt.phrase, func(t *testing.T) {
			qs := phraseQueries(analyzedTerms(analyzer, tt.phrase), 1)
			var got []string
			if len(qs) > 0 {
				req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), 100, 0, false)
				res, err := d.searchIndex(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				byID := map[string]string{}
				for _, l := range puts {
					byID[l.ID] = l.Name
				}
				for _, h := range res.Hits {
					got = append(got, byID[h.ID])
				}
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%q found %q, want %q", tt.phrase, got, want)
			}
		})
	}
}
