// Package webtest gives the web packages' tests and benchmarks what they
// need: a directory in a temporary folder with the sample network loaded,
// on a fixed clock, and a listing made of hostile text.
package webtest

import (
	"context"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/matcher"
)

// Now returns the fixed time the tests run at: Tuesday 24 November 2026,
// 10:30 in London.
func Now() time.Time { return time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC) }

// MustOpenSample opens a directory in a temporary folder on the fixed
// clock, loads the sample network through the importer as the first serve
// does, and closes it when the test ends. It fails the test if anything
// goes wrong. Loading takes a while (seconds under the race detector), so
// tests share one directory through subtests.
func MustOpenSample(tb testing.TB) *directory.Directory {
	tb.Helper()
	vocab, err := data.LoadVocabulary()
	if err != nil {
		tb.Fatal(err)
	}
	d, err := directory.Open(directory.Config{Dir: tb.TempDir(), Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	if _, err := importer.New(d).LoadSample(context.Background()); err != nil {
		tb.Fatalf("load the sample network: %v", err)
	}
	if err := d.MarkInitialised(); err != nil {
		tb.Fatal(err)
	}
	return d
}

// HostileText is markup a partner might (by mistake or on purpose) put in a
// listing; pages must show it as text.
const HostileText = `<script>alert(1)</script>`

// MustAddHostileListing stores a listing whose name, summary, description,
// organisation, venue and cost are HostileText (with a word to find it by),
// and returns it. It meets on Tuesdays in SW9 and is free.
func MustAddHostileListing(tb testing.TB, d *directory.Directory) *directory.Listing {
	tb.Helper()
	sessions, err := directory.ParseSessions("Tue 10:00-12:00")
	if err != nil {
		tb.Fatal(err)
	}
	l := &directory.Listing{
		ID: directory.ListingID("hostile-test", "H1"), PartnerID: "hostile-test", Ref: "H1",
		Name:         HostileText,
		Summary:      "Zanzibarite " + HostileText,
		Description:  "Zanzibarite " + HostileText + "\n\n\"quoted\" & 'single' <b>bold</b>",
		Organisation: directory.Organisation{Name: HostileText},
		Categories:   []string{"arts-crafts"},
		Locations:    []directory.Location{{Name: HostileText, Address: HostileText, Postcode: "SW9 8SA", Point: &directory.LatLon{Lat: 51.4655, Lon: -0.1070}}},
		Sessions:     sessions,
		Cost:         directory.Cost{Free: true, Words: HostileText},
		Contact:      directory.Contact{Phone: "020 7946 0000", Email: "hostile@example.org", Website: "https://example.org/?q=<script>"},
		Status:       directory.StatusActive,
		LastVerified: Now().AddDate(0, -1, 0),
	}
	if _, err := d.Apply(context.Background(), directory.Change{Put: []*directory.Listing{l}}); err != nil {
		tb.Fatalf("add the hostile listing: %v", err)
	}
	return l
}

// MustMatcher returns a matcher over d with the embedded activity list and
// matching vocabulary, as serve builds it, on the fixed clock.
func MustMatcher(tb testing.TB, d *directory.Directory) *matcher.Matcher {
	tb.Helper()
	return MustMatcherAt(tb, d, Now)
}

// MustMatcherAt is MustMatcher on the clock now.
func MustMatcherAt(tb testing.TB, d *directory.Directory, now func() time.Time) *matcher.Matcher {
	tb.Helper()
	acts, err := data.Activities()
	if err != nil {
		tb.Fatal(err)
	}
	concepts, err := data.MatchingVocabulary()
	if err != nil {
		tb.Fatal(err)
	}
	m, err := matcher.New(d, matcher.Config{Activities: acts, Concepts: concepts, Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
