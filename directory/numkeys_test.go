package directory_test

import (
	"slices"
	"testing"

	"github.com/livingwell/livingwell/directory"
)

// TestCostAndAgeRanges checks the bounds of the cost and age filters,
// which the index keeps as fixed-width keywords: an amount or age at a
// bound is in, one a penny or a year past it is out, and amounts and ages
// of different lengths compare as numbers (£10 is more than £9.99, 100
// years more than 99).
func TestCostAndAgeRanges(t *testing.T) {
	d := MustOpenDirectory(t, directory.Config{})
	put := func(ref string, cost directory.Cost, minAge, maxAge int) *directory.Listing {
		return newListing("p", ref, ref, func(l *directory.Listing) { l.Cost, l.MinAge, l.MaxAge = cost, minAge, maxAge })
	}
	mustApply(t, d, directory.Change{Put: []*directory.Listing{
		put("free", directory.Cost{Free: true}, 0, 0),
		put("p999", directory.Cost{Pence: 999}, 0, 0),
		put("p1000", directory.Cost{Pence: 1000}, 0, 0),
		put("p250000", directory.Cost{Pence: 250000}, 0, 0),
		put("adults", directory.Cost{Free: true}, 18, 0),
		put("young", directory.Cost{Free: true}, 16, 25),
		put("older", directory.Cost{Free: true}, 65, 0),
		put("centenarians", directory.Cost{Free: true}, 100, 120),
	}})
	tests := []struct {
		name string
		q    directory.Query
		want []string
	}{
		{"up to £9.99", directory.Query{MaxPence: 999}, []string{"adults", "centenarians", "free", "older", "p999", "young"}},
		{"up to £9.98", directory.Query{MaxPence: 998}, []string{"adults", "centenarians", "free", "older", "young"}},
		{"up to £10", directory.Query{MaxPence: 1000}, []string{"adults", "centenarians", "free", "older", "p1000", "p999", "young"}},
		{"up to £2,500", directory.Query{MaxPence: 250000}, []string{"adults", "centenarians", "free", "older", "p1000", "p250000", "p999", "young"}},
		{"aged 16", directory.Query{Age: 16}, []string{"free", "p1000", "p250000", "p999", "young"}},
		{"aged 25", directory.Query{Age: 25}, []string{"adults", "free", "p1000", "p250000", "p999", "young"}},
		{"aged 26", directory.Query{Age: 26}, []string{"adults", "free", "p1000", "p250000", "p999"}},
		{"aged 99", directory.Query{Age: 99}, []string{"adults", "free", "older", "p1000", "p250000", "p999"}},
		{"aged 100", directory.Query{Age: 100}, []string{"adults", "centenarians", "free", "older", "p1000", "p250000", "p999"}},
		{"minimum age at least 18", directory.Query{MinAgeAtLeast: 18}, []string{"adults", "centenarians", "older"}},
		{"maximum age at most 25", directory.Query{MaxAgeAtMost: 25}, []string{"young"}},
		{"maximum age at most 120", directory.Query{MaxAgeAtMost: 120}, []string{"centenarians", "young"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.PerPage = 100
			got := hitNames(mustSearch(t, d, tt.q))
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
