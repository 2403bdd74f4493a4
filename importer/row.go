package importer

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/livingwell/livingwell/directory"
)

// Problem is something wrong with an uploaded file, named by row and
// column, saying what to do. Errors stop the row from being used; warnings
// (Warning true) let it through but ask the partner to check.
type Problem struct {
	Row int `json:"row"` // as a spreadsheet numbers it; the header is 1; 0 for the whole file
	// Ref and Name are the listing's reference and name on the row, when
	// it gives them, so that a partner whose sheet is sorted another way
	// can still find the row; each is cut to 60 characters when longer
	// than the longest the directory accepts.
	Ref     string `json:"ref,omitempty"`
	Name    string `json:"name,omitempty"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
	Warning bool   `json:"-"`
}

// String formats the problem as "row 14 (ref BG-02), postcode: ...".
func (p Problem) String() string {
	var b strings.Builder
	if p.Row > 0 {
		fmt.Fprintf(&b, "row %d", p.Row)
	}
	if p.Ref != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "(ref %s)", p.Ref)
	}
	if p.Column != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Column)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// maxRefLen is the longest reference a listing may have, in characters.
const maxRefLen = 100

// rowParser turns template rows into listings for one partner.
type rowParser struct {
	partner *directory.Partner
	tax     *directory.Taxonomy
	gaz     *directory.Gazetteer
	// today is the upload date, the last_verified of rows that give none.
	today  time.Time
	header headerMap
}

// parsedRow is one row's outcome: a listing when usable, and its problems.
type parsedRow struct {
	row      int
	ref      string
	name     string
	listing  *directory.Listing
	problems []Problem
	cells    map[string]string
	// otherPartner is the partner column when it names another partner.
	otherPartner string
	// verifiedGiven is true when the listing's LastVerified comes from the
	// file rather than defaulting to the upload date. A partner template
	// always gives it, since a blank last_verified means "checked on the
	// day of the upload"; an HSDS service without a date does not, and
	// then compare keeps the stored date of an otherwise unchanged listing.
	verifiedGiven bool
}

func (pr *parsedRow) errorf(column, format string, args ...any) {
	pr.problems = append(pr.problems, Problem{Row: pr.row, Column: column, Message: fmt.Sprintf(format, args...)})
}

func (pr *parsedRow) warnf(column, format string, args ...any) {
	pr.problems = append(pr.problems, Problem{Row: pr.row, Column: column, Message: fmt.Sprintf(format, args...), Warning: true})
}

// named returns the row's problems, each naming the row's listing by its
// reference and name so that the partner can find the row. They are
// copies: a CSV row's cells share one string, which a plan with errors
// on every row of a large file would otherwise keep whole.
func (pr *parsedRow) named() []Problem {
	if len(pr.problems) == 0 {
		return nil
	}
	ref, name := strings.Clone(pr.ref), strings.Clone(pr.name)
	if utf8.RuneCountInString(ref) > maxRefLen {
		ref = clip(ref)
	}
	if utf8.RuneCountInString(name) > directory.MaxNameLen {
		name = clip(name)
	}
	for i := range pr.problems {
		pr.problems[i].Ref, pr.problems[i].Name = ref, name
	}
	return pr.problems
}

func (pr *parsedRow) hasProblemIn(column string) bool {
	return slices.ContainsFunc(pr.problems, func(p Problem) bool { return p.Column == column })
}

func (pr *parsedRow) hasErrors() bool {
	for _, p := range pr.problems {
		if !p.Warning {
			return true
		}
	}
	return false
}

// parse reads one row. The listing is nil when the row has errors.
func (p *rowParser) parse(row int, raw []string) *parsedRow {
	pr := &parsedRow{row: row, cells: make(map[string]string, len(p.header.index)), verifiedGiven: true}
	for col := range p.header.index {
		v := unformula(p.header.cell(raw, col))
		if strings.HasPrefix(v, "=") {
			pr.warnf(col, "this starts with \"=\" like a spreadsheet formula; it is kept as plain text - check it is what you meant")
		}
		pr.cells[col] = v
	}
	get := func(col string) string { return pr.cells[col] }
	l := &directory.Listing{PartnerID: p.partner.ID}
	l.Ref = get("ref")
	pr.ref = l.Ref
	switch {
	case l.Ref == "":
		pr.errorf("ref", "the reference is empty - give each listing your own reference, e.g. %s-01, and keep it the same on every upload", strings.ToUpper(firstN(p.partner.ID, 3)))
	case utf8.RuneCountInString(l.Ref) > maxRefLen:
		pr.errorf("ref", "the reference is too long - keep it under %d characters", maxRefLen)
	}
	l.ID = directory.ListingID(p.partner.ID, l.Ref)
	if v := get("partner"); v != "" && !p.isPartner(v) {
		pr.otherPartner = v
		pr.errorf("partner", "this row is for partner '%s', but you are uploading as %s - you can only change your own listings; remove the row, or have %s upload it", clip(v), p.partner.ID, clip(v))
	}
	l.Name = get("name")
	pr.name = l.Name
	switch n := utf8.RuneCountInString(l.Name); {
	case n == 0:
		pr.errorf("name", "the name is empty - give the listing a name")
	case n > directory.MaxNameLen:
		pr.errorf("name", "the name is %d characters - keep it under %d", n, directory.MaxNameLen)
	}
	l.Description = get("description")
	switch n := utf8.RuneCountInString(l.Description); {
	case n == 0:
		pr.errorf("description", "the description is empty - say what happens, who it is for and what to expect")
	case n > directory.MaxDescriptionLen:
		pr.errorf("description", "the description is %d characters - keep it under %d", n, directory.MaxDescriptionLen)
	}
	l.Summary = get("summary")
	if l.Summary == "" {
		l.Summary = firstSentence(l.Description, summaryLen)
	} else if n := utf8.RuneCountInString(l.Summary); n > directory.MaxSummaryLen {
		pr.errorf("summary", "the summary is %d characters - keep it under %d", n, directory.MaxSummaryLen)
	}
	p.categories(pr, l, get("categories"))
	p.stages(pr, l, get("stages"))
	l.Organisation = directory.Organisation{Name: get("organisation")}
	if l.Organisation.Name == "" || strings.EqualFold(l.Organisation.Name, p.partner.Name) {
		l.Organisation = directory.Organisation{Name: p.partner.Name, Website: p.partner.Website}
	}
	online, err := parseYesNo(get("online"))
	if err != nil {
		pr.errorf("online", "%v", err)
	}
	l.Online = online
	p.locations(pr, l, get)
	l.ServiceArea = get("service_area")
	if s := get("sessions"); s != "" {
		sessions, err := directory.ParseSessions(s)
		switch {
		case err != nil:
			pr.errorf("sessions", "%s", directory.ErrorMessage(err))
		case len(sessions) > directory.MaxSessions:
			pr.errorf("sessions", "%d sessions - the most one listing can have is %d; describe the rest in the description", len(sessions), directory.MaxSessions)
		}
		l.Sessions = sessions
	}
	if c := get("cost"); c != "" {
		cost, err := parseCost(c)
		if err != nil {
			pr.warnf("cost", "%v; it is shown as you wrote it", err)
		}
		l.Cost = cost
	}
	if j, err := parseJoin(get("how_to_join")); err != nil {
		pr.errorf("how_to_join", "%v", err)
	} else {
		l.HowToJoin = j
	}
	if n, err := parseAge(get("min_age")); err != nil {
		pr.errorf("min_age", "%v", err)
	} else {
		l.MinAge = n
	}
	if n, err := parseAge(get("max_age")); err != nil {
		pr.errorf("max_age", "%v", err)
	} else {
		l.MaxAge = n
	}
	if l.MaxAge > 0 && l.MaxAge < l.MinAge {
		pr.errorf("max_age", "the maximum age %d is below the minimum age %d - swap them, or leave max_age blank for no upper limit", l.MaxAge, l.MinAge)
	}
	l.Interests = dedupe(splitList(get("interests")))
	l.Strengths = dedupe(splitList(get("strengths")))
	p.lists(pr, l, get)
	p.contact(pr, l, get)
	l.LastVerified = p.today
	if v := get("last_verified"); v != "" {
		t, err := parseDate(v)
		switch {
		case err != nil:
			pr.errorf("last_verified", "%v", err)
		case t.After(p.today):
			pr.warnf("last_verified", "%s is in the future; today's date is used instead", t.Format("2 January 2006"))
		default:
			l.LastVerified = t
		}
	}
	st, err := parseStatus(get("status"))
	if err != nil {
		pr.errorf("status", "%v", err)
	}
	l.Status = st
	for _, list := range []struct {
		col   string
		items []string
	}{{"categories", l.Categories}, {"interests", l.Interests}, {"strengths", l.Strengths}, {"languages", l.Languages}} {
		if len(list.items) > directory.MaxListItems {
			pr.errorf(list.col, "%d items - keep it to at most %d", len(list.items), directory.MaxListItems)
		}
	}
	if !pr.hasErrors() {
		pr.listing = l
	}
	return pr
}

// isPartner reports whether a partner cell names the uploading partner, by
// id or name.
func (p *rowParser) isPartner(v string) bool {
	return strings.EqualFold(v, p.partner.ID) || strings.EqualFold(strings.Join(strings.Fields(v), " "), p.partner.Name)
}

func firstN(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// summaryLen is how long a summary made from the description may be.
const summaryLen = 140

// abbreviations end in a full stop without ending a sentence.
var abbreviations = []string{"e.g.", "i.e.", "st.", "dr.", "mr.", "mrs.", "ms.", "rev.", "revd.", "fr.", "prof.", "no.", "tel.", "approx.", "nr.", "vs.", "cllr."}

// firstSentence returns the first sentence of s: up to a full stop,
// question or exclamation mark followed by a space or the end (so "e.g.",
// "£3.50", "10.30am" and "example.org" do not end it), cut at a word to
// at most max characters with "…" when longer.
func firstSentence(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && c != '!' && c != '?' {
			continue
		}
		if i+1 < len(s) && s[i+1] != ' ' {
			continue
		}
		word := strings.ToLower(s[strings.LastIndexByte(s[:i], ' ')+1 : i+1])
		if s[i] == '.' && slices.Contains(abbreviations, word) {
			continue
		}
		s = s[:i+1]
		break
	}
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	cut := r[:max-1]
	for i := len(cut) - 1; i > max/2; i-- {
		if cut[i] == ' ' {
			cut = cut[:i]
			break
		}
	}
	return strings.TrimRight(string(cut), " ,;:-") + "…"
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	out := list[:0]
	for _, s := range list {
		k := strings.ToLower(s)
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (p *rowParser) categories(pr *parsedRow, l *directory.Listing, cell string) {
	items := splitList(cell)
	if len(items) == 0 {
		pr.errorf("categories", "no category - give at least one, e.g. %s (see the list of categories in the guide)", "social-groups")
		return
	}
	for _, item := range items {
		term, ok := resolveCategory(p.tax, item)
		if !ok {
			var names []string
			for _, s := range suggestCategories(p.tax, item) {
				names = append(names, fmt.Sprintf("%s (%s)", s.Code, s.Label))
			}
			if len(names) > 0 {
				pr.errorf("categories", "'%s' is not a category we know - did you mean %s?", clip(item), strings.Join(names, " or "))
			} else {
				pr.errorf("categories", "'%s' is not a category we know - see the list of categories in the guide", clip(item))
			}
			continue
		}
		if !slices.Contains(l.Categories, term.Code) {
			l.Categories = append(l.Categories, term.Code)
		}
	}
}

func (p *rowParser) stages(pr *parsedRow, l *directory.Listing, cell string) {
	for _, item := range splitList(cell) {
		st := directory.Stage(strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(item, " ", "-"))), ""))
		if !st.Valid() {
			for _, s := range directory.Stages {
				if strings.EqualFold(s.Label(), strings.TrimSpace(item)) {
					st = s
				}
			}
		}
		if !st.Valid() {
			pr.errorf("stages", "'%s' is not a journey stage - use basic-needs, coping-recovery, relationships, wellbeing, positive-future or keeping-in-touch, or leave it blank", clip(item))
			continue
		}
		if !l.HasStage(st) {
			l.Stages = append(l.Stages, st)
		}
	}
	if len(l.Stages) == 0 {
		l.Stages = p.tax.StagesOf(l.Categories)
	}
}

// locations reads the positional venue/address/postcode/latitude/longitude
// lists into locations.
func (p *rowParser) locations(pr *parsedRow, l *directory.Listing, get func(string) string) {
	venues, addrs, pcs := splitPositional(get("venue")), splitPositional(get("address")), splitPositional(get("postcode"))
	lats, lons := splitPositional(get("latitude")), splitPositional(get("longitude"))
	n := max(len(venues), len(addrs), len(pcs), len(lats), len(lons))
	if n > directory.MaxLocations {
		pr.errorf("postcode", "%d locations - the most one listing can have is %d", n, directory.MaxLocations)
		return
	}
	for _, c := range []struct {
		col  string
		list []string
	}{{"venue", venues}, {"address", addrs}, {"postcode", pcs}, {"latitude", lats}, {"longitude", lons}} {
		if len(c.list) > 0 && len(c.list) != n && n > 1 {
			pr.errorf(c.col, "has %d entries but another place column has %d - give one entry per place, separated by ; in the same order", len(c.list), n)
			return
		}
	}
	at := func(list []string, i int) string {
		if i < len(list) {
			return list[i]
		}
		return ""
	}
	for i := 0; i < n; i++ {
		loc := directory.Location{Name: at(venues, i), Address: at(addrs, i)}
		pc := at(pcs, i)
		if pc != "" {
			loc.Postcode, loc.Point = p.postcode(pr, pc)
		}
		latS, lonS := at(lats, i), at(lons, i)
		switch {
		case latS != "" && lonS != "":
			lat, err1 := parseDegrees(latS)
			lon, err2 := parseDegrees(lonS)
			switch {
			case err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180:
				pr.errorf("latitude", "'%s', '%s' is not a latitude and longitude - write decimal degrees like 51.4613, -0.1156", clip(latS), clip(lonS))
			default:
				given := directory.LatLon{Lat: lat, Lon: lon}
				var km float64
				if loc.Point != nil {
					km = directory.DistanceKm(*loc.Point, given)
				}
				switch {
				case km > wrongPointKm:
					pr.errorf("latitude", "%s, %s is %.0f km from postcode %s - check them (are latitude and longitude swapped?); if you changed the postcode, clear the latitude and longitude", latS, lonS, km, loc.Postcode)
				case km > farFromPostcodeKm:
					pr.warnf("latitude", "%s, %s is %.0f km from postcode %s - check them; if you changed the postcode, clear the latitude and longitude", latS, lonS, km, loc.Postcode)
				case loc.Point == nil && !inUK(given):
					pr.warnf("latitude", "%s, %s is outside the UK - check latitude and longitude are not swapped", latS, lonS)
				}
				loc.Point = &given
			}
		case latS != "" || lonS != "":
			pr.errorf("longitude", "give both latitude and longitude, or neither")
		}
		if pc == "" && loc.Point == nil && (loc.Name != "" || loc.Address != "") {
			pr.errorf("postcode", "'%s' has no postcode - add the postcode so people can find it", clip(firstNonEmpty(loc.Name, loc.Address)))
		}
		if loc != (directory.Location{}) {
			l.Locations = append(l.Locations, loc)
		}
	}
	if len(l.Locations) == 0 && !l.Online && !pr.hasProblemIn("postcode") {
		pr.errorf("postcode", "no postcode - give the postcode of where it happens, or put yes in the online column if it is online")
	}
}

// parseDegrees reads decimal degrees, with a decimal point or, as
// European spreadsheets write it, a decimal comma.
func parseDegrees(s string) (float64, error) {
	if !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return 0, fmt.Errorf("%s is not a number", s)
	}
	return f, err
}

// How far a given point may be from its postcode's point: beyond
// farFromPostcodeKm (wider than a large postcode district) the partner is
// asked to check; beyond wrongPointKm one of them must be wrong.
const (
	farFromPostcodeKm = 5
	wrongPointKm      = 50
)

// inUK reports whether a point is roughly within the UK.
func inUK(p directory.LatLon) bool {
	return p.Lat >= 49.8 && p.Lat <= 60.9 && p.Lon >= -8.7 && p.Lon <= 1.8
}

// postcode reads one postcode or district into its tidy form and point,
// reporting a row error when it is not a postcode or not one we know.
func (p *rowParser) postcode(pr *parsedRow, pc string) (string, *directory.LatLon) {
	parsed, err := directory.ParsePostcode(pc)
	if err == nil && len(strings.Fields(pc)) > 1 && !parsed.Full() {
		err = directory.Errorf(directory.EINVALID, "half a postcode") // "SW9 8"
	}
	if err != nil {
		pr.errorf("postcode", "'%s' is not a full UK postcode or district - check it", clip(pc))
		return "", nil
	}
	norm, pt, err := p.gaz.Locate(pc)
	if err != nil {
		pr.errorf("postcode", "'%s' is in postcode district %s, which we do not know - check it", clip(pc), norm.Outward)
		return "", nil
	}
	return norm.String(), &pt
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// lists reads accessibility, languages and format.
func (p *rowParser) lists(pr *parsedRow, l *directory.Listing, get func(string) string) {
	for _, item := range splitList(get("accessibility")) {
		a, ok := parseAccess(item)
		if !ok {
			pr.warnf("accessibility", "'%s' is not an accessibility feature we know, so it is left out - use step-free, accessible-toilet, hearing-loop, bsl, quiet-space or large-print, and say anything else in the description", clip(item))
			continue
		}
		if !l.HasAccess(a) {
			l.Accessibility = append(l.Accessibility, a)
		}
	}
	for _, item := range splitList(get("languages")) {
		code, err := directory.ParseLanguage(item)
		if err != nil {
			pr.warnf("languages", "'%s' is not a language we know, so it is left out - write its English name, e.g. Portuguese, or its two-letter code, e.g. pt", clip(item))
			continue
		}
		if !slices.Contains(l.Languages, code) {
			l.Languages = append(l.Languages, code)
		}
	}
	for _, item := range splitList(get("format")) {
		f, ok := parseFormat(item)
		if !ok {
			pr.warnf("format", "'%s' is not group, one-to-one or drop-in, so it is left out", clip(item))
			continue
		}
		if !slices.Contains(l.Formats, f) {
			l.Formats = append(l.Formats, f)
		}
	}
}

// contact reads phone, email and website; at least one is needed.
func (p *rowParser) contact(pr *parsedRow, l *directory.Listing, get func(string) string) {
	if v := get("phone"); v != "" {
		if ph, err := parsePhone(v); err != nil {
			pr.errorf("phone", "%v", err)
		} else {
			l.Contact.Phone = ph
		}
	}
	if v := get("email"); v != "" {
		if e, err := parseEmail(v); err != nil {
			pr.errorf("email", "%v", err)
		} else {
			l.Contact.Email = e
		}
	}
	if v := get("website"); v != "" {
		if w, err := parseWebsite(v); err != nil {
			pr.errorf("website", "%v", err)
		} else {
			l.Contact.Website = w
		}
	}
	if get("phone") == "" && get("email") == "" && get("website") == "" {
		pr.errorf("phone", "no way to get in touch - give at least a phone number, an email address or a website")
	}
}
