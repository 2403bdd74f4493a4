package web

import (
	"context"
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// listingView is a listing as its page, its print view and the my-list
// sheet show it: everything a person needs to go, in plain words.
type listingView struct {
	ID, Name, URL, Organisation, Summary string
	Description                          []string
	Status                               directory.Status
	// Closed: temporarily closed; Ended: no longer running.
	Closed, Ended bool
	JoinTitle     string
	JoinText      string
	Sessions      []string
	Next          string
	// ICSURL is the calendar download, when there are sessions.
	ICSURL      string
	Locations   []locationView
	Online      bool
	ServiceArea string
	Cost        string
	Ages        string
	Languages   []string
	Access      []string
	Formats     []string
	Contact     contactView
	Publisher   string
	Checked     string
	Stale       bool
	Categories  []categoryLink
	Badges      []string
	// Postcode is the postcode distances are from, when one was given.
	Postcode string
}

// locationView is one place a listing happens.
type locationView struct {
	Name, Address, Postcode string
	// MapURL links to the place on OpenStreetMap (a plain link: nothing is
	// loaded from there unless the person follows it).
	MapURL   string
	Distance string
}

// contactView holds contact details with links that are safe to use.
type contactView struct {
	Phone    string
	PhoneURL template.URL
	Email    string
	EmailURL string
	Website  string
	OrgSite  string
}

// categoryLink is a category with a link to search it.
type categoryLink struct {
	Label, URL string
}

// newListingView describes l for its page. near, when set, is the point of
// the postcode the person gave, for distances.
func (s *Server) newListingView(ctx context.Context, l *directory.Listing, postcode string, near *directory.LatLon, now time.Time) listingView {
	v := listingView{
		ID: l.ID, Name: l.Name, URL: listingURL(l.ID, ""), Organisation: l.Organisation.Name, Summary: l.Summary,
		Description: paragraphs(l.Description), Status: l.Status,
		Closed: l.Status == directory.StatusTempClosed, Ended: l.Status == directory.StatusInactive,
		Online: l.Online, ServiceArea: l.ServiceArea, Badges: badges(l), Postcode: postcode,
		Stale: l.Stale(now),
	}
	v.JoinTitle, v.JoinText = howToJoin(l.HowToJoin)
	for _, se := range l.Sessions {
		v.Sessions = append(v.Sessions, se.Describe())
	}
	if len(l.Sessions) > 0 {
		v.ICSURL = "/listings/" + url.PathEscape(l.ID) + ".ics"
		if _, start, end, ok := directory.NextSession(l.Sessions, now); ok && l.Status == directory.StatusActive {
			v.Next = occurrenceText(directory.Occurrence{Start: start, End: end}, now)
		}
	}
	for _, loc := range l.Locations {
		lv := locationView{Name: loc.Name, Address: loc.Address, Postcode: loc.Postcode}
		if loc.Point != nil {
			lv.MapURL = osmURL(*loc.Point)
			if near != nil {
				lv.Distance = formatKm(directory.DistanceKm(*near, *loc.Point))
			}
		}
		v.Locations = append(v.Locations, lv)
	}
	v.Cost = costWords(l.Cost)
	v.Ages = ageWords(l.MinAge, l.MaxAge)
	for _, code := range l.Languages {
		v.Languages = append(v.Languages, directory.LanguageName(code))
	}
	for _, a := range l.Accessibility {
		v.Access = append(v.Access, a.Label())
	}
	for _, f := range l.Formats {
		v.Formats = append(v.Formats, f.Label())
	}
	v.Contact = newContactView(l.Contact)
	v.Contact.OrgSite = l.Organisation.Website
	if p, err := s.dir.Partner(ctx, l.PartnerID); err == nil {
		v.Publisher = p.Name
	} else {
		v.Publisher = l.Organisation.Name
	}
	if !l.LastVerified.IsZero() {
		v.Checked = l.LastVerified.In(directory.London()).Format("2 January 2006")
	}
	tax := s.dir.Taxonomy()
	for _, c := range l.Categories {
		if t, ok := tax.Term(c); ok {
			v.Categories = append(v.Categories, categoryLink{Label: t.Label, URL: "/search?category=" + url.QueryEscape(t.Code)})
		}
	}
	return v
}

// paragraphs splits text into paragraphs at blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// howToJoin says how to start going, in plain words.
func howToJoin(j directory.JoinMethod) (title, text string) {
	switch j {
	case directory.JoinDropIn:
		return "Just turn up", "You do not need to book or be sent by anyone. Come along to a session; someone will say hello and show you around."
	case directory.JoinSelfRefer:
		return "Get in touch to join", "You can join yourself: call, email or visit their website using the details below, and they will tell you how to start."
	case directory.JoinReferral:
		return "You need an introduction", "Another service, such as your GP, a link worker or a support worker, needs to introduce you. Ask them, or get in touch with the contacts below to ask how."
	}
	return "Get in touch to find out how to join", "Use the contact details below to ask how to start."
}

// costWords says what a listing costs.
func costWords(c directory.Cost) string {
	switch {
	case c.Free && strings.HasPrefix(strings.ToLower(c.Words), "free"):
		return upperFirst(c.Words)
	case c.Free && c.Words != "":
		return "Free. " + upperFirst(c.Words)
	case c.Free:
		return "Free"
	case c.Words != "":
		return c.Words
	case c.Pence > 0:
		return fmt.Sprintf("£%d.%02d", c.Pence/100, c.Pence%100)
	}
	return "Ask about cost"
}

// ageWords says who may come by age.
func ageWords(minAge, maxAge int) string {
	switch {
	case minAge > 0 && maxAge > 0:
		return fmt.Sprintf("Ages %d to %d", minAge, maxAge)
	case minAge > 0:
		return fmt.Sprintf("Ages %d and over", minAge)
	case maxAge > 0:
		return fmt.Sprintf("Up to age %d", maxAge)
	}
	return "All ages"
}

// osmURL links to a point on OpenStreetMap.
func osmURL(p directory.LatLon) string {
	return fmt.Sprintf("https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=17/%.5f/%.5f", p.Lat, p.Lon, p.Lat, p.Lon)
}

// newContactView makes contact links that are safe: a tel: link only from
// the digits of a phone number, a mailto: link only for a plain address.
func newContactView(c directory.Contact) contactView {
	v := contactView{Phone: c.Phone, Website: c.Website}
	if digits := telDigits(c.Phone); digits != "" {
		v.PhoneURL = template.URL("tel:" + digits)
	}
	if a, err := mail.ParseAddress(c.Email); err == nil && a.Address == strings.TrimSpace(c.Email) {
		v.Email = a.Address
		v.EmailURL = "mailto:" + a.Address
	} else if c.Email != "" {
		v.Email = c.Email
	}
	return v
}

// telDigits returns the number for a tel: link (digits, with a leading +
// kept), or "" when the text does not look like one phone number.
func telDigits(phone string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return ""
		}
	}
	if n := len(strings.TrimPrefix(b.String(), "+")); n < 3 || n > 15 {
		return ""
	}
	return b.String()
}
