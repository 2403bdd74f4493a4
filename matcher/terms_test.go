package matcher_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

func TestTerms(t *testing.T) {
	m := sampleMatcher(t)
	terms := m.Terms()
	if len(terms) < 1000 {
		t.Fatalf("%d terms; want the whole vocabulary (thousands)", len(terms))
	}
	seen := map[string]bool{}
	for i, term := range terms {
		switch {
		case seen[term.Text]:
			t.Errorf("%q comes twice", term.Text)
		case term.Text != strings.ToLower(term.Text) || strings.TrimSpace(term.Text) != term.Text:
			t.Errorf("%q is not lower case and trimmed", term.Text)
		case strings.Contains(term.Text, ","):
			t.Errorf("%q has a comma, which would split it in a list", term.Text)
		case i > 0 && terms[i-1].Text > term.Text:
			t.Errorf("%q comes after %q: not sorted", term.Text, terms[i-1].Text)
		}
		seen[term.Text] = true
	}
	find := func(text string) matcher.Term {
		i, ok := slices.BinarySearchFunc(terms, text, func(t matcher.Term, s string) int { return strings.Compare(t.Text, s) })
		if !ok {
			t.Fatalf("%q is not a term", text)
		}
		return terms[i]
	}
	for _, tt := range []struct {
		text  string
		src   matcher.TermSource
		stage directory.Stage
	}{
		{"make friends", matcher.TermConcept, directory.StageRelationships},
		{"walking football", matcher.TermActivity, ""},
		{"community gardens and allotments", matcher.TermCategory, directory.StageWellbeing},
		{"allotment", "", ""},
	} {
		got := find(tt.text)
		if tt.src != "" && got.Source != tt.src {
			t.Errorf("%q comes from %s, want %s", tt.text, got.Source, tt.src)
		}
		if tt.stage != "" && !slices.Contains(got.Stages, tt.stage) {
			t.Errorf("%q points at %v, want %s among them", tt.text, got.Stages, tt.stage)
		}
	}
}
