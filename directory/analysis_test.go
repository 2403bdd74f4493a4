package directory_test

import (
	"testing"

	"github.com/livingwell/livingwell/directory"
)

// analysisListings are listings whose words differ from the words people
// type for them.
func analysisListings() []*directory.Listing {
	named := func(ref, name, description string, cats ...string) *directory.Listing {
		return newListing("words", ref, name, func(l *directory.Listing) {
			l.Description = description
			if len(cats) > 0 {
				l.Categories = cats
			}
		})
	}
	return []*directory.Listing{
		named("gardening", "Gardening club", "Digging, weeding and planting on the estate."),
		named("walking", "Walking group", "A gentle stroll round the park."),
		named("employment", "Employment support", "Help with CVs and applications.", "employment-support"),
		named("muslim", "Muslim women's circle", "Tea and talk for sisters.", "faith-groups"),
		named("foodbank", "Ferndale food bank", "Emergency parcels on Tuesdays.", "food-bank"),
		named("welfare", "Welfare rights advice", "Appeals, forms and claims.", "benefits-money-advice"),
		named("counselling", "Counselling for anxiety", "Six sessions with a trained counsellor.", "counselling"),
		named("befriending", "Befriending service", "A volunteer visits you at home.", "befriending"),
		named("knitting", "Knitting group", "We work on our own patterns together.", "hobbies"),
		named("council", "Council tax help", "Arrears and discounts.", "debt-advice"),
		named("accredited", "Accredited first aid course", "A day's course with a certificate.", "learning-skills"),
		named("credit-union", "Credit union savings club", "Save a little each week.", "benefits-money-advice"),
		named("warden", "Warden-assisted flats", "Sheltered housing with a warden.", "housing-support"),
		named("fathers", "Fathers' group", "Dads and father figures meet for a brew.", "family-support"),
		named("exercise", "Chair exercise class", "Gentle movement, sitting down.", "gentle-exercise"),
	}
}

func TestIndexAnalysis(t *testing.T) {
	d := MustOpenDirectory(t, directory.Config{})
	mustApply(t, d, directory.Change{Put: analysisListings()})
	th := mustVocabulary(t).Thesaurus
	tests := []struct {
		name, text string
		find       []string // refs that must be found
		notFind    []string // refs that must not be found
		top        string   // ref that must come first, if set
		typo       bool     // the text is a typo the thesaurus does not list
	}{
		{name: "stemming: gardens finds gardening", text: "gardens", find: []string{"gardening"}, top: "gardening"},
		{name: "stemming: walks finds walking", text: "walks", find: []string{"walking"}},
		{name: "synonym: job finds employment", text: "job", find: []string{"employment"}, notFind: []string{"knitting"}},
		{name: "synonym: mosque finds a faith group", text: "mosque", find: []string{"muslim"}},
		{name: "synonym: allotment finds gardening", text: "allotment", find: []string{"gardening"}},
		{name: "phrase synonym: foodbank finds food bank", text: "foodbank", find: []string{"foodbank"}, top: "foodbank"},
		{name: "phrase synonym: universal credit finds welfare rights", text: "universal credit", find: []string{"welfare"}, top: "welfare"},
		{name: "phrase as typed: food bank", text: "food bank", find: []string{"foodbank"}, top: "foodbank"},
		{name: "typo: councelling finds counselling", text: "councelling", find: []string{"counselling"}, notFind: []string{"council"}, top: "counselling"},
		{name: "typo: befrending finds befriending", text: "befrending", find: []string{"befriending"}, top: "befriending", typo: true},
		{name: "typo: gardenning finds gardening", text: "gardenning", find: []string{"gardening"}, top: "gardening", typo: true},
		{name: "typo: counseling finds counselling", text: "counseling", find: []string{"counselling"}, top: "counselling"},
		{name: "a word spelt right does not find near misses: counselling", text: "counselling", find: []string{"counselling"}, notFind: []string{"council"}},
		{name: "a word spelt right does not find near misses: credit", text: "credit", find: []string{"credit-union"}, notFind: []string{"accredited"}},
		{name: "a word spelt right does not find near misses: garden", text: "garden", find: []string{"gardening"}, notFind: []string{"warden"}},
		{name: "typo: exersice finds exercise", text: "exersice", find: []string{"exercise"}, top: "exercise", typo: true},
		{name: "an unknown word is not two letters from another: zither is not father", text: "zither", notFind: []string{"fathers"}, typo: true},
		{name: "universal is not university", text: "universal credit", notFind: []string{"accredited"}},
		{name: "punctuation only finds nothing", text: "!!! ???"},
		{name: "stop words only find nothing", text: "the and of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.typo && th.Lookup(tt.text) != nil {
				t.Fatalf("%q is in the thesaurus, so it does not test typo tolerance", tt.text)
			}
			res := mustSearch(t, d, directory.Query{Text: tt.text, PerPage: 50})
			got := refsOf(res)
			for _, r := range tt.find {
				if !contains(got, r) {
					t.Errorf("%q did not find %q: %v", tt.text, r, got)
				}
			}
			for _, r := range tt.notFind {
				if contains(got, r) {
					t.Errorf("%q found %q: %v", tt.text, r, got)
				}
			}
			if tt.top != "" && (len(got) == 0 || got[0] != tt.top) {
				t.Errorf("%q: %v; want %q first", tt.text, got, tt.top)
			}
			if len(tt.find) == 0 && tt.notFind == nil && res.Total != 0 {
				t.Errorf("%q found %v; want nothing", tt.text, got)
			}
		})
	}
}

// TestSingleWordSynonymsComeFromBleve checks that the single-word synonyms
// are Bleve's synonym source at work: with an empty thesaurus loaded into
// the index, "job" no longer finds the employment listing.
func TestSingleWordSynonymsComeFromBleve(t *testing.T) {
	for _, withSynonyms := range []bool{true, false} {
		cfg := directory.Config{}
		if !withSynonyms {
			cfg.Thesaurus = directory.NewThesaurus(nil)
		}
		d := MustOpenDirectory(t, cfg)
		mustApply(t, d, directory.Change{Put: analysisListings()})
		found := contains(refsOf(mustSearch(t, d, directory.Query{Text: "job"})), "employment")
		if found != withSynonyms {
			t.Errorf("with synonyms %v: job finds the employment listing: %v", withSynonyms, found)
		}
	}
}

// TestExactAboveSynonymAboveTypo checks the order of the kinds of match:
// the word as typed, then a synonym, then a near miss.
func TestExactAboveSynonymAboveTypo(t *testing.T) {
	d := MustOpenDirectory(t, directory.Config{})
	mustApply(t, d, directory.Change{Put: []*directory.Listing{
		newListing("k", "synonym", "Allotment society"),
		newListing("k", "exact", "Garden society"),
	}})
	if got := refsOf(mustSearch(t, d, directory.Query{Text: "garden"})); len(got) != 2 || got[0] != "exact" {
		t.Errorf("garden: %v; want the garden before the allotment", got)
	}
	mustApply(t, d, directory.Change{Put: []*directory.Listing{
		newListing("k", "typo-target", "Befriending society"),
		newListing("k", "typo-exact", "Befrending society"), // the partner's own misspelling
	}})
	if got := refsOf(mustSearch(t, d, directory.Query{Text: "befrending"})); len(got) == 0 || got[0] != "typo-exact" {
		t.Errorf("befrending: %v; want the listing spelt that way first", got)
	}
}
