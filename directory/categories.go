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
	req := bleve.NewSearchRequestOptions(anyTerm(fStatus, Statuses), 0, 0, false)
	req.AddFacet("category", bleve.NewFacetRequest(fCategory, maxCategoriesInUse))
	res, err := d.searchIndex(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, Internal(err, "count categories")
	}
	out := []FacetCount{}
	if fr, ok := res.Facets["category"]; ok && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			out = append(out, FacetCount{Term: t.Term, Label: d.tax.Label(t.Term), Count: t.Count})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Term < out[j].Term })
	return out, nil
}
