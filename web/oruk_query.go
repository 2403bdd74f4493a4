package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer/hsds"
)

// orukQuery is a parsed /oruk/services or /oruk/service_at_locations
// request: the directory search, and none when a filter names something
// no listing can have (an unknown term), so the answer is empty.
type orukQuery struct {
	q       directory.Query
	page    int
	perPage int
	none    bool
}

// parseORUKQuery reads the profile's filters, which combine with AND:
// search, taxonomy_term_id, taxonomy_id, minimum_age and maximum_age (a
// service's own age bounds), start_time, end_time and day (a session that
// starts and ends within the times, on the day), modified_after, postcode
// and proximity (metres). Every listing status is included: consumers see
// a service's status. It returns EINVALID naming the parameter.
func (s *Server) parseORUKQuery(ctx context.Context, v url.Values) (*orukQuery, error) {
	bad := func(param, want string) error {
		return directory.Errorf(directory.EINVALID, "%s=%q: %s", param, firstValue(v, param), want)
	}
	page, perPage, err := parsePaging(v)
	if err != nil {
		return nil, err
	}
	oq := &orukQuery{page: page, perPage: perPage}
	q := &oq.q
	q.Statuses = directory.Statuses
	q.Text = v.Get("search")
	if err := s.orukCategories(ctx, v, oq); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"minimum_age", &q.MinAgeAtLeast}, {"maximum_age", &q.MaxAgeAtMost}} {
		if a := v.Get(p.name); a != "" {
			f, err := strconv.ParseFloat(a, 64)
			if err != nil || f < 0 || f > 120 || f != float64(int(f)) {
				return nil, bad(p.name, "give an age in whole years from 0 to 120")
			}
			*p.dst = int(f)
		}
	}
	start, end := v.Get("start_time"), v.Get("end_time")
	if start != "" || end != "" {
		w := &directory.Window{From: 0, To: 24 * 60}
		if start != "" {
			if w.From, err = clockMinutes(start); err != nil {
				return nil, bad("start_time", "give a time like 09:30 or 09:30:00")
			}
		}
		if end != "" {
			if w.To, err = clockMinutes(end); err != nil {
				return nil, bad("end_time", "give a time like 17:00 or 17:00:00")
			}
		}
		if w.To < w.From {
			return nil, bad("end_time", "the end time is before the start time")
		}
		q.Window = w
	}
	for _, d := range v["day"] {
		for _, part := range strings.Split(d, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			day, err := directory.ParseDay(part)
			if err != nil {
				return nil, bad("day", "give a day such as Monday, mon or MO")
			}
			q.Days = append(q.Days, day)
		}
	}
	if m := v.Get("modified_after"); m != "" {
		t, ok := hsds.ParseDate(m)
		if !ok {
			return nil, bad("modified_after", "give a date and time like 2026-03-02T09:00:00Z, or a date like 2026-03-02")
		}
		q.ModifiedAfter = t
	}
	q.Postcode = strings.TrimSpace(v.Get("postcode"))
	q.IncludeOnline = true
	if p := v.Get("proximity"); p != "" {
		m, err := strconv.ParseFloat(p, 64)
		if err != nil || m <= 0 || m > 1_000_000 {
			return nil, bad("proximity", "give a distance in metres, more than 0 and up to 1000000")
		}
		if q.Postcode == "" {
			return nil, bad("proximity", "a distance needs a postcode to measure from")
		}
		q.RadiusKm, q.IncludeOnline = m/1000, false
	}
	q.Page, q.PerPage = page, perPage
	if page*perPage > directory.MaxResultWindow {
		return nil, bad("page", "that page is too deep - at most 10000 results can be paged through; narrow the search, for example with modified_after")
	}
	return oq, nil
}

// clockMinutes reads HH:MM or HH:MM:SS as minutes after midnight.
func clockMinutes(s string) (int, error) {
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.Hour()*60 + t.Minute(), nil
		}
	}
	if s == "24:00" || s == "24:00:00" {
		return 24 * 60, nil
	}
	return 0, directory.Errorf(directory.EINVALID, "%q is not a time", s)
}

// orukCategories reads taxonomy_term_id and taxonomy_id into the search's
// categories.
func (s *Server) orukCategories(ctx context.Context, v url.Values, oq *orukQuery) error {
	termID, taxID := strings.ToLower(v.Get("taxonomy_term_id")), strings.ToLower(v.Get("taxonomy_id"))
	if termID == "" && taxID == "" {
		return nil
	}
	for _, p := range []struct{ name, value string }{{"taxonomy_term_id", termID}, {"taxonomy_id", taxID}} {
		if p.value != "" && !hsds.IsUUID(p.value) {
			return directory.Errorf(directory.EINVALID, "%s=%q: give the id (a UUID) of one from /oruk/%s", p.name, firstValue(v, p.name), map[string]string{"taxonomy_term_id": "taxonomy_terms", "taxonomy_id": "taxonomies"}[p.name])
		}
	}
	terms, err := s.orukTerms(ctx)
	if err != nil {
		return err
	}
	var codes []string
	for _, t := range terms {
		if (termID == "" || t.ID == termID) && (taxID == "" || t.TaxonomyID == taxID) {
			if termID != "" || t.ParentID == "" {
				codes = append(codes, t.Code) // a term includes those under it
			}
		}
	}
	if len(codes) == 0 {
		oq.none = true
	}
	oq.q.Categories = codes
	return nil
}
