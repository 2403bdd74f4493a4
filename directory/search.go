package directory

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// SortOrder is how search results are ordered.
type SortOrder string

// The sort orders.
const (
	SortRelevance SortOrder = "relevance" // best match; nearer first among equals when a place is given
	SortDistance  SortOrder = "distance"  // nearest first; needs a place
	SortSoonest   SortOrder = "soonest"   // next session first; listings without sessions last
)

// Limits on paging.
const (
	MaxPerPage = 1000
	// MaxResultWindow bounds how deep paging may go (page × per page).
	MaxResultWindow = 10000
)

// Query is a search of the directory. The zero value finds every active
// listing, best first.
type Query struct {
	// Text is what the person typed; synonyms, spelling mistakes and
	// crisis words are handled.
	Text string
	// Postcode, when set, is turned into Near through the gazetteer.
	Postcode string
	// Near is the point to search around; RadiusKm bounds how far (0 means
	// no bound, only ordering).
	Near     *LatLon
	RadiusKm float64
	// IncludeOnline keeps online-only listings in a search with a place;
	// without it, a search near a place shows only listings located there.
	IncludeOnline bool

	Categories []string // any of these (a category includes those under it)
	Stages     []Stage  // any of these
	FreeOnly   bool
	// MaxPence, when above zero, keeps free listings and those costing at
	// most this many pence.
	MaxPence int
	Days     []time.Weekday // meets on any of these days
	// OpenAt, when set, keeps listings with a session running at that
	// moment (to the minute).
	OpenAt        time.Time
	OnlineOnly    bool     // only listings one can join online
	Accessibility []Access // every one of these
	Languages     []string // any of these (ISO 639-1)
	Age           int      // open to a person of this age; 0 means any
	// MinAgeAtLeast and MaxAgeAtMost compare a listing's own age bounds,
	// as the Open Referral API's minimum_age and maximum_age do: a listing
	// with no minimum counts as 0 and one with no maximum as unbounded.
	// 0 means no filter.
	MinAgeAtLeast int
	MaxAgeAtMost  int
	// Window, when set, keeps listings with a session that starts and ends
	// within it, on one of Days when Days is given.
	Window *Window
	// ModifiedAfter, when set, keeps listings changed at or after it.
	ModifiedAfter time.Time
	Formats       []Format
	JoinMethods   []JoinMethod
	PartnerID     string
	// Statuses to include; active only when empty.
	Statuses []Status
	Exclude  []string // listing ids to leave out
	// Boosts score listings without filtering them: with boosts and no
	// Text, a search finds every listing that passes the filters, those
	// matching more (and weightier) boosts first. Callers that rank
	// candidates themselves, like the matcher, pass the phrases and
	// categories they expanded a person's words into.
	Boosts []Boost

	Sort    SortOrder
	Page    int // from 1; 1 when 0
	PerPage int // 20 when 0
	// Facets asks for counts by category, stage, cost, day, format,
	// accessibility, language and online.
	Facets bool
}

// Hit is one search result.
type Hit struct {
	Listing *Listing
	// Score is how well the listing matches the words searched for (the
	// same for every listing without words). Near a place, relevance
	// order also weighs distance, which this does not include.
	Score float64
	// DistanceKm is the distance to the nearest location, when the search
	// had a place and the listing has a location.
	DistanceKm *float64
	// Next is the next occurrence of a session, when there is one.
	Next *Occurrence
}

// Occurrence is one dated session.
type Occurrence struct {
	Session    Session
	Start, End time.Time
}

// FacetCount is one value of a facet with the number of results having it.
type FacetCount struct {
	Term  string `json:"term"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Results is a page of search results.
type Results struct {
	Total   int
	Page    int
	PerPage int
	Hits    []Hit
	Facets  map[string][]FacetCount
	// Near is the point searched around, when there was one.
	Near *LatLon
	// Postcode is the normalised postcode searched around.
	Postcode string
	// Crisis is true when the text suggests the person may be in crisis:
	// crisis services are ranked first and pages show urgent help.
	Crisis bool
}

// normalise checks q and fills in defaults. It returns EINVALID saying
// which parameter is wrong.
func (d *Directory) normalise(q *Query) error {
	q.Text = strings.TrimSpace(q.Text)
	if len(q.Text) > 500 {
		return Errorf(EINVALID, "the search words are too long - use up to 500 characters")
	}
	if q.Postcode != "" {
		pc, pt, err := d.gaz.Locate(q.Postcode)
		if err != nil {
			if ErrorCode(err) == ENOTFOUND {
				return Errorf(EINVALID, "%s", ErrorMessage(err))
			}
			return err
		}
		q.Postcode, q.Near = pc.String(), &pt
	}
	switch {
	case q.RadiusKm < 0 || math.IsNaN(q.RadiusKm) || q.RadiusKm > 1000:
		return Errorf(EINVALID, "the radius must be between 0 and 1000 km")
	case q.Page < 0:
		return Errorf(EINVALID, "page must be 1 or more")
	case q.Page > MaxResultWindow:
		return Errorf(EINVALID, "page %d is too deep - narrow the search instead (at most %d results can be paged through)", q.Page, MaxResultWindow)
	case q.PerPage < 0 || q.PerPage > MaxPerPage:
		return Errorf(EINVALID, "per page must be between 1 and %d", MaxPerPage)
	case q.Age < 0 || q.Age > 120:
		return Errorf(EINVALID, "age must be between 0 and 120")
	case q.MinAgeAtLeast < 0 || q.MinAgeAtLeast > 120 || q.MaxAgeAtMost < 0 || q.MaxAgeAtMost > 120:
		return Errorf(EINVALID, "ages must be between 0 and 120")
	case q.Window != nil && !q.Window.valid():
		return Errorf(EINVALID, "the times must be between 00:00 and 24:00, the start before the end")
	case q.MaxPence < 0:
		return Errorf(EINVALID, "the most someone can pay cannot be negative")
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PerPage == 0 {
		q.PerPage = 20
	}
	if q.Page*q.PerPage > MaxResultWindow {
		return Errorf(EINVALID, "page %d is too deep - narrow the search instead (at most %d results can be paged through)", q.Page, MaxResultWindow)
	}
	switch q.Sort {
	case "":
		q.Sort = SortRelevance
	case SortRelevance, SortSoonest:
	case SortDistance:
		if q.Near == nil {
			return Errorf(EINVALID, "sorting by distance needs a postcode")
		}
	default:
		return Errorf(EINVALID, "sort %q is not relevance, distance or soonest", q.Sort)
	}
	if q.Near != nil && (q.Near.Lat < -90 || q.Near.Lat > 90 || q.Near.Lon < -180 || q.Near.Lon > 180) {
		return Errorf(EINVALID, "the point is not on Earth")
	}
	for _, c := range q.Categories {
		if _, ok := d.tax.Term(c); !ok && len(c) > 200 {
			return Errorf(EINVALID, "category %q is not one we know", c)
		}
	}
	for _, s := range q.Stages {
		if !s.Valid() {
			return Errorf(EINVALID, "stage %q is not a journey stage", s)
		}
	}
	for _, a := range q.Accessibility {
		if !a.Valid() {
			return Errorf(EINVALID, "accessibility %q is not one of step-free, accessible-toilet, hearing-loop, bsl, quiet-space, large-print", a)
		}
	}
	return checkBoosts(q.Boosts)
}

// Search finds listings. It returns EINVALID, saying what to fix, for a bad
// postcode, radius, page, sort or filter.
func (d *Directory) Search(ctx context.Context, q Query) (*Results, error) {
	if err := d.normalise(&q); err != nil {
		return nil, err
	}
	d.searching.Add(1)
	defer d.searching.Add(-1)
	now := d.now()
	bq, crisis, near := d.buildQuery(&q)
	// Words or boosts score many listings, and are worth splitting over
	// the cores; a search around a place notes distances as it goes
	// (nearby.go), in a memo two parts at once cannot share: that holds
	// with or without the online listings (IncludeOnline), whose search
	// keeps no memo to order by but still checks distances with one.
	split := (q.Text != "" || len(q.Boosts) > 0) && q.Near == nil
	from := (q.Page - 1) * q.PerPage
	req := bleve.NewSearchRequestOptions(bq, q.PerPage, from, false)
	// Best first, equal scores by listing id (search_cutoff.go).
	order := search.SortOrder{&search.SortScore{Desc: true}, &lastID{}}
	by := newRankOrder(&q, now, near)
	if by != nil {
		if q.Text != "" && !by.scored {
			best, err := d.bestScore(ctx, bq, split)
			if err != nil {
				return nil, err
			}
			by.weakBelow = best * minShareOfBest
		}
		// Ordered by place or time: Bleve computes the key for every
		// match, so the order is exact however deep the page.
		order = search.SortOrder{by, &search.SortScore{Desc: true}, &lastID{}}
	}
	req.SortByCustom(order)
	var tally *facetTally
	if q.Facets {
		tally = newFacetTally()
		ctx = withFacetTally(ctx, tally)
	}
	var page *pageOnly
	if by == nil && !q.Facets {
		// In order of score alone: a search scoring words a word at a
		// time passes on only what can make the page (textsearch.go).
		ctx, page = withPageOnly(ctx, from+q.PerPage)
	}
	res, err := d.searchMaybeInParts(withCutoff(ctx, order, from+q.PerPage), req, split)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, Internal(err, "search the index")
	}
	out := &Results{Total: int(res.Total) + page.leftOut(), Page: q.Page, PerPage: q.PerPage, Near: q.Near, Postcode: q.Postcode, Crisis: crisis}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	listings, err := d.Listings(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Listing, len(listings))
	for _, l := range listings {
		byID[l.ID] = l
	}
	for _, h := range res.Hits {
		l, ok := byID[h.ID]
		if !ok {
			continue // removed since the index saw it
		}
		out.Hits = append(out.Hits, d.NewHit(l, h.Score, q.Near, now))
	}
	if q.Facets {
		out.Facets = d.facetCounts(tally.result())
	}
	return out, nil
}

// minShareOfBest is how good a match must be, as a share of the best
// match's score, to be ordered by time or distance with the good matches
// when words are searched for. Relevance order puts weak matches (a
// word's broad synonym, "arts" for "choir") last, where they do no harm;
// ordered by time they would come first, so they come after the good
// ones instead.
const minShareOfBest = 0.1

// bestScore returns the score of the best match of bq, or 0. split says
// whether the search may be split over the cores (search_parts.go).
func (d *Directory) bestScore(ctx context.Context, bq query.Query, split bool) (float64, error) {
	req := bleve.NewSearchRequestOptions(bq, 1, 0, false)
	req.SortBy([]string{"-_score"})
	res, err := d.searchMaybeInParts(ctx, req, split)
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, Internal(err, "search the index")
	}
	if len(res.Hits) == 0 {
		return 0, nil
	}
	return res.Hits[0].Score, nil
}

// NewHit describes listing l as a result for a search around near (which
// may be nil) at time now: its distance and next session.
func (d *Directory) NewHit(l *Listing, score float64, near *LatLon, now time.Time) Hit {
	h := Hit{Listing: l, Score: score}
	if near != nil {
		if km, ok := NearestKm(*near, l.Points()); ok {
			h.DistanceKm = &km
		}
	}
	if s, start, end, ok := NextSession(l.Sessions, now); ok {
		h.Next = &Occurrence{Session: s, Start: start, End: end}
	}
	return h
}

// buildQuery turns q into a Bleve query: the text part (if any) must match
// and scores; every filter must match and does not score, so that what a
// search is narrowed to never changes the order of what it finds. near,
// when not nil, knows each result's nearest distance (nearby.go).
func (d *Directory) buildQuery(q *Query) (bq query.Query, crisis bool, near *nearestMemo) {
	var scoring query.Query
	if q.Text != "" {
		scoring, crisis = d.textQuery(q.Text)
	}
	var must []query.Query
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []Status{StatusActive}
	}
	must = append(must, anyTerm(fStatus, statuses))
	if len(q.Categories) > 0 {
		must = append(must, anyTerm(fCategory, q.Categories))
	}
	if len(q.Stages) > 0 {
		must = append(must, anyTerm(fStage, q.Stages))
	}
	switch {
	case q.FreeOnly:
		must = append(must, term(fCost, "free"))
	case q.MaxPence > 0:
		must = append(must, bleve.NewDisjunctionQuery(term(fCost, "free"), keyRange(fPence, "", penceKey(q.MaxPence))))
	}
	if len(q.Days) > 0 {
		codes := make([]string, len(q.Days))
		for i, day := range q.Days {
			codes[i] = DayCode(day)
		}
		must = append(must, anyTerm(fDay, codes))
	}
	if !q.OpenAt.IsZero() {
		must = append(must, anyTerm(fSlot, SlotTerms(q.OpenAt)))
	}
	if q.OnlineOnly {
		must = append(must, term(fOnline, "yes"))
	}
	for _, a := range q.Accessibility {
		must = append(must, term(fAccess, string(a)))
	}
	if len(q.Languages) > 0 {
		must = append(must, anyTerm(fLang, q.Languages))
	}
	if q.Age > 0 {
		must = append(must, keyRange(fMinAge, "", ageKey(q.Age)), keyRange(fMaxAge, ageKey(q.Age), ""))
	}
	if q.MinAgeAtLeast > 0 {
		must = append(must, keyRange(fMinAge, ageKey(q.MinAgeAtLeast), ""))
	}
	if q.MaxAgeAtMost > 0 {
		must = append(must, keyRange(fMaxAge, "", ageKey(q.MaxAgeAtMost)))
	}
	// Checks of locations and sessions run last, on what passes the rest
	// (dvfilter.go).
	var checks []docValueCheck
	if q.Window != nil {
		checks = append(checks, q.Window.check(q.Days))
	}
	if !q.ModifiedAfter.IsZero() {
		if since := changedSince(q.ModifiedAfter); since != nil {
			must = append(must, since)
		}
	}
	if len(q.Formats) > 0 {
		must = append(must, anyTerm(fFormat, q.Formats))
	}
	if len(q.JoinMethods) > 0 {
		must = append(must, anyTerm(fJoin, q.JoinMethods))
	}
	if q.PartnerID != "" {
		must = append(must, term(fPartner, q.PartnerID))
	}
	if q.Near != nil && q.RadiusKm > 0 {
		cells := withinCells(*q.Near, q.RadiusKm)
		within, memo := withinCheck(*q.Near, q.RadiusKm)
		if q.IncludeOnline {
			must = append(must, bleve.NewDisjunctionQuery(within.over(cells), term(fOnlineOnly, "yes")))
		} else {
			must = append(must, cells)
			checks = append(checks, within)
			// The check wraps all the filters, so it has seen each
			// result last: the order by distance can ask it.
			near = memo
		}
	} else if q.Near != nil && !q.IncludeOnline {
		must = append(must, term(fOnlineOnly, "no"))
	}
	if len(q.Boosts) > 0 {
		filters := []query.Query{withChecks(bleve.NewConjunctionQuery(must...), checks)}
		if q.Text != "" {
			filters = append([]query.Query{scoring}, filters...)
		}
		return d.boostedQuery(filters, q.Text != "", q.Boosts, q.Exclude), crisis, near
	}
	// The filters and the words in a conjunction, so the filters narrow
	// what is scored (filter.go); without words every match scores 1.
	// The checks of locations and sessions go inside the filters, never
	// round the words: Bleve finds the synonyms a search needs by walking
	// its query, and cannot see past a query of ours.
	var whole query.Query = constantScoreQuery{q: withChecks(bleve.NewConjunctionQuery(must...), checks), score: 1}
	if q.Text != "" && len(must) == 1 && len(checks) == 0 && len(q.Statuses) == 0 {
		// Words alone, among active listings: nearly every listing is
		// active, and checking each match of the words against that
		// filter cost a tenth of the search. Leaving out the few that are
		// not active instead is the same search. The words are scored
		// a word at a time (textsearch.go).
		var not query.Query = inactive()
		if len(q.Exclude) > 0 {
			not = bleve.NewDisjunctionQuery(not, bleve.NewDocIDQuery(q.Exclude))
		}
		return wordsQuery{q: scoring, not: not}, crisis, near
	}
	if q.Text != "" {
		filters := withChecks(bleve.NewConjunctionQuery(must...), checks)
		if len(must) > 1 || len(checks) > 0 {
			// With the words, unscored, among the filters, so the
			// checks of doc values see only listings that have them.
			filters = withChecks(narrowConjunctionQuery{parts: append([]query.Query{scoring}, must...)}, checks)
		}
		whole = bleve.NewConjunctionQuery(scoring, constantScoreQuery{q: filters})
	}
	if len(q.Exclude) > 0 {
		b := bleve.NewBooleanQuery()
		b.AddMust(whole)
		b.AddMustNot(bleve.NewDocIDQuery(q.Exclude))
		return b, crisis, near
	}
	return whole, crisis, near
}

// inactive matches the listings that are not active.
func inactive() query.Query {
	var others []Status
	for _, st := range Statuses {
		if st != StatusActive {
			others = append(others, st)
		}
	}
	return anyTerm(fStatus, others)
}

// withChecks returns q with the checks of doc values around it.
func withChecks(q query.Query, checks []docValueCheck) query.Query {
	for _, c := range checks {
		q = c.over(q)
	}
	return q
}

func term(field, value string) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	return t
}

func anyTerm[S ~string](field string, values []S) query.Query {
	qs := make([]query.Query, len(values))
	for i, v := range values {
		qs[i] = term(field, string(v))
	}
	return bleve.NewDisjunctionQuery(qs...)
}

type fieldSetter interface {
	query.Query
	SetField(string)
}

func fieldQ[Q fieldSetter](q Q, field string) query.Query {
	q.SetField(field)
	return q
}

// facetFields are the facets a search can ask for, with how many values each
// may return.
var facetFields = []struct {
	name, field string
	size        int
}{
	{"category", fCategory, 100}, {"stage", fStage, 6}, {"cost", fCost, 2}, {"day", fDay, 7},
	{"format", fFormat, 3}, {"accessibility", fAccess, 6}, {"language", fLang, 60}, {"online", fOnline, 2},
}

// facetCounts turns counts by facet name and term into each facet's
// values, most first (then by term, as Bleve orders them), up to the
// facet's size, labelled.
func (d *Directory) facetCounts(counts map[string]map[string]int) map[string][]FacetCount {
	out := map[string][]FacetCount{}
	for _, f := range facetFields {
		list := []FacetCount{}
		for term, n := range counts[f.name] {
			list = append(list, FacetCount{Term: term, Label: d.facetLabel(f.name, term), Count: n})
		}
		slices.SortFunc(list, func(a, b FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Term, b.Term)
		})
		if len(list) > f.size {
			list = list[:f.size]
		}
		out[f.name] = list
	}
	// Days read best in week order.
	slices.SortFunc(out["day"], func(a, b FacetCount) int { return dayIndex(a.Term) - dayIndex(b.Term) })
	return out
}

func dayIndex(code string) int {
	d, err := ParseDay(code)
	if err != nil {
		return 7
	}
	return (int(d) + 6) % 7 // Monday first
}

func (d *Directory) facetLabel(facet, term string) string {
	switch facet {
	case "category":
		return d.tax.Label(term)
	case "stage":
		return Stage(term).Label()
	case "cost":
		if term == "free" {
			return "Free"
		}
		return "Costs something"
	case "day":
		if day, err := ParseDay(term); err == nil {
			return DayName(day)
		}
	case "format":
		return Format(term).Label()
	case "accessibility":
		return Access(term).Label()
	case "language":
		return LanguageName(term)
	case "online":
		if term == "yes" {
			return "Online"
		}
		return "In person"
	}
	return term
}
