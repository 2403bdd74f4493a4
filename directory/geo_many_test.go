package directory_test

import (
	"context"
	"testing"

	"github.com/livingwell/livingwell/directory"
)

// TestSearchRadiusAnyLocation checks that a radius search finds a listing
// by any of its locations, not only the first: a service with a centre in
// Kennington and another in Streatham is near both.
func TestSearchRadiusAnyLocation(t *testing.T) {
	kennington := directory.LatLon{Lat: 51.4880, Lon: -0.1100}
	streatham := directory.LatLon{Lat: 51.4250, Lon: -0.1300}
	croydon := directory.LatLon{Lat: 51.3730, Lon: -0.0990}
	twoPlaces := func(ref string, pts ...directory.LatLon) *directory.Listing {
		l := boostListing(ref, "Walking football "+ref, "Football at walking pace.", []string{"exercise-sport"}, pts[0].Lat, pts[0].Lon)
		for _, p := range pts[1:] {
			l.Locations = append(l.Locations, directory.Location{Postcode: "SW16", Point: &p})
		}
		return l
	}
	// A listing with more locations than have fields of their own, near
	// only by its last.
	many := []directory.LatLon{croydon}
	for i := 0; i < 9; i++ {
		many = append(many, directory.LatLon{Lat: 51.30 + float64(i)*0.01, Lon: 0.10})
	}
	many = append(many, kennington, streatham)
	d := openBoostDirectory(t,
		twoPlaces("north-first", kennington, streatham),
		twoPlaces("south-first", streatham, kennington),
		twoPlaces("three", croydon, streatham, kennington),
		twoPlaces("many", many...),
		twoPlaces("far", croydon),
	)
	for _, near := range []directory.LatLon{kennington, streatham} {
		res, err := d.Search(context.Background(), directory.Query{Near: &near, RadiusKm: 2})
		if err != nil {
			t.Fatal(err)
		}
		got := hitRefs(res)
		if len(got) != 4 || res.Total != 4 {
			t.Errorf("within 2 km of %v: got %v (total %d), want the four listings with a location there", near, got, res.Total)
		}
		for _, h := range res.Hits {
			if h.DistanceKm == nil || *h.DistanceKm > 2 {
				t.Errorf("%s: distance %v, want its nearest location, within 2 km", h.Listing.Ref, h.DistanceKm)
			}
		}
	}
}
