package directory_test

import (
	"slices"
	"testing"

	"github.com/livingwell/livingwell/directory"
)

// TestSearchStatuses checks that searches find only running listings
// unless asked for others, with words and without, with and without
// other filters and left-out listings: a closed group must never be
// offered to someone as if it met.
func TestSearchStatuses(t *testing.T) {
	d := MustOpenDirectory(t, directory.Config{})
	withStatus := func(s directory.Status) func(*directory.Listing) {
		return func(l *directory.Listing) { l.Status = s }
	}
	mustApply(t, d, directory.Change{Put: []*directory.Listing{
		newListing("p1", "a", "Allotment gardening club"),
		newListing("p1", "b", "Gardening for wellbeing", withStatus(directory.StatusTempClosed)),
		newListing("p1", "c", "Community gardening", withStatus(directory.StatusInactive)),
		newListing("p1", "d", "Rooftop gardening"),
	}})
	tests := []struct {
		name string
		q    directory.Query
		want []string
	}{
		{"words", directory.Query{Text: "gardening"}, []string{"a", "d"}},
		{"words, one left out", directory.Query{Text: "gardening", Exclude: []string{directory.ListingID("p1", "d")}}, []string{"a"}},
		{"words and a filter", directory.Query{Text: "gardening", FreeOnly: true}, []string{"a", "d"}},
		{"words near a place", directory.Query{Text: "gardening", Postcode: "SW9", RadiusKm: 2}, []string{"a", "d"}},
		{"no words", directory.Query{}, []string{"a", "d"}},
		{"words, closed ones asked for", directory.Query{Text: "gardening", Statuses: []directory.Status{directory.StatusTempClosed, directory.StatusInactive}}, []string{"b", "c"}},
		{"words, every status", directory.Query{Text: "gardening", Statuses: directory.Statuses}, []string{"a", "b", "c", "d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustSearch(t, d, tt.q)
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Listing.Ref)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) || res.Total != len(tt.want) {
				t.Errorf("found %v (total %d), want %v", got, res.Total, tt.want)
			}
		})
	}
}
