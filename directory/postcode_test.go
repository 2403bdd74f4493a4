package directory_test

import (
	"math"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
)

func TestParsePostcodeAndLocate(t *testing.T) {
	gaz := mustVocabulary(t).Gazetteer
	sw9 := directory.LatLon{Lat: 51.4691, Lon: -0.113681}
	tests := []struct {
		in   string
		want string // normalised; empty when it must fail
		full bool
		at   *directory.LatLon // the district centroid Locate gives
		code string            // the error code when it fails
		says string            // what the error message must mention
	}{
		{in: "sw9 8ab", want: "SW9 8AB", full: true, at: &sw9},
		{in: "SW98AB", want: "SW9 8AB", full: true, at: &sw9},
		{in: " Sw9  8aB ", want: "SW9 8AB", full: true, at: &sw9},
		{in: "SW9", want: "SW9", at: &sw9},
		{in: "sw9", want: "SW9", at: &sw9},
		{in: "EC1A 1BB", want: "EC1A 1BB", full: true, at: &directory.LatLon{Lat: 51.5203, Lon: -0.104444}},
		{in: "W1A 0AX", want: "W1A 0AX", full: true, at: &directory.LatLon{Lat: 51.5186, Lon: -0.130986}},
		{in: "SW9 8", code: directory.EINVALID, says: `"SW9 8"`},
		{in: "12345", code: directory.EINVALID, says: `"12345"`},
		{in: "", code: directory.EINVALID, says: "empty"},
		{in: "   ", code: directory.EINVALID, says: "empty"},
		{in: "SW9 8ABC", code: directory.EINVALID, says: "SW9 8ABC"},
		{in: "Brixton", code: directory.EINVALID, says: "Brixton"},
		{in: strings.Repeat("SW9", 100), code: directory.EINVALID, says: "..."},
		// Shaped like a district, but there is no such district: a clear
		// "not found" naming it.
		{in: "ZZ99", want: "ZZ99", code: directory.ENOTFOUND, says: "ZZ99"},
		{in: "ZZ99 1AA", want: "ZZ99 1AA", full: true, code: directory.ENOTFOUND, says: "ZZ99"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			pc, err := directory.ParsePostcode(tt.in)
			switch {
			case tt.want == "" && err == nil:
				t.Fatalf("ParsePostcode(%q) = %q; want an error", tt.in, pc)
			case tt.want == "" && directory.ErrorCode(err) != directory.EINVALID:
				t.Fatalf("ParsePostcode(%q) error %v; want EINVALID", tt.in, err)
			case tt.want != "" && err != nil:
				t.Fatalf("ParsePostcode(%q): %v", tt.in, err)
			case tt.want != "" && (pc.String() != tt.want || pc.Full() != tt.full):
				t.Errorf("ParsePostcode(%q) = %q (full %v); want %q (full %v)", tt.in, pc, pc.Full(), tt.want, tt.full)
			}
			_, at, err := gaz.Locate(tt.in)
			if tt.code != "" {
				if directory.ErrorCode(err) != tt.code {
					t.Fatalf("Locate(%q) error %v; want code %s", tt.in, err, tt.code)
				}
				if msg := directory.ErrorMessage(err); !strings.Contains(msg, tt.says) {
					t.Errorf("Locate(%q) message %q does not mention %q", tt.in, msg, tt.says)
				}
				return
			}
			if err != nil {
				t.Fatalf("Locate(%q): %v", tt.in, err)
			}
			if math.Abs(at.Lat-tt.at.Lat) > 1e-9 || math.Abs(at.Lon-tt.at.Lon) > 1e-9 {
				t.Errorf("Locate(%q) = %+v; want the district centroid %+v", tt.in, at, *tt.at)
			}
		})
	}
}

func TestLocatePrefersKnownFullPostcode(t *testing.T) {
	exact := directory.LatLon{Lat: 51.4601, Lon: -0.1152}
	gaz := directory.NewGazetteer([]directory.District{{Code: "SW9", Point: directory.LatLon{Lat: 51.4691, Lon: -0.113681}}},
		map[string]directory.LatLon{"SW98AB": exact})
	if _, at, err := gaz.Locate("sw9 8ab"); err != nil || at != exact {
		t.Errorf("Locate(sw9 8ab) = %+v, %v; want the exact point %+v", at, err, exact)
	}
	if _, at, err := gaz.Locate("SW9 9ZZ"); err != nil || at == exact {
		t.Errorf("Locate(SW9 9ZZ) = %+v, %v; want the district centroid", at, err)
	}
}

func TestDistanceKm(t *testing.T) {
	brixton := directory.LatLon{Lat: 51.4626, Lon: -0.1155}
	// One degree of latitude is 111.32 km on orb's sphere (radius
	// 6378.137 km).
	north := directory.LatLon{Lat: brixton.Lat + 1, Lon: brixton.Lon}
	if got := directory.DistanceKm(brixton, north); math.Abs(got-111.32) > 0.01 {
		t.Errorf("DistanceKm over one degree of latitude = %.3f; want 111.32", got)
	}
	if got := directory.DistanceKm(brixton, brixton); got != 0 {
		t.Errorf("DistanceKm to itself = %v; want 0", got)
	}
	if _, ok := directory.NearestKm(brixton, nil); ok {
		t.Error("NearestKm with no points reports a distance")
	}
	near := directory.LatLon{Lat: brixton.Lat + 0.01, Lon: brixton.Lon}
	if got, ok := directory.NearestKm(brixton, []directory.LatLon{north, near}); !ok || math.Abs(got-directory.DistanceKm(brixton, near)) > 1e-9 {
		t.Errorf("NearestKm = %v, %v; want the nearer point's distance", got, ok)
	}
}
