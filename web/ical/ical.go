// Package ical writes iCalendar files (RFC 5545) of repeating events: the
// sessions of a listing, for people to add to their own calendar. Times are
// UK local times with the Europe/London time zone written out, so every
// calendar program places them right across clock changes.
package ical

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/livingwell/livingwell/directory"
)

// Calendar is a calendar file: a name and its events.
type Calendar struct {
	Name   string
	Events []Event
	// Stamp is when the file was made (DTSTAMP).
	Stamp time.Time
}

// Event is one repeating event.
type Event struct {
	// UID identifies the event across downloads, so that a calendar
	// updates it rather than adding it twice.
	UID string
	// Start and End are the first occurrence; they are written in UK time.
	Start, End time.Time
	// Rule is the RRULE value, such as "FREQ=WEEKLY;BYDAY=TU"; empty for a
	// one-off event.
	Rule        string
	Summary     string
	Location    string
	Description string
	URL         string
	// Tentative marks an event that may not happen (STATUS:TENTATIVE).
	Tentative bool
}

// SessionRule returns the RRULE of a session: weekly on its day, or monthly
// on the nth or last such day ("1st Saturday" is FREQ=MONTHLY;BYDAY=1SA,
// "last Friday" FREQ=MONTHLY;BYDAY=-1FR).
func SessionRule(s directory.Session) string {
	if s.Week == 0 {
		return "FREQ=WEEKLY;BYDAY=" + days[s.Day]
	}
	return fmt.Sprintf("FREQ=MONTHLY;BYDAY=%d%s", s.Week, days[s.Day])
}

var days = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// londonTZ is Europe/London as iCalendar describes it: BST from the last
// Sunday of March at 01:00, GMT from the last Sunday of October at 02:00
// local time (the rules since 1996).
const londonTZ = "BEGIN:VTIMEZONE\r\n" +
	"TZID:Europe/London\r\n" +
	"BEGIN:DAYLIGHT\r\n" +
	"TZOFFSETFROM:+0000\r\n" +
	"TZOFFSETTO:+0100\r\n" +
	"TZNAME:BST\r\n" +
	"DTSTART:19810329T010000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n" +
	"END:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\n" +
	"TZOFFSETFROM:+0100\r\n" +
	"TZOFFSETTO:+0000\r\n" +
	"TZNAME:GMT\r\n" +
	"DTSTART:19961027T020000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n" +
	"END:STANDARD\r\n" +
	"END:VTIMEZONE\r\n"

// Write writes the calendar as an iCalendar file: CRLF line ends, lines
// folded at 75 octets, text escaped. It returns the write error, if any.
func Write(w io.Writer, c Calendar) error {
	var b strings.Builder
	prop := func(name, value string) { b.WriteString(fold(name + ":" + value)) }
	text := func(name, value string) { prop(name, Escape(value)) }
	local := func(t time.Time) string { return t.In(directory.London()).Format("20060102T150405") }

	prop("BEGIN", "VCALENDAR")
	prop("VERSION", "2.0")
	prop("PRODID", "-//Living Well directory//Listing sessions//EN")
	prop("CALSCALE", "GREGORIAN")
	prop("METHOD", "PUBLISH")
	if c.Name != "" {
		text("X-WR-CALNAME", c.Name)
	}
	b.WriteString(londonTZ)
	stamp := c.Stamp.UTC().Format("20060102T150405Z")
	for _, e := range c.Events {
		prop("BEGIN", "VEVENT")
		prop("UID", e.UID)
		prop("DTSTAMP", stamp)
		prop("DTSTART;TZID=Europe/London", local(e.Start))
		prop("DTEND;TZID=Europe/London", local(e.End))
		if e.Rule != "" {
			prop("RRULE", e.Rule)
		}
		text("SUMMARY", e.Summary)
		if e.Location != "" {
			text("LOCATION", e.Location)
		}
		if e.Description != "" {
			text("DESCRIPTION", e.Description)
		}
		if e.URL != "" {
			prop("URL", e.URL)
		}
		if e.Tentative {
			prop("STATUS", "TENTATIVE")
		} else {
			prop("STATUS", "CONFIRMED")
		}
		prop("END", "VEVENT")
	}
	prop("END", "VCALENDAR")
	_, err := io.WriteString(w, b.String())
	return err
}

// Escape escapes a TEXT value (RFC 5545 section 3.3.11): backslash,
// semicolon, comma and line breaks. Other control characters, which TEXT
// may not hold, are dropped.
func Escape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// lineOctets is the longest content line RFC 5545 section 3.1 allows,
// without its line break.
const lineOctets = 75

// fold ends a content line with CRLF, folding it so that no line is longer
// than 75 octets; each continuation starts with a space. It never splits a
// UTF-8 character.
func fold(line string) string {
	var b strings.Builder
	limit := lineOctets
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = lineOctets - 1 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}
