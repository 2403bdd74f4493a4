package directory

import (
	"time"

	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
)

// distanceHalfKm is the distance at which proximity halves a text match's
// score in relevance order: near and relevant beats far and relevant, but
// a much better match a little further away still wins.
const distanceHalfKm = 3.0

// lastKey sorts a listing after every other: one with no location in a
// distance order, or no session in a time order.
const lastKey = 1e15

// rankOrder is a Bleve sort key computed for each matching listing from its
// locations and sessions, read from the index's doc values: the nearest
// location first, the next session first, or (relevance near a place) the
// text score scaled down with distance. Bleve computes it for every match,
// so the order is exact however deep the page; the ties are then ordered
// by score and id.
type rankOrder struct {
	by       SortOrder
	near     LatLon
	hasNear  bool
	scored   bool    // relevance near a place, with words
	onlineKm float64 // the distance an online-only listing counts as
	// weakBelow, when above zero, is the score under which a match comes
	// after every better one, whatever its time or distance.
	weakBelow float64
	now       time.Time
	desc      bool
	// nearest, when set, gives each listing's nearest distance, which the
	// radius check has just measured, so its locations are not read.
	nearest *nearestMemo
	// Per document, filled by UpdateVisitor and reset by Value.
	points   []LatLon
	sessions []Session
	buf      []byte
}

// newRankOrder returns the sort for q, or nil when the index's own score
// order is the one wanted (relevance with no place).
func newRankOrder(q *Query, now time.Time, nearest *nearestMemo) *rankOrder {
	r := &rankOrder{by: q.Sort, now: now, nearest: nearest}
	if q.Near != nil {
		r.near, r.hasNear = *q.Near, true
		// As if at the edge of the search area.
		r.onlineKm = max(q.RadiusKm, distanceHalfKm)
	}
	switch {
	case q.Sort == SortSoonest:
	case q.Sort == SortDistance && r.hasNear:
	case q.Sort == SortRelevance && len(q.Boosts) > 0:
		// Boosted searches come back in score order alone: their callers
		// rank candidates themselves and weigh distance their own way,
		// and ordering every match by place would read its locations.
		return nil
	case q.Sort == SortRelevance && r.hasNear:
		r.scored = q.Text != ""
		if !r.scored {
			r.by = SortDistance // a place and no words: nearest first
		}
	default:
		return nil
	}
	return r
}

// UpdateVisitor reads one doc value of the listing being ordered.
func (r *rankOrder) UpdateVisitor(field string, term []byte) {
	switch field {
	case fPoints:
		if p, ok := decodePoint(term); ok {
			r.points = append(r.points, p)
		}
	case fSessions:
		if s, ok := decodeSession(term); ok {
			r.sessions = append(r.sessions, s)
		}
	}
}

// Value returns the listing's sort key, smallest first, and gets ready for
// the next listing.
func (r *rankOrder) Value(d *search.DocumentMatch) string {
	key := r.key(d)
	r.points, r.sessions = r.points[:0], r.sessions[:0]
	r.buf = numeric.MustNewPrefixCodedInt64Prealloc(numeric.Float64ToInt64(key), 0, r.buf)
	return string(r.buf)
}

func (r *rankOrder) key(d *search.DocumentMatch) float64 {
	if d.Score < r.weakBelow {
		return 2*lastKey + r.placeOrTime(d)
	}
	return r.placeOrTime(d)
}

func (r *rankOrder) placeOrTime(d *search.DocumentMatch) float64 {
	if r.by == SortSoonest {
		if _, start, _, ok := NextSession(r.sessions, r.now); ok {
			return start.Sub(r.now).Seconds()
		}
		return lastKey
	}
	km, located := r.nearestKm(d)
	switch {
	case r.scored:
		if !located {
			km = r.onlineKm
		}
		return -d.Score / (1 + km/distanceHalfKm)
	case located && r.hasNear:
		return km
	}
	return lastKey
}

// nearestKm returns the distance to the listing's nearest location, and
// whether it has one.
func (r *rankOrder) nearestKm(d *search.DocumentMatch) (float64, bool) {
	if r.nearest != nil {
		return r.nearest.nearest(d.IndexInternalID)
	}
	return NearestKm(r.near, r.points)
}

// DecodeValue is empty: Bleve calls it for the key of every match it
// collects (SortOrder.Value), to fill DocumentMatch.DecodedSort, which
// nothing here reads; turning each key back into a number and formatting
// it was a tenth of a nearest-first search of a million listings.
func (r *rankOrder) DecodeValue(string) string { return "" }

// Descending reports whether larger keys come first.
func (r *rankOrder) Descending() bool { return r.desc }

// RequiresDocID reports that the key does not need the document id.
func (r *rankOrder) RequiresDocID() bool { return false }

// RequiresScoring reports false even when the key reads the text score:
// Bleve scores every match anyway, and takes a sort that says true to be
// the score itself, comparing raw scores instead of this key.
func (r *rankOrder) RequiresScoring() bool { return false }

// RequiresFields names the doc values the key is computed from: sessions
// for a time order, locations otherwise. Reading a doc value means
// unpacking the block of listings it is stored in, so the one not needed
// is not read.
func (r *rankOrder) RequiresFields() []string {
	switch {
	case r.by == SortSoonest:
		return []string{fSessions}
	case r.nearest != nil:
		return nil
	}
	return []string{fPoints}
}

// Reverse turns the order around.
func (r *rankOrder) Reverse() { r.desc = !r.desc }

// Copy returns an independent copy, as Bleve needs one per search.
func (r *rankOrder) Copy() search.SearchSort {
	c := *r
	c.points, c.sessions, c.buf = nil, nil, nil
	return &c
}
