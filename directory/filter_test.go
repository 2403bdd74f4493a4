package directory_test

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// TestFiltersDoNotReorder checks that narrowing a search with words by
// filters keeps exactly the listings that pass them, with the same scores
// and in the same order as without the filters: filters narrow what is
// scored (filter.go) but must never change a score.
func TestFiltersDoNotReorder(t *testing.T) {
	d := sampleDirectory(t)
	tax := d.Taxonomy()
	filters := []struct {
		name   string
		set    func(*directory.Query)
		passes func(*directory.Listing) bool
	}{
		{"free", func(q *directory.Query) { q.FreeOnly = true }, func(l *directory.Listing) bool { return l.Cost.Free }},
		{"tuesday", func(q *directory.Query) { q.Days = []time.Weekday{time.Tuesday} }, func(l *directory.Listing) bool {
			return slices.ContainsFunc(l.Sessions, func(s directory.Session) bool { return s.Day == time.Tuesday })
		}},
		{"things to do", func(q *directory.Query) { q.Categories = []string{"things-to-do"} }, func(l *directory.Listing) bool {
			under := tax.WithDescendants("things-to-do")
			return slices.ContainsFunc(l.Categories, func(c string) bool { return slices.Contains(under, c) })
		}},
		{"age 70", func(q *directory.Query) { q.Age = 70 }, func(l *directory.Listing) bool {
			return l.MinAge <= 70 && (l.MaxAge == 0 || l.MaxAge >= 70)
		}},
		{"free on tuesday", func(q *directory.Query) { q.FreeOnly, q.Days = true, []time.Weekday{time.Tuesday} }, func(l *directory.Listing) bool {
			return l.Cost.Free && slices.ContainsFunc(l.Sessions, func(s directory.Session) bool { return s.Day == time.Tuesday })
		}},
	}
	checked := 0
	for _, words := range []string{"gardening", "food bank", "support group", "lonely", "walking football", "councelling"} {
		all := mustSearch(t, d, directory.Query{Text: words, PerPage: directory.MaxPerPage})
		for _, f := range filters {
			t.Run(fmt.Sprintf("%s/%s", words, f.name), func(t *testing.T) {
				q := directory.Query{Text: words, PerPage: directory.MaxPerPage}
				f.set(&q)
				got := mustSearch(t, d, q)
				var want []directory.Hit
				for _, h := range all.Hits {
					if f.passes(h.Listing) {
						want = append(want, h)
					}
				}
				checked += len(want)
				if len(got.Hits) != len(want) || got.Total != len(want) {
					t.Fatalf("%d listings (total %d), want %d: %v", len(got.Hits), got.Total, len(want), hitNames(got))
				}
				for i := range want {
					g, w := got.Hits[i], want[i]
					if g.Listing.ID != w.Listing.ID || math.Abs(g.Score-w.Score) > 1e-9*w.Score {
						t.Errorf("hit %d: %s scored %v, want %s scored %v", i, g.Listing.Name, g.Score, w.Listing.Name, w.Score)
					}
				}
			})
		}
	}
	if checked < 30 {
		t.Errorf("only %d filtered hits compared: the sample no longer exercises the filters", checked)
	}
}
