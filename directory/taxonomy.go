package directory

import (
	"slices"
	"sort"
	"strings"
)

// Term is one category of the Living Well taxonomy.
type Term struct {
	Code        string  `json:"code"`
	Label       string  `json:"label"`
	Parent      string  `json:"parent,omitempty"`
	Stages      []Stage `json:"stages"`
	Description string  `json:"description,omitempty"`
}

// Taxonomy is the set of categories listings are filed under. It is
// read-only once built and safe for concurrent use.
type Taxonomy struct {
	terms   []Term
	byCode  map[string]int
	byLabel map[string]int
}

// NewTaxonomy builds a taxonomy from terms. It returns EINVALID when a code
// repeats, a parent is unknown or a stage is not one of the six.
func NewTaxonomy(terms []Term) (*Taxonomy, error) {
	t := &Taxonomy{terms: slices.Clone(terms), byCode: map[string]int{}, byLabel: map[string]int{}}
	for i, term := range t.terms {
		if _, dup := t.byCode[term.Code]; dup || term.Code == "" {
			return nil, Errorf(EINVALID, "taxonomy term %q is empty or repeated", term.Code)
		}
		for _, s := range term.Stages {
			if !s.Valid() {
				return nil, Errorf(EINVALID, "taxonomy term %q has unknown stage %q", term.Code, s)
			}
		}
		t.byCode[term.Code] = i
		t.byLabel[normaliseLabel(term.Label)] = i
	}
	for _, term := range t.terms {
		if _, ok := t.byCode[term.Parent]; term.Parent != "" && !ok {
			return nil, Errorf(EINVALID, "taxonomy term %q has unknown parent %q", term.Code, term.Parent)
		}
	}
	return t, nil
}

func normaliseLabel(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(labelPunctuation.Replace(s))), " ")
}

// labelPunctuation is made once: normaliseLabel runs for every category
// of every row of an upload.
var labelPunctuation = strings.NewReplacer("’", "'", "&", "and")

// Terms returns every term in taxonomy order.
func (t *Taxonomy) Terms() []Term { return t.terms }

// Term returns the term with the given code and whether it exists.
func (t *Taxonomy) Term(code string) (Term, bool) {
	i, ok := t.byCode[code]
	if !ok {
		return Term{}, false
	}
	return t.terms[i], true
}

// Label returns the label of a code, or the code itself when it is not a
// Living Well term (categories kept from imported data).
func (t *Taxonomy) Label(code string) string {
	if term, ok := t.Term(code); ok {
		return term.Label
	}
	return code
}

// Resolve finds a term by its code or its label, ignoring case, spacing and
// "&" versus "and". It returns false when neither matches.
func (t *Taxonomy) Resolve(s string) (Term, bool) {
	s = strings.TrimSpace(s)
	if term, ok := t.Term(strings.ToLower(s)); ok {
		return term, true
	}
	if i, ok := t.byLabel[normaliseLabel(s)]; ok {
		return t.terms[i], true
	}
	return Term{}, false
}

// Suggest returns up to three terms whose code or label is closest to s,
// for "did you mean" messages.
func (t *Taxonomy) Suggest(s string) []Term {
	s = normaliseLabel(s)
	type scored struct {
		i, d int
	}
	var all []scored
	for i, term := range t.terms {
		d := min(EditDistance(s, term.Code), EditDistance(s, normaliseLabel(term.Label)))
		if strings.Contains(normaliseLabel(term.Label), s) || strings.Contains(term.Code, s) {
			d = min(d, 2)
		}
		all = append(all, scored{i, d})
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].d < all[b].d })
	var out []Term
	for _, sc := range all {
		if len(out) == 3 || sc.d > max(3, len(s)/2) {
			break
		}
		out = append(out, t.terms[sc.i])
	}
	return out
}

// Children returns the codes of the terms directly under code.
func (t *Taxonomy) Children(code string) []string {
	var out []string
	for _, term := range t.terms {
		if term.Parent == code {
			out = append(out, term.Code)
		}
	}
	return out
}

// WithDescendants returns code and every code below it.
func (t *Taxonomy) WithDescendants(code string) []string {
	out := []string{code}
	for i := 0; i < len(out); i++ {
		out = append(out, t.Children(out[i])...)
	}
	return out
}

// Ancestors returns the codes above code, nearest first.
func (t *Taxonomy) Ancestors(code string) []string {
	var out []string
	for term, ok := t.Term(code); ok && term.Parent != ""; term, ok = t.Term(term.Parent) {
		if slices.Contains(out, term.Parent) {
			break
		}
		out = append(out, term.Parent)
	}
	return out
}

// StagesOf returns the journey stages served by the given categories, in
// the usual stage order.
func (t *Taxonomy) StagesOf(codes []string) []Stage {
	set := map[Stage]bool{}
	for _, c := range codes {
		if term, ok := t.Term(c); ok {
			for _, s := range term.Stages {
				set[s] = true
			}
		}
	}
	var out []Stage
	for _, s := range Stages {
		if set[s] {
			out = append(out, s)
		}
	}
	return out
}

// EditDistance returns the Levenshtein distance between a and b, counted in
// runes.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
