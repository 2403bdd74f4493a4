package directory_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
)

// TestRelevanceOnSample checks that what people type finds the obviously
// right listings of the sample network first, with and without a place.
func TestRelevanceOnSample(t *testing.T) {
	d := sampleDirectory(t)
	tax := mustVocabulary(t).Taxonomy
	tests := []struct {
		text     string
		postcode string
		top      int      // how many of the first results must be on topic
		under    []string // on topic: filed under one of these (or below)
		first    string   // the name the first result must have, if set
		sort     directory.SortOrder
	}{
		{text: "gardening", top: 12, under: []string{"nature-gardening"}},
		{text: "gardening", postcode: "SW9", top: 5, under: []string{"nature-gardening"}},
		{text: "choir", top: 8, under: []string{"singing"}, first: "Monday evening choir"},
		{text: "choir", postcode: "SW9", top: 5, under: []string{"singing"}, first: "Monday evening choir"},
		{text: "food bank", top: 10, under: []string{"food-bank"}},
		{text: "food bank", postcode: "SW9", top: 5, under: []string{"food-bank"}},
		{text: "foodbank", postcode: "SW9", top: 5, under: []string{"food-bank"}},
		{text: "job", top: 8, under: []string{"employment-support"}},
		{text: "job", postcode: "SW9", top: 5, under: []string{"employment-support"}},
		{text: "counselling", top: 5, under: []string{"talking-therapies"}, first: "Counselling for depression"},
		{text: "counselling", postcode: "SW9", top: 4, under: []string{"talking-therapies"}},
		{text: "councelling", postcode: "SW9", top: 4, under: []string{"talking-therapies"}},
		{text: "mosque", top: 1, under: []string{"faith-groups"}, first: "Open mosque Sunday"},
		{text: "mosque", postcode: "SW9", top: 5, under: []string{"faith-groups"}},
		{text: "universal credit", top: 6, under: []string{"benefits-money-advice"}, first: "Universal Credit journal clinic"},
		{text: "walking", postcode: "SW9", top: 5, under: []string{"walking-groups"}},
		{text: "walking group", top: 6, under: []string{"walking-groups"}},
		{text: "english classes", postcode: "SW9", top: 3, under: []string{"english-language"}},
		// Ordered by time or distance, the good matches still come first.
		{text: "choir", postcode: "SW9", top: 6, under: []string{"singing"}, sort: directory.SortSoonest},
		{text: "job", postcode: "SW9", top: 8, under: []string{"work-learning"}, sort: directory.SortDistance},
		{text: "gardening", top: 10, under: []string{"nature-gardening"}, sort: directory.SortSoonest},
	}
	for _, tt := range tests {
		name := tt.text
		if tt.postcode != "" {
			name += " near " + tt.postcode
		}
		if tt.sort != "" {
			name += ", " + string(tt.sort)
		}
		t.Run(name, func(t *testing.T) {
			q := directory.Query{Text: tt.text, Postcode: tt.postcode, Sort: tt.sort}
			if tt.postcode != "" {
				q.RadiusKm = 5
			}
			res := mustSearch(t, d, q)
			if len(res.Hits) < tt.top {
				t.Fatalf("only %d results: %v", len(res.Hits), hitNames(res))
			}
			var onTopic []string
			for _, c := range tt.under {
				onTopic = append(onTopic, tax.WithDescendants(c)...)
			}
			for i, h := range res.Hits[:tt.top] {
				if !slices.ContainsFunc(h.Listing.Categories, func(c string) bool { return slices.Contains(onTopic, c) }) {
					t.Errorf("result %d %q %v is not filed under %v; the first results: %s", i+1, h.Listing.Name, h.Listing.Categories, tt.under, strings.Join(hitNames(res)[:tt.top], " | "))
				}
			}
			if tt.first != "" && res.Hits[0].Listing.Name != tt.first {
				t.Errorf("first result %q; want %q", res.Hits[0].Listing.Name, tt.first)
			}
		})
	}
}

// TestPhraseOfOneWord checks that a phrase the thesaurus knows whose other
// words are stop words ("drop in" is the word "drop") finds what it says:
// the word as typed, not everything its synonyms lead to ("walk" from
// "walk in").
func TestPhraseOfOneWord(t *testing.T) {
	d := sampleDirectory(t)
	res := mustSearch(t, d, directory.Query{Text: "drop in"})
	if len(res.Hits) < 5 {
		t.Fatalf("only %d results: %v", len(res.Hits), hitNames(res))
	}
	for i, name := range hitNames(res)[:5] {
		if !strings.Contains(strings.ToLower(name), "drop") {
			t.Errorf("result %d %q is not a drop-in; the first results: %s", i+1, name, strings.Join(hitNames(res)[:5], " | "))
		}
	}
}

// TestCrisisWords checks that a search that sounds like a crisis says so
// and puts crisis services first.
func TestCrisisWords(t *testing.T) {
	d := sampleDirectory(t)
	for _, text := range []string{"I feel suicidal", "can't cope anymore", "want to die"} {
		res := mustSearch(t, d, directory.Query{Text: text})
		if !res.Crisis {
			t.Errorf("%q: Crisis is false", text)
		}
		if len(res.Hits) == 0 || !slices.Contains(res.Hits[0].Listing.Categories, "crisis-support") {
			t.Errorf("%q: first results %v; want a crisis service first", text, hitNames(res))
		}
	}
	if res := mustSearch(t, d, directory.Query{Text: "gardening"}); res.Crisis {
		t.Error("gardening is taken for a crisis")
	}
}
