package matcher

import (
	"math"
	"slices"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// Factors are the named parts of a match's score, each between 0 and 1.
// Weights says how much each counts; Score adds them up.
type Factors struct {
	Text      float64 `json:"text"`
	Interest  float64 `json:"interest"`
	Strength  float64 `json:"strength"`
	Goal      float64 `json:"goal"`
	Practical float64 `json:"practical"`
	Distance  float64 `json:"distance"`
	Schedule  float64 `json:"schedule"`
	Ease      float64 `json:"ease"`
	Freshness float64 `json:"freshness"`
}

// Score returns the weighted sum of the factors.
func (f Factors) Score() float64 {
	w := Weights()
	return f.Text*w.Text + f.Interest*w.Interest + f.Strength*w.Strength + f.Goal*w.Goal + f.Practical*w.Practical +
		f.Distance*w.Distance + f.Schedule*w.Schedule + f.Ease*w.Ease + f.Freshness*w.Freshness
}

// relevance is the part of the score that says the listing is about what
// the person wants, as opposed to being near, easy or fresh.
func (f Factors) relevance() float64 { return f.Text + f.Interest + f.Strength + f.Goal + f.Practical }

// evidenceKind is how a listing was found to match an aspect.
type evidenceKind int

// The kinds of evidence.
const (
	noEvidence evidenceKind = iota
	byCategory              // one of its categories
	byText                  // words in one of its fields
	byStage                 // it serves a journey stage
)

// evidence is why a listing matches one aspect of the person.
type evidence struct {
	kind  evidenceKind
	field field
	// text is the listing's own words (byText), a category code
	// (byCategory) or a stage (byStage).
	text string
	// strength is how surely the listing matches the aspect, all evidence
	// combined; single is the strength of the one piece kept.
	strength, single float64
}

// matchAspect finds the evidence that the document's listing matches the
// aspect: its category, its words and (for goals) its journey stage. The
// strength combines them, 1-(1-a)(1-b)..., so a listing that is both filed
// under the right category and says the person's words is the surest
// match; the evidence kept, for the reason, is the strongest single one.
func matchAspect(a *aspect, d *document) evidence {
	l := d.l
	if a.stageOnly {
		for _, s := range a.stages {
			if l.HasStage(s) {
				return evidence{kind: byStage, text: string(s), strength: stageOnlyWeight, single: stageOnlyWeight}
			}
		}
		return evidence{}
	}
	volunteering := a.kind == kindStrength && slices.Contains(l.Categories, "volunteering")
	weights := fieldWeight[a.kind]
	catWeight := categoryWeight[a.kind]
	if volunteering {
		weights, catWeight = volunteeringWeight, volunteeringCategoryWeight
	}
	var best, cat, text, stage evidence
	for _, c := range l.Categories {
		if w := a.cats[c] * catWeight; w > cat.strength {
			cat = evidence{kind: byCategory, text: c, strength: w}
		}
	}
	for f := field(0); f < numFields; f++ {
		for _, ph := range a.phrases {
			w := weights[f] * ph.weight
			if f == fieldDescription && ph.weight < 1 {
				w *= expandedInDescription
			}
			if w < minEvidence || w <= text.strength {
				continue
			}
			if words, ok := d.find(f, ph.ids); ok {
				text = evidence{kind: byText, field: f, text: words, strength: w}
			}
		}
	}
	if a.kind == kindGoal {
		for _, s := range a.stages {
			if l.HasStage(s) {
				stage = evidence{kind: byStage, text: string(s), strength: stageWeight}
				break
			}
		}
	}
	rest := 1.0
	for _, e := range []evidence{cat, text, stage} {
		rest *= 1 - e.strength
		if e.strength > best.strength {
			best = e
		}
	}
	best.single, best.strength = best.strength, 1-rest
	// A volunteering role is a chance to give: it meets a need, a goal or
	// an interest less than the same thing offered to the person, unless
	// what they said is about volunteering.
	if a.kind != kindStrength && !a.giving && slices.Contains(l.Categories, "volunteering") {
		best.strength *= roleWeight[a.kind]
	}
	return best
}

// textRelevance is 1-exp(-sum), over the person's own words, of how much
// the best field each appears in counts.
func textRelevance(pr *prepared, d *document) float64 {
	sum := 0.0
	for _, id := range pr.words {
		best := 0.0
		for f := field(0); f < numFields; f++ {
			if textWeight[f] > best && d.has(f, id) {
				best = textWeight[f]
			}
		}
		sum += best
	}
	return 1 - math.Exp(-sum)
}

// combine turns the strengths of the aspects of one kind into a factor:
// 1-exp(-k*(best+λ*rest)), where best is the strongest and rest the sum of
// the others. One strong match makes it high; matching more of what the
// person said makes it a little higher (a listing serving one goal well
// beats one serving three goals loosely); adding an aspect never lowers it.
func combine(pr *prepared, ev []evidence, kind aspectKind) float64 {
	best, sum := 0.0, 0.0
	for i, a := range pr.aspects {
		if a.kind == kind {
			best = max(best, ev[i].strength)
			sum += ev[i].strength
		}
	}
	return 1 - math.Exp(-factorSaturation*(best+otherMatches*(sum-best)))
}

// distanceFactor is 1/(1+km/DistanceHalfKm) for a listing located km away,
// at least onlineDistance for one the person can join online, and 0 for
// everything when there is no place to measure from.
func distanceFactor(p *Profile, l *directory.Listing, km float64, located bool) float64 {
	if p.Near == nil || p.OnlineOnly {
		return 0
	}
	f := 0.0
	if located {
		f = 1 / (1 + km/DistanceHalfKm)
	}
	if l.Online && p.OnlineOK {
		f = max(f, onlineDistance)
	}
	return f
}

// sessionFits reports whether a session is on one of the days (any, when
// none are given) and in one of the parts of the day (any, when none are).
func sessionFits(s directory.Session, days []time.Weekday, times []PartOfDay) (dayOK, timeOK bool) {
	dayOK = len(days) == 0 || slices.Contains(days, s.Day)
	timeOK = len(times) == 0
	for _, t := range times {
		if inPart(s, t) {
			timeOK = true
		}
	}
	return dayOK, timeOK
}

// inPart reports whether a session covers enough of a part of the day.
func inPart(s directory.Session, t PartOfDay) bool {
	from, to := t.span()
	overlap := min(s.End, to) - max(s.Start, from)
	return overlap >= min(minOverlapMinutes, s.End-s.Start)
}

// scheduleFactor says how well the listing's sessions suit the days and
// times the person gave: 0 for every listing when they gave neither.
func scheduleFactor(p *Profile, l *directory.Listing) float64 {
	if len(p.Days) == 0 && len(p.Times) == 0 {
		return 0
	}
	if len(l.Sessions) == 0 {
		return scheduleNone
	}
	best := 0.0
	for _, s := range l.Sessions {
		dayOK, timeOK := sessionFits(s, p.Days, p.Times)
		switch {
		case dayOK && timeOK:
			return scheduleFits
		case len(p.Days) > 0 && len(p.Times) > 0 && (dayOK || timeOK):
			best = schedulePartial
		}
	}
	return best
}

// easeFactor says how easy the listing is to start going to.
func easeFactor(p *Profile, l *directory.Listing) float64 {
	join := joinUnknown
	switch l.HowToJoin {
	case directory.JoinDropIn:
		join = joinDropIn
	case directory.JoinSelfRefer:
		join = joinSelf
	case directory.JoinReferral:
		join = joinReferral
	}
	f := easeJoin * join
	if l.Cost.Free {
		f += easeFree
	}
	if ownLanguage(p, l) != "" {
		f += easeLanguage
	}
	if forTheirAge(p, l) {
		f += easeAge
	}
	return f
}

// forTheirAge reports whether a listing is made for people of the
// person's age: young people (an upper age of youngAgeLimit or less) or
// older people (a lower age of olderAgeFrom or more).
func forTheirAge(p *Profile, l *directory.Listing) bool {
	if p.Age == 0 || !l.ServesAge(p.Age) {
		return false
	}
	return (l.MaxAge > 0 && l.MaxAge <= youngAgeLimit) || l.MinAge >= olderAgeFrom
}

// ownLanguage returns a language other than English that the person gave
// and the listing runs in, or "".
func ownLanguage(p *Profile, l *directory.Listing) string {
	for _, code := range p.Languages {
		if code != "en" && slices.Contains(l.Languages, code) {
			return code
		}
	}
	return ""
}

// freshnessFactor is 1 for a listing checked within directory.StaleAfter,
// then falls over a year to staleFloor.
func freshnessFactor(l *directory.Listing, now time.Time) float64 {
	if l.LastVerified.IsZero() {
		return freshUnknown
	}
	over := now.Sub(l.LastVerified) - directory.StaleAfter
	if over <= 0 {
		return 1
	}
	return max(staleFloor, 1-over.Hours()/(365*24))
}
