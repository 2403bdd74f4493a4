package directory_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// openBoostDirectory opens an empty directory in a temporary folder with the
// embedded vocabulary and stores the given listings.
func openBoostDirectory(t *testing.T, listings ...*directory.Listing) *directory.Directory {
	t.Helper()
	v, err := data.LoadVocabulary()
	if err != nil {
		t.Fatalf("load vocabulary: %v", err)
	}
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	d, err := directory.Open(directory.Config{Dir: t.TempDir(), Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("open directory: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Apply(context.Background(), directory.Change{Put: listings}); err != nil {
		t.Fatalf("store listings: %v", err)
	}
	return d
}

// boostListing returns a valid active listing at the given point.
func boostListing(ref, name, description string, cats []string, lat, lon float64) *directory.Listing {
	return &directory.Listing{
		ID: directory.ListingID("boost-partner", ref), PartnerID: "boost-partner", Ref: ref,
		Name: name, Description: description, Categories: cats,
		Locations: []directory.Location{{Postcode: "SW9", Point: &directory.LatLon{Lat: lat, Lon: lon}}},
		Contact:   directory.Contact{Phone: "020 7000 0000"}, Status: directory.StatusActive,
	}
}

func hitRefs(res *directory.Results) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Listing.Ref)
	}
	return out
}

func TestSearchBoosts(t *testing.T) {
	d := openBoostDirectory(t,
		// Nearest to SW9 first, so distance order and boost order differ.
		boostListing("debt", "Debt advice", "Help with debts and bailiffs.", []string{"debt-advice"}, 51.4691, -0.1137),
		boostListing("garden", "Community garden", "Grow vegetables with neighbours.", []string{"community-gardens"}, 51.4600, -0.1137),
		boostListing("football", "Walking football", "Football at walking pace for over-50s.", []string{"exercise-sport"}, 51.4500, -0.1137),
		boostListing("farm", "City farm", "Goats, sheep and a walking trail.", []string{"nature-gardening"}, 51.4400, -0.1137),
	)
	ctx := context.Background()
	tests := []struct {
		name string
		q    directory.Query
		// want are the first hits in order; total is how many there are
		// (listings that match no boost still come, in no set order).
		want  []string
		total int
	}{
		{"boosts rank without filtering", directory.Query{Boosts: []directory.Boost{{Words: "walking football", Weight: 2}}}, []string{"football"}, 4},
		{"all words must be in one field", directory.Query{Boosts: []directory.Boost{{Words: "walking farm"}}}, nil, 4},
		{"the description is not looked at", directory.Query{Boosts: []directory.Boost{{Words: "goats"}}}, nil, 4},
		{"a category includes those below it", directory.Query{Boosts: []directory.Boost{{Category: "nature-gardening"}}}, []string{"farm", "garden"}, 4},
		{"heavier boosts win", directory.Query{Boosts: []directory.Boost{{Category: "debt-advice", Weight: 1}, {Category: "community-gardens", Weight: 20}}}, []string{"garden", "debt"}, 4},
		{"with a place, boosts still rank", directory.Query{Postcode: "SW9", Boosts: []directory.Boost{{Words: "city farm", Weight: 5}}}, []string{"farm"}, 4},
		{"within a radius, boosts rank and the radius filters", directory.Query{Postcode: "SW9", RadiusKm: 2.5, Boosts: []directory.Boost{{Words: "walking football", Weight: 5}}}, []string{"football"}, 3},
		{"a radius filter does not score", directory.Query{Postcode: "SW9", RadiusKm: 2.5, Boosts: []directory.Boost{{Words: "goats"}}}, nil, 3},
		{"without boosts, a place sorts by distance", directory.Query{Postcode: "SW9"}, []string{"debt", "garden", "football", "farm"}, 4},
		{"with text, the text must match and boosts reorder", directory.Query{Text: "walking", Boosts: []directory.Boost{{Words: "farm", Weight: 10}}}, []string{"farm", "football"}, 2},
		{"filters still apply", directory.Query{Categories: []string{"basics"}, Boosts: []directory.Boost{{Words: "football"}}}, []string{"debt"}, 1},
		{"exclude still applies", directory.Query{Exclude: []string{directory.ListingID("boost-partner", "football")}, Boosts: []directory.Boost{{Words: "football"}}}, nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := d.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := hitRefs(res)
			if len(got) != tt.total || res.Total != tt.total {
				t.Fatalf("got %d hits (total %d), want %d: %v", len(got), res.Total, tt.total, got)
			}
			if !slices.Equal(got[:len(tt.want)], tt.want) {
				t.Errorf("got %v, want it to start %v", got, tt.want)
			}
			if slices.Contains(got, "football") && len(tt.q.Exclude) > 0 {
				t.Errorf("excluded listing found: %v", got)
			}
			if tt.want == nil {
				// No boost matches: every listing scores alike, in id order.
				for i := 1; i < len(res.Hits); i++ {
					if res.Hits[i].Score != res.Hits[0].Score {
						t.Errorf("hit %d scores %g, not %g like the first: a boost matched", i, res.Hits[i].Score, res.Hits[0].Score)
					}
				}
			}
		})
	}
}

func TestSearchBoostsInvalid(t *testing.T) {
	d := openBoostDirectory(t, boostListing("debt", "Debt advice", "Help with debts.", []string{"debt-advice"}, 51.4691, -0.1137))
	tests := []struct {
		name  string
		boost []directory.Boost
		want  string
	}{
		{"neither words nor category", []directory.Boost{{Weight: 1}}, "either words or a category"},
		{"both words and category", []directory.Boost{{Words: "debt", Category: "debt-advice"}}, "either words or a category"},
		{"negative weight", []directory.Boost{{Words: "debt", Weight: -1}}, "weight"},
		{"words too long", []directory.Boost{{Words: strings.Repeat("a", 201)}}, "at most 200"},
		{"too many", make([]directory.Boost, directory.MaxBoosts+1), "at most 300 boosts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Search(context.Background(), directory.Query{Boosts: tt.boost})
			if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(directory.ErrorMessage(err), tt.want) {
				t.Errorf("got %v, want EINVALID mentioning %q", err, tt.want)
			}
		})
	}
}
