package directory_test

import (
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// TestWindowWithSeveralSessions checks that the time-window filter looks at
// every session of a listing, whichever the index happens to hold first.
func TestWindowWithSeveralSessions(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d := openFilterTestDir(t, &now)
	mustApply(t, d, directory.Change{Put: []*directory.Listing{
		filterListing("early-first", "Mon 07:00-08:00; Thu 10:00-11:00; Sat 20:00-22:00", 0, 0, "walking-groups"),
		filterListing("late-first", "Sun 21:00-23:00; Fri 09:30-10:30", 0, 0, "walking-groups"),
		filterListing("many", "Mon 06:00-07:00; Tue 06:00-07:00; Wed 06:00-07:00; Thu 06:00-07:00; Fri 06:00-07:00; Sat 11:00-11:30", 0, 0, "walking-groups"),
		filterListing("never", "Mon 07:00-08:00; Sun 21:00-23:00", 0, 0, "walking-groups"),
	}})
	tests := []struct {
		name string
		q    directory.Query
		want []string
	}{
		{"9 to 12 on any day", directory.Query{Window: &directory.Window{From: 9 * 60, To: 12 * 60}}, []string{"early-first", "late-first", "many"}},
		{"9 to 12 on Thursday", directory.Query{Days: []time.Weekday{time.Thursday}, Window: &directory.Window{From: 9 * 60, To: 12 * 60}}, []string{"early-first"}},
		{"the evening, any day", directory.Query{Window: &directory.Window{From: 19 * 60, To: 24 * 60}}, []string{"early-first", "late-first", "never"}},
		{"the early morning on Saturday", directory.Query{Days: []time.Weekday{time.Saturday}, Window: &directory.Window{From: 5 * 60, To: 9 * 60}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := searchRefs(t, d, tt.q)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestWindowOnItsBounds gives every listing one session exactly filling
// the window, on some day, and one session outside it, in every order the
// index might hold them: each must be found.
func TestWindowOnItsBounds(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d := openFilterTestDir(t, &now)
	days := []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	var ls []*directory.Listing
	for _, other := range days {
		for _, otherTime := range []string{"06:00-07:00", "13:00-14:00", "20:00-21:00"} {
			for _, day := range days {
				ref := other + otherTime + day
				ls = append(ls, filterListing(ref, other+" "+otherTime+"; "+day+" 09:00-12:00", 0, 0, "walking-groups"))
			}
		}
	}
	mustApply(t, d, directory.Change{Put: ls})
	res := mustSearch(t, d, directory.Query{Window: &directory.Window{From: 9 * 60, To: 12 * 60}})
	if res.Total != len(ls) {
		t.Errorf("found %d of %d listings with a session from 9 to 12", res.Total, len(ls))
	}
}
