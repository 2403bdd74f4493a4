package matcher

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// Reason is one reason, in plain words, that a listing was chosen for a
// person. It is true of that listing: Evidence is what in the listing it
// rests on (its own words; a category code or journey stage, prefixed
// EvidenceCategory or EvidenceStage; its sessions; a distance), so it can
// be checked.
type Reason struct {
	Kind     ReasonKind `json:"kind"`
	Text     string     `json:"text"`
	Evidence string     `json:"evidence,omitempty"`
}

// ReasonKind says what a reason rests on.
type ReasonKind string

// The kinds of reason.
const (
	ReasonNeed     ReasonKind = "need"     // meets a practical need: a category or words of the listing
	ReasonGoal     ReasonKind = "goal"     // serves a goal: a category, words or a journey stage
	ReasonInterest ReasonKind = "interest" // about an interest: a category or words
	ReasonStrength ReasonKind = "strength" // uses or builds a strength: words of the listing
	ReasonDistance ReasonKind = "distance" // how far its nearest location is
	ReasonOnline   ReasonKind = "online"   // it can be joined online
	ReasonSchedule ReasonKind = "schedule" // sessions on days and at times that suit
	ReasonCost     ReasonKind = "cost"     // free, or within what the person can pay
	ReasonJoin     ReasonKind = "join"     // drop in, or get in touch without a referral
	ReasonLanguage ReasonKind = "language" // runs in the person's language
	ReasonAccess   ReasonKind = "access"   // has an accessibility feature they need
	ReasonFormat   ReasonKind = "format"   // group or one-to-one, as they want
)

// Prefixes of the evidence of a reason about what the person said, when it
// rests on a category code or a journey stage rather than the listing's
// own words.
const (
	EvidenceCategory = "category:"
	EvidenceStage    = "stage:"
)

// maxAspectReasons is how many reasons about the person's interests,
// strengths, goals and needs a match gives at most: the strongest.
const maxAspectReasons = 3

// reasons says why the candidate suits the person, in plain words.
func (m *Matcher) reasons(p *Profile, pr *prepared, c *candidate) []Reason {
	var out []Reason
	order := make([]int, 0, len(pr.aspects))
	for i := range pr.aspects {
		if c.evidence[i].kind != noEvidence {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := order[x], order[y]
		return kindWeight(pr.aspects[a].kind)*c.evidence[a].strength > kindWeight(pr.aspects[b].kind)*c.evidence[b].strength
	})
	used := map[string]bool{}
	for _, i := range order {
		e := c.evidence[i]
		// Two things the person said met by the same evidence ("company"
		// and "lonely", both by befriending) make one reason.
		if len(out) == maxAspectReasons || used[e.text] || e.single < minReasonEvidence {
			continue
		}
		used[e.text] = true
		out = append(out, m.aspectReason(pr.aspects[i], e))
	}
	l := c.l
	switch {
	case p.OnlineOnly || (l.Online && p.OnlineOK && !(c.located && c.km <= p.MaxDistanceKm)):
		out = append(out, Reason{Kind: ReasonOnline, Text: "You can join online"})
	case c.located && p.Near != nil:
		out = append(out, Reason{Kind: ReasonDistance, Text: formatKm(c.km) + " from " + p.place(), Evidence: formatKm(c.km)})
	}
	if r, ok := scheduleReason(p, l); ok {
		out = append(out, r)
	}
	switch {
	case l.Cost.Free:
		out = append(out, Reason{Kind: ReasonCost, Text: "Free"})
	case p.MaxPence > 0 && affordable(p, l.Cost):
		out = append(out, Reason{Kind: ReasonCost, Text: fmt.Sprintf("Costs %s, within the %s you can pay", formatPence(l.Cost.Pence), formatPence(p.MaxPence)), Evidence: formatPence(l.Cost.Pence)})
	}
	switch l.HowToJoin {
	case directory.JoinDropIn:
		out = append(out, Reason{Kind: ReasonJoin, Text: "You can just turn up", Evidence: string(l.HowToJoin)})
	case directory.JoinSelfRefer:
		out = append(out, Reason{Kind: ReasonJoin, Text: "No referral needed: get in touch to join", Evidence: string(l.HowToJoin)})
	}
	if code := ownLanguage(p, l); code != "" {
		out = append(out, Reason{Kind: ReasonLanguage, Text: "Runs in " + directory.LanguageName(code), Evidence: code})
	}
	for _, a := range p.Accessibility {
		out = append(out, Reason{Kind: ReasonAccess, Text: a.Label() + ", as you need", Evidence: string(a)})
	}
	if p.Format != "" && slices.Contains(l.Formats, p.Format) {
		out = append(out, Reason{Kind: ReasonFormat, Text: p.Format.Label() + ", as you prefer", Evidence: string(p.Format)})
	}
	return out
}

// aspectReason says how a listing matches one thing the person said.
func (m *Matcher) aspectReason(a *aspect, e evidence) Reason {
	var how string
	r := Reason{Evidence: e.text}
	switch e.kind {
	case byCategory:
		how, r.Evidence = "listed under "+m.vocab.tax.Label(e.text), EvidenceCategory+e.text
	case byStage:
		how, r.Evidence = "it serves the "+directory.Stage(e.text).Label()+" stage of the journey", EvidenceStage+e.text
	default:
		how = fmt.Sprintf("it mentions %q", e.text)
		if a.kind == kindStrength && e.field == fieldStrengths {
			how = fmt.Sprintf("they ask for %q", e.text)
		}
	}
	switch a.kind {
	case kindNeed:
		r.Kind, r.Text = ReasonNeed, fmt.Sprintf("Help with %s: %s", a.said, how)
	case kindGoal:
		r.Kind, r.Text = ReasonGoal, fmt.Sprintf("For your goal %q: %s", a.said, how)
	case kindInterest:
		r.Kind, r.Text = ReasonInterest, fmt.Sprintf("You like %s: %s", a.said, how)
	default:
		r.Kind, r.Text = ReasonStrength, fmt.Sprintf("A chance to use your strength %q: %s", a.said, how)
	}
	return r
}

// scheduleReason says when the listing meets at times that suit the
// person, when they gave days or times and a session fits: "Tuesday and
// Thursday mornings, which suit you". Evidence lists the sessions it
// speaks of, as Session.String writes them.
func scheduleReason(p *Profile, l *directory.Listing) (Reason, bool) {
	if len(p.Days) == 0 && len(p.Times) == 0 {
		return Reason{}, false
	}
	var weekly, monthly []directory.Session
	part := PartOfDay("")
	for _, s := range l.Sessions {
		dayOK, timeOK := sessionFits(s, p.Days, p.Times)
		if !dayOK || !timeOK {
			continue
		}
		sp := firstPart(s, p.Times)
		if part == "" {
			part = sp
		}
		if sp != part {
			continue
		}
		if s.Week == 0 {
			if !slices.ContainsFunc(weekly, func(w directory.Session) bool { return w.Day == s.Day }) {
				weekly = append(weekly, s)
			}
		} else if len(monthly) == 0 {
			monthly = append(monthly, s)
		}
	}
	var text string
	var used []directory.Session
	switch {
	case len(weekly) > 0:
		slices.SortFunc(weekly, func(a, b directory.Session) int { return weekdayOrder(a.Day) - weekdayOrder(b.Day) })
		days := make([]string, len(weekly))
		for i, s := range weekly {
			days[i] = directory.DayName(s.Day)
		}
		if part != "" {
			text = joinAnd(days) + " " + string(part) + "s, which suit you"
		} else {
			text = joinAnd(plural(days)) + ", which suit you"
		}
		used = weekly
	case len(monthly) > 0:
		s := monthly[0]
		week := "last"
		if s.Week > 0 {
			week = [...]string{"", "1st", "2nd", "3rd", "4th"}[s.Week]
		}
		text = fmt.Sprintf("The %s %s of the month", week, directory.DayName(s.Day))
		if part != "" {
			text += ", in the " + string(part)
		}
		text += ", which suits you"
		used = monthly
	default:
		return Reason{}, false
	}
	ev := make([]string, len(used))
	for i, s := range used {
		ev[i] = s.String()
	}
	return Reason{Kind: ReasonSchedule, Text: text, Evidence: strings.Join(ev, "; ")}, true
}

// firstPart returns the first of the person's parts of the day the session
// is in, or "" when they gave none.
func firstPart(s directory.Session, times []PartOfDay) PartOfDay {
	for _, t := range []PartOfDay{Morning, Afternoon, Evening} {
		if slices.Contains(times, t) && inPart(s, t) {
			return t
		}
	}
	return ""
}

// weekdayOrder puts Monday first.
func weekdayOrder(d time.Weekday) int { return (int(d) + 6) % 7 }

func plural(days []string) []string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d + "s"
	}
	return out
}
