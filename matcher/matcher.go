package matcher

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// Config is what a Matcher needs besides the directory.
type Config struct {
	// Activities is the OpenActive activity list (data.Activities), used
	// to reach narrower activities: "football" reaches walking football.
	Activities []data.Activity
	// Concepts is the matching vocabulary (data.MatchingVocabulary): what
	// goals, needs, interests and strengths lead to.
	Concepts []data.Concept
	// Now is the clock, for freshness; the directory's when nil.
	Now func() time.Time
}

// Matcher turns a person's profile into a short, explained list of
// listings. It keeps nothing about the people it matches and is safe for
// concurrent use.
type Matcher struct {
	dir   *directory.Directory
	vocab *vocabulary
	terms []Term
	now   func() time.Time
}

// New returns a matcher over the directory, with the directory's taxonomy
// and thesaurus and the vocabulary in cfg. It returns EINVALID when the
// directory is missing.
func New(dir *directory.Directory, cfg Config) (*Matcher, error) {
	if dir == nil {
		return nil, directory.Errorf(directory.EINVALID, "matcher: a directory is required")
	}
	if cfg.Now == nil {
		cfg.Now = dir.Now
	}
	return &Matcher{dir: dir, vocab: newVocabulary(dir.Taxonomy(), dir.Thesaurus(), cfg.Activities, cfg.Concepts),
		terms: buildTerms(dir.Taxonomy(), dir.Thesaurus(), cfg.Activities, cfg.Concepts), now: cfg.Now}, nil
}

// Match is one listing chosen for a person.
type Match struct {
	// Hit is the listing with its distance from the person (when they gave
	// a place) and its next session.
	Hit directory.Hit
	// Score is the weighted sum of the factors, from 0 to 1.
	Score   float64
	Factors Factors
	Reasons []Reason
}

// Result is a ranked list of matches.
type Result struct {
	Matches []Match
	// Relaxed says, in plain words, which constraints were loosened to find
	// enough matches, in the order they were.
	Relaxed []string
	// Profile is the profile as applied, after any relaxing.
	Profile Profile
	// Stages are the journey stages the person's goals and needs point at.
	Stages []directory.Stage
	// Crisis is true when the person's words suggest they may be in
	// crisis: crisis services come first, and pages show urgent help.
	Crisis bool
}

// Match ranks the directory's listings for the profile. It returns
// EINVALID, saying what to fix, for a profile that is not valid, and the
// directory's errors otherwise. Nothing about the profile is kept.
func (m *Matcher) Match(ctx context.Context, p Profile) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	pr := m.vocab.prepare(&p)
	res := &Result{Stages: pr.stages, Crisis: pr.crisis}
	now := m.now()
	for step := 0; ; step++ {
		cands, err := m.candidates(ctx, &p, pr)
		if err != nil {
			return nil, err
		}
		ranked := m.rank(&p, pr, cands, now)
		enough := len(ranked) >= min(p.Limit, relaxBelow)
		if !enough {
			if msg, ok := relax(&p, step); ok {
				res.Relaxed = append(res.Relaxed, msg)
				continue
			}
		}
		res.Profile = p
		for _, c := range ranked[:min(len(ranked), p.Limit)] {
			var near *directory.LatLon
			if !p.OnlineOnly {
				near = p.Near
			}
			res.Matches = append(res.Matches, Match{
				Hit:     m.dir.NewHit(c.l, c.score, near, now),
				Score:   c.score,
				Factors: c.factors,
				Reasons: m.reasons(&p, pr, c),
			})
		}
		return res, nil
	}
}

// relax loosens the softest constraint still in force, for the given step:
// first the distance (doubled, radiusSteps times), then the days. It
// returns what it did in plain words, or false when nothing is left.
func relax(p *Profile, step int) (string, bool) {
	if step < radiusSteps && p.Near != nil && !p.OnlineOnly && p.MaxDistanceKm > 0 && p.MaxDistanceKm < MaxDistanceKm {
		from := p.MaxDistanceKm
		p.MaxDistanceKm = min(from*2, MaxDistanceKm)
		return fmt.Sprintf("Widened the distance from %s to %s of %s to find more", formatKm(from), formatKm(p.MaxDistanceKm), p.place()), true
	}
	if len(p.Days) > 0 {
		days := describeDays(p.Days)
		p.Days = nil
		return "Included days other than " + days + " to find more", true
	}
	return "", false
}

// candidate is a listing that fits the constraints, with its factors.
type candidate struct {
	l        *directory.Listing
	km       float64
	located  bool
	evidence []evidence // one per aspect of the prepared profile
	factors  Factors
	score    float64
	// primary is the aspect the listing serves best, or -1 when none, and
	// tier is 0 for crisis services when the person may be in crisis and
	// 1 for everything else.
	primary, tier int
}

// rank keeps the candidates that fit the constraints and match something
// the person asked for, scores them and puts them in order: by tier, then
// by score with diversity, then by id.
func (m *Matcher) rank(p *Profile, pr *prepared, listings []*directory.Listing, now time.Time) []*candidate {
	var out []*candidate
	var d document
	matched := make([]int, len(pr.aspects))
	for _, l := range listings {
		pl, ok := fits(p, l)
		if !ok {
			continue
		}
		d.read(l, pr.ids)
		c := &candidate{l: l, km: pl.km, located: pl.located, evidence: make([]evidence, len(pr.aspects)), primary: -1, tier: 1}
		for i, a := range pr.aspects {
			c.evidence[i] = matchAspect(a, &d)
			if c.evidence[i].strength >= specificMatch {
				matched[i]++
			}
		}
		c.factors.Text = textRelevance(pr, &d)
		out = append(out, c)
	}
	spec := specificity(pr, matched, len(out))
	kept := out[:0]
	for _, c := range out {
		l := c.l
		best := 0.0
		for i, a := range pr.aspects {
			c.evidence[i].strength *= spec[i]
			if w := kindWeight(a.kind) * c.evidence[i].strength; w > best {
				best, c.primary = w, i
			}
		}
		c.factors.Interest = combine(pr, c.evidence, kindInterest)
		c.factors.Strength = combine(pr, c.evidence, kindStrength)
		c.factors.Goal = combine(pr, c.evidence, kindGoal)
		c.factors.Practical = combine(pr, c.evidence, kindNeed)
		c.factors.Distance = distanceFactor(p, l, c.km, c.located)
		c.factors.Schedule = scheduleFactor(p, l)
		c.factors.Ease = easeFactor(p, l)
		c.factors.Freshness = freshnessFactor(l, now)
		if pr.asksWhat() && c.factors.relevance() == 0 {
			continue
		}
		c.score = c.factors.Score()
		if pr.crisis && (slices.Contains(l.Categories, "crisis-support") || slices.Contains(l.Categories, "ae-liaison")) {
			c.tier = 0
		}
		kept = append(kept, c)
	}
	return diversify(kept, p.Limit)
}

// specificity weighs each goal, interest and strength by how few of the n
// candidates match it well (as a search engine weighs rare words): one
// matched by few listings ("cut down drinking") tells more about which
// listing suits the person than one matched by many ("routine"). It is 1
// for an aspect only one listing matches, falling with the log of the
// share that do, to no less than minSpecificity. Practical needs keep
// their full weight: a need many listings meet is still the need, and
// basic needs come first.
func specificity(pr *prepared, matched []int, n int) []float64 {
	out := make([]float64, len(matched))
	for i, k := range matched {
		out[i] = 1
		if pr.aspects[i].kind != kindNeed && n > 1 && k > 1 {
			idf := math.Log(1+float64(n)/float64(k)) / math.Log(1+float64(n))
			out[i] = minSpecificity + (1-minSpecificity)*idf
		}
	}
	return out
}

// diversify puts candidates in order: crisis services first when they
// count, then, greedily, the candidate with the best score once each
// earlier pick serving the same aspect of the person has multiplied it by
// diversityDecay, ties going to the lower id. Only the first limit places
// are chosen this way; the rest follow by score. A candidate's place
// depends on its own score and aspect and on the others', never on the
// order they came in, so the same profile and data give the same list.
func diversify(cands []*candidate, limit int) []*candidate {
	slices.SortFunc(cands, func(a, b *candidate) int {
		switch {
		case a.tier != b.tier:
			return a.tier - b.tier
		case a.score != b.score:
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return compareIDs(a.l.ID, b.l.ID)
	})
	picked := map[int]int{}
	for k := 0; k < min(limit, len(cands)); k++ {
		best, bestScore := -1, 0.0
		for i := k; i < len(cands); i++ {
			c := cands[i]
			if best >= 0 && c.tier > cands[best].tier {
				break
			}
			s := c.score
			if c.primary >= 0 {
				for n := picked[c.primary]; n > 0; n-- {
					s *= diversityDecay
				}
			}
			if best < 0 || s > bestScore || (s == bestScore && c.l.ID < cands[best].l.ID) {
				best, bestScore = i, s
			}
		}
		c := cands[best]
		copy(cands[k+1:best+1], cands[k:best])
		cands[k] = c
		if c.primary >= 0 {
			picked[c.primary]++
		}
	}
	return cands
}

func compareIDs(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
