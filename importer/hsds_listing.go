package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer/hsds"
)

// hsdsBuilder turns the services of a datapackage into a partner's
// listings: one listing per service, its reference the service's id (or
// the reference a Living Well export carries), so importing the same
// package again updates the same listings.
type hsdsBuilder struct {
	x        *hsdsIndex
	partner  *directory.Partner
	tax      *directory.Taxonomy
	gaz      *directory.Gazetteer
	today    time.Time
	existing map[string]*directory.Listing // the partner's listings by id
	validate func(*directory.Listing) error
}

// svc is the service being read, for naming its problems.
type svc struct {
	b    *hsdsBuilder
	pr   *parsedRow
	id   string
	name string
	// salIDs and locationIDs are the service's service_at_location and
	// location ids, once places has read them.
	salIDs, locationIDs []string
}

// problemAt records a problem with a row of a table; problems with the
// service's own row carry its row number, others name their table too.
func (s *svc) problemAt(warning bool, table string, row int, col, format string, args ...any) {
	t := s.b.x.table(table)
	file := table + ".csv"
	if t != nil {
		file = t.file
	}
	msg := fmt.Sprintf(format, args...)
	if table != "service" {
		msg = fmt.Sprintf("for service %q: %s", s.name, msg)
	}
	s.pr.problems = append(s.pr.problems, Problem{Row: row, Column: col + " (" + file + ")", Message: msg, Warning: warning})
}

func (s *svc) warn(table string, row int, col, format string, args ...any) {
	s.problemAt(true, table, row, col, format, args...)
}

func (s *svc) fail(table string, row int, col, format string, args ...any) {
	s.problemAt(false, table, row, col, format, args...)
}

// build reads one service row into a listing, with its problems; the
// listing is nil when the service cannot be used.
func (b *hsdsBuilder) build(r hsdsRow) *parsedRow {
	x := b.x
	get := func(col string) string { return x.get("service", r, col) }
	pr := &parsedRow{row: r.line}
	s := &svc{b: b, pr: pr, id: get("id"), name: get("name")}
	if s.name == "" {
		s.name = s.id
	}
	l := &directory.Listing{PartnerID: b.partner.ID, Status: directory.StatusActive}
	if s.id == "" {
		s.fail("service", r.line, "id", "the service has no id - give every service an id (a UUID) and keep it the same in every export")
		return pr
	}
	details := b.details(s)
	l.Ref = b.ref(s, details)
	pr.ref = l.Ref
	l.ID = directory.ListingID(b.partner.ID, l.Ref)
	l.Name = get("name")
	pr.name = l.Name
	switch n := utf8.RuneCountInString(l.Name); {
	case n == 0:
		s.fail("service", r.line, "name", "the service has no name - give it one")
	case n > directory.MaxNameLen:
		s.fail("service", r.line, "name", "the name is %d characters - keep it under %d", n, directory.MaxNameLen)
	}
	l.Description = firstNonEmpty(get("description"), get("alternate_name"))
	if l.Description == "" {
		l.Description = l.Name
		s.warn("service", r.line, "description", "the service has no description, so its name is used - add a description of what it is and who it is for")
	}
	if n := utf8.RuneCountInString(l.Description); n > directory.MaxDescriptionLen {
		s.fail("service", r.line, "description", "the description is %d characters - keep it under %d", n, directory.MaxDescriptionLen)
	}
	l.Summary = firstSentence(l.Description, 140)
	if v := details[hsds.DetailSummary]; len(v) > 0 && utf8.RuneCountInString(v[0]) <= directory.MaxSummaryLen {
		l.Summary = v[0]
	}
	b.status(s, r, l)
	b.organisation(s, r, l)
	b.categories(s, r, l)
	b.applyDetails(s, r, l, details)
	b.places(s, l)
	b.schedules(s, l)
	b.serviceArea(s, l)
	b.cost(s, r, l)
	b.ages(s, r, l)
	b.contact(s, r, l)
	b.languages(s, l)
	b.verified(s, r, l)
	if pr.hasErrors() {
		return pr
	}
	if err := b.validate(l); err != nil {
		s.fail("service", r.line, "", "%s", directory.ErrorMessage(err))
		return pr
	}
	pr.listing = l
	return pr
}

// ref is the listing's reference: the partner's reference a Living Well
// export carries; or, for a service this directory exported (its id names
// one of the partner's listings), that listing's; or the service's id.
func (b *hsdsBuilder) ref(s *svc, details map[hsds.Detail][]string) string {
	if v := details[hsds.DetailRef]; len(v) > 0 && utf8.RuneCountInString(v[0]) <= 100 {
		return v[0]
	}
	if kind, listingID, _, ok := hsds.ParseListingUUID(s.id); ok && kind == hsds.KindService {
		if l, mine := b.existing[listingID]; mine {
			return l.Ref
		}
	}
	if utf8.RuneCountInString(s.id) > 100 {
		s.fail("service", s.pr.row, "id", "the id is longer than 100 characters - use a UUID")
	}
	return s.id
}

var hsdsStatuses = map[string]directory.Status{
	"active": directory.StatusActive, "": directory.StatusActive,
	"inactive": directory.StatusInactive, "defunct": directory.StatusInactive,
	"temporarily closed": directory.StatusTempClosed, "temporarily_closed": directory.StatusTempClosed, "temporarily-closed": directory.StatusTempClosed,
}

func (b *hsdsBuilder) status(s *svc, r hsdsRow, l *directory.Listing) {
	v := b.x.get("service", r, "status")
	st, ok := hsdsStatuses[strings.ToLower(v)]
	if !ok {
		s.fail("service", r.line, "status", "%q is not an HSDS status - use active, inactive, defunct or temporarily closed", v)
		return
	}
	l.Status = st
}

// organisation names who runs the listing from the organizations table,
// or the partner when the service names none.
func (b *hsdsBuilder) organisation(s *svc, r hsdsRow, l *directory.Listing) {
	l.Organisation = directory.Organisation{Name: b.partner.Name, Website: b.partner.Website}
	id := b.x.get("service", r, "organization_id")
	if id == "" {
		return
	}
	org, ok := b.x.byID("organization", id)
	if !ok {
		s.warn("service", r.line, "organization_id", "organization %s is not in the organizations table, so the partner's name is used", id)
		return
	}
	name := b.x.get("organization", org, "name")
	if name == "" {
		return
	}
	l.Organisation = directory.Organisation{Name: name}
	if w := firstNonEmpty(b.x.get("organization", org, "website"), b.x.get("organization", org, "url")); w != "" {
		if site, err := parseWebsite(w); err == nil {
			l.Organisation.Website = site
		} else {
			s.warn("organization", org.line, "website", "%v; it is left out", err)
		}
	}
}

// termOf describes a taxonomy term row: its code, its name and whether it
// is one of the Living Well listing details.
func (b *hsdsBuilder) termOf(id string) (code, name string, ok bool) {
	t, found := b.x.byID("taxonomy_term", id)
	if !found {
		return "", "", false
	}
	get := func(col string) string { return b.x.get("taxonomy_term", t, col) }
	return firstNonEmpty(get("code"), get("term")), get("name"), true
}

// serviceAttributes returns the attribute rows that link to the service.
func (b *hsdsBuilder) serviceAttributes(s *svc) []hsdsRow {
	var out []hsdsRow
	for _, a := range b.x.where("attribute", "link_id", s.id) {
		switch strings.ToLower(b.x.get("attribute", a, "link_entity")) {
		case "", "service", "services":
			out = append(out, a)
		}
	}
	return out
}

// details reads the Living Well listing details a Living Well export
// carries as attribute values.
func (b *hsdsBuilder) details(s *svc) map[hsds.Detail][]string {
	out := map[hsds.Detail][]string{}
	for _, a := range b.serviceAttributes(s) {
		code, _, ok := b.termOf(b.x.get("attribute", a, "taxonomy_term_id"))
		if !ok {
			continue
		}
		if d, isDetail := hsds.DetailOf(code); isDetail {
			if v := b.x.get("attribute", a, "value"); v != "" {
				out[d] = append(out[d], v)
			}
		}
	}
	return out
}

// maxCategoryLen bounds a category kept from imported data.
const maxCategoryLen = 100

// categories files the listing under the service's taxonomy terms: Living
// Well terms by code or label, others kept as they are named. A service
// with none is filed by its name when that names a Living Well category,
// and otherwise under "uncategorised", with a warning either way.
func (b *hsdsBuilder) categories(s *svc, r hsdsRow, l *directory.Listing) {
	type link struct {
		table  string
		line   int
		termID string
	}
	var links []link
	for _, a := range b.serviceAttributes(s) {
		links = append(links, link{"attribute", a.line, b.x.get("attribute", a, "taxonomy_term_id")})
	}
	for _, st := range b.x.where("service_taxonomy", "service_id", s.id) {
		links = append(links, link{"service_taxonomy", st.line, b.x.get("service_taxonomy", st, "taxonomy_id")})
	}
	for _, id := range strings.Split(b.x.get("service", r, "taxonomy_ids"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			links = append(links, link{"service", r.line, id})
		}
	}
	add := func(code string) {
		if !slices.Contains(l.Categories, code) {
			l.Categories = append(l.Categories, code)
		}
	}
	for _, lk := range links {
		code, name, ok := b.termOf(lk.termID)
		if !ok {
			s.warn(lk.table, lk.line, "taxonomy_term_id", "term %s is not in the taxonomy terms table, so it is left out", lk.termID)
			continue
		}
		if _, isDetail := hsds.DetailOf(code); isDetail {
			continue
		}
		if t, ours := b.tax.Term(code); ours {
			add(t.Code)
			continue
		}
		if t, ours := b.tax.Resolve(name); ours && name != "" {
			add(t.Code)
			continue
		}
		keep := firstNonEmpty(name, code)
		if utf8.RuneCountInString(keep) > maxCategoryLen {
			s.warn(lk.table, lk.line, "taxonomy_term_id", "the term %q is over %d characters, so it is left out", keep[:40]+"...", maxCategoryLen)
			continue
		}
		add(keep)
	}
	if len(l.Categories) > directory.MaxListItems {
		s.warn("service", r.line, "attributes", "the service has %d categories; the first %d are kept", len(l.Categories), directory.MaxListItems)
		l.Categories = l.Categories[:directory.MaxListItems]
	}
	if len(l.Categories) > 0 {
		return
	}
	if t, ok := categoryFromName(b.tax, l.Name); ok {
		l.Categories = []string{t.Code}
		s.warn("service", r.line, "attributes", "no taxonomy term links to this service, so it is filed under %q from its name - check it, or link it to a term", t.Label)
		return
	}
	l.Categories = []string{"uncategorised"}
	s.warn("service", r.line, "attributes", "no taxonomy term links to this service, so it is filed under \"uncategorised\" - link it to a term so people can find it")
}

// categoryFromName finds the Living Well category whose label the name
// contains as whole words, the longest first ("Community Counselling" is
// Counselling).
func categoryFromName(tax *directory.Taxonomy, name string) (directory.Term, bool) {
	words := " " + strings.Join(strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'')
	}), " ") + " "
	var best directory.Term
	for _, t := range tax.Terms() {
		label := strings.ToLower(t.Label)
		if strings.ContainsAny(label, ",&()") {
			continue
		}
		if strings.Contains(words, " "+label+" ") && len(label) > len(best.Label) {
			best = t
		}
	}
	return best, best.Code != ""
}

// applyDetails sets what only a Living Well export carries: journey
// stages, interests, strengths, formats and how to join. Without stages,
// they come from the categories.
func (b *hsdsBuilder) applyDetails(s *svc, r hsdsRow, l *directory.Listing, details map[hsds.Detail][]string) {
	for _, v := range details[hsds.DetailStage] {
		if st := directory.Stage(v); st.Valid() && !l.HasStage(st) {
			l.Stages = append(l.Stages, st)
		}
	}
	if len(l.Stages) == 0 {
		l.Stages = b.tax.StagesOf(l.Categories)
	}
	l.Interests = dedupe(firstItems(details[hsds.DetailInterest]))
	l.Strengths = dedupe(firstItems(details[hsds.DetailStrength]))
	for _, v := range details[hsds.DetailFormat] {
		if f := directory.Format(v); f.Valid() && !slices.Contains(l.Formats, f) {
			l.Formats = append(l.Formats, f)
		}
	}
	if v := details[hsds.DetailHowToJoin]; len(v) > 0 && directory.JoinMethod(v[0]).Valid() {
		l.HowToJoin = directory.JoinMethod(v[0])
		return
	}
	process := b.x.get("service", r, "application_process")
	for _, j := range directory.JoinMethods {
		if strings.EqualFold(process, j.Label()) {
			l.HowToJoin = j
			return
		}
	}
	if j, err := parseJoin(process); err == nil {
		l.HowToJoin = j
	}
}

func firstItems(v []string) []string {
	if len(v) > directory.MaxListItems {
		return slices.Clone(v[:directory.MaxListItems])
	}
	return slices.Clone(v)
}

// ages reads minimum_age and maximum_age (HSDS 3.0 services, or an ORUK
// 1.0 eligibility row).
func (b *hsdsBuilder) ages(s *svc, r hsdsRow, l *directory.Listing) {
	table, row := "service", r
	if !b.x.table("service").has("minimum_age") && !b.x.table("service").has("maximum_age") {
		rows := b.x.where("eligibility", "service_id", s.id)
		if len(rows) == 0 {
			return
		}
		table, row = "eligibility", rows[0]
	}
	read := func(col string) int {
		v := b.x.get(table, row, col)
		if v == "" {
			return 0
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > 120 || f != float64(int(f)) {
			s.warn(table, row.line, col, "%q is not an age in whole years from 0 to 120, so it is left out", v)
			return 0
		}
		return int(f)
	}
	l.MinAge, l.MaxAge = read("minimum_age"), read("maximum_age")
	if l.MaxAge > 0 && l.MaxAge < l.MinAge {
		s.warn(table, row.line, "maximum_age", "the maximum age %d is below the minimum age %d, so the maximum is left out", l.MaxAge, l.MinAge)
		l.MaxAge = 0
	}
}

// verified takes the last check from assured_date, else last_modified,
// else today.
func (b *hsdsBuilder) verified(s *svc, r hsdsRow, l *directory.Listing) {
	l.LastVerified = b.today
	for _, col := range []string{"assured_date", "last_modified"} {
		v := b.x.get("service", r, col)
		if v == "" {
			continue
		}
		t, ok := hsds.ParseDate(v)
		if !ok {
			s.warn("service", r.line, col, "%q is not a date - write it like 2026-03-02", v)
			continue
		}
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		if day.After(b.today.AddDate(0, 0, 1)) {
			s.warn("service", r.line, col, "%s is in the future; today's date is used instead", day.Format("2 January 2006"))
			return
		}
		l.LastVerified = day
		s.pr.verifiedGiven = true
		return
	}
}

// contact reads the phone, email and website, falling back to the
// organization's.
func (b *hsdsBuilder) contact(s *svc, r hsdsRow, l *directory.Listing) {
	x := b.x
	org, hasOrg := x.byID("organization", x.get("service", r, "organization_id"))
	if ph, table, line := b.phone(s, org, hasOrg); ph != "" {
		if p, err := parsePhone(ph); err == nil {
			l.Contact.Phone = p
		} else if utf8.RuneCountInString(ph) <= 50 {
			l.Contact.Phone = ph
			s.warn(table, line, "number", "%q is not a UK phone number; it is kept as written", ph)
		}
	}
	type source struct {
		table string
		row   hsdsRow
	}
	emails := []source{{"service", r}}
	for _, c := range x.where("contact", "service_id", s.id) {
		emails = append(emails, source{"contact", c})
	}
	if hasOrg {
		emails = append(emails, source{"organization", org})
	}
	for _, e := range emails {
		v := x.get(e.table, e.row, "email")
		if v == "" {
			continue
		}
		if addr, err := parseEmail(v); err == nil {
			l.Contact.Email = addr
			break
		}
		s.warn(e.table, e.row.line, "email", "%q is not an email address, so it is left out", v)
	}
	for _, w := range []struct {
		table string
		row   hsdsRow
		col   string
		ok    bool
	}{{"service", r, "url", true}, {"organization", org, "website", hasOrg}, {"organization", org, "url", hasOrg}} {
		v := x.get(w.table, w.row, w.col)
		if !w.ok || v == "" {
			continue
		}
		if site, err := parseWebsite(v); err == nil {
			l.Contact.Website = site
			break
		}
		s.warn(w.table, w.row.line, w.col, "%q is not a web address, so it is left out", v)
	}
	if l.Contact == (directory.Contact{}) {
		s.fail("service", r.line, "email", "the service has no phone number, email address or website, nor does its organization - give at least one way to get in touch")
	}
}

// phone finds the service's phone number: its own, its contacts', its
// places', then its organization's. Quotes around the number (some
// exports write "+44 ...") are dropped.
func (b *hsdsBuilder) phone(s *svc, org hsdsRow, hasOrg bool) (number, table string, line int) {
	x := b.x
	var rows []hsdsRow
	rows = append(rows, x.where("phone", "service_id", s.id)...)
	for _, c := range x.where("contact", "service_id", s.id) {
		rows = append(rows, x.where("phone", "contact_id", x.get("contact", c, "id"))...)
	}
	for _, sal := range x.where("service_at_location", "service_id", s.id) {
		rows = append(rows, x.where("phone", "service_at_location_id", x.get("service_at_location", sal, "id"))...)
		rows = append(rows, x.where("phone", "location_id", x.get("service_at_location", sal, "location_id"))...)
	}
	if hasOrg {
		rows = append(rows, x.where("phone", "organization_id", x.get("organization", org, "id"))...)
	}
	for _, p := range rows {
		if n := strings.Trim(x.get("phone", p, "number"), "\"' "); n != "" {
			return n, "phone", p.line
		}
	}
	return "", "", 0
}
