package matcher

import (
	"slices"
	"strings"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// vocabulary is what the matcher knows about words: the taxonomy, the
// synonym thesaurus, the OpenActive activity list and the matching
// concepts. It is read-only once built and safe for concurrent use.
type vocabulary struct {
	tax      *directory.Taxonomy
	th       *directory.Thesaurus
	concepts []data.Concept
	// byPhrase maps a normalised concept phrase to its concept.
	byPhrase map[string]int
	// longest is the most words in any concept phrase.
	longest int
	// narrower maps a normalised activity label (or alternative label) to
	// the labels of the activities under it, at any depth.
	narrower map[string][]string
	// equivalents maps a normalised phrase to the others of its synonym
	// groups (groups that can stand for each other: "job", "work",
	// "employment"); related to the phrases it leads to one way ("mosque"
	// leads to "faith"), which are looser.
	equivalents, related map[string][]string
}

// newVocabulary indexes the concepts and activities.
func newVocabulary(tax *directory.Taxonomy, th *directory.Thesaurus, activities []data.Activity, concepts []data.Concept) *vocabulary {
	v := &vocabulary{tax: tax, th: th, concepts: concepts, byPhrase: map[string]int{}, narrower: map[string][]string{},
		equivalents: map[string][]string{}, related: map[string][]string{}}
	for _, g := range th.Groups() {
		if len(g.Input) == 0 {
			for _, a := range g.Synonyms {
				for _, b := range g.Synonyms {
					if a != b {
						v.equivalents[normalise(a)] = append(v.equivalents[normalise(a)], b)
					}
				}
			}
			continue
		}
		for _, in := range g.Input {
			v.related[normalise(in)] = append(v.related[normalise(in)], g.Synonyms...)
		}
	}
	for i, c := range concepts {
		for _, p := range c.Phrases {
			n := normalise(p)
			if _, dup := v.byPhrase[n]; !dup {
				v.byPhrase[n] = i
			}
			v.longest = max(v.longest, len(strings.Fields(n)))
		}
	}
	children := map[string][]string{}
	for _, a := range activities {
		for _, b := range a.Broader {
			children[normalise(b)] = append(children[normalise(b)], a.Label)
		}
	}
	for _, a := range activities {
		var below []string
		queue := slices.Clone(children[normalise(a.Label)])
		for len(queue) > 0 && len(below) < maxNarrower {
			c := queue[0]
			queue = queue[1:]
			if slices.Contains(below, c) {
				continue
			}
			below = append(below, c)
			queue = append(queue, children[normalise(c)]...)
		}
		if len(below) == 0 {
			continue
		}
		for _, name := range append([]string{a.Label}, a.Alt...) {
			v.narrower[normalise(name)] = below
		}
	}
	return v
}

// maxNarrower bounds how many narrower activities one interest reaches.
const maxNarrower = 30

// conceptsIn returns the concepts a phrase names: the one it is, or else
// those whose phrases appear in it, longest first and without overlap
// ("a break from caring" is itself a phrase; "I love gardening and
// cooking" finds gardening and cooking).
func (v *vocabulary) conceptsIn(phrase string) []int {
	n := normalise(phrase)
	if i, ok := v.byPhrase[n]; ok {
		return []int{i}
	}
	words := strings.Fields(n)
	var out []int
	for i := 0; i < len(words); {
		matched := 1
		for k := min(v.longest, len(words)-i); k > 0; k-- {
			if c, ok := v.byPhrase[strings.Join(words[i:i+k], " ")]; ok {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
				matched = k
				break
			}
		}
		i += matched
	}
	return out
}
