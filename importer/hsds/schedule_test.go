package hsds_test

import (
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer/hsds"
)

func TestScheduleOfAndBack(t *testing.T) {
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, text := range []string{"Tue 10:00-12:00", "1st Sat 11:00-13:00", "Last Fri 19:00-24:00", "4th Sun 00:00-01:30"} {
		t.Run(text, func(t *testing.T) {
			ss, err := directory.ParseSessions(text)
			if err != nil {
				t.Fatal(err)
			}
			freq, byday, opens, closes := hsds.ScheduleOf(ss[0])
			got, why := hsds.Rule{Freq: freq, Interval: "1", ByDay: byday, OpensAt: opens, ClosesAt: closes}.Sessions(today)
			if why != "" || len(got) != 1 || got[0] != ss[0] {
				t.Errorf("%s %s %s-%s read back as %v (%s)", freq, byday, opens, closes, got, why)
			}
		})
	}
}

func TestRuleSessions(t *testing.T) {
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		rule hsds.Rule
		want string // sessions as partners write them, or the start of why not
	}{
		{"weekly on two days", hsds.Rule{Freq: "WEEKLY", ByDay: "TH,FR", OpensAt: "10:00:00", ClosesAt: "18:00:00"}, "Thu 10:00-18:00; Fri 10:00-18:00"},
		{"times with offsets", hsds.Rule{Freq: "WEEKLY", ByDay: "MO", OpensAt: "09:30Z", ClosesAt: "11:00+01:00"}, "Mon 09:30-11:00"},
		{"monthly ordinals", hsds.Rule{Freq: "MONTHLY", ByDay: "2WE,-1SU", OpensAt: "14:00", ClosesAt: "16:00"}, "2nd Wed 14:00-16:00; Last Sun 14:00-16:00"},
		{"first Monday as a day-of-month run", hsds.Rule{Freq: "MONTHLY", ByDay: "MO", ByMonthDay: "1,2,3,4,5,6,7", OpensAt: "10:00", ClosesAt: "11:00"}, "1st Mon 10:00-11:00"},
		{"daily", hsds.Rule{Freq: "DAILY", OpensAt: "08:00", ClosesAt: "09:00"}, "Sun 08:00-09:00; Mon 08:00-09:00; Tue 08:00-09:00; Wed 08:00-09:00; Thu 08:00-09:00; Fri 08:00-09:00; Sat 08:00-09:00"},
		{"HSDS 1.1 weekday number", hsds.Rule{Weekday: "7", OpensAt: "10:00", ClosesAt: "12:00"}, "Sun 10:00-12:00"},
		{"ORUK 1.0 weekday name", hsds.Rule{Weekday: "Wednesday", OpensAt: "10:00", ClosesAt: "12:00"}, "Wed 10:00-12:00"},
		{"runs to midnight", hsds.Rule{Freq: "WEEKLY", ByDay: "SA", OpensAt: "20:00", ClosesAt: "00:00"}, "Sat 20:00-24:00"},
		{"fortnightly", hsds.Rule{Freq: "WEEKLY", Interval: "2", ByDay: "MO", OpensAt: "10:00", ClosesAt: "11:00"}, "interval=2"},
		{"day of the month", hsds.Rule{Freq: "MONTHLY", ByMonthDay: "15", OpensAt: "10:00", ClosesAt: "11:00"}, "bymonthday=15"},
		{"weekly with days of the month", hsds.Rule{Freq: "WEEKLY", ByDay: "TH", ByMonthDay: "2,3,4", OpensAt: "10:00", ClosesAt: "11:00"}, "bymonthday=2,3,4"},
		{"some weeks of the year", hsds.Rule{Freq: "WEEKLY", ByDay: "TH", ByWeekNo: "41,42", OpensAt: "10:00", ClosesAt: "11:00"}, "byweekno=41,42"},
		{"a fifth week", hsds.Rule{Freq: "MONTHLY", ByDay: "5SA", OpensAt: "10:00", ClosesAt: "11:00"}, "byday 5SA cannot be shown"},
		{"an ordinal in a weekly rule", hsds.Rule{Freq: "WEEKLY", ByDay: "1SA", OpensAt: "10:00", ClosesAt: "11:00"}, "byday 1SA needs freq=MONTHLY"},
		{"yearly", hsds.Rule{Freq: "YEARLY", ByDay: "MO", OpensAt: "10:00", ClosesAt: "11:00"}, "freq=YEARLY"},
		{"ended", hsds.Rule{Freq: "WEEKLY", ByDay: "MO", ValidTo: "2025-12-31", OpensAt: "10:00", ClosesAt: "11:00"}, "it ended on 31 December 2025"},
		{"past midnight", hsds.Rule{Freq: "WEEKLY", ByDay: "FR", OpensAt: "22:00", ClosesAt: "02:00"}, "it closes at 02:00, before it opens"},
		{"no times", hsds.Rule{Freq: "WEEKLY", ByDay: "FR"}, "it has no opening time"},
		{"a bad time", hsds.Rule{Freq: "WEEKLY", ByDay: "FR", OpensAt: "10am", ClosesAt: "11:00"}, "opens_at \"10am\" is not a time"},
		{"no day", hsds.Rule{Freq: "WEEKLY", OpensAt: "10:00", ClosesAt: "11:00"}, "it names no day"},
		{"not a day", hsds.Rule{Freq: "WEEKLY", ByDay: "XX", OpensAt: "10:00", ClosesAt: "11:00"}, "byday \"XX\" is not a day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := tt.rule.Sessions(today)
			text := directory.FormatSessions(got)
			if why != "" {
				text = why
			}
			if !strings.HasPrefix(text, tt.want) {
				t.Errorf("got %q, want %q", text, tt.want)
			}
		})
	}
}

func TestListingUUIDs(t *testing.T) {
	id := directory.ListingID("partner", "REF-1")
	seen := map[string]bool{}
	for _, kind := range []hsds.Kind{hsds.KindService, hsds.KindLocation, hsds.KindSchedule, hsds.KindAttribute} {
		for _, index := range []int{0, 1, 49, hsds.VirtualIndex} {
			u := hsds.ListingUUID(kind, id, index)
			if !hsds.IsUUID(u) || seen[u] {
				t.Fatalf("%s is not a UUID or repeats", u)
			}
			seen[u] = true
			k, lid, i, ok := hsds.ParseListingUUID(u)
			if !ok || k != kind || lid != id || i != index {
				t.Errorf("%s read back as %v %s %d %v", u, k, lid, i, ok)
			}
			if u != hsds.ListingUUID(kind, id, index) {
				t.Error("the same record got another id")
			}
		}
	}
	u := hsds.ListingUUID(hsds.KindService, id, 0)
	tampered := u[:35] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", u[35])+1)%16])
	if _, _, _, ok := hsds.ParseListingUUID(tampered); ok {
		t.Errorf("%s was accepted though its check does not match", tampered)
	}
	for _, s := range []string{"", "not-a-uuid", hsds.NameUUID("x"), hsds.TermUUID("food")} {
		if _, _, _, ok := hsds.ParseListingUUID(s); ok {
			t.Errorf("%q was read as a listing id", s)
		}
	}
}
