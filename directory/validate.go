package directory

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// Limits on listing fields, so that no upload can make a listing that
// breaks a page or bloats the index.
const (
	MaxNameLen        = 200
	MaxSummaryLen     = 300
	MaxDescriptionLen = 10000
	MaxListItems      = 50
	MaxLocations      = 50
	MaxSessions       = 60
)

// Validate checks a listing before it is stored and returns EINVALID naming
// the first field that is wrong and how to fix it. The importer checks rows
// more kindly before this; Validate is the last line of defence for every
// door into the store.
func (d *Directory) Validate(l *Listing) error {
	bad := func(field, format string, args ...any) error {
		return Errorf(EINVALID, "listing %q, %s: %s", l.Ref, field, fmt.Sprintf(format, args...))
	}
	switch {
	case strings.TrimSpace(l.PartnerID) == "":
		return bad("partner", "every listing needs the partner that publishes it")
	case strings.TrimSpace(l.Ref) == "" || len(l.Ref) > 100:
		return bad("ref", "give the partner's own reference, up to 100 characters")
	case l.ID != ListingID(l.PartnerID, l.Ref):
		return bad("id", "the id must be derived from the partner and reference")
	case strings.TrimSpace(l.Name) == "" || len(l.Name) > MaxNameLen:
		return bad("name", "give a name of 1 to %d characters", MaxNameLen)
	case len(l.Summary) > MaxSummaryLen:
		return bad("summary", "keep it under %d characters", MaxSummaryLen)
	case strings.TrimSpace(l.Description) == "" || len(l.Description) > MaxDescriptionLen:
		return bad("description", "give a description of 1 to %d characters", MaxDescriptionLen)
	case len(l.Categories) == 0:
		return bad("categories", "give at least one category")
	case len(l.Categories) > MaxListItems || len(l.Interests) > MaxListItems || len(l.Strengths) > MaxListItems || len(l.Languages) > MaxListItems:
		return bad("lists", "at most %d items in each list", MaxListItems)
	case len(l.Locations) > MaxLocations:
		return bad("locations", "at most %d locations", MaxLocations)
	case len(l.Sessions) > MaxSessions:
		return bad("sessions", "at most %d sessions", MaxSessions)
	case !l.Online && len(l.Locations) == 0 && strings.TrimSpace(l.ServiceArea) == "":
		// Partner files must give a postcode or say online (the importer's
		// row rules); data from other directories may only name the area
		// a service covers, such as a phone line for a whole borough.
		return bad("location", "give a postcode, say it is online, or name the area it serves")
	case l.MinAge < 0 || l.MaxAge < 0 || l.MinAge > 120 || l.MaxAge > 120 || (l.MaxAge > 0 && l.MaxAge < l.MinAge):
		return bad("ages", "ages are whole years from 0 to 120, the maximum no less than the minimum")
	case l.Cost.Pence < 0 || (l.Cost.Free && l.Cost.Pence != 0):
		return bad("cost", "a free listing has no amount, and an amount cannot be negative")
	case !l.Status.Valid():
		return bad("status", "%q is not active, temporarily closed or inactive", l.Status)
	case l.HowToJoin != "" && !l.HowToJoin.Valid():
		return bad("how to join", "%q is not drop-in, self-refer or referral", l.HowToJoin)
	case l.Contact.Phone == "" && l.Contact.Email == "" && l.Contact.Website == "":
		return bad("contact", "give at least a phone number, an email address or a website")
	}
	if l.Contact.Email != "" {
		if _, err := mail.ParseAddress(l.Contact.Email); err != nil {
			return bad("email", "%q is not an email address", l.Contact.Email)
		}
	}
	for _, u := range []string{l.Contact.Website, l.Organisation.Website} {
		if u == "" {
			continue
		}
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return bad("website", "%q is not a web address starting http:// or https://", u)
		}
	}
	for _, s := range l.Stages {
		if !s.Valid() {
			return bad("stages", "%q is not a journey stage", s)
		}
	}
	for _, a := range l.Accessibility {
		if !a.Valid() {
			return bad("accessibility", "%q is not an accessibility feature we know", a)
		}
	}
	for _, f := range l.Formats {
		if !f.Valid() {
			return bad("format", "%q is not group, one-to-one or drop-in", f)
		}
	}
	for _, s := range l.Sessions {
		if err := s.validate(); err != nil {
			return bad("sessions", "%s", ErrorMessage(err))
		}
	}
	for _, loc := range l.Locations {
		if p := loc.Point; p != nil && (p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180) {
			return bad("location", "latitude %.5f, longitude %.5f is not a point on Earth", p.Lat, p.Lon)
		}
	}
	return nil
}
