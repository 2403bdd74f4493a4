package directory

import (
	"slices"
	"sort"
	"strings"
)

// SynonymGroup is one entry of the synonym vocabulary. With Input empty,
// every phrase in Synonyms may stand for every other ("job", "work",
// "employment"). With Input set, the input phrases lead to the synonyms but
// not back ("mosque" leads to "faith", while "faith" does not lead to
// "mosque").
type SynonymGroup struct {
	Input    []string `json:"input,omitempty"`
	Synonyms []string `json:"synonyms"`
}

// Thesaurus expands the words people type into the words listings use. It
// is read-only once built and safe for concurrent use.
type Thesaurus struct {
	groups []SynonymGroup
	// expand maps a lower-case phrase to the phrases it leads to.
	expand map[string][]string
	// longest is the most words in any phrase, bounding the phrase scan.
	longest int
}

// NewThesaurus builds a thesaurus from synonym groups.
func NewThesaurus(groups []SynonymGroup) *Thesaurus {
	th := &Thesaurus{groups: groups, expand: map[string][]string{}}
	add := func(from string, to []string) {
		from = normalisePhrase(from)
		for _, p := range to {
			p = normalisePhrase(p)
			if p != from && p != "" && !slices.Contains(th.expand[from], p) {
				th.expand[from] = append(th.expand[from], p)
			}
		}
		th.longest = max(th.longest, len(strings.Fields(from)))
	}
	for _, g := range groups {
		if len(g.Input) == 0 {
			for _, s := range g.Synonyms {
				add(s, g.Synonyms)
			}
			continue
		}
		for _, in := range g.Input {
			add(in, g.Synonyms)
		}
	}
	return th
}

func normalisePhrase(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '’', '\'':
			return -1
		case '-', '/', ',', '.', '!', '?', '(', ')', '"':
			return ' '
		}
		return r
	}, strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// Groups returns the synonym groups the thesaurus was built from.
func (th *Thesaurus) Groups() []SynonymGroup { return th.groups }

// Len returns the number of synonym groups.
func (th *Thesaurus) Len() int { return len(th.groups) }

// Lookup returns what a single phrase leads to, or nil.
func (th *Thesaurus) Lookup(phrase string) []string {
	return th.expand[normalisePhrase(phrase)]
}

// Expansion is a phrase found in some text and what it leads to.
type Expansion struct {
	Phrase   string
	Synonyms []string
	// Start and End are the positions of the phrase's first word and of
	// the word after its last, counting the words of the text from 0.
	Start, End int
}

// Expand finds the known phrases in text, longest first and without
// overlap ("universal credit" is found as one phrase, not as "credit"), and
// returns each with what it leads to, in the order they appear. Words are
// counted as splitWords does.
func (th *Thesaurus) Expand(text string) []Expansion {
	words := splitWords(text)
	var out []Expansion
	for i := 0; i < len(words); {
		matched := 0
		for n := min(th.longest, len(words)-i); n > 0; n-- {
			phrase := strings.Join(words[i:i+n], " ")
			if syn, ok := th.expand[phrase]; ok {
				out = append(out, Expansion{Phrase: phrase, Synonyms: syn, Start: i, End: i + n})
				matched = n
				break
			}
		}
		if matched == 0 {
			matched = 1
		}
		i += matched
	}
	return out
}

// splitWords splits text into lower-case words the way the thesaurus
// reads it: apostrophes dropped, other punctuation a space.
func splitWords(text string) []string { return strings.Fields(normalisePhrase(text)) }

// Phrases returns every phrase the thesaurus knows, sorted, for type-ahead.
func (th *Thesaurus) Phrases() []string {
	out := make([]string, 0, len(th.expand))
	for p := range th.expand {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
