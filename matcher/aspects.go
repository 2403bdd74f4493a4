package matcher

import (
	"slices"
	"strings"

	"github.com/livingwell/livingwell/directory"
)

// aspectKind is which part of a profile an aspect comes from.
type aspectKind int

// The kinds, in the order reasons are given.
const (
	kindNeed aspectKind = iota
	kindGoal
	kindInterest
	kindStrength
)

func (k aspectKind) String() string {
	return [...]string{"need", "goal", "interest", "strength"}[k]
}

// phrase is one way an aspect can appear in a listing's words.
type phrase struct {
	text   string
	stems  []string
	ids    []int32 // the stems' ids in the prepared profile
	weight float64 // how sure a match through it is, 1 for the person's own words
}

// aspect is one thing the person said (an interest, strength, goal or
// need) expanded through the vocabulary into the phrases, categories and
// stages a listing can match it by.
type aspect struct {
	kind    aspectKind
	said    string
	phrases []phrase
	// cats are the categories the aspect points at (weight 1) and those
	// below them (descendantWeight); direct are the ones it points at, in
	// the vocabulary's order, the most telling first.
	cats   map[string]float64
	direct []string
	stages []directory.Stage
	// stageOnly marks a journey stage said by name ("relationships"): it
	// is matched on the listing's stages alone.
	stageOnly bool
	crisis    bool
	// giving marks an aspect about contributing (volunteering, supporting
	// others), which volunteering roles meet in full.
	giving bool
}

// Weights of the phrases an aspect is expanded into, relative to the
// person's own words.
const (
	weightConceptPhrase = 0.9  // a known phrase found inside the person's words
	weightNarrower      = 0.9  // a narrower activity ("walking football" for "football")
	weightSynonym       = 0.85 // an equivalent from the synonym vocabulary
	weightRelated       = 0.35 // a phrase the synonym vocabulary leads to one way
	weightConceptWord   = 0.8  // a word listings use for the concept
	weightSynonymInside = 0.75 // a synonym of a phrase found inside the words
	maxSynonyms         = 24
)

// newAspect expands what the person said through the vocabulary.
func (v *vocabulary) newAspect(kind aspectKind, said string) *aspect {
	a := &aspect{kind: kind, said: said, cats: map[string]float64{}}
	a.addPhrase(said, 1)
	n := normalise(said)
	var cats []string
	stageOnly, crisisConcept, otherConcept := false, false, false
	for _, ci := range v.conceptsIn(said) {
		c := v.concepts[ci]
		a.giving = a.giving || c.Giving
		if slices.Contains(c.Categories, "crisis-support") {
			crisisConcept = true
		} else {
			otherConcept = true
		}
		// The concept's other phrases are ways of saying it, used to find
		// it; its words are what listings say, used to match them.
		for _, w := range c.Words {
			a.addPhrase(w, weightConceptWord)
		}
		cats = append(cats, c.Categories...)
		for _, s := range c.Stages {
			if !slices.Contains(a.stages, s) {
				a.stages = append(a.stages, s)
			}
		}
		if len(c.Categories) == 0 && len(c.Words) == 0 && len(c.Stages) > 0 {
			stageOnly = true
		}
	}
	a.stageOnly = stageOnly && len(cats) == 0
	synonyms := 0
	addSynonyms := func(list []string, w float64) {
		for _, s := range list {
			if synonyms < maxSynonyms && a.addPhrase(s, w) {
				synonyms++
			}
		}
	}
	if eq, rel := v.equivalents[n], v.related[n]; len(eq) > 0 || len(rel) > 0 {
		addSynonyms(eq, weightSynonym)
		addSynonyms(rel, weightRelated)
	} else {
		for _, e := range v.th.Expand(n) {
			a.addPhrase(e.Phrase, weightConceptPhrase)
			addSynonyms(v.equivalents[e.Phrase], weightSynonymInside)
		}
	}
	for _, name := range append([]string{n}, a.phraseTexts()...) {
		for _, label := range v.narrower[normalise(name)] {
			a.addPhrase(label, weightNarrower)
		}
	}
	if term, ok := v.tax.Resolve(said); ok {
		cats = append(cats, term.Code)
	}
	if kind == kindStrength {
		a.addLanguage(n)
	}
	for _, c := range cats {
		if !slices.Contains(a.direct, c) {
			a.direct = append(a.direct, c)
		}
		for _, d := range v.tax.WithDescendants(c) {
			w := descendantWeight
			if d == c || slices.Contains(cats, d) {
				w = 1
			}
			a.cats[d] = max(a.cats[d], w)
		}
	}
	if len(a.stages) == 0 {
		a.stages = v.tax.StagesOf(cats)
	}
	if kind == kindNeed && !slices.Contains(a.stages, directory.StageBasicNeeds) {
		a.stages = append(a.stages, directory.StageBasicNeeds)
	}
	// Crisis words count unless the words name something else ("suicide
	// bereavement" is about grief, not crisis).
	a.crisis = crisisConcept || (directory.IsCrisis(said) && !otherConcept)
	return a
}

// addPhrase adds a phrase unless one with the same stems is there; a
// repeat keeps the higher weight. It reports whether the phrase was new.
func (a *aspect) addPhrase(text string, w float64) bool {
	st := stems(text)
	if len(st) == 0 {
		return false
	}
	for i := range a.phrases {
		if slices.Equal(a.phrases[i].stems, st) {
			a.phrases[i].weight = max(a.phrases[i].weight, w)
			return false
		}
	}
	a.phrases = append(a.phrases, phrase{text: text, stems: st, weight: w})
	return true
}

func (a *aspect) phraseTexts() []string {
	out := make([]string, len(a.phrases))
	for i, p := range a.phrases {
		out[i] = normalise(p.text)
	}
	return out
}

// languageVerbs are the words that make a language name a strength:
// "speaks Portuguese", "fluent in Somali", "Arabic speaker".
var languageVerbs = []string{"speak", "speaks", "speaking", "speaker", "fluent", "native", "language"}

// addLanguage adds the ways listings ask for a language as a strength
// ("speaking Portuguese", "Portuguese speakers") when the strength names
// one.
func (a *aspect) addLanguage(n string) {
	words := strings.Fields(n)
	verb := false
	for _, w := range words {
		if slices.Contains(languageVerbs, w) {
			verb = true
		}
	}
	if !verb {
		return
	}
	for _, w := range words {
		if slices.Contains(languageVerbs, w) || len(w) < 3 {
			continue // two letters would read "so" or "it" as a language code
		}
		if code, err := directory.ParseLanguage(w); err == nil {
			name := directory.LanguageName(code)
			a.addPhrase("speaking "+name, 1)
			a.addPhrase(name+" speakers", weightConceptPhrase)
		}
	}
}
