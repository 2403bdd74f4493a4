package directory_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/livingwell/livingwell/directory"
)

// boundaryTolerance is how close to the edge of a search radius (as a
// share of it) a listing may be without the test minding which side the
// index puts it: Bleve measures on an ellipsoid, orb on a sphere, and they
// differ by about 0.2%.
const boundaryTolerance = 0.005

// activeListings returns every active listing of the directory.
func activeListings(t *testing.T, d *directory.Directory) []*directory.Listing {
	t.Helper()
	var out []*directory.Listing
	err := d.ForEachListing(context.Background(), func(l *directory.Listing) error {
		if l.Status == directory.StatusActive {
			out = append(out, l)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// allHits pages through a search and returns every hit.
func allHits(t *testing.T, d *directory.Directory, q directory.Query) []directory.Hit {
	t.Helper()
	var hits []directory.Hit
	q.PerPage = 20
	for q.Page = 1; ; q.Page++ {
		res := mustSearch(t, d, q)
		hits = append(hits, res.Hits...)
		if len(res.Hits) < q.PerPage || len(hits) >= res.Total {
			if len(hits) != res.Total {
				t.Fatalf("paged through %d hits; Total says %d", len(hits), res.Total)
			}
			return hits
		}
	}
}

func TestRadiusAgreesWithHaversine(t *testing.T) {
	d := sampleDirectory(t)
	gaz := mustVocabulary(t).Gazetteer
	listings := activeListings(t, d)
	for _, pc := range []string{"SW9", "SE5 8AA", "SW2", "SE27", "SW16"} {
		for _, radius := range []float64{0.5, 1, 2, 5} {
			for _, online := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s within %g km, online %v", pc, radius, online), func(t *testing.T) {
					_, at, err := gaz.Locate(pc)
					if err != nil {
						t.Fatal(err)
					}
					want := map[string]bool{}
					fuzzy := map[string]bool{}
					for _, l := range listings {
						km, located := directory.NearestKm(at, l.Points())
						switch {
						case !located && online && l.OnlineOnly():
							want[l.ID] = true
						case located && math.Abs(km-radius) <= radius*boundaryTolerance:
							fuzzy[l.ID] = true
						case located && km <= radius:
							want[l.ID] = true
						}
					}
					got := map[string]bool{}
					for _, h := range allHits(t, d, directory.Query{Postcode: pc, RadiusKm: radius, IncludeOnline: online}) {
						got[h.Listing.ID] = true
						if fuzzy[h.Listing.ID] {
							continue
						}
						if !want[h.Listing.ID] {
							t.Errorf("%s (%v) found, but by haversine it is %s away", h.Listing.Name, h.Listing.Points(), kmText(h.DistanceKm))
						}
						if h.Listing.OnlineOnly() != (h.DistanceKm == nil) {
							t.Errorf("%s: distance %s for a listing that is online-only %v", h.Listing.Name, kmText(h.DistanceKm), h.Listing.OnlineOnly())
						}
					}
					for id := range want {
						if !got[id] {
							l, _ := d.Listing(context.Background(), id)
							km, _ := directory.NearestKm(at, l.Points())
							t.Errorf("%s is %.3f km away but was not found", l.Name, km)
						}
					}
				})
			}
		}
	}
}

func kmText(km *float64) string {
	if km == nil {
		return "none"
	}
	return fmt.Sprintf("%.3f km", *km)
}

func TestDistanceSortAgreesWithHaversine(t *testing.T) {
	d := sampleDirectory(t)
	gaz := mustVocabulary(t).Gazetteer
	tests := []directory.Query{
		{Postcode: "SW9", Sort: directory.SortDistance},
		{Postcode: "SE27", Sort: directory.SortDistance, RadiusKm: 4},
		{Postcode: "SW2", Sort: directory.SortDistance, Categories: []string{"community"}},
		{Postcode: "SE5", Sort: directory.SortDistance, Categories: []string{"practical-help"}},
		// With a place and no words, relevance is by distance too.
		{Postcode: "SW16"},
	}
	for _, q := range tests {
		t.Run(fmt.Sprintf("%s %q %v", q.Postcode, q.Text, q.Categories), func(t *testing.T) {
			_, at, err := gaz.Locate(q.Postcode)
			if err != nil {
				t.Fatal(err)
			}
			hits := allHits(t, d, q)
			if len(hits) < 10 {
				t.Fatalf("only %d hits; the test needs more", len(hits))
			}
			multi := 0
			for i, h := range hits {
				want, ok := directory.NearestKm(at, h.Listing.Points())
				if !ok || h.DistanceKm == nil {
					t.Fatalf("hit %d (%s) has no distance", i, h.Listing.Name)
				}
				if math.Abs(*h.DistanceKm-want) > 1e-9 {
					t.Errorf("hit %d (%s) distance %.4f; haversine to its nearest location says %.4f", i, h.Listing.Name, *h.DistanceKm, want)
				}
				if i > 0 && *h.DistanceKm < *hits[i-1].DistanceKm {
					t.Errorf("hit %d (%s, %.3f km) is nearer than hit %d (%s, %.3f km) above it", i, h.Listing.Name, *h.DistanceKm, i-1, hits[i-1].Listing.Name, *hits[i-1].DistanceKm)
				}
				if len(h.Listing.Points()) > 1 {
					multi++
				}
			}
			if multi == 0 {
				t.Error("no listing with several locations among the hits; the test cannot tell nearest from first location")
			}
		})
	}
}

func TestRelevanceWithPlace(t *testing.T) {
	clk := &clock{}
	d := MustOpenDirectory(t, directory.Config{Now: clk.now})
	at := func(lat, lon float64) func(*directory.Listing) {
		return func(l *directory.Listing) {
			l.Locations = []directory.Location{{Name: "Hall", Point: &directory.LatLon{Lat: lat, Lon: lon}}}
		}
	}
	brixton := directory.LatLon{Lat: 51.4626, Lon: -0.1155}
	// About 0.5, 2 and 4 km north of the search point.
	near, mid, far := 51.4671, 51.4806, 51.4986
	mustApply(t, d, directory.Change{Put: []*directory.Listing{
		newListing("p", "far", "Community choir", at(far, -0.1155)),
		newListing("p", "near", "Community choir", at(near, -0.1155)),
		newListing("p", "mid-best", "Choir: the choir for choir lovers", at(mid, -0.1155), func(l *directory.Listing) {
			l.Summary, l.Interests, l.Categories = "A choir.", []string{"choir"}, []string{"singing"}
		}),
		newListing("p", "near-weak", "Tea and chat", at(near, -0.1155), func(l *directory.Listing) { l.Description = "Sometimes someone mentions a choir." }),
		newListing("p", "online", "Online choir", func(l *directory.Listing) { l.Locations, l.Online = nil, true }),
	}})
	res := mustSearch(t, d, directory.Query{Text: "choir", Near: &brixton})
	got := refsOf(res)
	pos := map[string]int{}
	for i, r := range got {
		pos[r] = i
	}
	if pos["near"] > pos["far"] {
		t.Errorf("the same listing nearer should rank higher: %v", got)
	}
	if pos["mid-best"] > pos["far"] {
		t.Errorf("a much better match 2 km away should beat the same match 4 km away: %v", got)
	}
	if pos["near-weak"] < pos["near"] {
		t.Errorf("a passing mention nearby should not beat a real match nearby: %v", got)
	}
	if _, ok := pos["online"]; ok {
		t.Errorf("an online-only listing was shown in a search near a place without asking: %v", got)
	}
	res = mustSearch(t, d, directory.Query{Text: "choir", Near: &brixton, IncludeOnline: true})
	if !contains(refsOf(res), "online") {
		t.Errorf("online-only listing missing when asked for: %v", refsOf(res))
	}
	res = mustSearch(t, d, directory.Query{Text: "choir"})
	if !contains(refsOf(res), "online") {
		t.Errorf("online-only listing missing from a search without a place: %v", refsOf(res))
	}
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
