package matcher_test

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// Pools the random profiles draw from: the words workers use.
var (
	poolInterests = []string{"gardening", "football", "cooking", "singing", "art", "reading", "walking", "chess", "animals", "music",
		"knitting", "swimming", "writing", "computers", "faith", "dancing", "cycling", "nature", "board games", "yoga"}
	poolStrengths = []string{"good cook", "patient listener", "DIY", "speaks Portuguese", "driving", "admin", "lived experience", "gardening", "welcoming"}
	poolGoals     = []string{"make friends", "get back to work", "sleep better", "relationships", "wellbeing", "coping", "volunteering",
		"learn English", "get fitter", "grief", "anxiety", "routine", "carers support", "positive future", "keeping in touch"}
	poolNeeds     = []string{"food", "money", "housing", "debt", "homeless", "GP", "help with forms", "immigration advice", "getting online", "crisis"}
	poolPostcodes = []string{"SW9", "SW2", "SE27", "SW16", "SE11", "SW8", "SE24", "SE5", "SW4", "CR0"}
	poolDistances = []matcher.Distance{"", "walking", "short bus ride", "bus ride", "2", "3.5"}
	poolDays      = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	poolTimes     = []string{"morning", "afternoon", "evening"}
	poolAccess    = []string{"step-free", "accessible-toilet", "hearing-loop", "quiet-space", "large-print"}
	poolLanguages = []string{"English", "Portuguese", "Spanish", "Somali", "Polish", "Arabic"}
	poolFormats   = []string{"", "group", "one-to-one"}
)

func pick[T any](r *rand.Rand, pool []T, n int) []T {
	var out []T
	for _, i := range r.Perm(len(pool))[:min(n, len(pool))] {
		out = append(out, pool[i])
	}
	return out
}

// randomRequest draws a profile: mostly a few interests, goals and needs
// and a place, and now and then each of the constraints.
func randomRequest(r *rand.Rand) matcher.Request {
	req := matcher.Request{
		Interests: pick(r, poolInterests, r.Intn(3)), Strengths: pick(r, poolStrengths, r.Intn(2)),
		Goals: pick(r, poolGoals, r.Intn(3)), Needs: pick(r, poolNeeds, r.Intn(2)), Limit: 1 + r.Intn(matcher.MaxLimit),
	}
	if r.Intn(5) > 0 {
		req.Postcode = poolPostcodes[r.Intn(len(poolPostcodes))]
		req.MaxDistanceKm = poolDistances[r.Intn(len(poolDistances))]
	}
	chance := func(n int) bool { return r.Intn(n) == 0 }
	req.OnlineOK = chance(3)
	req.OnlineOnly = chance(12)
	if chance(4) {
		req.Days = pick(r, poolDays, 1+r.Intn(3))
	}
	if chance(4) {
		req.Times = pick(r, poolTimes, 1+r.Intn(2))
	}
	req.FreeOnly = chance(5)
	if chance(6) {
		pounds := float64(1 + r.Intn(5))
		req.MaxCost = &pounds
	}
	if chance(6) {
		req.Accessibility = pick(r, poolAccess, 1+r.Intn(2))
	}
	if chance(6) {
		req.Languages = pick(r, poolLanguages, 1+r.Intn(2))
	}
	if chance(3) {
		req.Age = 14 + r.Intn(75)
	}
	req.Format = poolFormats[r.Intn(len(poolFormats))]
	req.NoReferral = chance(4)
	return req
}

// TestPropertyConstraintsAndReasons matches random profiles and checks that
// no match breaks a hard constraint of the profile (as relaxed, for the
// distance and days), and that every reason is true of its listing.
func TestPropertyConstraintsAndReasons(t *testing.T) {
	d := sampleDirectory(t)
	m := sampleMatcher(t)
	r := rand.New(rand.NewSource(4))
	matches := 0
	for i := 0; i < 150; i++ {
		req := randomRequest(r)
		p, err := req.Parse(d.Gazetteer())
		if err != nil {
			t.Fatalf("profile %d %+v: %v", i, req, err)
		}
		res, err := m.Match(context.Background(), p)
		if err != nil {
			t.Fatalf("profile %d: %v", i, err)
		}
		if len(res.Matches) > p.Limit {
			t.Errorf("profile %d: %d matches, more than the limit %d", i, len(res.Matches), p.Limit)
		}
		for _, mt := range res.Matches {
			matches++
			l := mt.Hit.Listing
			for _, v := range matcher.Violations(&res.Profile, l) {
				t.Errorf("profile %d %+v: %s breaks a hard constraint: %s", i, req, key(l), v)
			}
			if res.Profile.MaxDistanceKm > p.MaxDistanceKm*4 || len(res.Profile.Days) > len(p.Days) {
				t.Errorf("profile %d: relaxed beyond its steps: %+v", i, res.Profile)
			}
			for _, rs := range mt.Reasons {
				if err := checkReason(d, &res.Profile, l, rs); err != nil {
					t.Errorf("profile %d %+v: %s: reason %q is not true: %v", i, req, key(l), rs.Text, err)
				}
			}
		}
	}
	if matches < 1000 {
		t.Errorf("only %d matches over all profiles: the profiles test too little", matches)
	}
}

// checkReason checks one reason against the listing's own fields, apart
// from how the matcher found it.
func checkReason(d *directory.Directory, p *matcher.Profile, l *directory.Listing, r matcher.Reason) error {
	has := func(s string) error {
		if !strings.Contains(r.Text, s) {
			return fmt.Errorf("the text does not say %q", s)
		}
		return nil
	}
	switch r.Kind {
	case matcher.ReasonNeed, matcher.ReasonGoal, matcher.ReasonInterest, matcher.ReasonStrength:
		if code, ok := strings.CutPrefix(r.Evidence, matcher.EvidenceCategory); ok {
			if !slices.Contains(l.Categories, code) {
				return fmt.Errorf("it is not listed under %s", code)
			}
			return has(d.Taxonomy().Label(code))
		}
		if stage, ok := strings.CutPrefix(r.Evidence, matcher.EvidenceStage); ok {
			if s := directory.Stage(stage); !s.Valid() || !l.HasStage(s) {
				return fmt.Errorf("it does not serve the %s stage", s)
			}
			return has(directory.Stage(stage).Label())
		}
		text := strings.Join([]string{l.Name, l.Summary, l.Description, strings.Join(l.Interests, "; "), strings.Join(l.Strengths, "; ")}, "\n")
		if r.Evidence == "" || !strings.Contains(text, r.Evidence) {
			return fmt.Errorf("the listing does not say %q", r.Evidence)
		}
		if r.Kind == matcher.ReasonStrength && strings.Contains(r.Text, "they ask for") && !slices.ContainsFunc(l.Strengths, func(s string) bool { return strings.Contains(s, r.Evidence) }) {
			return fmt.Errorf("%q is not one of the strengths it asks for", r.Evidence)
		}
		return has(fmt.Sprintf("%q", r.Evidence))
	case matcher.ReasonDistance:
		km, ok := directory.NearestKm(*p.Near, l.Points())
		if !ok {
			return fmt.Errorf("it has no location")
		}
		want := fmt.Sprintf("%.1f km", km)
		if km >= 10 {
			want = fmt.Sprintf("%.0f km", km)
		}
		if r.Evidence != want || (p.MaxDistanceKm > 0 && km > p.MaxDistanceKm) {
			return fmt.Errorf("it is %s away (limit %g), not %s", want, p.MaxDistanceKm, r.Evidence)
		}
		return has(want + " from " + p.Postcode)
	case matcher.ReasonOnline:
		if !l.Online {
			return fmt.Errorf("it cannot be joined online")
		}
	case matcher.ReasonSchedule:
		for _, s := range strings.Split(r.Evidence, "; ") {
			i := slices.IndexFunc(l.Sessions, func(x directory.Session) bool { return x.String() == s })
			if i < 0 {
				return fmt.Errorf("it has no session %q", s)
			}
			if err := sessionSuits(p, l.Sessions[i]); err != nil {
				return err
			}
			if err := has(directory.DayName(l.Sessions[i].Day)); err != nil {
				return err
			}
		}
	case matcher.ReasonCost:
		switch {
		case r.Text == "Free":
			if !l.Cost.Free {
				return fmt.Errorf("it is not free")
			}
		case p.MaxPence == 0 || l.Cost.Free || l.Cost.Pence == 0 || l.Cost.Pence > p.MaxPence:
			return fmt.Errorf("it costs %d pence, not within %d", l.Cost.Pence, p.MaxPence)
		}
	case matcher.ReasonJoin:
		if string(l.HowToJoin) != r.Evidence || (l.HowToJoin == directory.JoinDropIn) != strings.Contains(r.Text, "just turn up") {
			return fmt.Errorf("it is joined by %q", l.HowToJoin)
		}
	case matcher.ReasonLanguage:
		if !slices.Contains(l.Languages, r.Evidence) || !slices.Contains(p.Languages, r.Evidence) {
			return fmt.Errorf("it does not run in %s, or the person did not ask for it", r.Evidence)
		}
		return has(directory.LanguageName(r.Evidence))
	case matcher.ReasonAccess:
		if !l.HasAccess(directory.Access(r.Evidence)) {
			return fmt.Errorf("it does not have %s", r.Evidence)
		}
	case matcher.ReasonFormat:
		if !slices.Contains(l.Formats, directory.Format(r.Evidence)) {
			return fmt.Errorf("it is not %s", r.Evidence)
		}
	default:
		return fmt.Errorf("unknown kind %q", r.Kind)
	}
	return nil
}

// sessionSuits checks a session against the person's days and parts of
// the day, worked out here from the clock.
func sessionSuits(p *matcher.Profile, s directory.Session) error {
	if len(p.Days) > 0 && !slices.Contains(p.Days, s.Day) {
		return fmt.Errorf("%s is not on one of the days %v", s, p.Days)
	}
	if len(p.Times) == 0 {
		return nil
	}
	spans := map[matcher.PartOfDay][2]int{matcher.Morning: {360, 720}, matcher.Afternoon: {720, 1020}, matcher.Evening: {1020, 1440}}
	for _, t := range p.Times {
		sp := spans[t]
		if min(s.End, sp[1])-max(s.Start, sp[0]) >= min(30, s.End-s.Start) {
			return nil
		}
	}
	return fmt.Errorf("%s is not at one of the times %v", s, p.Times)
}

// rankOf returns the place of a listing in a result (0 for the first), or
// -1 when it is not there.
func rankOf(res *matcher.Result, id string) int {
	return slices.IndexFunc(res.Matches, func(m matcher.Match) bool { return m.Hit.Listing.ID == id })
}

// TestPropertyNearer moves a matched listing halfway towards the person and
// checks that its place in the list never falls, all else equal.
func TestPropertyNearer(t *testing.T) {
	d := MustOpenSampleCopy(t)
	m := newMatcher(t, d)
	ctx := context.Background()
	r := rand.New(rand.NewSource(7))
	moved := 0
	for i := 0; moved < 25 && i < 200; i++ {
		req := randomRequest(r)
		req.Postcode, req.OnlineOnly, req.Limit = poolPostcodes[r.Intn(len(poolPostcodes))], false, matcher.MaxLimit
		p, err := req.Parse(d.Gazetteer())
		if err != nil {
			t.Fatal(err)
		}
		before, err := m.Match(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		var located []*directory.Listing
		for _, mt := range before.Matches {
			if km, ok := directory.NearestKm(*p.Near, mt.Hit.Listing.Points()); ok && km > 0.2 {
				located = append(located, mt.Hit.Listing)
			}
		}
		if len(located) == 0 {
			continue
		}
		l := located[r.Intn(len(located))]
		nearer := *l
		nearer.Locations = slices.Clone(l.Locations)
		for j, loc := range nearer.Locations {
			if loc.Point != nil {
				pt := directory.LatLon{Lat: (loc.Point.Lat + p.Near.Lat) / 2, Lon: (loc.Point.Lon + p.Near.Lon) / 2}
				nearer.Locations[j].Point = &pt
			}
		}
		if _, err := d.Apply(ctx, directory.Change{PartnerID: l.PartnerID, Put: []*directory.Listing{&nearer}}); err != nil {
			t.Fatal(err)
		}
		after, err := m.Match(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Apply(ctx, directory.Change{PartnerID: l.PartnerID, Put: []*directory.Listing{l}}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(before.Relaxed, after.Relaxed) {
			continue
		}
		moved++
		was, is := rankOf(before, l.ID), rankOf(after, l.ID)
		if is < 0 || is > was {
			t.Errorf("profile %+v: moving %s nearer took it from place %d to %d", req, key(l), was+1, is+1)
		}
	}
	if moved < 20 {
		t.Errorf("only %d listings moved: the property was hardly tested", moved)
	}
}

// TestPropertyMoreInterest adds to a profile an interest that a matched
// listing names. No listing's score may fall, the listing's own score may
// not fall, and when the new interest touches that listing alone, its
// place may not fall either.
func TestPropertyMoreInterest(t *testing.T) {
	d := sampleDirectory(t)
	m := sampleMatcher(t)
	ctx := context.Background()
	r := rand.New(rand.NewSource(11))
	tried, alone := 0, 0
	for i := 0; tried < 60 && i < 300; i++ {
		req := randomRequest(r)
		req.Limit = matcher.MaxLimit
		p, err := req.Parse(d.Gazetteer())
		if err != nil {
			t.Fatal(err)
		}
		before, err := m.Match(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		var withInterests []*directory.Listing
		for _, mt := range before.Matches {
			if len(mt.Hit.Listing.Interests) > 0 {
				withInterests = append(withInterests, mt.Hit.Listing)
			}
		}
		if len(withInterests) == 0 || len(p.Interests) >= matcher.MaxListItems {
			continue
		}
		l := withInterests[r.Intn(len(withInterests))]
		interest := l.Interests[r.Intn(len(l.Interests))]
		if slices.ContainsFunc(p.Interests, func(s string) bool { return strings.EqualFold(s, interest) }) {
			continue
		}
		p2 := p
		p2.Interests = append(slices.Clone(p.Interests), interest)
		after, err := m.Match(ctx, p2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(before.Relaxed, after.Relaxed) {
			continue
		}
		tried++
		scores := map[string]float64{}
		for _, mt := range after.Matches {
			scores[mt.Hit.Listing.ID] = mt.Score
		}
		others := 0
		for _, mt := range before.Matches {
			s, ok := scores[mt.Hit.Listing.ID]
			if ok && s < mt.Score-1e-12 {
				t.Errorf("profile %+v: adding the interest %q lowered %s from %.4f to %.4f", req, interest, key(mt.Hit.Listing), mt.Score, s)
			}
			if mt.Hit.Listing.ID != l.ID && ok && s != mt.Score {
				others++
			}
		}
		was, is := rankOf(before, l.ID), rankOf(after, l.ID)
		if is < 0 {
			t.Errorf("profile %+v: adding %q, which %s names, dropped it from the list", req, interest, key(l))
			continue
		}
		if others == 0 {
			alone++
			if is > was {
				t.Errorf("profile %+v: adding %q, which only %s names, took it from place %d to %d", req, interest, key(l), was+1, is+1)
			}
		}
	}
	if tried < 50 || alone < 5 {
		t.Errorf("tried %d profiles, %d with an interest only one listing names: the property was hardly tested", tried, alone)
	}
}
