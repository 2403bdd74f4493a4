package web

import (
	"math"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// resultJSON is a listing as the search and match APIs show it in a list.
type resultJSON struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Summary      string       `json:"summary"`
	Organisation string       `json:"organisation"`
	Categories   []string     `json:"categories"`
	DistanceKm   *float64     `json:"distance_km"`
	Free         bool         `json:"free"`
	Cost         string       `json:"cost,omitempty"`
	NextSession  *sessionJSON `json:"next_session"`
	Online       bool         `json:"online"`
	HowToJoin    string       `json:"how_to_join,omitempty"`
	Stale        bool         `json:"stale,omitempty"`
	URL          string       `json:"url"`
}

// sessionJSON is a dated session.
type sessionJSON struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Text  string    `json:"text"`
}

func newResultJSON(h directory.Hit, now time.Time) resultJSON {
	l := h.Listing
	r := resultJSON{
		ID: l.ID, Name: l.Name, Summary: l.Summary, Organisation: l.Organisation.Name, Categories: l.Categories,
		Free: l.Cost.Free, Cost: l.Cost.Words, Online: l.Online, HowToJoin: string(l.HowToJoin),
		Stale: l.Stale(now), URL: "/listings/" + l.ID,
	}
	if r.Categories == nil {
		r.Categories = []string{}
	}
	if h.DistanceKm != nil {
		km := math.Round(*h.DistanceKm*100) / 100
		r.DistanceKm = &km
	}
	if h.Next != nil {
		r.NextSession = &sessionJSON{Start: h.Next.Start, End: h.Next.End, Text: occurrenceText(*h.Next, now)}
	}
	return r
}

// occurrenceText says when a dated session is in plain words: "Now, until
// 12pm", "Today, 6pm to 8pm", "Tomorrow, 10am to 12pm", "Sat 6 Dec, 11am to
// 1pm".
func occurrenceText(o directory.Occurrence, now time.Time) string {
	now = now.In(directory.London())
	start, end := o.Start.In(directory.London()), o.End.In(directory.London())
	times := clock(start) + " to " + clock(end)
	y1, m1, d1 := now.Date()
	y2, m2, d2 := start.Date()
	today := time.Date(y1, m1, d1, 0, 0, 0, 0, directory.London())
	day := time.Date(y2, m2, d2, 0, 0, 0, 0, directory.London())
	switch days := int(math.Round(day.Sub(today).Hours() / 24)); {
	case !start.After(now) && end.After(now):
		return "Now, until " + clock(end)
	case days == 0:
		return "Today, " + times
	case days == 1:
		return "Tomorrow, " + times
	default:
		return start.Format("Mon 2 Jan") + ", " + times
	}
}

func clock(t time.Time) string {
	switch {
	case t.Hour() == 12 && t.Minute() == 0:
		return "midday"
	case t.Minute() == 0:
		return t.Format("3pm")
	}
	return t.Format("3:04pm")
}
