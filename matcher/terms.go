package matcher

import (
	"slices"
	"strings"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// TermSource says where a vocabulary term comes from.
type TermSource string

// The sources of terms, in the order a term found in several is credited.
const (
	// TermConcept is a phrase of the matching vocabulary ("make friends").
	TermConcept TermSource = "concept"
	// TermCategory is a taxonomy category's label ("Community gardens").
	TermCategory TermSource = "category"
	// TermActivity is an OpenActive activity ("Walking football").
	TermActivity TermSource = "activity"
	// TermSynonym is a word of the synonym thesaurus ("allotment").
	TermSynonym TermSource = "synonym"
)

// Term is a word or phrase the matcher understands, for type-ahead on the
// worker's match screen.
type Term struct {
	// Text is the term in lower case, as a person would type it.
	Text   string
	Source TermSource
	// Stages are the journey stages the term points at (concepts and
	// categories), which make it a likely goal or need.
	Stages []directory.Stage
}

// Terms returns every term the matcher understands, each once (credited
// to the first source that has it, in the order of the TermSource
// constants), sorted by text. Terms with commas are left out: people type
// lists with commas. The slice is shared: do not change it.
func (m *Matcher) Terms() []Term { return m.terms }

// buildTerms collects the terms of the matching vocabulary, the taxonomy,
// the activity list and the thesaurus.
func buildTerms(tax *directory.Taxonomy, th *directory.Thesaurus, activities []data.Activity, concepts []data.Concept) []Term {
	seen := map[string]int{}
	var out []Term
	add := func(text string, src TermSource, stages []directory.Stage) {
		text = strings.ToLower(strings.Join(strings.Fields(text), " "))
		if text == "" || strings.ContainsRune(text, ',') || len(text) > MaxWordLen {
			return
		}
		if i, ok := seen[text]; ok {
			for _, s := range stages {
				if !slices.Contains(out[i].Stages, s) {
					out[i].Stages = append(out[i].Stages, s)
				}
			}
			return
		}
		seen[text] = len(out)
		out = append(out, Term{Text: text, Source: src, Stages: slices.Clone(stages)})
	}
	for _, c := range concepts {
		stages := slices.Clone(c.Stages)
		if tax != nil {
			for _, s := range tax.StagesOf(c.Categories) {
				if !slices.Contains(stages, s) {
					stages = append(stages, s)
				}
			}
		}
		for _, p := range c.Phrases {
			add(p, TermConcept, stages)
		}
	}
	if tax != nil {
		for _, t := range tax.Terms() {
			add(t.Label, TermCategory, t.Stages)
		}
	}
	for _, a := range activities {
		add(a.Label, TermActivity, nil)
		for _, alt := range a.Alt {
			add(alt, TermActivity, nil)
		}
	}
	if th != nil {
		for _, g := range th.Groups() {
			for _, w := range g.Input {
				add(w, TermSynonym, nil)
			}
			for _, w := range g.Synonyms {
				add(w, TermSynonym, nil)
			}
		}
	}
	slices.SortFunc(out, func(a, b Term) int { return strings.Compare(a.Text, b.Text) })
	return out
}
