package directory

import (
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
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

// "Starts at or after From and ends by To" asks two things of the same
// session, which two separate range filters cannot: a listing with an
// early session that ends in time and a late one that starts in time
// would match both. So each session is indexed as one point in a plane,
// its day and start along one axis and its end along the other, and the
// question becomes one box per day. The plane is Bleve's geopoint field,
// used only for its exact two-dimensional range search; the coordinates
// stay well inside ±180 and ±90 so no box wraps around.
const (
	windowDayWidth = 24*60 + 1 // minutes 0..1440 of one day along the first axis
	windowLonSpan  = 350.0 / (7 * windowDayWidth)
	windowLatSpan  = 160.0 / (24 * 60)
)

func windowLon(day time.Weekday, minute float64) float64 {
	return -175 + (float64(int(day)*windowDayWidth)+minute)*windowLonSpan
}

func windowLat(minute float64) float64 { return -80 + minute*windowLatSpan }

// windowPoint is a session's point in the plane.
func windowPoint(s Session) map[string]any {
	return map[string]any{"lon": windowLon(s.Day, float64(s.Start)), "lat": windowLat(float64(s.End))}
}

// query returns the filter for w on the given days (every day when none).
// The box edges sit half a minute outside the bounds, so sessions exactly
// on a bound are kept whatever the index's rounding.
func (w *Window) query(days []time.Weekday) query.Query {
	if len(days) == 0 {
		days = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	}
	var boxes []query.Query
	for _, d := range days {
		box := bleve.NewGeoBoundingBoxQuery(
			windowLon(d, float64(w.From)-0.5), windowLat(float64(w.To)+0.5),
			windowLon(d, 24*60-0.5), windowLat(0))
		box.SetField(fWindow)
		boxes = append(boxes, box)
	}
	return bleve.NewDisjunctionQuery(boxes...)
}
