package data_test

import (
	"strings"
	"testing"

	"github.com/livingwell/livingwell/data"
)

// TestMatchingVocabulary checks that every concept points at categories the
// taxonomy has, and that no phrase belongs to two concepts (a phrase must
// lead to one place).
func TestMatchingVocabulary(t *testing.T) {
	concepts, err := data.MatchingVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	tax, err := data.Taxonomy()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, c := range concepts {
		name := c.Phrases[0]
		if len(c.Categories) == 0 && len(c.Stages) == 0 && len(c.Words) == 0 {
			t.Errorf("concept %q leads nowhere: give it categories, stages or words", name)
		}
		for _, code := range c.Categories {
			if _, ok := tax.Term(code); !ok {
				t.Errorf("concept %q: category %q is not in the taxonomy", name, code)
			}
		}
		for _, p := range c.Phrases {
			key := strings.ToLower(strings.TrimSpace(p))
			if other, dup := seen[key]; dup {
				t.Errorf("phrase %q is in both %q and %q", p, other, name)
			}
			seen[key] = name
		}
	}
}
