package hsds

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// Mapper turns listings into HSDS records using the directory's
// vocabulary: the taxonomy for category terms and the gazetteer for the
// town and authority of an address.
type Mapper struct {
	Taxonomy  *directory.Taxonomy
	Gazetteer *directory.Gazetteer
}

// Organization returns the organization that runs a listing, as its
// partner publishes it. Its description is the partner's when the
// organisation is the partner itself, and otherwise says who lists it;
// partner may be nil.
func (m *Mapper) Organization(l *directory.Listing, partner *directory.Partner) *Organization {
	name := strings.TrimSpace(l.Organisation.Name)
	if name == "" && partner != nil {
		name = partner.Name
	}
	if name == "" {
		name = l.PartnerID
	}
	o := &Organization{ID: OrganizationUUID(l.PartnerID, name), Name: name, Website: l.Organisation.Website, Description: name + "."}
	if partner != nil {
		switch {
		case strings.EqualFold(partner.Name, name) && partner.Description != "":
			o.Description = partner.Description
		case !strings.EqualFold(partner.Name, name):
			o.Description = name + ", listed by " + partner.Name + "."
		}
	}
	return o
}

// statusWords are HSDS's service statuses for the directory's.
var statusWords = map[directory.Status]string{
	directory.StatusActive:     "active",
	directory.StatusTempClosed: "temporarily closed",
	directory.StatusInactive:   "inactive",
}

// Service returns a listing as an HSDS service with everything that
// belongs to it: its locations (each with its address and accessibility,
// and a virtual one when it runs online), schedules, service area, cost,
// contact and phone, languages, and attributes for its categories and the
// details HSDS has no field for. org is its organization (see
// Organization).
func (m *Mapper) Service(l *directory.Listing, org *Organization) *Service {
	id := ListingUUID(KindService, l.ID, 0)
	s := &Service{
		ID: id, OrganizationID: org.ID, Organization: org, Name: l.Name, Description: l.Description,
		URL: l.Contact.Website, Email: l.Contact.Email, Status: statusWords[l.Status],
		ApplicationProcess: l.HowToJoin.Label(), FeesDescription: CostWords(l.Cost), Fees: CostWords(l.Cost),
	}
	if s.Status == "" {
		s.Status = "active"
	}
	if l.MinAge > 0 {
		s.MinimumAge = &l.MinAge
	}
	if l.MaxAge > 0 {
		s.MaximumAge = &l.MaxAge
	}
	if !l.LastVerified.IsZero() {
		s.AssuredDate = l.LastVerified.UTC().Format("2006-01-02")
	}
	if !l.Updated.IsZero() {
		s.LastModified = l.Updated.UTC().Format(time.RFC3339)
	}
	var access []*Accessibility
	for i, a := range l.Accessibility {
		access = append(access, &Accessibility{ID: ListingUUID(KindAccessibility, l.ID, i), Description: a.Label(), Details: string(a)})
	}
	for i, loc := range l.Locations {
		s.ServiceAtLocations = append(s.ServiceAtLocations, m.place(l, i, loc, access))
		access = nil // on the first place only; it is the listing's
	}
	if l.Online {
		s.ServiceAtLocations = append(s.ServiceAtLocations, virtualPlace(l, access))
	}
	for i, sess := range l.Sessions {
		freq, byday, opens, closes := ScheduleOf(sess)
		s.Schedules = append(s.Schedules, &Schedule{ID: ListingUUID(KindSchedule, l.ID, i), ServiceID: id,
			Freq: freq, Interval: 1, ByDay: byday, OpensAt: opens, ClosesAt: closes, Description: sess.Describe()})
	}
	if l.ServiceArea != "" {
		s.ServiceAreas = []*ServiceArea{{ID: ListingUUID(KindServiceArea, l.ID, 0), ServiceID: id, Name: l.ServiceArea, ServiceArea: l.ServiceArea}}
	}
	if c := costOption(l, id); c != nil {
		s.CostOptions = []*CostOption{c}
	}
	if l.Contact.Phone != "" || l.Contact.Email != "" {
		c := &Contact{ID: ListingUUID(KindContact, l.ID, 0), ServiceID: id, Name: org.Name, Email: l.Contact.Email}
		if l.Contact.Phone != "" {
			p := &Phone{ID: ListingUUID(KindPhone, l.ID, 0), ServiceID: id, ContactID: c.ID, Number: l.Contact.Phone, Type: "voice"}
			c.Phones, s.Phones = []*Phone{p}, []*Phone{p}
		}
		s.Contacts = []*Contact{c}
	}
	for i, code := range l.Languages {
		s.Languages = append(s.Languages, &Language{ID: ListingUUID(KindLanguage, l.ID, i), ServiceID: id, Name: directory.LanguageName(code), Code: code})
	}
	s.Attributes = m.attributes(l, id)
	return s
}

// place returns a listing's i'th location with its address (when it has a
// postcode, which HSDS requires of every address) and accessibility.
func (m *Mapper) place(l *directory.Listing, i int, loc directory.Location, access []*Accessibility) *ServiceAtLocation {
	lid := ListingUUID(KindLocation, l.ID, i)
	out := &Location{ID: lid, LocationType: "physical", Name: loc.Name}
	if loc.Point != nil {
		lat, lon := loc.Point.Lat, loc.Point.Lon
		out.Latitude, out.Longitude = &lat, &lon
	}
	if loc.Postcode != "" {
		out.Addresses = []*Address{m.address(l.ID, i, lid, loc)}
	}
	for _, a := range access {
		a.LocationID = lid
	}
	out.Accessibility = access
	return &ServiceAtLocation{ID: ListingUUID(KindServiceAtLocation, l.ID, i), ServiceID: ListingUUID(KindService, l.ID, 0), LocationID: lid, Location: out}
}

// address splits a location's one-line address into HSDS's parts: the
// last comma-separated part is the town ("64 Acre Lane, Brixton, London"
// gives "64 Acre Lane, Brixton" and "London"), and the authority comes
// from the postcode district. An address without a town takes the
// district's first area name; a place with no address text gives its name
// (or postcode) as the first line, which the importer reads back as no
// address.
func (m *Mapper) address(listingID string, i int, locationID string, loc directory.Location) *Address {
	a := &Address{ID: ListingUUID(KindAddress, listingID, i), LocationID: locationID, PostalCode: loc.Postcode, Country: "GB", AddressType: "physical"}
	var district directory.District
	if pc, err := directory.ParsePostcode(loc.Postcode); err == nil && m.Gazetteer != nil {
		district, _ = m.Gazetteer.District(pc.Outward)
	}
	area, _, _ := strings.Cut(district.Area, ",")
	text := strings.TrimSpace(loc.Address)
	if cut := strings.LastIndex(text, ","); cut > 0 && strings.TrimSpace(text[cut+1:]) != "" {
		a.Address1, a.City = strings.TrimSpace(text[:cut]), strings.TrimSpace(text[cut+1:])
	} else {
		a.Address1, a.City = text, strings.TrimSpace(area)
	}
	if a.Address1 == "" {
		a.Address1 = firstNonEmpty(loc.Name, loc.Postcode)
	}
	if a.City == "" {
		a.City = firstNonEmpty(strings.TrimSpace(area), district.Authority, "United Kingdom")
	}
	a.StateProvince = firstNonEmpty(district.Authority, a.City)
	return a
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// virtualPlace is the online location of a listing that runs online.
func virtualPlace(l *directory.Listing, access []*Accessibility) *ServiceAtLocation {
	lid := ListingUUID(KindLocation, l.ID, VirtualIndex)
	for _, a := range access {
		a.LocationID = lid
	}
	return &ServiceAtLocation{
		ID: ListingUUID(KindServiceAtLocation, l.ID, VirtualIndex), ServiceID: ListingUUID(KindService, l.ID, 0), LocationID: lid,
		Location: &Location{ID: lid, LocationType: "virtual", Name: "Online", URL: l.Contact.Website, Accessibility: access},
	}
}

// CostWords says what a listing costs: the partner's words, or "Free", or
// the amount.
func CostWords(c directory.Cost) string {
	switch {
	case c.Words != "":
		return c.Words
	case c.Free:
		return "Free"
	case c.Pence > 0:
		return fmt.Sprintf("£%d.%02d", c.Pence/100, c.Pence%100)
	}
	return ""
}

// costOption writes a listing's cost: the amount in pounds (0 when free)
// and the partner's words.
func costOption(l *directory.Listing, serviceID string) *CostOption {
	c := l.Cost
	if !c.Free && c.Pence == 0 && c.Words == "" {
		return nil
	}
	out := &CostOption{ID: ListingUUID(KindCostOption, l.ID, 0), ServiceID: serviceID, AmountDescription: c.Words}
	if c.Free || c.Pence > 0 {
		pounds := math.Round(float64(c.Pence)) / 100
		out.Amount, out.Currency = &pounds, "GBP"
	}
	return out
}

// attributes links a listing to its categories and carries the details
// HSDS has no field for.
func (m *Mapper) attributes(l *directory.Listing, serviceID string) []*Attribute {
	var out []*Attribute
	add := func(term *TaxonomyTerm, linkType, value string) {
		out = append(out, &Attribute{ID: ListingUUID(KindAttribute, l.ID, len(out)), LinkID: serviceID, TaxonomyTermID: term.ID,
			LinkType: linkType, LinkEntity: "service", Value: value, TaxonomyTerm: term})
	}
	for _, code := range l.Categories {
		add(CategoryTerm(m.Taxonomy, code), "category", "")
	}
	terms := map[Detail]*TaxonomyTerm{}
	for _, t := range DetailTerms() {
		d, _ := DetailOf(t.Code)
		terms[d] = t
	}
	detail := func(d Detail, values ...string) {
		for _, v := range values {
			if v != "" {
				add(terms[d], "detail", v)
			}
		}
	}
	detail(DetailRef, l.Ref)
	detail(DetailSummary, l.Summary)
	for _, st := range l.Stages {
		detail(DetailStage, string(st))
	}
	detail(DetailInterest, l.Interests...)
	detail(DetailStrength, l.Strengths...)
	for _, f := range l.Formats {
		detail(DetailFormat, string(f))
	}
	detail(DetailHowToJoin, string(l.HowToJoin))
	return out
}
