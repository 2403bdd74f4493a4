package directory

import (
	"context"
	"sort"

	"github.com/blevesearch/bleve/v2"
)

// maxCategoriesInUse bounds how many distinct categories CategoriesInUse
// reports: the taxonomy's terms and a generous number kept from imports.
const maxCategoriesInUse = 10000

// CategoriesInUse returns every category code that at least one listing
// (of any status) is filed under, with the number of listings, sorted by
// code. Codes include the ancestors of Living Well terms and the codes kept
// from imported data that are not Living Well terms.
func (d *Directory) CategoriesInUse(ctx context.Context) ([]FacetCount, error) {
	// Counted from the posting lists, as search's facets are
	// (facet_tally.go).
	req := bleve.NewSearchRequestOptions(anyTerm(fStatus, Statuses), 0, 0, false)
	req.SortBy([]string{"-_score"})
	tally := newFacetTally()
	if _, err := d.searchIndex(withFacetTally(ctx, tally), req); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, Internal(err, "count categories")
	}
	out := []FacetCount{}
	for term, n := range tally.result()["category"] {
		out = append(out, FacetCount{Term: term, Label: d.tax.Label(term), Count: n})
	}
	// The most used, when there are more than the bound.
	if len(out) > maxCategoriesInUse {
		sort.Slice(out, func(i, j int) bool {
			return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Term < out[j].Term
		})
		out = out[:maxCategoriesInUse]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Term < out[j].Term })
	return out, nil
}
