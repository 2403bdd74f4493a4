package matcher

import (
	"slices"
	"testing"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

func testVocabulary(t *testing.T) *vocabulary {
	t.Helper()
	v, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	acts, err := data.Activities()
	if err != nil {
		t.Fatal(err)
	}
	concepts, err := data.MatchingVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	return newVocabulary(v.Taxonomy, v.Thesaurus, acts, concepts)
}

func listingWith(name, description string, interests []string) *directory.Listing {
	return &directory.Listing{ID: "test", Name: name, Description: description, Interests: interests, Status: directory.StatusActive}
}

func (a *aspect) hasPhrase(p string) bool {
	want := stems(p)
	for _, ph := range a.phrases {
		if slices.Equal(ph.stems, want) {
			return true
		}
	}
	return false
}

// TestExpansion checks the expansions the issue names: an interest reaches
// narrower activities, a strength reaches the roles that use it, and a goal
// reaches the kinds of listing that serve it.
func TestExpansion(t *testing.T) {
	v := testVocabulary(t)
	tests := []struct {
		name    string
		kind    aspectKind
		said    string
		phrases []string
		cats    []string
		stages  []directory.Stage
	}{
		{"football reaches walking football", kindInterest, "football", []string{"football", "walking football", "futsal"}, nil, nil},
		{"gardening reaches community gardens", kindInterest, "gardening", []string{"gardening"}, []string{"nature-gardening", "community-gardens"}, nil},
		{"good cook reaches community kitchens", kindStrength, "good cook", []string{"cooking", "kitchen"}, []string{"cooking-healthy-eating"}, nil},
		{"speaks Portuguese reaches Portuguese speakers", kindStrength, "speaks Portuguese", []string{"speaking Portuguese"}, nil, nil},
		{"make friends reaches social groups, peer support and befriending", kindGoal, "make friends", nil, []string{"social-groups", "peer-support", "befriending"}, []directory.Stage{directory.StageRelationships}},
		{"get back to work reaches employment support", kindGoal, "get back to work", nil, []string{"employment-support"}, []directory.Stage{directory.StagePositiveFuture}},
		{"a phrase inside the words is found", kindGoal, "I would like to sleep better", []string{"sleep"}, []string{"sleep-support"}, nil},
		{"a category named by its label", kindNeed, "Debt advice", nil, []string{"debt-advice"}, []directory.Stage{directory.StageBasicNeeds}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := v.newAspect(tt.kind, tt.said)
			for _, p := range tt.phrases {
				if !a.hasPhrase(p) {
					t.Errorf("%q does not reach the phrase %q", tt.said, p)
				}
			}
			for _, c := range tt.cats {
				if a.cats[c] == 0 {
					t.Errorf("%q does not reach the category %q", tt.said, c)
				}
			}
			for _, s := range tt.stages {
				if !slices.Contains(a.stages, s) {
					t.Errorf("%q does not point at the stage %q (got %v)", tt.said, s, a.stages)
				}
			}
		})
	}
}

func TestAspectCrisis(t *testing.T) {
	v := testVocabulary(t)
	tests := []struct {
		said   string
		crisis bool
	}{
		{"crisis", true}, {"feel safe tonight", true}, {"I want to die", true}, {"suicidal", true},
		{"suicide bereavement", false}, {"grief", false}, {"understand mental illness", false},
	}
	for _, tt := range tests {
		t.Run(tt.said, func(t *testing.T) {
			if got := v.newAspect(kindNeed, tt.said).crisis; got != tt.crisis {
				t.Errorf("crisis(%q) = %v, want %v", tt.said, got, tt.crisis)
			}
		})
	}
}

func TestStageGoal(t *testing.T) {
	v := testVocabulary(t)
	a := v.newAspect(kindGoal, "Relationships")
	if !a.stageOnly || !slices.Equal(a.stages, []directory.Stage{directory.StageRelationships}) {
		t.Fatalf("a journey stage said by name should match on the stage alone: %+v", a)
	}
	d := &document{}
	l := listingWith("Choir", "We sing.", nil)
	l.Stages = []directory.Stage{directory.StageWellbeing, directory.StageRelationships}
	d.read(l, map[string]int32{})
	if e := matchAspect(a, d); e.kind != byStage || e.strength != stageOnlyWeight {
		t.Errorf("got %+v, want a full match on the stage", e)
	}
}
