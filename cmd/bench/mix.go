package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// Kind is one kind of search in the query mix.
type Kind string

// The kinds of search, in the order reports show them.
const (
	KindText       Kind = "text"
	KindTextNear   Kind = "text+postcode+radius"
	KindFilters    Kind = "category+day+free"
	KindOpenNow    Kind = "open-now"
	KindByDistance Kind = "sort-distance"
	KindDeepPage   Kind = "deep-page"
)

// kinds lists every kind of search.
var kinds = []Kind{KindText, KindTextNear, KindFilters, KindOpenNow, KindByDistance, KindDeepPage}

// Search is one search of the mix, written three ways: for the directory,
// for the HTTP API, and for the PostgreSQL baseline.
type Search struct {
	Kind  Kind
	Query directory.Query
	URL   string // path and query string of /api/v1/search
	SQL   string
	Args  []any
}

// Mix parameters: results per page, the search radius, and how deep the
// deep page is.
const (
	perPage    = 20
	radiusKm   = 5.0
	distanceKm = 10.0
	deepPage   = 50
)

// commonSearches are what people type most, as a search log shows: single
// words and short phrases, some misspelt.
var commonSearches = []string{
	"gardening", "food bank", "counselling", "walking", "yoga", "debt advice", "choir", "art", "men's group",
	"befriending", "housing", "benefits", "volunteering", "swimming", "knitting", "mental health", "support group",
	"carers", "football", "cooking", "meditation", "employment", "english classes", "lonely", "dance", "councelling",
	"foodbank", "bereavement", "anxiety", "exercise", "drop in", "peer support", "job", "computer help", "music",
}

// mixVocabulary is what searches are drawn from.
type mixVocabulary struct {
	districts []data.DistrictPopulation
	cumPop    []float64
	terms     []directory.Term
	words     []string
}

func loadMixVocabulary() (*mixVocabulary, error) {
	ds, err := data.DistrictPopulations()
	if err != nil {
		return nil, err
	}
	tax, err := data.Taxonomy()
	if err != nil {
		return nil, err
	}
	acts, err := data.Activities()
	if err != nil {
		return nil, err
	}
	v := &mixVocabulary{districts: ds, terms: tax.Terms()}
	total := 0.0
	for _, d := range ds {
		total += float64(d.Population)
		v.cumPop = append(v.cumPop, total)
	}
	for _, a := range acts {
		v.words = append(v.words, strings.ToLower(a.Label))
	}
	for _, t := range v.terms {
		v.words = append(v.words, strings.ToLower(t.Label))
	}
	return v, nil
}

// searchText returns words to search for: a common search two times in
// three, else an activity or category name.
func (v *mixVocabulary) searchText(rng *rand.Rand) string {
	if rng.IntN(3) > 0 {
		return commonSearches[rng.IntN(len(commonSearches))]
	}
	return v.words[rng.IntN(len(v.words))]
}

// district returns a postcode district, picked as people are spread.
func (v *mixVocabulary) district(rng *rand.Rand) data.DistrictPopulation {
	x := rng.Float64() * v.cumPop[len(v.cumPop)-1]
	i, _ := slices.BinarySearch(v.cumPop, x)
	return v.districts[min(i, len(v.districts)-1)]
}

// mixStart is the week the open-now searches fall in.
var mixStart = time.Date(2026, 11, 23, 0, 0, 0, 0, directory.London())

// buildMix returns n searches of each kind, the same for the same seed,
// interleaved kind by kind.
func buildMix(v *mixVocabulary, seed uint64, n int) []Search {
	rng := rand.New(rand.NewPCG(seed, seed^0xbe7c4))
	var out []Search
	for range n {
		for _, k := range kinds {
			out = append(out, v.search(rng, k))
		}
	}
	return out
}

// search makes one search of kind k.
func (v *mixVocabulary) search(rng *rand.Rand, k Kind) Search {
	s := Search{Kind: k, Query: directory.Query{PerPage: perPage}}
	p := url.Values{"per_page": {strconv.Itoa(perPage)}, "facets": {"false"}}
	switch k {
	case KindText, KindDeepPage:
		text := v.searchText(rng)
		if k == KindDeepPage {
			// A word most listings have, far down the list.
			text = []string{"support", "group", "help", "community", "welcome"}[rng.IntN(5)]
			s.Query.Page = deepPage
			p.Set("page", strconv.Itoa(deepPage))
		}
		s.Query.Text = text
		p.Set("q", text)
		s.SQL, s.Args = sqlText, []any{text, (max(s.Query.Page, 1) - 1) * perPage}
	case KindTextNear:
		text, d := v.searchText(rng), v.district(rng)
		s.Query.Text, s.Query.Postcode, s.Query.RadiusKm = text, d.Code, radiusKm
		p.Set("q", text)
		p.Set("postcode", d.Code)
		p.Set("radius_km", fmt.Sprint(radiusKm))
		s.SQL, s.Args = sqlTextNear, []any{text, d.Lat, d.Lon, radiusKm * 1000}
	case KindFilters:
		t := v.terms[rng.IntN(len(v.terms))]
		day := time.Weekday(rng.IntN(7))
		s.Query.Categories, s.Query.Days, s.Query.FreeOnly = []string{t.Code}, []time.Weekday{day}, true
		p.Set("category", t.Code)
		p.Set("day", directory.DayCode(day))
		p.Set("free", "true")
		s.SQL, s.Args = sqlFilters, []any{t.Code, directory.DayCode(day)}
	case KindOpenNow:
		at := mixStart.AddDate(0, 0, rng.IntN(28)).Add(time.Duration(8*60+rng.IntN(12*60)) * time.Minute)
		s.Query.OpenAt = at
		p.Set("open_now", at.UTC().Format(time.RFC3339))
		m := at.Hour()*60 + at.Minute()
		last := at.AddDate(0, 0, 7).Month() != at.Month()
		s.SQL, s.Args = sqlOpenNow, []any{int(at.Weekday()), m, (at.Day()-1)/7 + 1, last}
	case KindByDistance:
		d := v.district(rng)
		s.Query.Postcode, s.Query.RadiusKm, s.Query.Sort = d.Code, distanceKm, directory.SortDistance
		p.Set("postcode", d.Code)
		p.Set("radius_km", fmt.Sprint(distanceKm))
		p.Set("sort", "distance")
		s.SQL, s.Args = sqlByDistance, []any{d.Lat, d.Lon, distanceKm * 1000}
	}
	s.URL = "/api/v1/search?" + p.Encode()
	return s
}
