package matcher

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// Profile is what a worker tells the matcher about a person, checked and
// in the directory's terms. Request.Parse builds one from words; Match
// takes one. Nothing in a profile is stored or logged.
type Profile struct {
	// Interests are things the person enjoys ("gardening", "football").
	Interests []string
	// Strengths are things they are good at ("good cook", "speaks
	// Portuguese", "patient listener"): listings that use or build them
	// rank higher.
	Strengths []string
	// Goals are journey stages ("relationships") or free words ("make
	// friends", "get back to work").
	Goals []string
	// Needs are practical needs ("housing", "money", "food"); listings
	// meeting them come first.
	Needs []string

	// Postcode is the normalised postcode or district the person is near,
	// when they gave one; Near is the point to measure from.
	Postcode string
	Near     *directory.LatLon
	// MaxDistanceKm is the furthest they will travel; 0 means no bound.
	MaxDistanceKm float64
	// OnlineOK keeps listings one can join online whatever their place;
	// OnlineOnly keeps only those.
	OnlineOK, OnlineOnly bool

	// Days, when given, keep listings that meet on one of them (or have no
	// fixed times). Times are the parts of the day that suit.
	Days  []time.Weekday
	Times []PartOfDay

	// FreeOnly keeps free listings; MaxPence, when above zero, keeps
	// those costing at most that much.
	FreeOnly bool
	MaxPence int
	// Accessibility features the person needs: a listing must have all.
	Accessibility []directory.Access
	// Languages the person can take part in (ISO 639-1): a listing must
	// offer one of them. Listings that name no language count as English.
	Languages []string
	// Age in years; 0 when not given.
	Age int
	// Format is group or one-to-one; empty means either.
	Format directory.Format
	// NoReferral keeps listings the person can join without an
	// introduction from another service.
	NoReferral bool
	// Exclude lists listing ids to leave out (tried already).
	Exclude []string
	// Limit is how many matches to return.
	Limit int
}

// PartOfDay is a part of the day a person can do things in.
type PartOfDay string

// The parts of the day, in UK local time.
const (
	Morning   PartOfDay = "morning"   // 06:00 to 12:00
	Afternoon PartOfDay = "afternoon" // 12:00 to 17:00
	Evening   PartOfDay = "evening"   // 17:00 to midnight
)

// span returns the part of the day in minutes after midnight.
func (p PartOfDay) span() (from, to int) {
	switch p {
	case Morning:
		return 6 * 60, 12 * 60
	case Afternoon:
		return 12 * 60, 17 * 60
	}
	return 17 * 60, 24 * 60
}

// Limits on a profile, so that no request can ask for unbounded work.
const (
	MaxListItems  = 20  // items in each of interests, strengths, goals, needs, days, ...
	MaxWordLen    = 100 // characters in each item
	MaxExclude    = 200 // listing ids to leave out
	MaxLimit      = 50  // matches in one answer
	DefaultLimit  = 10
	MaxDistanceKm = 100 // also what "anywhere" means
	// DefaultDistanceKm is how far a person is assumed to travel when they
	// give a place but not a distance: a short bus ride.
	DefaultDistanceKm = 5
	maxPence          = 100000
)

// Validate checks a profile built in code (Request.Parse makes valid ones)
// and fills in the default limit. It returns EINVALID saying what to fix.
func (p *Profile) Validate() error {
	bad := func(format string, args ...any) error {
		return directory.Errorf(directory.EINVALID, format, args...)
	}
	for _, list := range []struct {
		name  string
		items []string
	}{{"interests", p.Interests}, {"strengths", p.Strengths}, {"goals", p.Goals}, {"needs", p.Needs}, {"languages", p.Languages}} {
		if len(list.items) > MaxListItems {
			return bad("give at most %d %s, not %d", MaxListItems, list.name, len(list.items))
		}
		for _, it := range list.items {
			if strings.TrimSpace(it) == "" || len(it) > MaxWordLen {
				return bad("each of the %s should be 1 to %d characters", list.name, MaxWordLen)
			}
		}
	}
	switch {
	case p.Near != nil && (p.Near.Lat < -90 || p.Near.Lat > 90 || p.Near.Lon < -180 || p.Near.Lon > 180 || math.IsNaN(p.Near.Lat) || math.IsNaN(p.Near.Lon)):
		return bad("the point is not on Earth - give a latitude from -90 to 90 and a longitude from -180 to 180")
	case p.MaxDistanceKm < 0 || p.MaxDistanceKm > MaxDistanceKm || math.IsNaN(p.MaxDistanceKm):
		return bad("the distance must be between 0 and %d km", MaxDistanceKm)
	case p.MaxPence < 0 || p.MaxPence > maxPence:
		return bad("the most someone can pay must be between £0 and £%d", maxPence/100)
	case p.Age < 0 || p.Age > 120:
		return bad("age must be between 0 and 120")
	case p.Limit < 0 || p.Limit > MaxLimit:
		return bad("limit must be between 1 and %d", MaxLimit)
	case len(p.Exclude) > MaxExclude:
		return bad("leave out at most %d listings", MaxExclude)
	case len(p.Days) > 7 || len(p.Times) > 3:
		return bad("give each day and each part of the day at most once")
	case p.Format != "" && p.Format != directory.FormatGroup && p.Format != directory.FormatOneToOne:
		return bad("format should be group, one-to-one or either")
	}
	for _, d := range p.Days {
		if d < time.Sunday || d > time.Saturday {
			return bad("day %d is not a day of the week", d)
		}
	}
	for _, t := range p.Times {
		if t != Morning && t != Afternoon && t != Evening {
			return bad("%q is not a part of the day - use morning, afternoon or evening", t)
		}
	}
	for _, a := range p.Accessibility {
		if !a.Valid() {
			return bad("accessibility %q is not one of step-free, accessible-toilet, hearing-loop, bsl, quiet-space, large-print", a)
		}
	}
	if p.Limit == 0 {
		p.Limit = DefaultLimit
	}
	if p.OnlineOnly {
		p.OnlineOK = true
	}
	return nil
}

// place says where distances are measured from, for reasons: the
// postcode, or "you" for a point.
func (p *Profile) place() string {
	if p.Postcode != "" {
		return p.Postcode
	}
	return "you"
}

// speaks reports whether the person can take part in a listing's
// language: any language when they gave none, else one of theirs (a
// listing naming no language counts as English).
func (p *Profile) speaks(l *directory.Listing) bool {
	if len(p.Languages) == 0 {
		return true
	}
	if len(l.Languages) == 0 {
		return slices.Contains(p.Languages, "en")
	}
	for _, code := range l.Languages {
		if slices.Contains(p.Languages, code) {
			return true
		}
	}
	return false
}

// describeDays writes days as people read them: "Tuesday and Thursday".
func describeDays(days []time.Weekday) string {
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = directory.DayName(d)
	}
	return joinAnd(names)
}

// joinAnd joins words with commas and a final "and".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// formatKm writes a distance the way reasons and messages show it.
func formatKm(km float64) string {
	if km < 10 {
		return fmt.Sprintf("%.1f km", km)
	}
	return fmt.Sprintf("%.0f km", km)
}

// formatPence writes an amount of money: "£3" or "£2.50".
func formatPence(p int) string {
	if p%100 == 0 {
		return fmt.Sprintf("£%d", p/100)
	}
	return fmt.Sprintf("£%d.%02d", p/100, p%100)
}
