package directory_test

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// sess is a short way to write a session: day, "HH:MM" start and end, week.
func sess(day time.Weekday, start, end string, week int) directory.Session {
	minutes := func(s string) int {
		t, err := time.Parse("15:04", s)
		if err != nil {
			if s == "24:00" {
				return 24 * 60
			}
			panic(err)
		}
		return t.Hour()*60 + t.Minute()
	}
	return directory.Session{Day: day, Start: minutes(start), End: minutes(end), Week: week}
}

func weekdays(start, end string) []directory.Session {
	var out []directory.Session
	for d := time.Monday; d <= time.Friday; d++ {
		out = append(out, sess(d, start, end, 0))
	}
	return out
}

func TestParseSessions(t *testing.T) {
	tests := []struct {
		in   string
		want []directory.Session
	}{
		// The forms the doc comment names.
		{"Tue 10:00-12:00; Thu 18:30-20:00; 1st Sat 11:00-13:00", []directory.Session{
			sess(time.Tuesday, "10:00", "12:00", 0), sess(time.Thursday, "18:30", "20:00", 0), sess(time.Saturday, "11:00", "13:00", 1)}},
		{"Tuesdays 10am-12pm", []directory.Session{sess(time.Tuesday, "10:00", "12:00", 0)}},
		{"Mon-Fri 9-5", weekdays("09:00", "17:00")},
		{"1st and 3rd Wed 2pm to 4pm", []directory.Session{sess(time.Wednesday, "14:00", "16:00", 1), sess(time.Wednesday, "14:00", "16:00", 3)}},
		{"weekdays 09.00–17.00", weekdays("09:00", "17:00")},
		{"Last Fri 19:00-21:00", []directory.Session{sess(time.Friday, "19:00", "21:00", -1)}},
		// Times as parseTimeRange and readClock say they read them.
		{"Tue 10-12", []directory.Session{sess(time.Tuesday, "10:00", "12:00", 0)}},
		{"Tue 6-8pm", []directory.Session{sess(time.Tuesday, "18:00", "20:00", 0)}},
		{"Tue 10.30 to 1pm", []directory.Session{sess(time.Tuesday, "10:30", "13:00", 0)}},
		{"Tue 09:00 till 17:00", []directory.Session{sess(time.Tuesday, "09:00", "17:00", 0)}},
		{"Tue 1030-1130", []directory.Session{sess(time.Tuesday, "10:30", "11:30", 0)}},
		{"Tue 10:30pm-11pm", []directory.Session{sess(time.Tuesday, "22:30", "23:00", 0)}},
		{"Tue noon-2pm", []directory.Session{sess(time.Tuesday, "12:00", "14:00", 0)}},
		{"Sat midday to 4", []directory.Session{sess(time.Saturday, "12:00", "16:00", 0)}},
		{"Sun 22:00-midnight", []directory.Session{sess(time.Sunday, "22:00", "24:00", 0)}},
		{"Sun 22:00-00:00", []directory.Session{sess(time.Sunday, "22:00", "24:00", 0)}},
		{"Tue 10-2", []directory.Session{sess(time.Tuesday, "10:00", "14:00", 0)}},
		{"Thu 2-4", []directory.Session{sess(time.Thursday, "14:00", "16:00", 0)}},
		{"Thu 6-8", []directory.Session{sess(time.Thursday, "18:00", "20:00", 0)}},
		{"Thu 7-9", []directory.Session{sess(time.Thursday, "07:00", "09:00", 0)}},
		{"Thu 02:00-04:00", []directory.Session{sess(time.Thursday, "02:00", "04:00", 0)}},
		// Days as partners write them.
		{"Mon to Wed 10-12", []directory.Session{sess(time.Monday, "10:00", "12:00", 0), sess(time.Tuesday, "10:00", "12:00", 0), sess(time.Wednesday, "10:00", "12:00", 0)}},
		{"mon, wed & fri 10-11", []directory.Session{sess(time.Monday, "10:00", "11:00", 0), sess(time.Wednesday, "10:00", "11:00", 0), sess(time.Friday, "10:00", "11:00", 0)}},
		{"every Tuesday 10-12", []directory.Session{sess(time.Tuesday, "10:00", "12:00", 0)}},
		{"2nd & 4th Thursday of the month 7pm-9pm", []directory.Session{sess(time.Thursday, "19:00", "21:00", 2), sess(time.Thursday, "19:00", "21:00", 4)}},
		{"last Saturday of the month 10-1", []directory.Session{sess(time.Saturday, "10:00", "13:00", -1)}},
		{"weekends 10-4", []directory.Session{sess(time.Saturday, "10:00", "16:00", 0), sess(time.Sunday, "10:00", "16:00", 0)}},
		{"Fri-Mon 9-10", []directory.Session{sess(time.Friday, "09:00", "10:00", 0), sess(time.Saturday, "09:00", "10:00", 0), sess(time.Sunday, "09:00", "10:00", 0), sess(time.Monday, "09:00", "10:00", 0)}},
		{"Tue 10-12\nThu 2-4\r\n", []directory.Session{sess(time.Tuesday, "10:00", "12:00", 0), sess(time.Thursday, "14:00", "16:00", 0)}},
		{"", nil},
		{" ; ;\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := directory.ParseSessions(tt.in)
			if err != nil {
				t.Fatalf("ParseSessions(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseSessions(%q) = %s; want %s", tt.in, directory.FormatSessions(got), directory.FormatSessions(tt.want))
			}
		})
	}
}

func TestParseSessionsErrors(t *testing.T) {
	tests := []struct {
		in   string
		says []string // what the message must mention
	}{
		{"Tue", []string{`"Tue"`, "no time", "Tue 10:00-12:00"}},
		{"10-12", []string{"no day of the week"}},
		{"Funday 10-12", []string{`"funday" is not a day of the week`}},
		{"Tue 10", []string{"start and an end"}},
		{"Tue 10-", []string{"start and an end"}},
		{"Tue 25:00-26:00", []string{`"25:00" is not a time of day`}},
		{"Tue 10:60-11", []string{`"10:60" is not a time`}},
		{"Tue 13pm-2pm", []string{`"13" is not a time of day`}},
		{"Tue 18:00-17:00", []string{"not after it starts", "17:00"}},
		{"Tue 10am-2", []string{"not after it starts"}},
		{"5th Sat 10-12", []string{"no 5th week"}},
		{"Tue 10:00-12:00 and Thu 14:00-16:00", []string{"more than one session", ";"}},
		{"Tue 10-12; Wed", []string{`"Wed"`, "no time"}},
		{"Tue " + strings.Repeat("1", 300), []string{"too long"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := directory.ParseSessions(tt.in)
			if err == nil {
				t.Fatalf("ParseSessions(%q) = %s; want an error", tt.in, directory.FormatSessions(got))
			}
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("error code %q; want %q", directory.ErrorCode(err), directory.EINVALID)
			}
			msg := directory.ErrorMessage(err)
			for _, s := range tt.says {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q does not mention %q", msg, s)
				}
			}
		})
	}
}

func TestSessionStringAndDescribe(t *testing.T) {
	tests := []struct {
		s              directory.Session
		str, describes string
	}{
		{sess(time.Tuesday, "10:00", "12:00", 0), "Tue 10:00-12:00", "Tuesdays, 10am to midday"},
		{sess(time.Saturday, "11:00", "13:30", 1), "1st Sat 11:00-13:30", "1st Saturday of the month, 11am to 1:30pm"},
		{sess(time.Friday, "19:00", "21:00", -1), "Last Fri 19:00-21:00", "Last Friday of the month, 7pm to 9pm"},
		{sess(time.Sunday, "22:00", "24:00", 0), "Sun 22:00-24:00", "Sundays, 10pm to midnight"},
		{sess(time.Monday, "00:00", "00:30", 4), "4th Mon 00:00-00:30", "4th Monday of the month, 12am to 12:30am"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.str {
			t.Errorf("String() = %q; want %q", got, tt.str)
		}
		if got := tt.s.Describe(); got != tt.describes {
			t.Errorf("Describe() = %q; want %q", got, tt.describes)
		}
	}
}

func TestSessionNext(t *testing.T) {
	london := directory.London()
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, london) }
	// November 2026 starts on a Sunday: Saturday the 7th is the first
	// Saturday, Friday the 27th the last Friday.
	tests := []struct {
		name       string
		s          directory.Session
		now        time.Time
		start, end time.Time
		openNow    bool
	}{
		{"weekly, later this week", sess(time.Thursday, "18:30", "20:00", 0), at(2026, 11, 24, 10, 30), at(2026, 11, 26, 18, 30), at(2026, 11, 26, 20, 0), false},
		{"weekly, running now", sess(time.Tuesday, "10:00", "12:00", 0), at(2026, 11, 24, 10, 30), at(2026, 11, 24, 10, 0), at(2026, 11, 24, 12, 0), true},
		{"weekly, about to end", sess(time.Tuesday, "09:00", "10:31", 0), at(2026, 11, 24, 10, 30), at(2026, 11, 24, 9, 0), at(2026, 11, 24, 10, 31), true},
		{"weekly, just ended", sess(time.Tuesday, "09:00", "10:30", 0), at(2026, 11, 24, 10, 30), at(2026, 12, 1, 9, 0), at(2026, 12, 1, 10, 30), false},
		{"1st Sat, this month's gone", sess(time.Saturday, "11:00", "13:00", 1), at(2026, 11, 24, 10, 30), at(2026, 12, 5, 11, 0), at(2026, 12, 5, 13, 0), false},
		{"1st Sat, on the day", sess(time.Saturday, "11:00", "13:00", 1), at(2026, 11, 7, 12, 0), at(2026, 11, 7, 11, 0), at(2026, 11, 7, 13, 0), true},
		{"1st Sat, not the 2nd", sess(time.Saturday, "11:00", "13:00", 1), at(2026, 11, 14, 12, 0), at(2026, 12, 5, 11, 0), at(2026, 12, 5, 13, 0), false},
		{"Last Fri", sess(time.Friday, "19:00", "21:00", -1), at(2026, 11, 24, 10, 30), at(2026, 11, 27, 19, 0), at(2026, 11, 27, 21, 0), false},
		{"Last Fri, not the 4th of five", sess(time.Friday, "19:00", "21:00", -1), at(2027, 1, 22, 20, 0), at(2027, 1, 29, 19, 0), at(2027, 1, 29, 21, 0), false},
		{"until midnight", sess(time.Sunday, "22:00", "24:00", 0), at(2026, 11, 22, 23, 59), at(2026, 11, 22, 22, 0), at(2026, 11, 23, 0, 0), true},
		// The clocks go back at 2am on Sunday 25 October 2026: the session
		// still ends at midday by the clock.
		{"the day the clocks go back", sess(time.Sunday, "10:00", "12:00", 0), at(2026, 10, 25, 9, 0), at(2026, 10, 25, 10, 0), at(2026, 10, 25, 12, 0), false},
		{"the day the clocks go forward", sess(time.Sunday, "10:00", "12:00", 0), at(2026, 3, 29, 11, 0), at(2026, 3, 29, 10, 0), at(2026, 3, 29, 12, 0), true},
		{"asked in UTC", sess(time.Tuesday, "10:00", "12:00", 0), time.Date(2026, 6, 2, 8, 30, 0, 0, time.UTC), at(2026, 6, 2, 10, 0), at(2026, 6, 2, 12, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end, ok := tt.s.Next(tt.now)
			if !ok || !start.Equal(tt.start) || !end.Equal(tt.end) {
				t.Errorf("%s Next(%v) = %v to %v (%v); want %v to %v", tt.s, tt.now, start, end, ok, tt.start, tt.end)
			}
			if got := tt.s.OpenAt(tt.now); got != tt.openNow {
				t.Errorf("%s OpenAt(%v) = %v; want %v", tt.s, tt.now, got, tt.openNow)
			}
		})
	}
}

func TestNextSessionPicksEarliest(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, directory.London())
	ss := []directory.Session{sess(time.Saturday, "11:00", "13:00", 1), sess(time.Friday, "19:00", "21:00", -1), sess(time.Wednesday, "09:00", "10:00", 0)}
	s, start, _, ok := directory.NextSession(ss, now)
	if !ok || s != ss[2] || !start.Equal(time.Date(2026, 11, 25, 9, 0, 0, 0, directory.London())) {
		t.Errorf("NextSession = %s at %v; want Wed 09:00 tomorrow", s, start)
	}
	if _, _, _, ok := directory.NextSession(nil, now); ok {
		t.Error("NextSession of no sessions reports one")
	}
}

// FuzzParseSessions checks that no input makes the parser panic and that
// whatever it reads, written back with FormatSessions, reads back the same.
// The seed corpus is in testdata/fuzz/FuzzParseSessions.
func FuzzParseSessions(f *testing.F) {
	f.Fuzz(func(t *testing.T, in string) {
		ss, err := directory.ParseSessions(in)
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID || directory.ErrorMessage(err) == "" {
				t.Fatalf("ParseSessions(%q) error %v is not EINVALID with a message", in, err)
			}
			return
		}
		text := directory.FormatSessions(ss)
		again, err := directory.ParseSessions(text)
		if err != nil {
			t.Fatalf("ParseSessions(%q) = %q, which does not read back: %v", in, text, err)
		}
		if !reflect.DeepEqual(again, ss) {
			t.Fatalf("ParseSessions(%q) = %q, which reads back as %q", in, text, directory.FormatSessions(again))
		}
	})
}

// TestSlotsAreOpenAt checks the "open now" index against the sessions
// themselves: for sessions of every shape and times through a year, a
// session has one of the terms SlotTerms gives for a time exactly when it
// is open then; every minute it covers is in one of its blocks only; and
// a session on the hour or the half hour is a few terms.
func TestSlotsAreOpenAt(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, directory.London())
	for i := range 3000 {
		s := directory.Session{Day: time.Weekday(r.IntN(7)), Start: r.IntN(24 * 60), Week: r.IntN(7) - 2}
		if s.Week < -1 {
			s.Week = 0
		}
		switch i % 3 {
		case 0: // on the hour or the half hour
			s.Start -= s.Start % 30
			s.End = min(24*60, s.Start+30*(1+r.IntN(8)))
		default:
			s.End = min(24*60, s.Start+1+r.IntN(6*60))
		}
		slots := s.Slots()
		held := map[string]bool{}
		for _, term := range slots {
			if held[term] {
				t.Fatalf("%+v: term %s twice", s, term)
			}
			held[term] = true
		}
		if i%3 == 0 && len(slots) > 2+(s.End-s.Start)/60 {
			t.Errorf("%+v (on the half hour): %d terms %v", s, len(slots), slots)
		}
		for range 40 {
			at := start.Add(time.Duration(r.IntN(365*24*60)) * time.Minute)
			if r.IntN(2) == 0 {
				// Near the session's own start or end.
				day := at.AddDate(0, 0, int(s.Day)-int(at.Weekday()))
				at = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, directory.London()).
					Add(time.Duration([]int{s.Start, s.End}[r.IntN(2)]+r.IntN(5)-2) * time.Minute)
			}
			matches := 0
			for _, term := range directory.SlotTerms(at) {
				if held[term] {
					matches++
				}
			}
			open := s.OpenAt(at)
			if (matches > 0) != open || matches > 1 {
				t.Fatalf("%+v at %v: %d of its terms %v among %v; open %v", s, at, matches, slots, directory.SlotTerms(at), open)
			}
		}
	}
}
