package matcher

import (
	"fmt"
	"slices"

	"github.com/livingwell/livingwell/directory"
)

// Violations returns, in plain words, every hard constraint of the profile
// that the listing breaks; none for a listing the matcher may return. It
// is written apart from the matcher's own filter (constraints.go), straight
// from the listing's fields, so that the evaluation and the tests check
// the filter rather than repeat it.
func Violations(p *Profile, l *directory.Listing) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if l.Status != directory.StatusActive {
		add("it is %s", l.Status)
	}
	for _, id := range p.Exclude {
		if id == l.ID {
			add("it was left out")
		}
	}
	if p.Age > 0 && ((l.MinAge > 0 && p.Age < l.MinAge) || (l.MaxAge > 0 && p.Age > l.MaxAge)) {
		add("it is for ages %d to %d, not %d", l.MinAge, l.MaxAge, p.Age)
	}
	if p.FreeOnly && !l.Cost.Free {
		add("it is not free (%s)", l.Cost.Words)
	}
	if p.MaxPence > 0 && !l.Cost.Free && (l.Cost.Pence == 0 || l.Cost.Pence > p.MaxPence) {
		add("it costs %d pence, more than %d or not known", l.Cost.Pence, p.MaxPence)
	}
	for _, a := range p.Accessibility {
		if !slices.Contains(l.Accessibility, a) {
			add("it does not have %s", a)
		}
	}
	if len(p.Languages) > 0 {
		langs := l.Languages
		if len(langs) == 0 {
			langs = []string{"en"}
		}
		shared := false
		for _, code := range langs {
			shared = shared || slices.Contains(p.Languages, code)
		}
		if !shared {
			add("it runs in %v, none of %v", langs, p.Languages)
		}
	}
	if p.Format != "" && len(l.Formats) > 0 && !slices.Contains(l.Formats, p.Format) {
		add("it is %v, not %s", l.Formats, p.Format)
	}
	if p.NoReferral && l.HowToJoin == directory.JoinReferral {
		add("it needs a referral")
	}
	if len(p.Days) > 0 && len(l.Sessions) > 0 {
		onDay := false
		for _, s := range l.Sessions {
			onDay = onDay || slices.Contains(p.Days, s.Day)
		}
		if !onDay {
			add("it meets on none of the days %v", p.Days)
		}
	}
	located := false
	nearest := 0.0
	for _, loc := range l.Locations {
		if loc.Point == nil || p.Near == nil {
			continue
		}
		if km := directory.DistanceKm(*p.Near, *loc.Point); !located || km < nearest {
			nearest, located = km, true
		}
	}
	switch {
	case p.OnlineOnly:
		if !l.Online {
			add("it cannot be joined online")
		}
	case l.Online && p.OnlineOK:
	case p.Near != nil && p.MaxDistanceKm > 0 && (!located || nearest > p.MaxDistanceKm):
		add("it is not within %g km", p.MaxDistanceKm)
	case !l.Online && len(l.Locations) == 0:
		add("it has no place to go")
	case l.Online && !located && len(l.Locations) == 0 && !p.OnlineOK:
		add("it is online only")
	}
	return out
}
