package importer

import (
	"slices"
	"sort"
	"strings"

	"github.com/livingwell/livingwell/directory"
)

// resolveCategory finds the taxonomy term a partner means: by code or
// label (as the taxonomy reads them), by the label or code written as
// words ("Community gardens", "Food bank", "Drop-in"), or by the start of
// exactly one label ("Food banks" for "Food banks and pantries"). It
// returns false when none or several match.
func resolveCategory(tax *directory.Taxonomy, item string) (directory.Term, bool) {
	if t, ok := tax.Resolve(item); ok {
		return t, true
	}
	slug := directory.Slug(item)
	for _, code := range []string{slug, slug + "s", strings.TrimSuffix(slug, "s")} {
		if t, ok := tax.Term(code); ok {
			return t, true
		}
	}
	words := strings.Join(strings.Fields(strings.ToLower(item)), " ")
	if len(words) < 5 {
		return directory.Term{}, false
	}
	var found []directory.Term
	for _, t := range tax.Terms() {
		if strings.HasPrefix(strings.ToLower(t.Label), words+" ") {
			found = append(found, t)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return directory.Term{}, false
}

// suggestCategories returns up to three terms a misspelt category most
// likely means, closest first: near the whole code or label, or near one
// word of it ("gardning" suggests Nature and gardening).
func suggestCategories(tax *directory.Taxonomy, item string) []directory.Term {
	s := strings.Join(strings.Fields(strings.ToLower(item)), " ")
	if s == "" {
		return nil
	}
	type scored struct {
		term directory.Term
		d    int
	}
	var all []scored
	limit := max(2, len(s)/3) + 1
	for _, t := range tax.Terms() {
		label := strings.ToLower(t.Label)
		d := min(directory.EditDistance(s, t.Code), directory.EditDistance(s, label))
		if strings.Contains(label, s) || strings.Contains(t.Code, s) {
			d = min(d, 2)
		}
		for _, w := range slices.Concat(strings.Fields(label), strings.Split(t.Code, "-")) {
			if len(w) >= 4 {
				d = min(d, directory.EditDistance(s, w)+1)
			}
		}
		if d <= limit {
			all = append(all, scored{t, d})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	var out []directory.Term
	for _, sc := range all[:min(3, len(all))] {
		out = append(out, sc.term)
	}
	return out
}
