package directory

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // sessions are in UK time whatever the host's zone database holds
)

// Session is one regular meeting of a listing: a day of the week, a start
// and end time of day (UK local time), and which weeks of the month it
// happens in.
type Session struct {
	Day time.Weekday
	// Start and End are minutes after midnight; End is after Start and at
	// most 24:00.
	Start, End int
	// Week is 0 for every week, 1 to 4 for the nth such day of the month
	// ("1st Saturday") and -1 for the last one in the month.
	Week int
}

// London returns the UK time zone, in which every session is given.
var London = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("directory: embedded time zone data lacks Europe/London: " + err.Error())
	}
	return loc
})

var dayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
var dayLongNames = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// DayCode returns the lower-case three-letter code of a weekday ("tue"),
// as used in query strings and the index.
func DayCode(d time.Weekday) string { return strings.ToLower(dayNames[d]) }

// DayName returns the full English name of a weekday.
func DayName(d time.Weekday) string { return dayLongNames[d] }

// ParseDay reads a day of the week in any usual English spelling ("tue",
// "Tues", "Tuesday", "tuesdays"). It returns EINVALID for anything else.
func ParseDay(s string) (time.Weekday, error) {
	if d, ok := dayWords[strings.ToLower(strings.TrimSpace(s))]; ok {
		return d, nil
	}
	return 0, Errorf(EINVALID, "%q is not a day of the week - use mon, tue, wed, thu, fri, sat or sun", s)
}

var dayWords = func() map[string]time.Weekday {
	m := map[string]time.Weekday{}
	extra := map[time.Weekday][]string{
		time.Monday:    {"mo"},
		time.Tuesday:   {"tu", "tues"},
		time.Wednesday: {"we", "weds"},
		time.Thursday:  {"th", "thur", "thurs"},
		time.Friday:    {"fr"},
		time.Saturday:  {"sa"},
		time.Sunday:    {"su"},
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		short, long := strings.ToLower(dayNames[d]), strings.ToLower(dayLongNames[d])
		for _, w := range append([]string{short, long, long + "s"}, extra[d]...) {
			m[w] = d
		}
	}
	return m
}()

var weekWords = map[string]int{
	"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3,
	"4th": 4, "fourth": 4, "last": -1,
}

// String formats the session the way partners write it: "Tue 10:00-12:00",
// "1st Sat 11:00-13:00", "Last Fri 19:00-21:00". ParseSessions reads it back.
func (s Session) String() string {
	prefix := ""
	switch {
	case s.Week == -1:
		prefix = "Last "
	case s.Week > 0:
		prefix = ordinal(s.Week) + " "
	}
	return fmt.Sprintf("%s%s %s-%s", prefix, dayNames[s.Day], ClockString(s.Start), ClockString(s.End))
}

// Describe says the session in plain words: "Tuesdays, 10am to 12pm" or
// "1st Saturday of the month, 11am to 1pm".
func (s Session) Describe() string {
	when := dayLongNames[s.Day] + "s"
	switch {
	case s.Week == -1:
		when = "Last " + dayLongNames[s.Day] + " of the month"
	case s.Week > 0:
		when = ordinal(s.Week) + " " + dayLongNames[s.Day] + " of the month"
	}
	return when + ", " + friendlyClock(s.Start) + " to " + friendlyClock(s.End)
}

func ordinal(n int) string {
	switch n {
	case 1:
		return "1st"
	case 2:
		return "2nd"
	case 3:
		return "3rd"
	}
	return strconv.Itoa(n) + "th"
}

// ClockString formats minutes after midnight as "HH:MM".
func ClockString(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func friendlyClock(m int) string {
	h, min := m/60, m%60
	suffix := "am"
	switch {
	case h == 24 || h == 0:
		h, suffix = 12, "am"
		if m == 24*60 {
			return "midnight"
		}
	case h == 12:
		suffix = "pm"
		if min == 0 {
			return "midday"
		}
	case h > 12:
		h, suffix = h-12, "pm"
	}
	if min == 0 {
		return fmt.Sprintf("%d%s", h, suffix)
	}
	return fmt.Sprintf("%d:%02d%s", h, min, suffix)
}

// MarshalJSON writes a session as {"day":"tue","start":"10:00","end":"12:00","week":1}.
func (s Session) MarshalJSON() ([]byte, error) {
	return json.Marshal(sessionJSON{Day: DayCode(s.Day), Start: ClockString(s.Start), End: ClockString(s.End), Week: s.Week, Text: s.Describe()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Session) UnmarshalJSON(b []byte) error {
	var j sessionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	d, err := ParseDay(j.Day)
	if err != nil {
		return err
	}
	start, err := parseClock(j.Start)
	if err != nil {
		return err
	}
	end, err := parseClock(j.End)
	if err != nil {
		return err
	}
	*s = Session{Day: d, Start: start, End: end, Week: j.Week}
	return s.validate()
}

type sessionJSON struct {
	Day   string `json:"day"`
	Start string `json:"start"`
	End   string `json:"end"`
	Week  int    `json:"week,omitempty"`
	Text  string `json:"text,omitempty"`
}

func (s Session) validate() error {
	switch {
	case s.Day < time.Sunday || s.Day > time.Saturday:
		return Errorf(EINVALID, "day %d is not a day of the week", s.Day)
	case s.Start < 0 || s.Start >= 24*60:
		return Errorf(EINVALID, "start time %s is not a time of day", ClockString(s.Start))
	case s.End <= s.Start || s.End > 24*60:
		return Errorf(EINVALID, "%s ends at %s, which is not after it starts - write the end time after the start, e.g. 10:00-12:00", dayNames[s.Day], ClockString(s.End))
	case s.Week < -1 || s.Week > 4:
		return Errorf(EINVALID, "week %d of the month should be 1st, 2nd, 3rd, 4th or last", s.Week)
	}
	return nil
}

// Occurs reports whether the session happens on the calendar date of t
// (read in t's own location).
func (s Session) Occurs(t time.Time) bool {
	if t.Weekday() != s.Day {
		return false
	}
	switch {
	case s.Week == 0:
		return true
	case s.Week == -1:
		return t.AddDate(0, 0, 7).Month() != t.Month()
	default:
		return (t.Day()-1)/7+1 == s.Week
	}
}

// OpenAt reports whether the session is running at t.
func (s Session) OpenAt(t time.Time) bool {
	t = t.In(London())
	m := t.Hour()*60 + t.Minute()
	return s.Occurs(t) && m >= s.Start && m < s.End
}

// Next returns the start and end of the first occurrence of the session that
// has not ended by t, and false if there is none in the next 10 weeks (which
// cannot happen for a valid session).
func (s Session) Next(t time.Time) (start, end time.Time, ok bool) {
	t = t.In(London())
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, London())
	for i := 0; i < 70; i++ {
		d := day.AddDate(0, 0, i)
		if !s.Occurs(d) {
			continue
		}
		st := time.Date(d.Year(), d.Month(), d.Day(), s.Start/60, s.Start%60, 0, 0, London())
		// By the clock on the wall, also on the days the clocks change;
		// time.Date reads 24:00 as the next midnight.
		en := time.Date(d.Year(), d.Month(), d.Day(), s.End/60, s.End%60, 0, 0, London())
		if en.After(t) {
			return st, en, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// NextSession returns the earliest occurrence among sessions that has not
// ended by t, and false when there are no sessions.
func NextSession(sessions []Session, t time.Time) (s Session, start, end time.Time, ok bool) {
	for _, cand := range sessions {
		st, en, found := cand.Next(t)
		if found && (!ok || st.Before(start)) {
			s, start, end, ok = cand, st, en, true
		}
	}
	return s, start, end, ok
}

// OpenAt reports whether any of the sessions is running at t.
func OpenAt(sessions []Session, t time.Time) bool {
	for _, s := range sessions {
		if s.OpenAt(t) {
			return true
		}
	}
	return false
}

// The "open now" index. A session is indexed by the blocks of time it
// covers whole, each the largest that fits where it starts: whole hours
// ("tue-1000h"), half hours ("tue-1030s"), quarter hours ("tue-1015") and
// single minutes ("tue-1041m"), each block starting at a multiple of its
// own length, with "-w1" for the 1st Saturday ("sat-1100h-w1") and "-wl"
// for the last Friday ("fri-1900h-wl"). Every minute of a session is in
// exactly one of its blocks, and the block of each size that holds a
// given minute is known, so "open now" is one term of each size (and
// week) and exact to the minute: a listing open at 10:41 has the hour,
// half hour, quarter or minute holding 10:41 among its blocks.
//
// Sessions mostly start and end on the hour or the half hour, so a
// session is a few terms: "Sat 08:30-10:30" is three (08:30 to 09:00,
// the hour from 09:00, 10:00 to 10:30). Indexed by quarter hours alone it
// was eight, and the quarter-hour terms were more than a tenth of all the
// index's postings: every posting is work for an import.

// slotBlocks are the sizes of block, in minutes, largest first, with the
// mark that ends each one's terms.
var slotBlocks = [...]struct {
	minutes int
	mark    string
}{{60, "h"}, {30, "s"}, {15, ""}, {1, "m"}}

// Slots returns the index terms for the times the session covers (see
// above).
func (s Session) Slots() []string {
	suffix := weekSuffix(s.Week)
	day := DayCode(s.Day)
	var out []string
	for m := s.Start; m < s.End; {
		for _, b := range slotBlocks {
			if m%b.minutes == 0 && m+b.minutes <= s.End {
				out = append(out, slotTerm(day, m, b.mark, suffix))
				m += b.minutes
				break
			}
		}
	}
	return out
}

func weekSuffix(week int) string {
	switch {
	case week == -1:
		return "-wl"
	case week > 0:
		return "-w" + strconv.Itoa(week)
	}
	return ""
}

// slotTerm is the term of the block of time starting at minute m of day.
func slotTerm(day string, m int, mark, suffix string) string {
	b := make([]byte, 0, len(day)+6+len(mark)+len(suffix))
	b = append(append(b, day...), '-', byte('0'+m/600), byte('0'+m/60%10), byte('0'+m%60/10), byte('0'+m%10))
	return string(append(append(b, mark...), suffix...))
}

// SlotTerms returns the index terms that a session open at t would carry:
// any one of them present means "open now", to the minute.
func SlotTerms(t time.Time) []string {
	t = t.In(London())
	day := DayCode(t.Weekday())
	m := t.Hour()*60 + t.Minute()
	suffixes := []string{"", weekSuffix((t.Day()-1)/7 + 1)}
	if t.AddDate(0, 0, 7).Month() != t.Month() {
		suffixes = append(suffixes, weekSuffix(-1))
	}
	var terms []string
	for _, suf := range suffixes {
		for _, b := range slotBlocks {
			terms = append(terms, slotTerm(day, m-m%b.minutes, b.mark, suf))
		}
	}
	return terms
}

// ParseSessions reads sessions as partners write them, separated by ";" or
// new lines: "Tue 10:00-12:00; Thu 18:30-20:00; 1st Sat 11:00-13:00". It is
// forgiving about spelling ("Tuesdays 10am-12pm", "Mon-Fri 9-5", "1st and
// 3rd Wed 2pm to 4pm", "weekdays 09.00–17.00") and returns an EINVALID error
// naming the first part it could not read and how to write it.
func ParseSessions(text string) ([]Session, error) {
	var out []Session
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '\n' || r == '\r' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ss, err := parseSession(part)
		if err != nil {
			return nil, err
		}
		out = append(out, ss...)
	}
	return out, nil
}

func sessionHelp(part, why string) error {
	return Errorf(EINVALID, "could not read %q as a session: %s - write it like \"Tue 10:00-12:00\" or \"1st Sat 11:00-13:00\"", part, why)
}

// sessionPunctuation and timeRangeWords are built once: a replacer is
// safe for concurrent use, and building one for every session of a
// 100,000-row import allocated 650 MB.
var (
	sessionPunctuation = strings.NewReplacer("–", "-", "—", "-", "&", " and ", ",", " ", "/", " ")
	timeRangeWords     = strings.NewReplacer(" to ", "-", " till ", "-", " until ", "-", " ", "")
)

func parseSession(part string) ([]Session, error) {
	if len(part) > 200 {
		return nil, Errorf(EINVALID, "a session of %d characters is too long - write each one like \"Tue 10:00-12:00\"", len(part))
	}
	// Split into the day words and the time range at the first digit that
	// is not part of an ordinal such as "1st".
	norm := sessionPunctuation.Replace(strings.ToLower(part))
	fields := strings.Fields(norm)
	var dayFields, timeFields []string
	for i, f := range fields {
		if startsTime(f) {
			dayFields, timeFields = fields[:i], fields[i:]
			break
		}
	}
	if timeFields == nil {
		return nil, sessionHelp(part, "there is no time")
	}
	for _, f := range timeFields {
		if _, err := ParseDay(f); err == nil {
			return nil, sessionHelp(part, "it looks like more than one session - put ; between them")
		}
	}
	days, weeks, err := parseDaySpec(dayFields)
	if err != nil {
		return nil, sessionHelp(part, err.Error())
	}
	start, end, err := parseTimeRange(strings.Join(timeFields, " "))
	if err != nil {
		return nil, sessionHelp(part, err.Error())
	}
	var out []Session
	for _, d := range days {
		for _, w := range weeks {
			s := Session{Day: d, Start: start, End: end, Week: w}
			if err := s.validate(); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// startsTime reports whether a word of a session is where its time begins:
// a number that is not an ordinal such as "1st", or a named time.
func startsTime(f string) bool {
	if ordinalRE.MatchString(f) {
		return false
	}
	for _, named := range []string{"noon", "midday", "midnight"} {
		if strings.HasPrefix(f, named) {
			return true
		}
	}
	return f[0] >= '0' && f[0] <= '9'
}

// ordinalRE matches "1st", "5th", "22nd": a week of the month, or a
// mistake for one.
var ordinalRE = regexp.MustCompile(`^[0-9]+(st|nd|rd|th)$`)

func parseDaySpec(fields []string) (days []time.Weekday, weeks []int, err error) {
	var rangeFrom = -1
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		switch {
		case f == "and" || f == "every" || f == "each" || f == "on" || f == "of" || f == "the" || f == "month" || f == "in":
			continue
		case f == "weekdays" || f == "weekday":
			days = append(days, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
		case f == "weekends" || f == "weekend":
			days = append(days, time.Saturday, time.Sunday)
		case f == "daily" || f == "day" || f == "everyday":
			days = append(days, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday)
		case f == "to" || f == "-" || f == "until":
			if len(days) == 0 {
				return nil, nil, fmt.Errorf("a range of days needs a first day")
			}
			rangeFrom = int(days[len(days)-1])
		case strings.Contains(f, "-"):
			a, b, _ := strings.Cut(f, "-")
			da, errA := ParseDay(a)
			db, errB := ParseDay(b)
			if errA != nil || errB != nil {
				return nil, nil, fmt.Errorf("%q is not a range of days", f)
			}
			days = append(days, dayRange(da, db)...)
		default:
			if w, ok := weekWords[f]; ok {
				weeks = append(weeks, w)
				continue
			}
			if ordinalRE.MatchString(f) {
				return nil, nil, fmt.Errorf("there is no %s week in a month - use 1st, 2nd, 3rd, 4th or last", f)
			}
			d, err := ParseDay(f)
			if err != nil {
				return nil, nil, fmt.Errorf("%q is not a day of the week", f)
			}
			if rangeFrom >= 0 {
				days = append(days[:len(days)-1], dayRange(time.Weekday(rangeFrom), d)...)
				rangeFrom = -1
				continue
			}
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		return nil, nil, fmt.Errorf("there is no day of the week")
	}
	if len(weeks) == 0 {
		weeks = []int{0}
	}
	return dedupeDays(days), weeks, nil
}

func dayRange(from, to time.Weekday) []time.Weekday {
	var out []time.Weekday
	for d := from; ; d = (d + 1) % 7 {
		out = append(out, d)
		if d == to {
			return out
		}
	}
}

func dedupeDays(days []time.Weekday) []time.Weekday {
	seen := map[time.Weekday]bool{}
	out := days[:0]
	for _, d := range days {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// earliestBareHour is the earliest start a time without am or pm (and
// without a leading zero) is read as in the morning: "7-9" is 7am, "2-4"
// is 2pm to 4pm.
const earliestBareHour = 7 * 60

// parseTimeRange reads "10:00-12:00", "10-12", "10am-12pm", "6-8pm",
// "2-4" (afternoon), "10.30 to 1pm", "09:00 till 17:00".
func parseTimeRange(s string) (start, end int, err error) {
	s = timeRangeWords.Replace(s)
	a, b, ok := strings.Cut(s, "-")
	if !ok || a == "" || b == "" {
		return 0, 0, fmt.Errorf("it needs a start and an end time")
	}
	startMin, startMer, err := readClock(a)
	if err != nil {
		return 0, 0, err
	}
	endMin, endMer, err := readClock(b)
	if err != nil {
		return 0, 0, err
	}
	endMin = applyMeridiem(endMin, endMer)
	if startMer == "" && endMer == "pm" && startMin < 12*60 && startMin+12*60 < endMin {
		startMer = "pm" // "6-8pm"
	}
	startMin = applyMeridiem(startMin, startMer)
	if startMer == "" && endMer == "" && a[0] != '0' && startMin >= 60 && startMin < earliestBareHour {
		startMin += 12 * 60 // "2-4" means 14:00 to 16:00: nobody meets at 2am
	}
	if startMer == "" && endMer == "" && endMin <= startMin && endMin < 12*60 && endMin+12*60 > startMin {
		endMin += 12 * 60 // "10-2" means 10:00 to 14:00
	}
	if endMin == 0 && startMin > 0 {
		endMin = 24 * 60 // "until 00:00" means midnight
	}
	return startMin, endMin, nil
}

func applyMeridiem(m int, mer string) int {
	switch {
	case mer == "pm" && m < 12*60:
		return m + 12*60
	case mer == "am" && m >= 12*60 && m < 13*60:
		return m - 12*60
	}
	return m
}

// readClock reads one time: "10", "10:30", "10.30", "1030", "10am", "10:30pm", "noon", "midday".
func readClock(s string) (minutes int, meridiem string, err error) {
	switch s {
	case "noon", "midday":
		return 12 * 60, "", nil
	case "midnight":
		return 24 * 60, "", nil
	}
	for _, suf := range []string{"am", "pm", "a.m.", "p.m."} {
		if strings.HasSuffix(s, suf) {
			meridiem, s = suf[:1]+"m", strings.TrimSuffix(s, suf)
			break
		}
	}
	var h, m int
	hs, ms, hasMin := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	if !hasMin && len(hs) == 4 {
		hs, ms, hasMin = hs[:2], hs[2:], true
	}
	if h, err = strconv.Atoi(hs); err != nil || len(hs) > 2 {
		return 0, "", fmt.Errorf("%q is not a time", s)
	}
	if hasMin {
		if m, err = strconv.Atoi(ms); err != nil || len(ms) != 2 || m > 59 {
			return 0, "", fmt.Errorf("%q is not a time", s)
		}
	}
	if h > 24 || (meridiem != "" && (h == 0 || h > 12)) || (h == 24 && m != 0) {
		return 0, "", fmt.Errorf("%q is not a time of day", s)
	}
	return h*60 + m, meridiem, nil
}

// parseClock reads "HH:MM" (24 hour, 24:00 allowed).
func parseClock(s string) (int, error) {
	m, mer, err := readClock(s)
	if err != nil || mer != "" {
		return 0, Errorf(EINVALID, "%q is not a time - use 24-hour HH:MM", s)
	}
	return m, nil
}

// FormatSessions writes sessions the way ParseSessions reads them.
func FormatSessions(ss []Session) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.String()
	}
	return strings.Join(parts, "; ")
}
