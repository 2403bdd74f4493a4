package directory

import (
	"regexp"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// Postcode is a normalised UK postcode or postcode district.
type Postcode struct {
	// Outward is the district, e.g. "SW9".
	Outward string
	// Inward is the last three characters of a full postcode, e.g. "8AB";
	// empty for a district on its own.
	Inward string
}

// String formats the postcode as Royal Mail does: "SW9 8AB", or "SW9".
func (p Postcode) String() string {
	if p.Inward == "" {
		return p.Outward
	}
	return p.Outward + " " + p.Inward
}

// Full reports whether p is a whole postcode rather than a district.
func (p Postcode) Full() bool { return p.Inward != "" }

var (
	outwardRE = regexp.MustCompile(`^([A-Z]{1,2}[0-9][0-9A-Z]?)$`)
	fullRE    = regexp.MustCompile(`^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$`)
)

// ParsePostcode normalises a UK postcode ("sw9 8ab", "SW98AB", " Sw9  8aB ")
// or district ("sw9") and returns EINVALID, naming what was typed, for
// anything else.
//
// A space is taken as the one between the district and the rest, so "SW9
// 8" is an unfinished postcode, not the district SW98.
func ParsePostcode(s string) (Postcode, error) {
	fields := strings.Fields(strings.ToUpper(s))
	compact := strings.Join(fields, "")
	if len(compact) > 8 {
		return Postcode{}, postcodeError(s)
	}
	if m := fullRE.FindStringSubmatch(compact); m != nil && (len(fields) != 2 || fields[0] == m[1]) {
		return Postcode{Outward: m[1], Inward: m[2]}, nil
	}
	if m := outwardRE.FindStringSubmatch(compact); m != nil && len(fields) == 1 {
		return Postcode{Outward: m[1]}, nil
	}
	return Postcode{}, postcodeError(s)
}

func postcodeError(s string) error {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	if strings.TrimSpace(s) == "" {
		return Errorf(EINVALID, "the postcode is empty - give a UK postcode like SW9 8AB or a district like SW9")
	}
	return Errorf(EINVALID, "%q is not a full UK postcode or district - check it, e.g. SW9 8AB or SW9", s)
}

// District is one UK postcode district with its centroid.
type District struct {
	Code      string   // "SW9"
	Point     LatLon   // centroid
	Area      string   // town or area name, e.g. "Brixton, Stockwell"
	Authority string   // local authority or region as given by the source
	Nearby    []string // nearby district codes, nearest first
}

// Gazetteer turns postcodes into points: districts from the embedded
// centroid table and, when a full postcode file has been loaded, exact
// postcodes. A Gazetteer is read-only once built and safe for concurrent use.
type Gazetteer struct {
	districts map[string]District
	postcodes map[string]LatLon // "SW98AB" -> point
}

// NewGazetteer returns a gazetteer over the given districts and, optionally,
// full postcodes (keyed by compact postcode, "SW98AB").
func NewGazetteer(districts []District, postcodes map[string]LatLon) *Gazetteer {
	g := &Gazetteer{districts: make(map[string]District, len(districts)), postcodes: postcodes}
	for _, d := range districts {
		g.districts[d.Code] = d
	}
	return g
}

// Locate returns the point for a postcode or district: the exact point when
// the full postcode is known, otherwise the district's centroid. It returns
// EINVALID when the text is not a postcode and ENOTFOUND when the district
// is not a UK district we know.
func (g *Gazetteer) Locate(s string) (Postcode, LatLon, error) {
	pc, err := ParsePostcode(s)
	if err != nil {
		return pc, LatLon{}, err
	}
	if pc.Full() && g.postcodes != nil {
		if p, ok := g.postcodes[pc.Outward+pc.Inward]; ok {
			return pc, p, nil
		}
	}
	d, ok := g.districts[pc.Outward]
	if !ok {
		return pc, LatLon{}, Errorf(ENOTFOUND, "we do not know the postcode district %s - check the postcode", pc.Outward)
	}
	return pc, d.Point, nil
}

// District returns the district with the given code ("SW9") and whether it is known.
func (g *Gazetteer) District(code string) (District, bool) {
	d, ok := g.districts[strings.ToUpper(code)]
	return d, ok
}

// Len returns how many districts the gazetteer knows.
func (g *Gazetteer) Len() int { return len(g.districts) }

// DistanceKm returns the great-circle (haversine) distance between two points
// in kilometres.
func DistanceKm(a, b LatLon) float64 {
	return geo.DistanceHaversine(a.Orb(), b.Orb()) / 1000
}

// NearestKm returns the distance from p to the nearest of pts in kilometres,
// and false when pts is empty.
func NearestKm(p LatLon, pts []LatLon) (float64, bool) {
	best, ok := 0.0, false
	for _, q := range pts {
		if d := DistanceKm(p, q); !ok || d < best {
			best, ok = d, true
		}
	}
	return best, ok
}

// Bound returns the bounding box around p at radius km.
func Bound(p LatLon, km float64) orb.Bound {
	return geo.NewBoundAroundPoint(p.Orb(), km*1000)
}
