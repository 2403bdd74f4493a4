package directory

import (
	"fmt"

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
