package directory_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// openFilterTestDir opens an empty directory in a temporary folder with
// the embedded vocabulary and a clock the test moves by hand.
func openFilterTestDir(t *testing.T, now *time.Time) *directory.Directory {
	t.Helper()
	vocab, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	d, err := directory.Open(directory.Config{Dir: t.TempDir(), Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func filterListing(ref, sessions string, minAge, maxAge int, categories ...string) *directory.Listing {
	ss, err := directory.ParseSessions(sessions)
	if err != nil {
		panic(err)
	}
	return &directory.Listing{
		ID: directory.ListingID("p1", ref), PartnerID: "p1", Ref: ref, Name: "Listing " + ref, Description: "A test listing.",
		Categories: categories, Sessions: ss, MinAge: minAge, MaxAge: maxAge, Online: true,
		Contact: directory.Contact{Email: "hello@example.org"}, Status: directory.StatusActive,
	}
}

func searchRefs(t *testing.T, d *directory.Directory, q directory.Query) []string {
	t.Helper()
	q.PerPage = 100
	res, err := d.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, h := range res.Hits {
		refs = append(refs, h.Listing.Ref)
	}
	slices.Sort(refs)
	return refs
}

func TestSearchOpenReferralFilters(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d := openFilterTestDir(t, &now)
	ctx := context.Background()
	put := func(ls ...*directory.Listing) {
		if _, err := d.Apply(ctx, directory.Change{Put: ls}); err != nil {
			t.Fatal(err)
		}
	}
	put(
		// Two sessions on one day: neither alone fits 09:00-12:00.
		filterListing("A", "Tue 08:00-10:00; Tue 13:00-15:00", 0, 0, "walking-groups"),
		filterListing("B", "Tue 09:00-12:00", 18, 0, "walking-groups"),
		filterListing("C", "Wed 09:00-11:00; 1st Sat 10:00-24:00", 18, 65, "Food Pantries"),
	)
	now = now.Add(time.Hour)
	put(filterListing("D", "", 12, 25, "counselling"))

	tests := []struct {
		name string
		q    directory.Query
		want []string
	}{
		{"Tuesday 9 to 12 needs one session inside it", directory.Query{Days: []time.Weekday{time.Tuesday}, Window: &directory.Window{From: 9 * 60, To: 12 * 60}}, []string{"B"}},
		{"bounds are inclusive", directory.Query{Days: []time.Weekday{time.Tuesday}, Window: &directory.Window{From: 8 * 60, To: 10 * 60}}, []string{"A"}},
		{"starting from 9 on any day", directory.Query{Window: &directory.Window{From: 9 * 60, To: 24 * 60}}, []string{"A", "B", "C"}},
		{"ending by midnight on Saturday", directory.Query{Days: []time.Weekday{time.Saturday}, Window: &directory.Window{From: 0, To: 24 * 60}}, []string{"C"}},
		{"an empty window finds nothing", directory.Query{Window: &directory.Window{From: 10 * 60, To: 10 * 60}}, nil},
		{"own minimum age at least 18", directory.Query{MinAgeAtLeast: 18}, []string{"B", "C"}},
		{"own maximum age at most 30", directory.Query{MaxAgeAtMost: 30}, []string{"D"}},
		{"both age bounds", directory.Query{MinAgeAtLeast: 18, MaxAgeAtMost: 65}, []string{"C"}},
		{"modified after the second write", directory.Query{ModifiedAfter: now}, []string{"D"}},
		{"modified after long ago", directory.Query{ModifiedAfter: now.AddDate(-1, 0, 0)}, []string{"A", "B", "C", "D"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := searchRefs(t, d, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("a window ending before it starts is refused", func(t *testing.T) {
		_, err := d.Search(ctx, directory.Query{Window: &directory.Window{From: 12 * 60, To: 9 * 60}})
		if directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("got %v, want EINVALID", err)
		}
	})

	t.Run("categories in use include imported ones and ancestors", func(t *testing.T) {
		cats, err := d.CategoriesInUse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, c := range cats {
			counts[c.Term] = c.Count
		}
		want := map[string]int{"walking-groups": 2, "exercise-sport": 2, "things-to-do": 2, "Food Pantries": 1, "counselling": 1, "talking-therapies": 1, "mental-health-support": 1}
		for code, n := range want {
			if counts[code] != n {
				t.Errorf("%s: got %d listings, want %d (all: %v)", code, counts[code], n, counts)
			}
		}
	})
}

func TestValidateLocationRules(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d := openFilterTestDir(t, &now)
	tests := []struct {
		name   string
		change func(l *directory.Listing)
		ok     bool
	}{
		{"online", func(l *directory.Listing) {}, true},
		{"a place with neither postcode nor point", func(l *directory.Listing) {
			l.Online = false
			l.Locations = []directory.Location{{Name: "Civic Center", Address: "1-30 Main Street, MyCity"}}
		}, true},
		{"only the area it serves", func(l *directory.Listing) { l.Online, l.ServiceArea = false, "Lambeth" }, true},
		{"nowhere at all", func(l *directory.Listing) { l.Online = false }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := filterListing("V", "", 0, 0, "counselling")
			tt.change(l)
			err := d.Validate(l)
			if tt.ok && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !tt.ok && directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("got %v, want EINVALID", err)
			}
		})
	}
}

// TestModifiedAfterToTheNanosecond checks "modified after" at the edges
// of the keys it is searched through (a day, then the time on that day):
// the instant itself, a nanosecond either side, midnight, other time
// zones, and the first and last years the keys hold.
func TestModifiedAfterToTheNanosecond(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	now := day
	d := openFilterTestDir(t, &now)
	ctx := context.Background()
	writes := []struct {
		ref string
		at  time.Time
	}{
		{"eve", day.Add(-time.Nanosecond)},
		{"midnight", day},
		{"noon", day.Add(12*time.Hour + time.Nanosecond)},
		{"next", day.AddDate(0, 0, 1)},
		{"later", day.AddDate(0, 2, 0)},
	}
	for _, w := range writes {
		now = w.at
		if _, err := d.Apply(ctx, directory.Change{Put: []*directory.Listing{filterListing(w.ref, "", 0, 0, "walking-groups")}}); err != nil {
			t.Fatal(err)
		}
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"eve", "later", "midnight", "next", "noon"}
	tests := []struct {
		after time.Time
		want  []string
	}{
		{day.Add(-time.Nanosecond), all},
		{day.Add(-time.Nanosecond + 1), []string{"later", "midnight", "next", "noon"}},
		{day, []string{"later", "midnight", "next", "noon"}},
		{day.Add(time.Nanosecond), []string{"later", "next", "noon"}},
		{day.Add(12*time.Hour + time.Nanosecond), []string{"later", "next", "noon"}},
		{day.Add(12*time.Hour + 2*time.Nanosecond), []string{"later", "next"}},
		{day.AddDate(0, 0, 1).Add(-time.Nanosecond), []string{"later", "next"}},
		{day.AddDate(0, 0, 1).In(london), []string{"later", "next"}},
		{day.AddDate(0, 0, 1).Add(time.Nanosecond), []string{"later"}},
		{day.AddDate(0, 3, 0), nil},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), all},
		{time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), all},
		{time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), nil},
		{time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC), nil},
	}
	for _, tt := range tests {
		if got := searchRefs(t, d, directory.Query{ModifiedAfter: tt.after}); !slices.Equal(got, tt.want) {
			t.Errorf("modified after %v: got %v, want %v", tt.after, got, tt.want)
		}
	}
}
