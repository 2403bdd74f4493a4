package directory

import (
	"slices"
	"time"
)

// Window is a span of the day, in minutes after midnight UK time (To may
// be 24*60): a search with a Window keeps listings with a session that
// starts at or after From and ends at or before To.
type Window struct {
	From, To int
}

func (w *Window) valid() bool {
	return w.From >= 0 && w.To <= 24*60 && w.From <= w.To
}

// check returns the test of w on the given days (every day when none);
// the search has the days as a filter of its own.
//
// "Starts at or after From and ends by To" asks two things of the same
// session, which two separate range filters cannot: a listing with an
// early session that ends in time and a late one that starts in time
// would match both. So each listing's sessions are read from the index's
// doc values and checked one by one. (Indexing each session as a point of
// Bleve's geopoint field and asking for a box does not work: Bleve v2.6.1
// checks only one point of a field with several.)
func (w *Window) check(days []time.Weekday) docValueCheck {
	from, to := w.From, w.To
	days = slices.Clone(days)
	return docValueCheck{field: fSessions, keep: func(v []byte) bool {
		s, ok := decodeSession(v)
		return ok && s.Start >= from && s.End <= to && (len(days) == 0 || slices.Contains(days, s.Day))
	}}
}
