package matcher_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// FuzzParseDistance checks that any distance either reads as a number of
// kilometres within bounds or is refused with a message.
func FuzzParseDistance(f *testing.F) {
	for _, s := range []string{"", "3", "2.5 km", "1 mile", "walking", "a short bus ride", "anywhere", "-1", "NaN", "1e400", "5mi", "km"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		km, err := matcher.ParseDistance(s)
		switch {
		case err != nil && directory.ErrorCode(err) != directory.EINVALID:
			t.Errorf("ParseDistance(%q): %v is not EINVALID", s, err)
		case err == nil && (km < 0 || km > matcher.MaxDistanceKm || math.IsNaN(km)):
			t.Errorf("ParseDistance(%q) = %v, out of bounds", s, km)
		}
	})
}

// FuzzRequest decodes any JSON as a profile request and parses it: it
// must never panic, every error must say what to fix (EINVALID), and
// every profile it accepts must be valid.
func FuzzRequest(f *testing.F) {
	for _, s := range []string{
		`{"interests":["gardening"],"postcode":"SW9","max_distance_km":"walking","days":["tue"],"times":["morning"],"free_only":true}`,
		`{"strengths":["speaks Portuguese"],"languages":["pt"],"point":{"lat":51.47,"lon":-0.11},"max_distance_km":3}`,
		`{"goals":["make friends"],"needs":["food"],"max_cost":2.5,"accessibility":["wheelchair"],"age":70,"format":"1:1","limit":5}`,
		`{"online_only":true,"exclude":["abc"],"days":["weekends"]}`,
		`{"postcode":"ZZ99"}`, `{"max_distance_km":-4,"postcode":"SW9"}`, `{}`,
	} {
		f.Add([]byte(s))
	}
	g, err := dataGazetteer()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var req matcher.Request
		if json.Unmarshal(raw, &req) != nil {
			return
		}
		p, err := req.Parse(g)
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("%s: %v is not EINVALID", raw, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Errorf("%s: parsed to a profile that is not valid: %v", raw, err)
		}
	})
}
