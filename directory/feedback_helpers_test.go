package directory_test

import (
	"context"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// openFeedbackDir opens an empty directory in a temporary folder with the
// embedded vocabulary and a clock the test controls, closing it when the
// test ends.
func openFeedbackDir(tb testing.TB, now *time.Time) *directory.Directory {
	tb.Helper()
	return openFeedbackDirIn(tb, tb.TempDir(), now)
}

// openFeedbackDirIn is openFeedbackDir in the data directory dir.
func openFeedbackDirIn(tb testing.TB, dir string, now *time.Time) *directory.Directory {
	tb.Helper()
	vocab, err := data.LoadVocabulary()
	if err != nil {
		tb.Fatal(err)
	}
	d, err := directory.Open(directory.Config{
		Dir: dir, Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer,
		Now: func() time.Time { return *now },
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

// putFeedbackListing stores a small valid listing of partner p and returns it.
func putFeedbackListing(tb testing.TB, d *directory.Directory, partner, ref, name string) *directory.Listing {
	tb.Helper()
	l := &directory.Listing{
		ID: directory.ListingID(partner, ref), PartnerID: partner, Ref: ref, Name: name,
		Description: "A friendly group.", Categories: []string{"gardening"}, Online: true,
		Contact: directory.Contact{Email: "hello@example.org"}, Status: directory.StatusActive,
	}
	if _, err := d.Apply(context.Background(), directory.Change{Put: []*directory.Listing{l}}); err != nil {
		tb.Fatal(err)
	}
	return l
}
