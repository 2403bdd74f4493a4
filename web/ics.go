package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/web/ical"
	"golang.org/x/text/unicode/norm"
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
	if err := ical.Write(&buf, listingCalendar(l, pageBase(c)+listingURL(l.ID, ""), s.now())); err != nil {
		s.renderError(c, fmt.Errorf("write calendar: %w", err))
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+fileName(l.Name)+`.ics"`)
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}

// fileName makes a plain ASCII file name from a listing's name: accents
// dropped ("Café" gives "cafe"), words joined by hyphens.
func fileName(name string) string {
	plain := strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(name))
	if slug := directory.Slug(plain); slug != "" {
		return slug
	}
	return "listing"
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

// listingCalendar describes a listing's sessions as repeating events, each
// starting at its next occurrence after now.
func listingCalendar(l *directory.Listing, pageURL string, now time.Time) ical.Calendar {
	cal := ical.Calendar{Name: l.Name, Stamp: now}
	description := icsDescription(l, pageURL)
	location := icsLocation(l)
	for i, se := range l.Sessions {
		start, end, ok := se.Next(now)
		if !ok {
			continue
		}
		cal.Events = append(cal.Events, ical.Event{
			UID: fmt.Sprintf("%s-%d@livingwell", l.ID, i+1), Start: start, End: end, Rule: ical.SessionRule(se),
			Summary: l.Name, Location: location, Description: description, URL: pageURL,
			Tentative: l.Status == directory.StatusTempClosed,
		})
	}
	return cal
}

// icsLocation is where the listing happens: its first location, or
// "Online".
func icsLocation(l *directory.Listing) string {
	if len(l.Locations) > 0 {
		loc := l.Locations[0]
		var parts []string
		for _, p := range []string{loc.Name, loc.Address, loc.Postcode} {
			if p = strings.TrimSpace(p); p != "" {
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
	parts = append(parts, "How to join: "+title+". "+how, "Cost: "+costWords(l.Cost))
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
