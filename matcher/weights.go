package matcher

// This file holds every number that decides a ranking, so that they can be
// read, argued about and tuned in one place. A match's score is the
// weighted sum of its factors; each factor is between 0 and 1 and the
// weights add up to 1, so a score is between 0 and 1 too. The evaluation
// set (testdata/eval) measures what a change to any of them does.

// The factor weights.
const (
	// WeightText is text relevance: the person's own words (not their
	// expansions) found in the listing's name, summary, interests or
	// description. Small, because the aspect factors below already look
	// for the same words more carefully; it breaks ties towards listings
	// that say what the person said.
	WeightText = 0.10
	// WeightInterest is interest fit: the listing is about something the
	// person enjoys, found through its categories, its interests and its
	// words, expanded through synonyms and the OpenActive activity list.
	WeightInterest = 0.15
	// WeightStrength is strength fit: a chance to use or build something
	// the person is good at, the "meaningful contribution" outcome. A
	// listing that asks for the strength (its strengths field), or a
	// volunteering role in its area, fits best.
	WeightStrength = 0.10
	// WeightGoal is goal fit: the listing serves one of the person's goals,
	// by category, by its words, or by serving the journey stage the goal
	// points at.
	WeightGoal = 0.16
	// WeightPractical is practical needs: housing, money, food and the
	// other basics. The largest weight, so that when a person has a basic
	// need the listings meeting it come first.
	WeightPractical = 0.22
	// WeightDistance is distance decay: nearer is better, halving at
	// DistanceHalfKm.
	WeightDistance = 0.12
	// WeightSchedule is schedule fit: it meets on the days and at the parts
	// of the day that suit the person.
	WeightSchedule = 0.08
	// WeightEase is ease of joining: drop-in beats getting in touch, which
	// beats needing a referral; free, and in the person's own language,
	// make it easier still.
	WeightEase = 0.05
	// WeightFreshness is freshness: a listing its partner has not checked
	// for more than six months (directory.StaleAfter) loses a little.
	WeightFreshness = 0.02
)

// Weights returns the factor weights as Factors.
func Weights() Factors {
	return Factors{Text: WeightText, Interest: WeightInterest, Strength: WeightStrength, Goal: WeightGoal,
		Practical: WeightPractical, Distance: WeightDistance, Schedule: WeightSchedule, Ease: WeightEase, Freshness: WeightFreshness}
}

// Distance decay.
const (
	// DistanceHalfKm is where the distance factor is one half: 1 at the
	// door, 1/(1+km/DistanceHalfKm) further away.
	DistanceHalfKm = 2.0
	// onlineDistance is the distance factor of a listing the person can
	// join online: as good as one DistanceHalfKm away.
	onlineDistance = 0.5
)

// How strongly each kind of evidence shows that a listing matches an
// aspect, by the aspect's kind: a category, a word in a field, or the
// journey stage. The person's own words count fully; expansions count
// their phrase weight (aspects.go) times these.
var (
	categoryWeight = [...]float64{kindNeed: 0.8, kindGoal: 0.8, kindInterest: 0.75, kindStrength: 0.4}
	// descendantWeight is a category below the one an aspect points at:
	// "housing" reaches homelessness services, less surely.
	descendantWeight = 0.85
	fieldWeight      = [...][numFields]float64{
		kindNeed:     {fieldName: 0.9, fieldInterests: 0.8, fieldStrengths: 0.3, fieldSummary: 0.8, fieldDescription: 0.35},
		kindGoal:     {fieldName: 0.85, fieldInterests: 0.8, fieldStrengths: 0.3, fieldSummary: 0.8, fieldDescription: 0.35},
		kindInterest: {fieldName: 1, fieldInterests: 1, fieldStrengths: 0.6, fieldSummary: 0.8, fieldDescription: 0.4},
		kindStrength: {fieldName: 0.45, fieldInterests: 0.45, fieldStrengths: 1, fieldSummary: 0.35, fieldDescription: 0.2},
	}
	// A strength is used best in a volunteering role: there, words and
	// categories count for this much.
	volunteeringWeight         = [numFields]float64{fieldName: 0.8, fieldInterests: 0.8, fieldStrengths: 1, fieldSummary: 0.8, fieldDescription: 0.5}
	volunteeringCategoryWeight = 0.8
	// stageWeight is a goal met by serving its journey stage (on top of,
	// or instead of, its categories and words); stageOnlyWeight a journey
	// stage the person named.
	stageWeight     = 0.3
	stageOnlyWeight = 1.0
	// expandedInDescription scales a match in the description by anything
	// but the person's own words: descriptions are long and mention much
	// in passing.
	expandedInDescription = 0.5
	// minEvidence is the least a match in words must count to count at
	// all, so that passing mentions neither score nor become reasons.
	minEvidence = 0.3
	// minReasonEvidence is the least a single piece of evidence must count
	// to be given as a reason: weaker matches count in the score but would
	// make thin reasons ("it mentions cooked").
	minReasonEvidence = 0.45
	// roleWeight scales a volunteering role's match to a need, a goal or an
	// interest that is not about volunteering: a food bank volunteer role
	// is not food for someone who needs it.
	roleWeight = [...]float64{kindNeed: 0.25, kindGoal: 0.6, kindInterest: 1, kindStrength: 1}
	// factorSaturation sets how fast the interest, strength, goal and
	// practical factors approach 1, and otherMatches how much the matches
	// beyond the strongest add: 1-exp(-k*(best+λ*rest)).
	factorSaturation = 1.5
	otherMatches     = 0.3
	// textWeight is how much one of the person's words counts in each
	// field for text relevance, which is 1-exp(-sum).
	textWeight = [numFields]float64{fieldName: 1, fieldInterests: 0.7, fieldStrengths: 0.5, fieldSummary: 0.6, fieldDescription: 0.25}
)

// Ease of joining.
const (
	easeJoin     = 0.5  // share of ease from how to join
	easeFree     = 0.2  // from being free
	easeLanguage = 0.15 // from running in the person's own (not English) language
	easeAge      = 0.15 // from being made for people of their age
	// A listing is made for young people when its upper age is at most
	// youngAgeLimit, and for older people when its lower age is at least
	// olderAgeFrom.
	youngAgeLimit = 30
	olderAgeFrom  = 50
	joinDropIn    = 1.0
	joinSelf      = 0.6
	joinReferral  = 0.1
	joinUnknown   = 0.5
)

// Schedule fit when the person gave days or times.
const (
	scheduleFits    = 1.0 // a session on a day and at a time that suit
	schedulePartial = 0.3 // a session fits the day or the time, not both
	scheduleNone    = 0.5 // no fixed times: arranged with the person
	// minOverlapMinutes is how much of a part of the day a session must
	// cover to count as in it (or all of a shorter session).
	minOverlapMinutes = 30
)

// Freshness.
const (
	// freshUnknown is the freshness of a listing never verified.
	freshUnknown = 0.5
	// staleFloor is the least freshness a stale listing keeps.
	staleFloor = 0.3
)

// Specificity: an aspect's matches count for less the more candidates
// match it (strength specificMatch or more), down to minSpecificity.
const (
	specificMatch  = 0.5
	minSpecificity = 0.4
)

// Diversity: each earlier match serving the same aspect of the person
// multiplies a candidate's score by diversityDecay when the list is put in
// order, so the top of the list spans the person's goals, needs and
// interests instead of repeating one of them.
const diversityDecay = 0.9

// Relaxing: with fewer matches than relaxBelow (or the limit, if smaller),
// the radius is doubled up to radiusSteps times, then the days are
// dropped.
const (
	relaxBelow  = 5
	radiusSteps = 2
)

// Retrieval: how many candidates each search asks the index for, and how
// many of an aspect's phrases become search boosts.
const (
	candidateWindow = 120
	// smallDirectory is the most listings passing a search's filters
	// that are all ranked rather than a window of the best.
	smallDirectory     = 500
	maxBoostPhrases    = 1
	maxBoostCategories = 2
)
