package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// listingICS answers /listings/{id}.ics: the listing's sessions as an
// iCalendar file to add to a calendar.
func (s *Server) listingICS(c *gin.Context, id string) {
	l, err := s.dir.Listing(c.Request.Context(), id)
	if err == nil {
		switch {
		case l.Status == directory.StatusInactive:
			err = directory.Errorf(directory.ENOTFOUND, "%s is no longer running, so there are no sessions to add to a calendar", l.Name)
		case len(l.Sessions) == 0:
			err = directory.Errorf(directory.ENOTFOUND, "%s has no regular sessions to add to a calendar - get in touch with them to find out when it happens", l.Name)
		}
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	var buf bytes.Buffer
	if err := writeICS(&buf, l, pageBase(c)+listingURL(l.ID, ""), s.now()); err != nil {
		s.renderError(c, err)
		return
	}
	name := directory.Slug(l.Name)
	if name == "" {
		name = "listing"
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.ics"`)
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}

// pageBase returns the scheme and host the request came to, for absolute
// links in files people download.
func pageBase(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// icsTZ is the Europe/London time zone as iCalendar describes it: BST from
// the last Sunday of March at 01:00 UTC, GMT from the last Sunday of
// October at 01:00 UTC (the rules since 1996).
const icsTZ = "BEGIN:VTIMEZONE\r\n" +
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

// writeICS writes the listing's sessions as an iCalendar (RFC 5545) file:
// one repeating event a session, starting at its next occurrence after
// now, in UK time. pageURL is the listing's page. It returns the first
// write error.
func writeICS(w io.Writer, l *directory.Listing, pageURL string, now time.Time) error {
	var b strings.Builder
	prop := func(name, value string) { b.WriteString(foldICS(name + ":" + value)) }
	text := func(name, value string) { prop(name, escapeICS(value)) }

	prop("BEGIN", "VCALENDAR")
	prop("VERSION", "2.0")
	prop("PRODID", "-//Living Well directory//Listing sessions//EN")
	prop("CALSCALE", "GREGORIAN")
	prop("METHOD", "PUBLISH")
	text("X-WR-CALNAME", l.Name)
	b.WriteString(icsTZ)
	stamp := now.UTC().Format("20060102T150405Z")
	description := icsDescription(l, pageURL)
	location := icsLocation(l)
	for i, se := range l.Sessions {
		start, end, ok := se.Next(now)
		if !ok {
			continue
		}
		prop("BEGIN", "VEVENT")
		prop("UID", fmt.Sprintf("%s-%d@livingwell", l.ID, i+1))
		prop("DTSTAMP", stamp)
		prop("DTSTART;TZID=Europe/London", start.In(directory.London()).Format("20060102T150405"))
		prop("DTEND;TZID=Europe/London", end.In(directory.London()).Format("20060102T150405"))
		prop("RRULE", icsRule(se))
		text("SUMMARY", l.Name)
		if location != "" {
			text("LOCATION", location)
		}
		text("DESCRIPTION", description)
		prop("URL", pageURL)
		if l.Status == directory.StatusTempClosed {
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

var icsDays = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// icsRule is the RRULE of a session: weekly, or monthly on the nth (or
// last) weekday, such as BYDAY=1SA for the 1st Saturday.
func icsRule(se directory.Session) string {
	if se.Week == 0 {
		return "FREQ=WEEKLY;BYDAY=" + icsDays[se.Day]
	}
	return fmt.Sprintf("FREQ=MONTHLY;BYDAY=%d%s", se.Week, icsDays[se.Day])
}

// icsLocation is where the listing happens: its first location, or
// "Online".
func icsLocation(l *directory.Listing) string {
	if len(l.Locations) > 0 {
		loc := l.Locations[0]
		var parts []string
		for _, p := range []string{loc.Name, loc.Address, loc.Postcode} {
			if p = strings.TrimSpace(p); p != "" && !strings.Contains(strings.Join(parts, ", "), p) {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, ", ")
	}
	if l.Online {
		return "Online"
	}
	return ""
}

// icsDescription is the event's notes: what it is, how to join, cost,
// contact and a link back.
func icsDescription(l *directory.Listing, pageURL string) string {
	var parts []string
	if l.Status == directory.StatusTempClosed {
		parts = append(parts, "Temporarily closed at the moment - check with them before you go.")
	}
	if s := firstNonEmpty(l.Summary, oneLine(l.Description, 300)); s != "" {
		parts = append(parts, s)
	}
	title, how := howToJoin(l.HowToJoin)
	parts = append(parts, "How to join: "+title+". "+how)
	parts = append(parts, "Cost: "+costWords(l.Cost))
	var contact []string
	for _, c := range []string{l.Contact.Phone, l.Contact.Email, l.Contact.Website} {
		if c != "" {
			contact = append(contact, c)
		}
	}
	if len(contact) > 0 {
		parts = append(parts, "Contact: "+strings.Join(contact, ", "))
	}
	parts = append(parts, "More: "+pageURL)
	return strings.Join(parts, "\n\n")
}

// escapeICS escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon,
// comma and new lines; other control characters, which TEXT may not hold,
// are dropped.
func escapeICS(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// icsLineOctets is the longest content line RFC 5545 3.1 allows, without
// its line break.
const icsLineOctets = 75

// foldICS ends a content line with CRLF, folding it so that no line is
// longer than 75 octets: each continuation starts with a space. It never
// splits a UTF-8 character.
func foldICS(line string) string {
	var b strings.Builder
	limit := icsLineOctets
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = icsLineOctets - 1 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}
