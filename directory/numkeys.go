package directory

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Costs and ages are indexed as keywords of fixed width, whose byte order
// is their numeric order, so that a range of them is a range of terms.
// Bleve indexes a number as sixteen terms (for fast ranges over any
// span); these few values need one, which made a large import's index a
// third smaller and quicker to build.

// ageKey writes an age in years (0 to noAgeLimit).
func ageKey(years int) string { return fmt.Sprintf("%03d", years) }

// penceKey writes an amount in pence (up to £99,999,999.99).
func penceKey(pence int) string { return fmt.Sprintf("%010d", pence) }

// keyRange matches the keywords of field from min to max, both included;
// an empty bound is open.
func keyRange(field, min, max string) query.Query {
	yes := true
	q := bleve.NewTermRangeInclusiveQuery(min, max, &yes, &yes)
	q.SetField(field)
	return q
}

// When a listing last changed is two keywords: its day ("20261122") and
// its time to the nanosecond ("20261122T153045.123456789"), both in UTC,
// both of fixed width. Bleve's dates were sixteen terms a listing, about
// an eighth of everything an import indexed, for a filter ("modified
// after", from the HSDS API) few searches use. A day's range is a range
// of a few thousand terms at most, and the same day's times are few.
const (
	dayLayout   = "20060102"
	stampLayout = "20060102T150405.000000000"
)

// The years the keys can hold, four digits.
var (
	firstStamp = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	lastStamp  = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// changeKeys returns the day and time keys of t, clamped to the years
// the keys hold.
func changeKeys(t time.Time) (day, stamp string) {
	switch t = t.UTC(); {
	case t.Before(firstStamp):
		t = firstStamp
	case t.After(lastStamp):
		t = lastStamp
	}
	return t.Format(dayLayout), t.Format(stampLayout)
}

// changedSince matches the listings that changed at t or after: on a
// later day, or on t's day at t or later. It returns nil when every
// listing does (t before the first year the keys hold: a filter that
// keeps all, listings with no date too, as before lw-14).
func changedSince(t time.Time) query.Query {
	t = t.UTC()
	switch {
	case t.Before(firstStamp):
		return nil
	case t.After(lastStamp):
		return bleve.NewMatchNoneQuery()
	}
	day, stamp := changeKeys(t)
	sameDay := keyRange(fUpdated, stamp, day+"T235959.999999999")
	next := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC)
	if next.After(lastStamp) {
		return sameDay
	}
	nextDay, _ := changeKeys(next)
	return bleve.NewDisjunctionQuery(keyRange(fUpdatedDay, nextDay, ""), sameDay)
}
