package directory_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// facetsByHand counts, over listings, what each facet of a search should
// say: a category counts every listing filed under it or under a category
// below it.
func facetsByHand(tax *directory.Taxonomy, listings []*directory.Listing) map[string]map[string]int {
	out := map[string]map[string]int{}
	add := func(facet, term string) {
		if out[facet] == nil {
			out[facet] = map[string]int{}
		}
		out[facet][term]++
	}
	for _, l := range listings {
		cats := map[string]bool{}
		for _, c := range l.Categories {
			cats[c] = true
			for _, a := range tax.Ancestors(c) {
				cats[a] = true
			}
		}
		for c := range cats {
			add("category", c)
		}
		for _, s := range l.Stages {
			add("stage", string(s))
		}
		if l.Cost.Free {
			add("cost", "free")
		} else {
			add("cost", "paid")
		}
		days := map[string]bool{}
		for _, s := range l.Sessions {
			days[directory.DayCode(s.Day)] = true
		}
		for d := range days {
			add("day", d)
		}
		for _, f := range l.Formats {
			add("format", string(f))
		}
		for _, a := range l.Accessibility {
			add("accessibility", string(a))
		}
		for _, lang := range l.Languages {
			add("language", lang)
		}
		if l.Online {
			add("online", "yes")
		} else {
			add("online", "no")
		}
	}
	return out
}

func TestFacetsAgreeWithStore(t *testing.T) {
	d := sampleDirectory(t)
	tax := mustVocabulary(t).Taxonomy
	gaz := mustVocabulary(t).Gazetteer
	all := activeListings(t, d)
	_, sw9, err := gaz.Locate("SW9")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    directory.Query
		keep func(*directory.Listing) bool
	}{
		{"everything", directory.Query{}, func(*directory.Listing) bool { return true }},
		{"free", directory.Query{FreeOnly: true}, func(l *directory.Listing) bool { return l.Cost.Free }},
		{"on Tuesdays", directory.Query{Days: []time.Weekday{time.Tuesday}}, func(l *directory.Listing) bool {
			return slices.ContainsFunc(l.Sessions, func(s directory.Session) bool { return s.Day == time.Tuesday })
		}},
		{"category food, with the categories under it", directory.Query{Categories: []string{"food"}}, func(l *directory.Listing) bool {
			return slices.ContainsFunc(l.Categories, func(c string) bool { return slices.Contains(tax.WithDescendants("food"), c) })
		}},
		{"in Portuguese", directory.Query{Languages: []string{"pt"}}, func(l *directory.Listing) bool { return slices.Contains(l.Languages, "pt") }},
		{"step-free and a hearing loop", directory.Query{Accessibility: []directory.Access{directory.AccessStepFree, directory.AccessHearing}}, func(l *directory.Listing) bool {
			return l.HasAccess(directory.AccessStepFree) && l.HasAccess(directory.AccessHearing)
		}},
		{"within 2 km of SW9", directory.Query{Postcode: "SW9", RadiusKm: 2}, func(l *directory.Listing) bool {
			km, ok := directory.NearestKm(sw9, l.Points())
			return ok && km <= 2
		}},
		{"age 17", directory.Query{Age: 17}, func(l *directory.Listing) bool { return l.ServesAge(17) }},
		{"online", directory.Query{OnlineOnly: true}, func(l *directory.Listing) bool { return l.Online }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kept []*directory.Listing
			for _, l := range all {
				if tt.keep(l) {
					kept = append(kept, l)
				}
			}
			if len(kept) == 0 {
				t.Fatal("the filter keeps no sample listing; the test needs some")
			}
			tt.q.Facets = true
			res := mustSearch(t, d, tt.q)
			if res.Total != len(kept) {
				t.Errorf("Total = %d; the store has %d such listings", res.Total, len(kept))
			}
			want := facetsByHand(tax, kept)
			for _, facet := range []string{"category", "stage", "cost", "day", "format", "accessibility", "language", "online"} {
				got := map[string]int{}
				for _, fc := range res.Facets[facet] {
					got[fc.Term] = fc.Count
					if fc.Label == "" {
						t.Errorf("facet %s term %q has no label", facet, fc.Term)
					}
				}
				if w := want[facet]; !reflect.DeepEqual(got, w) && (len(got) > 0 || len(w) > 0) {
					t.Errorf("facet %s:\n got %v\nwant %v", facet, got, w)
				}
			}
		})
	}
}

func TestFacetLabelsAndOrder(t *testing.T) {
	d := sampleDirectory(t)
	res := mustSearch(t, d, directory.Query{Facets: true})
	var days []string
	for _, fc := range res.Facets["day"] {
		days = append(days, fc.Label)
	}
	if want := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}; !reflect.DeepEqual(days, want) {
		t.Errorf("day facet = %v; want the week from Monday", days)
	}
	labels := map[string]string{}
	for _, facet := range []string{"category", "cost", "language", "online", "accessibility"} {
		for _, fc := range res.Facets[facet] {
			labels[facet+":"+fc.Term] = fc.Label
		}
	}
	for key, want := range map[string]string{
		"category:food-bank": "Food banks and pantries", "cost:free": "Free", "cost:paid": "Costs something",
		"language:pt": "Portuguese", "online:yes": "Online", "online:no": "In person", "accessibility:bsl": "British Sign Language",
	} {
		if got, ok := labels[key]; !ok {
			t.Errorf("facet %s missing", key)
		} else if got != want {
			t.Errorf("facet %s label %q; want %q", key, got, want)
		}
	}
	// Counts come most first within a facet (days aside).
	for facet, list := range res.Facets {
		if facet == "day" {
			continue
		}
		for i := 1; i < len(list); i++ {
			if list[i].Count > list[i-1].Count {
				t.Errorf("facet %s: %s (%d) after %s (%d)", facet, list[i].Term, list[i].Count, list[i-1].Term, list[i-1].Count)
			}
		}
	}
}
