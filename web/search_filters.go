package web

import (
	"context"
	"net/url"
	"slices"
	"strconv"

	"github.com/livingwell/livingwell/directory"
)

// filterPanel is the filters beside the results: groups of checkboxes with
// counts, plus age, "open now" and, with a postcode, "include online".
type filterPanel struct {
	Groups            []filterGroup
	Age               string
	OpenNow           bool
	ShowIncludeOnline bool
	IncludeOnline     bool
	// Sort is carried through when filters are applied.
	Sort string
	// Active lists the filters in force, each with a link that removes it.
	Active   []activeFilter
	ClearURL string
}

// filterGroup is one fieldset of checkboxes for a query parameter.
type filterGroup struct {
	Param, Legend string
	Options       []filterOption
}

// filterOption is one checkbox: the value it sends, its label and how many
// results it would give.
type filterOption struct {
	ID, Value, Label string
	Count            int
	Checked          bool
}

// activeFilter is a filter in force, with the link that removes it.
type activeFilter struct {
	Label, RemoveURL string
}

// stageWords are the journey stages in people's words, as the home page
// tiles say them.
var stageWords = map[directory.Stage]string{
	directory.StageBasicNeeds:     "Money, housing and the basics",
	directory.StageCoping:         "Feeling better",
	directory.StageRelationships:  "Meeting people",
	directory.StageWellbeing:      "Things to do",
	directory.StagePositiveFuture: "Work, learning and volunteering",
	directory.StageKeepingInTouch: "Drop-ins and keeping in touch",
}

// Filter list lengths: the most languages a group offers besides those
// chosen.
const maxLanguageOptions = 8

// disjunctiveFacets returns facet counts in which each "any of" group
// (stage, category, day, language) with a choice made is counted as if
// that group had no choice: so a count says how many results ticking that
// box as well would give. Other facets come from the search itself.
func (s *Server) disjunctiveFacets(ctx context.Context, q directory.Query, base map[string][]directory.FacetCount) (map[string][]directory.FacetCount, error) {
	out := make(map[string][]directory.FacetCount, len(base))
	for k, v := range base {
		out[k] = v
	}
	groups := []struct {
		name  string
		set   bool
		clear func(*directory.Query)
	}{
		{"stage", len(q.Stages) > 0, func(q *directory.Query) { q.Stages = nil }},
		{"category", len(q.Categories) > 0, func(q *directory.Query) { q.Categories = nil }},
		{"day", len(q.Days) > 0, func(q *directory.Query) { q.Days = nil }},
		{"language", len(q.Languages) > 0, func(q *directory.Query) { q.Languages = nil }},
	}
	for _, g := range groups {
		if !g.set {
			continue
		}
		q2 := q
		g.clear(&q2)
		q2.Facets = true
		_, facets, err := s.dir.CountResults(ctx, q2)
		if err != nil {
			return nil, err
		}
		out[g.name] = facets[g.name]
	}
	return out, nil
}

// filterPanel builds the filters for the query v with the given counts.
func (s *Server) filterPanel(v url.Values, facets map[string][]directory.FacetCount, hasPostcode bool) filterPanel {
	p := filterPanel{Age: v.Get("age"), ShowIncludeOnline: hasPostcode, Sort: v.Get("sort")}
	p.OpenNow, _ = parseBool(v.Get("open_now"))
	p.IncludeOnline, _ = parseBool(v.Get("include_online"))
	count := func(facet, term string) int {
		for _, f := range facets[facet] {
			if f.Term == term {
				return f.Count
			}
		}
		return 0
	}
	chosen := func(param, value string) bool { return slices.Contains(v[param], value) }
	option := func(param, value, label string, n int) filterOption {
		return filterOption{ID: "f-" + param + "-" + value, Value: value, Label: label, Count: n, Checked: chosen(param, value)}
	}
	keep := func(o filterOption) bool { return o.Count > 0 || o.Checked }

	stages := filterGroup{Param: "stage", Legend: "What kind of help"}
	for _, st := range directory.Stages {
		if o := option("stage", string(st), stageWords[st], count("stage", string(st))); keep(o) {
			stages.Options = append(stages.Options, o)
		}
	}

	// Categories: the top-level ones, and those under any chosen.
	tax := s.dir.Taxonomy()
	cats := filterGroup{Param: "category", Legend: "Type"}
	for _, t := range tax.Terms() {
		if t.Parent != "" && !chosen("category", t.Parent) && !chosen("category", t.Code) {
			continue
		}
		if o := option("category", t.Code, t.Label, count("category", t.Code)); keep(o) {
			cats.Options = append(cats.Options, o)
		}
	}

	cost := filterGroup{Param: "free", Legend: "Cost"}
	if o := option("free", "true", "Free", count("cost", "free")); keep(o) {
		cost.Options = append(cost.Options, o)
	}

	days := filterGroup{Param: "day", Legend: "Day"}
	for _, f := range facets["day"] {
		days.Options = append(days.Options, option("day", f.Term, f.Label, f.Count))
	}
	for _, d := range v["day"] {
		if !slices.ContainsFunc(days.Options, func(o filterOption) bool { return o.Value == d }) {
			if wd, err := directory.ParseDay(d); err == nil {
				days.Options = append(days.Options, option("day", d, directory.DayName(wd), 0))
			}
		}
	}

	how := filterGroup{Param: "online", Legend: "Online"}
	if o := option("online", "true", "Can join online", count("online", "yes")); keep(o) {
		how.Options = append(how.Options, o)
	}

	access := filterGroup{Param: "accessibility", Legend: "Access"}
	for _, a := range directory.AccessFeatures {
		if o := option("accessibility", string(a), a.Label(), count("accessibility", string(a))); keep(o) {
			access.Options = append(access.Options, o)
		}
	}

	langs := filterGroup{Param: "language", Legend: "Language spoken"}
	for _, f := range facets["language"] {
		if f.Term == "en" && !chosen("language", "en") {
			continue // nearly everything is in English
		}
		if o := option("language", f.Term, f.Label, f.Count); (len(langs.Options) < maxLanguageOptions && keep(o)) || o.Checked {
			langs.Options = append(langs.Options, o)
		}
	}

	for _, g := range []filterGroup{stages, cats, cost, days, how, access, langs} {
		if len(g.Options) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	p.Active, p.ClearURL = s.activeFilters(v)
	return p
}

// filterParams are the query parameters that filter, as against the words,
// place, sort and page.
var filterParams = []string{"stage", "category", "free", "day", "open_now", "online", "include_online", "accessibility", "language", "age"}

// activeFilters lists the filters in force in v, each with a link removing
// it, and the link removing them all.
func (s *Server) activeFilters(v url.Values) ([]activeFilter, string) {
	var out []activeFilter
	clear := cloneValues(v)
	clear.Del("page")
	for _, p := range filterParams {
		clear.Del(p)
		for _, val := range v[p] {
			if val == "" {
				continue
			}
			out = append(out, activeFilter{Label: s.filterLabel(p, val), RemoveURL: searchURL(withoutValue(v, p, val))})
		}
	}
	return out, searchURL(clear.Encode())
}

// filterLabel names one filter value in plain words.
func (s *Server) filterLabel(param, val string) string {
	switch param {
	case "stage":
		if w, ok := stageWords[directory.Stage(val)]; ok {
			return w
		}
	case "category":
		if t, ok := s.dir.Taxonomy().Resolve(val); ok {
			return t.Label
		}
	case "free":
		return "Free"
	case "day":
		if d, err := directory.ParseDay(val); err == nil {
			return directory.DayName(d)
		}
	case "open_now":
		return "Open now"
	case "online":
		return "Can join online"
	case "include_online":
		return "Including online"
	case "accessibility":
		if l := directory.Access(val).Label(); l != "" {
			return l
		}
	case "language":
		if code, err := directory.ParseLanguage(val); err == nil {
			return "In " + directory.LanguageName(code)
		}
	case "age":
		return "Age " + val
	}
	return val
}

// withoutValue returns v's query string without one value of one
// parameter, and without the page.
func withoutValue(v url.Values, param, val string) string {
	out := cloneValues(v)
	out.Del("page")
	out[param] = slices.DeleteFunc(out[param], func(s string) bool { return s == val })
	if len(out[param]) == 0 {
		out.Del(param)
	}
	return out.Encode()
}

// sortLink is one way to order the results.
type sortLink struct {
	Label, URL string
	Current    bool
	// Disabled says why it cannot be chosen, when it cannot.
	Disabled string
}

func sortLinks(v url.Values, hasPostcode bool) []sortLink {
	current := "relevance"
	switch v.Get("sort") {
	case "distance", "nearest":
		current = "distance"
	case "soonest":
		current = "soonest"
	}
	links := []sortLink{
		{Label: "Best match", URL: searchURL(queryWith(v, "sort", "")), Current: current == "relevance"},
		{Label: "Nearest", URL: searchURL(queryWith(v, "sort", "distance")), Current: current == "distance"},
		{Label: "Soonest", URL: searchURL(queryWith(v, "sort", "soonest")), Current: current == "soonest"},
	}
	if !hasPostcode {
		links[1].Disabled = "add a postcode"
	}
	return links
}

// pager is the links to other pages of results.
type pager struct {
	Prev, Next string
	Pages      []pageLink
}

// pageLink is one page number; Gap stands for pages left out.
type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// newPager returns the paging links, or nil when everything fits on one
// page. It offers the first and last pages and two either side of this one.
func newPager(v url.Values, page, perPage, total int) *pager {
	last := min((total+perPage-1)/perPage, directory.MaxResultWindow/perPage)
	if last <= 1 {
		return nil
	}
	link := func(n int) string {
		if n == 1 {
			return searchURL(queryWith(v, "page", ""))
		}
		out := cloneValues(v)
		out.Set("page", strconv.Itoa(n))
		return searchURL(out.Encode())
	}
	p := &pager{}
	if page > 1 {
		p.Prev = link(min(page-1, last))
	}
	if page < last {
		p.Next = link(page + 1)
	}
	for n := 1; n <= last; n++ {
		switch {
		case n == 1 || n == last || (n >= page-2 && n <= page+2):
			p.Pages = append(p.Pages, pageLink{N: n, URL: link(n), Current: n == page})
		case len(p.Pages) > 0 && !p.Pages[len(p.Pages)-1].Gap:
			p.Pages = append(p.Pages, pageLink{Gap: true})
		}
	}
	return p
}
