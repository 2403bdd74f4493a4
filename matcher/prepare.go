package matcher

import (
	"slices"

	"github.com/livingwell/livingwell/directory"
)

// prepared is a profile made ready for matching: its aspects expanded, the
// words they use numbered, and the person's own words kept for text
// relevance. It lives for one match and is never stored.
type prepared struct {
	aspects []*aspect
	ids     map[string]int32
	// words are the ids of the person's own content words.
	words []int32
	// stages are the journey stages the goals and needs point at.
	stages []directory.Stage
	crisis bool
}

// stopWords are left out of text relevance: they say nothing about what a
// listing offers. They are stems, as stemBytes leaves them.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true, "in": true, "on": true,
	"for": true, "with": true, "from": true, "at": true, "by": true, "about": true, "my": true, "me": true, "i": true,
	"im": true, "be": true, "is": true, "it": true, "do": true, "get": true, "want": true, "like": true, "more": true,
	"less": true, "some": true, "help": true, "better": true, "back": true, "feel": true, "make": true, "go": true,
	"out": true, "up": true, "find": true, "new": true, "thing": true, "someone": true, "peopl": true, "good": true,
	"his": true, "her": true, "their": true, "them": true, "they": true, "he": true, "she": true, "we": true, "our": true,
	"you": true, "your": true, "all": true, "any": true, "very": true, "really": true, "so": true, "just": true,
	"start": true, "keep": true, "stay": true, "have": true, "can": true, "cant": true, "not": true, "no": true,
	"need": true, "other": true, "time": true, "way": true,
}

// prepare expands a profile's aspects and numbers their words.
func (v *vocabulary) prepare(p *Profile) *prepared {
	pr := &prepared{ids: map[string]int32{}}
	for _, list := range []struct {
		kind  aspectKind
		items []string
	}{{kindNeed, p.Needs}, {kindGoal, p.Goals}, {kindInterest, p.Interests}, {kindStrength, p.Strengths}} {
		for _, said := range list.items {
			a := v.newAspect(list.kind, said)
			pr.aspects = append(pr.aspects, a)
			if a.crisis {
				pr.crisis = true
			}
			if list.kind == kindNeed || list.kind == kindGoal {
				for _, s := range a.stages {
					if !slices.Contains(pr.stages, s) {
						pr.stages = append(pr.stages, s)
					}
				}
			}
			for _, w := range stems(said) {
				if stopWords[w] {
					continue
				}
				if id := pr.id(w); !slices.Contains(pr.words, id) {
					pr.words = append(pr.words, id)
				}
			}
		}
	}
	for _, a := range pr.aspects {
		for i := range a.phrases {
			ph := &a.phrases[i]
			ph.ids = make([]int32, len(ph.stems))
			for j, s := range ph.stems {
				ph.ids[j] = pr.id(s)
			}
		}
	}
	slices.SortFunc(pr.stages, func(a, b directory.Stage) int {
		return slices.Index(directory.Stages, a) - slices.Index(directory.Stages, b)
	})
	return pr
}

// id returns the number of a stem, giving it the next one when new.
func (pr *prepared) id(stem string) int32 {
	if id, ok := pr.ids[stem]; ok {
		return id
	}
	id := int32(len(pr.ids))
	pr.ids[stem] = id
	return id
}

// asksWhat reports whether the profile says what the person wants (any
// interest, strength, goal or need). Without it, every listing that fits
// the constraints is a match, ranked by the practical factors alone.
func (pr *prepared) asksWhat() bool { return len(pr.aspects) > 0 }

// categories returns every category the aspects point at, sorted, and
// whether a search may be narrowed to them: only when every aspect points
// at some (an interest in football points at none, and narrowing would
// lose it).
func (pr *prepared) categories() ([]string, bool) {
	var out []string
	narrowable := len(pr.aspects) > 0
	for _, a := range pr.aspects {
		if len(a.cats) == 0 {
			narrowable = false
		}
		for c := range a.cats {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return out, narrowable
}
