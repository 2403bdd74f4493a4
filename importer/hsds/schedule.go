package hsds

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// rruleDays are the iCalendar day codes, indexed by time.Weekday.
var rruleDays = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// ScheduleOf writes a session as HSDS recurrence fields: a weekly session
// is FREQ=WEEKLY with BYDAY=TU; "1st Saturday" is FREQ=MONTHLY with
// BYDAY=1SA and "last Friday" BYDAY=-1FR. Times are UK local time as
// HH:MM:SS; a session running to midnight closes at 00:00:00.
func ScheduleOf(s directory.Session) (freq, byday, opensAt, closesAt string) {
	freq, byday = "WEEKLY", rruleDays[s.Day]
	if s.Week != 0 {
		freq, byday = "MONTHLY", strconv.Itoa(s.Week)+rruleDays[s.Day]
	}
	return freq, byday, clock(s.Start), clock(s.End % (24 * 60))
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d:00", m/60, m%60) }

// Rule is one HSDS schedule as read from a file: its recurrence fields
// (HSDS 3.0), or the weekday of an HSDS 1.1 regular schedule, with the
// opening times.
type Rule struct {
	Freq, Interval, ByDay, ByMonthDay, ByWeekNo, ByYearDay, Count string
	// Until and ValidTo end the schedule; dates (2006-01-02) or times.
	Until, ValidTo string
	// Weekday is HSDS 1.1's day: 1 (Monday) to 7 (Sunday), or a name.
	Weekday           string
	OpensAt, ClosesAt string
}

// Sessions returns the sessions a rule describes. When the rule says
// something sessions cannot show (every other week, the 15th of the month,
// only some weeks of the year, a schedule that has ended, a session past
// midnight), it returns no sessions and why, in words for the person
// importing the file.
func (r Rule) Sessions(today time.Time) ([]directory.Session, string) {
	for _, end := range []struct{ name, value string }{{"until", r.Until}, {"valid_to", r.ValidTo}} {
		if t, ok := parseDate(end.value); ok && t.Before(today.Truncate(24*time.Hour)) {
			return nil, fmt.Sprintf("it ended on %s (%s)", t.Format("2 January 2006"), end.name)
		}
	}
	for _, f := range []struct{ name, value string }{{"byweekno", r.ByWeekNo}, {"byyearday", r.ByYearDay}, {"count", r.Count}} {
		if strings.TrimSpace(f.value) != "" {
			return nil, fmt.Sprintf("%s=%s limits it to some weeks or times of the year, which the directory cannot show", f.name, f.value)
		}
	}
	start, end, why := openingTimes(r.OpensAt, r.ClosesAt)
	if why != "" {
		return nil, why
	}
	days, weeks, why := r.days()
	if why != "" {
		return nil, why
	}
	var out []directory.Session
	for _, d := range days {
		for _, w := range weeks[d] {
			out = append(out, directory.Session{Day: d, Start: start, End: end, Week: w})
		}
	}
	return out, ""
}

// days reads which days (and which weeks of the month for each) the rule
// covers.
func (r Rule) days() ([]time.Weekday, map[time.Weekday][]int, string) {
	freq := strings.ToUpper(strings.TrimSpace(r.Freq))
	if iv := strings.TrimSpace(r.Interval); iv != "" && iv != "1" && iv != "1.0" {
		return nil, nil, fmt.Sprintf("interval=%s (every %s weeks or months) cannot be shown - sessions are every week, or given weeks of the month", iv, iv)
	}
	weeks := map[time.Weekday][]int{}
	var days []time.Weekday
	add := func(d time.Weekday, w int) {
		if _, seen := weeks[d]; !seen {
			days = append(days, d)
		}
		for _, have := range weeks[d] {
			if have == w {
				return
			}
		}
		weeks[d] = append(weeks[d], w)
	}
	if wd := strings.TrimSpace(r.Weekday); wd != "" && strings.TrimSpace(r.ByDay) == "" {
		d, ok := weekdayOf(wd)
		if !ok {
			return nil, nil, fmt.Sprintf("weekday %q is not a day - use 1 (Monday) to 7 (Sunday) or the day's name", wd)
		}
		add(d, 0)
		return days, weeks, ""
	}
	monthWeek := 0
	if md := strings.TrimSpace(r.ByMonthDay); md != "" {
		if freq != "MONTHLY" || strings.TrimSpace(r.ByDay) == "" {
			return nil, nil, fmt.Sprintf("bymonthday=%s (days of the month) cannot be shown - sessions fall on days of the week", md)
		}
		w, ok := weekOfMonthDays(md)
		if !ok {
			return nil, nil, fmt.Sprintf("bymonthday=%s cannot be shown - only the 1st to 4th week of the month (1-7, 8-14, 15-21, 22-28) can", md)
		}
		monthWeek = w
	}
	switch freq {
	case "DAILY":
		if strings.TrimSpace(r.ByDay) == "" {
			for d := time.Sunday; d <= time.Saturday; d++ {
				add(d, 0)
			}
			return days, weeks, ""
		}
	case "WEEKLY", "MONTHLY", "":
	default:
		return nil, nil, fmt.Sprintf("freq=%s cannot be shown - use WEEKLY or MONTHLY", r.Freq)
	}
	if strings.TrimSpace(r.ByDay) == "" {
		return nil, nil, "it names no day (byday) - give the days, e.g. MO,WE"
	}
	for _, item := range strings.Split(r.ByDay, ",") {
		item = strings.ToUpper(strings.TrimSpace(item))
		if item == "" {
			continue
		}
		code := strings.TrimLeft(item, "+-0123456789")
		d, ok := weekdayOf(code)
		if !ok {
			return nil, nil, fmt.Sprintf("byday %q is not a day - use MO, TU, WE, TH, FR, SA or SU", item)
		}
		w := monthWeek
		if ord := item[:len(item)-len(code)]; ord != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(ord, "+"))
			switch {
			case err != nil:
				return nil, nil, fmt.Sprintf("byday %q is not a day of the month", item)
			case freq != "MONTHLY":
				return nil, nil, fmt.Sprintf("byday %s needs freq=MONTHLY", item)
			case n == -1 || (n >= 1 && n <= 4):
				w = n
			default:
				return nil, nil, fmt.Sprintf("byday %s cannot be shown - only the 1st to 4th or the last such day of the month can", item)
			}
		}
		add(d, w)
	}
	return days, weeks, ""
}

// weekOfMonthDays reads a BYMONTHDAY run that picks one week of the month
// (1-7 is the 1st week, 8-14 the 2nd, ...), the usual way to write "first
// Monday" as BYDAY=MO;BYMONTHDAY=1,2,3,4,5,6,7.
func weekOfMonthDays(s string) (int, bool) {
	var nums []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return 0, false
		}
		nums = append(nums, n)
	}
	if len(nums) != 7 || (nums[0]-1)%7 != 0 || nums[0] > 22 {
		return 0, false
	}
	for i, n := range nums {
		if n != nums[0]+i {
			return 0, false
		}
	}
	return (nums[0]-1)/7 + 1, true
}

func weekdayOf(s string) (time.Weekday, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 7 {
			return 0, false
		}
		return time.Weekday(n % 7), true // 1 Monday ... 7 Sunday
	}
	d, err := directory.ParseDay(s)
	return d, err == nil
}

// openingTimes reads opens_at and closes_at ("10:00", "10:00:00", with or
// without a UTC offset, which is ignored: sessions are UK time).
func openingTimes(opens, closes string) (start, end int, why string) {
	if strings.TrimSpace(opens) == "" || strings.TrimSpace(closes) == "" {
		return 0, 0, "it has no opening time (opens_at and closes_at) - give both, e.g. 10:00 and 12:00"
	}
	start, ok1 := parseTime(opens)
	end, ok2 := parseTime(closes)
	switch {
	case !ok1:
		return 0, 0, fmt.Sprintf("opens_at %q is not a time - write it like 10:00", opens)
	case !ok2:
		return 0, 0, fmt.Sprintf("closes_at %q is not a time - write it like 12:00", closes)
	}
	if end == 0 && start > 0 {
		end = 24 * 60
	}
	if end <= start {
		return 0, 0, fmt.Sprintf("it closes at %s, before it opens at %s - sessions past midnight cannot be shown", strings.TrimSpace(closes), strings.TrimSpace(opens))
	}
	return start, end, ""
}

// parseTime reads HH:MM or HH:MM:SS with an optional Z or ±hh:mm suffix,
// as minutes after midnight (24:00 is allowed).
func parseTime(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "Z+-"); i > 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) || len(parts[1]) != 2 {
		return 0, false
	}
	if len(parts) == 3 {
		if sec, err := strconv.ParseFloat(parts[2], 64); err != nil || sec < 0 || sec >= 60 {
			return 0, false
		}
	}
	return h*60 + m, true
}

// parseDate reads an HSDS date (2006-01-02) or date-time.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ParseDate reads an HSDS date or date-time ("2026-03-02",
// "2026-03-02T10:30:00Z") and reports whether it could.
func ParseDate(s string) (time.Time, bool) { return parseDate(s) }
