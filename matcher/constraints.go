package matcher

import (
	"slices"

	"github.com/livingwell/livingwell/directory"
)

// place is where a listing is for a person: how far its nearest location
// is, when it has one and there is a point to measure from.
type place struct {
	km      float64
	located bool
}

// fits reports whether a listing meets every hard constraint of the
// profile (the profile as relaxed so far), and where it is. The hard
// constraints are never broken: running, not left out, the right age,
// affordable, accessible in every way needed, in a language the person
// speaks, in the format they want, joinable without a referral when they
// cannot get one, meeting on their days, and near enough (or online, when
// that suits them).
func fits(p *Profile, l *directory.Listing) (place, bool) {
	var pl place
	switch {
	case l.Status != directory.StatusActive,
		slices.Contains(p.Exclude, l.ID),
		p.Age > 0 && !l.ServesAge(p.Age),
		(p.FreeOnly || p.MaxPence > 0) && !affordable(p, l.Cost),
		!p.speaks(l),
		p.NoReferral && l.HowToJoin == directory.JoinReferral,
		p.Format != "" && len(l.Formats) > 0 && !slices.Contains(l.Formats, p.Format),
		!meetsOnDays(p, l):
		return pl, false
	}
	for _, a := range p.Accessibility {
		if !l.HasAccess(a) {
			return pl, false
		}
	}
	if p.Near != nil {
		pl.km, pl.located = directory.NearestKm(*p.Near, l.Points())
	}
	switch {
	case p.OnlineOnly:
		return pl, l.Online
	case l.Online && p.OnlineOK:
		return pl, true
	case l.OnlineOnly():
		return pl, false // online only, and the person wants to go somewhere
	case p.Near != nil && p.MaxDistanceKm > 0:
		return pl, pl.located && pl.km <= p.MaxDistanceKm
	}
	return pl, true
}

// affordable reports whether a cost is within what the person can pay.
func affordable(p *Profile, c directory.Cost) bool {
	if c.Free {
		return true
	}
	return !p.FreeOnly && c.Pence > 0 && c.Pence <= p.MaxPence
}

// meetsOnDays reports whether a listing meets on one of the person's days,
// or has no fixed days (times arranged with the person).
func meetsOnDays(p *Profile, l *directory.Listing) bool {
	if len(p.Days) == 0 || len(l.Sessions) == 0 {
		return true
	}
	for _, s := range l.Sessions {
		if slices.Contains(p.Days, s.Day) {
			return true
		}
	}
	return false
}
