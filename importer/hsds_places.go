package importer

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer/hsds"
)

// ukCountries are the ways addresses say the United Kingdom.
var ukCountries = map[string]bool{
	"": true, "gb": true, "uk": true, "gbr": true, "united kingdom": true, "great britain": true,
	"england": true, "scotland": true, "wales": true, "northern ireland": true,
}

// places reads the service's locations through service_at_location: each
// physical one becomes a place (its address, postcode and point), a
// virtual one makes the listing online.
func (b *hsdsBuilder) places(s *svc, l *directory.Listing) {
	x := b.x
	for _, sal := range x.where("service_at_location", "service_id", s.id) {
		s.salIDs = append(s.salIDs, x.get("service_at_location", sal, "id"))
		locID := x.get("service_at_location", sal, "location_id")
		loc, ok := x.byID("location", locID)
		if !ok {
			s.warn("service_at_location", sal.line, "location_id", "location %s is not in the locations table, so it is left out", locID)
			continue
		}
		s.locationIDs = append(s.locationIDs, locID)
		if strings.EqualFold(x.get("location", loc, "location_type"), "virtual") {
			l.Online = true
			b.accessibility(s, locID, l)
			continue
		}
		place := directory.Location{Name: x.get("location", loc, "name")}
		uk := b.address(s, locID, &place)
		if uk {
			b.point(s, loc, &place)
		}
		b.accessibility(s, locID, l)
		if place == (directory.Location{}) {
			continue
		}
		if len(l.Locations) == directory.MaxLocations {
			s.warn("service_at_location", sal.line, "location_id", "the service has more than %d places; the first %d are kept", directory.MaxLocations, directory.MaxLocations)
			break
		}
		l.Locations = append(l.Locations, place)
	}
}

// address reads a location's address (physical first, then postal) into
// the place's one-line address and postcode. It reports whether the place
// is in the UK (or says nowhere else).
func (b *hsdsBuilder) address(s *svc, locID string, place *directory.Location) bool {
	x := b.x
	table, rows := "address", x.where("address", "location_id", locID)
	if len(rows) == 0 {
		table, rows = "postal_address", x.where("postal_address", "location_id", locID)
	}
	if len(rows) == 0 {
		return true
	}
	a := rows[0]
	for _, r := range rows {
		if strings.EqualFold(x.get(table, r, "address_type"), "physical") {
			a = r
			break
		}
	}
	get := func(col string) string { return x.get(table, a, col) }
	pc := get("postal_code")
	var parts []string
	if first := get("address_1"); first != "" && first != place.Name && first != pc {
		parts = append(parts, first)
	}
	for _, col := range []string{"address_2", "address_3", "address_4"} {
		if v := get(col); v != "" {
			parts = append(parts, v)
		}
	}
	text := strings.Join(parts, ", ")
	if city := get("city"); text != "" && city != "" && !strings.HasSuffix(strings.ToLower(text), strings.ToLower(city)) {
		text += ", " + city
	}
	place.Address = text
	country := strings.ToLower(strings.TrimSpace(get("country")))
	if !ukCountries[country] {
		s.warn(table, a.line, "country", "the address is outside the UK (country %s), so it is kept without a postcode or a point on the map and will not be found by postcode", get("country"))
		return false
	}
	if pc == "" {
		return true
	}
	norm, pt, err := b.gaz.Locate(pc)
	switch {
	case directory.ErrorCode(err) == directory.EINVALID:
		s.warn(table, a.line, "postal_code", "%q is not a UK postcode, so the place is kept without one - check it", pc)
	case err != nil:
		s.warn(table, a.line, "postal_code", "%s; the place is kept without a postcode", directory.ErrorMessage(err))
	default:
		place.Postcode, place.Point = norm.String(), &pt
	}
	return true
}

// point takes the location's latitude and longitude, which are more exact
// than a postcode district's centre.
func (b *hsdsBuilder) point(s *svc, loc hsdsRow, place *directory.Location) {
	latS, lonS := b.x.get("location", loc, "latitude"), b.x.get("location", loc, "longitude")
	if latS == "" && lonS == "" {
		return
	}
	lat, err1 := strconv.ParseFloat(latS, 64)
	lon, err2 := strconv.ParseFloat(lonS, 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 || math.IsNaN(lat) || math.IsNaN(lon) {
		s.warn("location", loc.line, "latitude", "latitude %q, longitude %q is not a point on Earth, so it is left out", latS, lonS)
		return
	}
	place.Point = &directory.LatLon{Lat: lat, Lon: lon}
}

// hsds11Access maps HSDS 1.1's accessibility codes that match a feature.
var hsds11Access = map[string]directory.Access{
	"deaf_interpreter": directory.AccessBSL, "elevator": directory.AccessStepFree, "ramp": directory.AccessStepFree,
	"restroom": directory.AccessToilet, "wheelchair": directory.AccessStepFree,
}

// accessibility reads a location's accessibility rows into the listing's
// features: by code, by HSDS 1.1 code, or by the usual words in the text
// ("Wheelchair access", "induction loops").
func (b *hsdsBuilder) accessibility(s *svc, locID string, l *directory.Listing) {
	x := b.x
	for _, a := range x.where("accessibility", "location_id", locID) {
		var texts []string
		for _, col := range []string{"accessibility", "description", "details"} {
			if v := x.get("accessibility", a, col); v != "" {
				texts = append(texts, v)
			}
		}
		found := accessIn(strings.Join(texts, ". "))
		if len(found) == 0 && len(texts) > 0 {
			s.warn("accessibility", a.line, "description", "%q names no accessibility feature the directory knows (step-free, accessible toilet, hearing loop, BSL, quiet space, large print), so it is left out", shorten(texts[0], 80))
		}
		for _, f := range found {
			if !l.HasAccess(f) {
				l.Accessibility = append(l.Accessibility, f)
			}
		}
	}
}

// accessIn finds the accessibility features a text names.
func accessIn(text string) []directory.Access {
	if a, ok := parseAccess(text); ok {
		return []directory.Access{a}
	}
	if a, ok := hsds11Access[strings.ToLower(strings.TrimSpace(text))]; ok {
		return []directory.Access{a}
	}
	words := " " + strings.Join(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), " ") + " "
	var out []directory.Access
	add := func(a directory.Access) {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	phrases := make([]string, 0, len(accessWords))
	for p := range accessWords {
		phrases = append(phrases, p)
	}
	slices.Sort(phrases)
	for _, p := range phrases {
		if strings.Contains(words, " "+p+" ") || strings.Contains(words, " "+p+"s ") {
			add(accessWords[p])
		}
	}
	for code, a := range map[string]directory.Access{"elevator": directory.AccessStepFree, "restroom": directory.AccessToilet, "step free": directory.AccessStepFree} {
		if strings.Contains(words, " "+code+" ") || strings.Contains(words, " "+code+"s ") {
			add(a)
		}
	}
	return out
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "..."
}

// languages reads the languages of the service and of its places.
func (b *hsdsBuilder) languages(s *svc, l *directory.Listing) {
	x := b.x
	rows := x.where("language", "service_id", s.id)
	for _, loc := range s.locationIDs {
		rows = append(rows, x.where("language", "location_id", loc)...)
	}
	for _, r := range rows {
		var tried []string
		for _, col := range []string{"code", "language", "name"} {
			if v := x.get("language", r, col); v != "" {
				tried = append(tried, v)
			}
		}
		if len(tried) == 0 {
			s.warn("language", r.line, "name", "the row names no language (name or code), so it is left out")
			continue
		}
		code := ""
		for _, t := range tried {
			if c, err := directory.ParseLanguage(t); err == nil {
				code = c
				break
			}
		}
		if code == "" {
			s.warn("language", r.line, "name", "%q is not a language we know, so it is left out - give its English name or two-letter code", tried[0])
			continue
		}
		if !slices.Contains(l.Languages, code) && len(l.Languages) < directory.MaxListItems {
			l.Languages = append(l.Languages, code)
		}
	}
}

// schedules reads the service's schedules (its own, its places' or, when
// it has none, its locations' opening hours) into sessions. A schedule the
// sessions cannot show is left out with a warning saying why.
func (b *hsdsBuilder) schedules(s *svc, l *directory.Listing) {
	x := b.x
	rows := x.where("schedule", "service_id", s.id)
	for _, id := range s.salIDs {
		rows = append(rows, x.where("schedule", "service_at_location_id", id)...)
	}
	if len(rows) == 0 {
		for _, id := range s.locationIDs {
			rows = append(rows, x.where("schedule", "location_id", id)...)
		}
	}
	seen := map[int]bool{}
	for _, r := range rows {
		if seen[r.line] {
			continue
		}
		seen[r.line] = true
		get := func(col string) string { return x.get("schedule", r, col) }
		rule := hsds.Rule{
			Freq: get("freq"), Interval: get("interval"), ByDay: get("byday"), ByMonthDay: get("bymonthday"), ByWeekNo: get("byweekno"),
			ByYearDay: get("byyearday"), Count: get("count"), Until: get("until"), ValidTo: get("valid_to"),
			Weekday: get("weekday"), OpensAt: get("opens_at"), ClosesAt: get("closes_at"),
		}
		sessions, why := rule.Sessions(b.today)
		if why != "" {
			if ss, err := directory.ParseSessions(get("description")); err == nil && len(ss) > 0 && rule.Freq == "" && rule.ByDay == "" && rule.Weekday == "" && rule.OpensAt == "" {
				sessions, why = ss, ""
			}
		}
		if why != "" {
			s.warn("schedule", r.line, "freq", "this schedule is left out because %s - say when it happens in the description instead", why)
			continue
		}
		for _, ss := range sessions {
			if !slices.Contains(l.Sessions, ss) {
				l.Sessions = append(l.Sessions, ss)
			}
		}
	}
	if len(l.Sessions) > directory.MaxSessions {
		s.warn("service", s.pr.row, "schedules", "the service has %d sessions; the first %d are kept", len(l.Sessions), directory.MaxSessions)
		l.Sessions = l.Sessions[:directory.MaxSessions]
	}
	if holidays := x.where("holiday_schedule", "service_id", s.id); len(holidays) > 0 {
		s.warn("holiday_schedule", holidays[0].line, "closed", "holiday closures cannot be shown, so they are left out - say them in the description")
	}
}

// maxServiceAreaLen bounds the service area kept.
const maxServiceAreaLen = 300

// serviceArea names the area the service covers.
func (b *hsdsBuilder) serviceArea(s *svc, l *directory.Listing) {
	var names []string
	for _, r := range b.x.where("service_area", "service_id", s.id) {
		v := firstNonEmpty(b.x.get("service_area", r, "name"), b.x.get("service_area", r, "service_area"), b.x.get("service_area", r, "description"))
		if v != "" && !slices.Contains(names, v) {
			names = append(names, v)
		}
	}
	l.ServiceArea = shorten(strings.Join(names, "; "), maxServiceAreaLen)
}

// cost reads the cost options: one plain option in pounds gives the amount
// and its words as they are; several are put into words, the first amount
// being the usual price. Without cost options, the fees text is read as a
// partner's cost cell is.
func (b *hsdsBuilder) cost(s *svc, r hsdsRow, l *directory.Listing) {
	x := b.x
	type option struct {
		words, label string
		pence        int
		hasAmount    bool
	}
	var opts []option
	for _, c := range x.where("cost_option", "service_id", s.id) {
		get := func(col string) string { return x.get("cost_option", c, col) }
		if end, ok := hsds.ParseDate(get("valid_to")); ok && end.Before(b.today) {
			s.warn("cost_option", c.line, "valid_to", "this cost option ended on %s, so it is left out", end.Format("2 January 2006"))
			continue
		}
		o := option{words: get("amount_description"), label: get("option")}
		if a := get("amount"); a != "" {
			f, err := strconv.ParseFloat(a, 64)
			currency := strings.ToUpper(get("currency"))
			switch {
			case err != nil || f < 0 || f > 100000:
				s.warn("cost_option", c.line, "amount", "%q is not an amount, so it is left out", a)
			case currency != "" && currency != "GBP":
				s.warn("cost_option", c.line, "currency", "the amount is in %s, so it is kept in words only", currency)
				o.label = strings.TrimSpace(o.label + " " + currency + " " + a)
			default:
				o.pence, o.hasAmount = int(math.Round(f*100)), true
			}
		}
		opts = append(opts, o)
	}
	switch {
	case len(opts) == 1 && opts[0].label == "":
		o := opts[0]
		if !o.hasAmount {
			l.Cost, _ = parseCost(o.words)
			return
		}
		l.Cost = directory.Cost{Pence: o.pence, Free: o.pence == 0, Words: o.words}
	case len(opts) > 0:
		var parts []string
		free, first := true, -1
		for _, o := range opts {
			part := o.label
			if o.hasAmount {
				part = strings.TrimSpace(strings.TrimSuffix(part, ":") + ": " + poundsText(o.pence))
				if first < 0 {
					first = o.pence
				}
				free = free && o.pence == 0
			} else {
				free = false
			}
			parts = append(parts, strings.TrimPrefix(strings.TrimSpace(part+" "+o.words), ": "))
		}
		l.Cost = directory.Cost{Words: strings.Join(parts, "; "), Free: free && first >= 0}
		if first > 0 {
			l.Cost.Pence = first
		}
	default:
		if fees := firstNonEmpty(x.get("service", r, "fees_description"), x.get("service", r, "fees")); fees != "" {
			l.Cost, _ = parseCost(fees)
		}
	}
}

func poundsText(pence int) string {
	if pence == 0 {
		return "free"
	}
	return fmt.Sprintf("£%d.%02d", pence/100, pence%100)
}
