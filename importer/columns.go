package importer

import (
	"strings"
	"unicode"

	"github.com/livingwell/livingwell/directory"
)

// Column is one column of the partner template.
type Column struct {
	Name     string   // canonical name, as in the template header
	Required bool     // the row cannot be used without it
	Aliases  []string // other headers partners use for it
	Help     string   // what goes in it, for docs and messages
}

// Columns is the partner template, in the order the template is written.
var Columns = []Column{
	{Name: "ref", Required: true, Aliases: []string{"reference", "your reference", "your ref", "ref no", "reference number", "listing ref", "listing reference", "id"}, Help: "your own reference for the listing, the same on every upload"},
	{Name: "name", Required: true, Aliases: []string{"listing name", "activity", "activity name", "service", "service name", "title", "name of activity", "group name"}, Help: "the listing's name"},
	{Name: "summary", Aliases: []string{"short description", "one line description", "strapline", "in a sentence"}, Help: "one line, under 140 characters"},
	{Name: "description", Required: true, Aliases: []string{"details", "about", "what happens", "full description", "long description", "more information"}, Help: "what it is, who it is for, what to expect"},
	{Name: "categories", Required: true, Aliases: []string{"category", "type", "types", "taxonomy", "service type", "categories codes"}, Help: "taxonomy codes or labels, separated by ;"},
	{Name: "stages", Aliases: []string{"journey stages", "journey stage", "stage"}, Help: "journey stages, separated by ; (blank: from the categories)"},
	{Name: "organisation", Aliases: []string{"organization", "org", "organisation name", "organization name", "run by", "provider", "provided by"}, Help: "who runs it (blank: the partner)"},
	{Name: "venue", Aliases: []string{"venue name", "location", "location name", "locations", "place", "building", "venues"}, Help: "the name of each place, separated by ;"},
	{Name: "address", Aliases: []string{"addresses", "street address", "full address", "address lines"}, Help: "the address of each place, separated by ;"},
	{Name: "postcode", Aliases: []string{"postcodes", "post code", "postal code", "post codes", "zip", "zip code"}, Help: "the postcode of each place, separated by ; (required unless online)"},
	{Name: "latitude", Aliases: []string{"lat", "latitudes"}, Help: "optional latitude of each place, separated by ;"},
	{Name: "longitude", Aliases: []string{"lon", "lng", "long", "longitudes"}, Help: "optional longitude of each place, separated by ;"},
	{Name: "online", Aliases: []string{"available online", "is online", "remote", "online too"}, Help: "yes if people can join online"},
	{Name: "service_area", Aliases: []string{"service area", "area", "area covered", "areas covered", "coverage"}, Help: "the area served, e.g. Lambeth"},
	{Name: "sessions", Aliases: []string{"days and times", "days & times", "when", "times", "schedule", "opening times", "opening hours", "session times", "day and time"}, Help: "e.g. Tue 10:00-12:00; 1st Sat 11:00-13:00"},
	{Name: "cost", Aliases: []string{"price", "fee", "fees", "charge", "charges", "cost per session"}, Help: "free, or words with an amount"},
	{Name: "how_to_join", Aliases: []string{"how to join", "joining", "how to access", "how to get involved", "referral", "referral needed", "access route"}, Help: "drop-in, self-refer or referral"},
	{Name: "min_age", Aliases: []string{"minimum age", "min age", "age from", "youngest age", "age min"}, Help: "the youngest age, in years"},
	{Name: "max_age", Aliases: []string{"maximum age", "max age", "age to", "oldest age", "age max"}, Help: "the oldest age, in years"},
	{Name: "interests", Aliases: []string{"interest", "tags", "keywords", "activities", "interests tags"}, Help: "what people who enjoy it like, separated by ;"},
	{Name: "strengths", Aliases: []string{"skills", "skills used", "strengths used", "strengths skills"}, Help: "strengths it uses or builds, separated by ;"},
	{Name: "accessibility", Aliases: []string{"access", "access features", "accessibility features", "accessible"}, Help: "step-free, accessible-toilet, hearing-loop, bsl, quiet-space, large-print"},
	{Name: "languages", Aliases: []string{"language", "languages spoken", "other languages"}, Help: "languages spoken, separated by ;"},
	{Name: "format", Aliases: []string{"formats", "group or one to one", "type of session"}, Help: "group, one-to-one or drop-in"},
	{Name: "phone", Aliases: []string{"telephone", "tel", "phone number", "telephone number", "contact number", "contact phone", "phone no", "tel no", "telephone no", "mobile"}, Help: "a UK phone number"},
	{Name: "email", Aliases: []string{"e-mail", "email address", "e mail", "e mail address", "contact email", "contact e mail", "email contact"}, Help: "an email address"},
	{Name: "website", Aliases: []string{"web", "url", "web address", "link", "web site", "webpage", "web page", "website address", "website url", "more info link"}, Help: "a web address"},
	{Name: "last_verified", Aliases: []string{"last verified", "last checked", "verified", "date checked", "checked on", "date verified", "last updated"}, Help: "the date you last checked it (blank: today)"},
	{Name: "status", Aliases: []string{"running", "is it running", "state"}, Help: "active, temporarily closed or inactive"},
	{Name: "partner", Aliases: []string{"partner id", "partner name", "publisher"}, Help: "your partner id, as in the downloaded template (blank: you); a row naming another partner is refused"},
}

// normaliseHeader lower-cases a header and folds spacing, underscores,
// hyphens and decoration such as "*" or "(required)" away.
func normaliseHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if i := strings.IndexAny(h, "(["); i > 0 {
		h = h[:i]
	}
	h = strings.Map(func(r rune) rune {
		switch {
		case r == '_' || r == '-' || r == '/' || unicode.IsSpace(r):
			return ' '
		case r == '&' || unicode.IsLetter(r) || unicode.IsDigit(r):
			return r
		}
		return -1
	}, h)
	return strings.Join(strings.Fields(h), " ")
}

// columnByHeader maps every normalised name and alias to its column.
// Aliases are unique (a test checks), so no header can mean two columns.
var columnByHeader = func() map[string]int {
	m := map[string]int{}
	for i, c := range Columns {
		m[normaliseHeader(c.Name)] = i
		for _, a := range c.Aliases {
			m[normaliseHeader(a)] = i
		}
	}
	return m
}()

// ColumnFor returns the template column a header names, by its name or an
// alias, ignoring case, spacing, underscores and hyphens and decoration
// such as "*" or "(required)"; false when it names none.
func ColumnFor(header string) (Column, bool) {
	i, ok := columnByHeader[normaliseHeader(header)]
	if !ok {
		return Column{}, false
	}
	return Columns[i], true
}

// headerMap says which cell of a row holds which column.
type headerMap struct {
	index   map[string]int // canonical column -> cell index
	unknown []string       // headers we do not know, ignored
}

// mapHeader reads the header row, which is on row of the sheet. It returns
// the problems: a required column missing (an error for the whole file),
// an unknown or repeated column (a warning).
func mapHeader(header []string, row int) (headerMap, []Problem) {
	hm := headerMap{index: map[string]int{}}
	var problems []Problem
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			continue // an empty column
		}
		col, ok := ColumnFor(h)
		if !ok {
			hm.unknown = append(hm.unknown, h)
			msg := "this column is not part of the template and is ignored"
			if s := suggestColumn(h); s != "" {
				msg += " - did you mean " + s + "?"
			}
			problems = append(problems, Problem{Row: row, Column: h, Message: msg, Warning: true})
			continue
		}
		if _, dup := hm.index[col.Name]; dup {
			problems = append(problems, Problem{Row: row, Column: h, Message: "this column is " + col.Name + " again; only the first " + col.Name + " column is read", Warning: true})
			continue
		}
		hm.index[col.Name] = i
	}
	for _, c := range Columns {
		if _, ok := hm.index[c.Name]; c.Required && !ok {
			msg := "the file has no " + c.Name + " column - add one (" + c.Help + "); the template's header row shows them all"
			if len(hm.index) == 0 {
				msg = "the file has no " + c.Name + " column - the first row should be the template's header row (ref, name, description, categories, ...); is there a title row above it?"
			}
			problems = append(problems, Problem{Row: row, Column: c.Name, Message: msg})
		}
	}
	return hm, problems
}

// suggestColumn returns the template column a misspelt header most likely
// means, or "" when none is close.
func suggestColumn(h string) string {
	n := normaliseHeader(h)
	if len(n) < 4 {
		return ""
	}
	best, bestD := "", 3
	for k, i := range columnByHeader {
		if d := directory.EditDistance(n, k); d < bestD || (d == bestD && best != "" && Columns[i].Name < best) {
			best, bestD = Columns[i].Name, d
		}
	}
	return best
}

// cell returns the trimmed value of a column in a row, "" when absent.
func (hm headerMap) cell(cells []string, column string) string {
	i, ok := hm.index[column]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}
