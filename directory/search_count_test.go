package directory_test

import (
	"context"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

func TestCountResults(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	d := openFeedbackDir(t, &now)
	putFeedbackListing(t, d, "allotment-society", "A1", "Allotment Saturdays")
	putFeedbackListing(t, d, "allotment-society", "A2", "Seed swap")
	putFeedbackListing(t, d, "choir", "C1", "Community Choir")

	queries := []struct {
		name string
		q    directory.Query
	}{
		{"everything", directory.Query{}},
		{"words", directory.Query{Text: "allotment"}},
		{"filter", directory.Query{PartnerID: "choir"}},
		{"nothing", directory.Query{Text: "xylophone"}},
		{"with facets", directory.Query{Text: "seed", Facets: true}},
		{"paging ignored", directory.Query{Page: 9, PerPage: 1, Sort: directory.SortSoonest}},
	}
	for _, tt := range queries {
		t.Run(tt.name, func(t *testing.T) {
			n, facets, err := d.CountResults(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			q := tt.q
			q.Page, q.PerPage = 1, 20
			res, err := d.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if n != res.Total {
				t.Errorf("CountResults = %d, Search finds %d", n, res.Total)
			}
			if tt.q.Facets && len(facets["category"]) == 0 {
				t.Errorf("no facet counts asked for and given")
			}
		})
	}
	if _, _, err := d.CountResults(ctx, directory.Query{Postcode: "nowhere"}); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("bad postcode: error = %v, want EINVALID", err)
	}
}
