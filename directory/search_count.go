package directory

import (
	"context"

	"github.com/blevesearch/bleve/v2"
)

// CountResults returns how many listings the search q would find and, when
// q.Facets is set, its facet counts, without ranking or loading any of
// them: the cheap way to say "N results" for a suggested search or to count
// a filter. q's sort and paging are ignored. It returns EINVALID, as Search
// does, for a bad postcode, radius or filter.
func (d *Directory) CountResults(ctx context.Context, q Query) (int, map[string][]FacetCount, error) {
	q.Sort, q.Page, q.PerPage = SortRelevance, 1, 1
	if err := d.normalise(&q); err != nil {
		return 0, nil, err
	}
	bq, _, _ := d.buildQuery(&q)
	req := bleve.NewSearchRequestOptions(bq, 0, 0, false)
	// By score alone: ordering by id had Bleve read the id of every
	// match, for a page of none.
	req.SortBy([]string{"-_score"})
	var tally *facetTally
	if q.Facets {
		tally = newFacetTally()
		ctx = withFacetTally(ctx, tally)
	}
	res, err := d.searchIndex(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, nil, ctx.Err()
		}
		return 0, nil, Internal(err, "count search results")
	}
	var facets map[string][]FacetCount
	if q.Facets {
		facets = d.facetCounts(tally.result())
	}
	return int(res.Total), facets, nil
}
