package directory_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// timetable is a directory of listings that meet at known times, with a
// clock the test moves.
func timetable(t *testing.T) (*directory.Directory, *clock) {
	t.Helper()
	clk := &clock{}
	d := MustOpenDirectory(t, directory.Config{Now: clk.now})
	with := func(ref string, ss ...directory.Session) *directory.Listing {
		return newListing("timetable", ref, "Group "+ref, func(l *directory.Listing) { l.Sessions = ss })
	}
	mustApply(t, d, directory.Change{Put: []*directory.Listing{
		with("weekly", sess(time.Tuesday, "10:00", "12:00", 0)),
		with("ending", sess(time.Tuesday, "09:00", "10:41", 0)),
		with("starting", sess(time.Tuesday, "10:40", "11:00", 0)),
		with("first-sat", sess(time.Saturday, "11:00", "13:00", 1)),
		with("last-fri", sess(time.Friday, "19:00", "21:00", -1)),
		with("late", sess(time.Sunday, "22:00", "24:00", 0)),
		with("two", sess(time.Wednesday, "14:00", "16:00", 0), sess(time.Tuesday, "18:00", "19:00", 0)),
		with("none"),
	}})
	return d, clk
}

func refsOf(res *directory.Results) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.Listing.Ref
	}
	return out
}

func TestOpenNow(t *testing.T) {
	d, _ := timetable(t)
	at := func(y int, m time.Month, day, hh, mm int) time.Time {
		return time.Date(y, m, day, hh, mm, 0, 0, directory.London())
	}
	// November 2026 starts on a Sunday.
	tests := []struct {
		name string
		at   time.Time
		want []string
	}{
		{"Tuesday 10:30", at(2026, 11, 24, 10, 30), []string{"ending", "weekly"}},
		{"a session starts as another has its last minute", at(2026, 11, 24, 10, 40), []string{"ending", "starting", "weekly"}},
		{"a session has just ended", at(2026, 11, 24, 10, 41), []string{"starting", "weekly"}},
		{"Tuesday 12:00, as the weekly one ends", at(2026, 11, 24, 12, 0), nil},
		{"1st Saturday", at(2026, 11, 7, 12, 59), []string{"first-sat"}},
		{"2nd Saturday", at(2026, 11, 14, 12, 0), nil},
		{"last Friday", at(2026, 11, 27, 19, 0), []string{"last-fri"}},
		{"4th Friday that is not the last", at(2027, 1, 22, 20, 0), nil},
		{"last Friday that is the 5th", at(2027, 1, 29, 20, 59), []string{"last-fri"}},
		{"until midnight", at(2026, 11, 22, 23, 59), []string{"late"}},
		{"after midnight", at(2026, 11, 23, 0, 0), nil},
		{"second session of a listing", at(2026, 11, 24, 18, 30), []string{"two"}},
		{"given in UTC, in summer time", time.Date(2026, 6, 2, 9, 30, 0, 0, time.UTC), []string{"ending", "weekly"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustSearch(t, d, directory.Query{OpenAt: tt.at, PerPage: 50})
			got := refsOf(res)
			slices.Sort(got)
			if !reflect.DeepEqual(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
				t.Errorf("open at %v: %v; want %v", tt.at, got, tt.want)
			}
			if res.Total != len(tt.want) {
				t.Errorf("Total = %d; want %d", res.Total, len(tt.want))
			}
			// The index agrees with the sessions themselves.
			for _, h := range res.Hits {
				if !directory.OpenAt(h.Listing.Sessions, tt.at) {
					t.Errorf("%s found open at %v, but its sessions say not", h.Listing.Ref, tt.at)
				}
			}
		})
	}
}

func TestSoonest(t *testing.T) {
	d, clk := timetable(t)
	tests := []struct {
		name string
		now  time.Time
		want []string
	}{
		// Tuesday 24 November 2026, 10:30: two sessions are running (the
		// one about to end started first), one starts at 10:40, then this
		// evening's, then the last Friday, the 1st Saturday of December.
		{"Tuesday morning", time.Date(2026, 11, 24, 10, 30, 0, 0, directory.London()),
			[]string{"ending", "weekly", "starting", "two", "last-fri", "late", "first-sat", "none"}},
		// Saturday 28 November 2026, 9am: Sunday night first; the last
		// Friday has passed, so it is next month's.
		{"Saturday morning", time.Date(2026, 11, 28, 9, 0, 0, 0, directory.London()),
			[]string{"late", "ending", "weekly", "starting", "two", "first-sat", "last-fri", "none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.t = tt.now
			res := mustSearch(t, d, directory.Query{Sort: directory.SortSoonest, PerPage: 50})
			if got := refsOf(res); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("soonest at %v:\n got %v\nwant %v", tt.now, got, tt.want)
			}
			var last time.Time
			for i, h := range res.Hits {
				if h.Next == nil {
					if h.Listing.Ref != "none" {
						t.Errorf("%s has no next session", h.Listing.Ref)
					}
					continue
				}
				if h.Next.Start.Before(last) {
					t.Errorf("hit %d (%s) starts %v, before the one above it", i, h.Listing.Ref, h.Next.Start)
				}
				last = h.Next.Start
				if !h.Next.End.After(tt.now) {
					t.Errorf("%s: next session %v-%v has already ended", h.Listing.Ref, h.Next.Start, h.Next.End)
				}
			}
			// Paging gives the same order, a page at a time.
			var paged []string
			for page := 1; page <= 3; page++ {
				paged = append(paged, refsOf(mustSearch(t, d, directory.Query{Sort: directory.SortSoonest, Page: page, PerPage: 3}))...)
			}
			if !reflect.DeepEqual(paged, tt.want) {
				t.Errorf("soonest, three at a time: %v; want %v", paged, tt.want)
			}
		})
	}
}
