package directory

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestDecodePointIsParseFloat checks that the digit-by-digit reading of a
// location gives exactly what strconv.ParseFloat gives, for the locations
// encodePoint writes and for odd ones it never writes.
func TestDecodePointIsParseFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		p := LatLon{Lat: rng.Float64()*180 - 90, Lon: rng.Float64()*360 - 180}
		checkDecodePoint(t, encodePoint(p))
	}
	for _, s := range []string{
		"p51.501234,-0.123456", "p0,0", "p-0.000000,0.000000", "p90,-180", "p1.,2", "p.5,-.5",
		"p1e3,2", "p1.2.3,4", "p,1", "p1,", "p1", "p", "", "x1,2", "p1,2,3", "p-,1", "p+1,2",
		"p12345678901234567890,1", "p0.1234567890123456789,1", "pNaN,1", "p1 ,2",
	} {
		checkDecodePoint(t, s)
	}
}

func FuzzDecodePoint(f *testing.F) {
	f.Add("p51.501234,-0.123456")
	f.Add("p1e3,2")
	f.Fuzz(func(t *testing.T, s string) { checkDecodePoint(t, s) })
}

// checkDecodePoint compares decodePoint with a reading by strconv.
func checkDecodePoint(t *testing.T, s string) {
	t.Helper()
	got, ok := decodePoint([]byte(s))
	want, wantOK := decodePointByStrconv(s)
	if ok != wantOK || ok && (math.Float64bits(got.Lat) != math.Float64bits(want.Lat) || math.Float64bits(got.Lon) != math.Float64bits(want.Lon)) {
		t.Fatalf("decodePoint(%q) = %v, %v; strconv reads %v, %v", s, got, ok, want, wantOK)
	}
}

func decodePointByStrconv(s string) (LatLon, bool) {
	s, ok := strings.CutPrefix(s, "p")
	if !ok {
		return LatLon{}, false
	}
	a, c, ok := strings.Cut(s, ",")
	if !ok {
		return LatLon{}, false
	}
	lat, err1 := strconv.ParseFloat(a, 64)
	lon, err2 := strconv.ParseFloat(c, 64)
	return LatLon{Lat: lat, Lon: lon}, err1 == nil && err2 == nil
}
