package directory_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

func TestUndoImport(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
	d := MustOpenDirectory(t, directory.Config{Now: clk.now})
	snapshot := func(partner string) []*directory.Listing {
		t.Helper()
		ls, err := d.PartnerListings(ctx, partner)
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	imp := func(partner string, puts []*directory.Listing, deletes ...string) {
		t.Helper()
		clk.t = clk.t.Add(time.Hour)
		mustApply(t, d, directory.Change{PartnerID: partner, Put: puts, Delete: deletes,
			Import: &directory.ImportRecord{PartnerID: partner, User: "cli", FileName: partner + ".csv", Mode: "replace"}})
	}

	// Another partner's import, which undoing must not touch.
	imp("other", []*directory.Listing{newListing("other", "o1", "Other partner's walk")})
	imp("p", []*directory.Listing{newListing("p", "1", "Knitting circle"), newListing("p", "2", "Sewing circle")})
	afterFirst := snapshot("p")
	changed := newListing("p", "1", "Knitting circle at Loughborough")
	imp("p", []*directory.Listing{changed, newListing("p", "3", "Xylophone ensemble")}, directory.ListingID("p", "2"))
	otherBefore := snapshot("other")

	rec, err := d.UndoImport(ctx, "p", "admin@example.org")
	if err != nil {
		t.Fatalf("UndoImport: %v", err)
	}
	if rec.UndoneAt == nil || rec.FileName != "p.csv" {
		t.Errorf("undone record = %+v; want the second import, marked undone", rec)
	}
	if got := snapshot("p"); !reflect.DeepEqual(got, afterFirst) {
		t.Errorf("after undo the partner's listings are\n%v\nwant exactly those after the first import\n%v", refs(got), refs(afterFirst))
		for i := range got {
			if i < len(afterFirst) {
				equalListings(t, "restored listing", got[i], afterFirst[i])
			}
		}
	}
	if got := snapshot("other"); !reflect.DeepEqual(got, otherBefore) {
		t.Error("undoing p's import changed another partner's listings")
	}
	// The index follows the store.
	if res := mustSearch(t, d, directory.Query{Text: "xylophone"}); res.Total != 0 {
		t.Errorf("the listing the undone import created is still found: %v", hitNames(res))
	}
	if res := mustSearch(t, d, directory.Query{Text: "sewing"}); res.Total != 1 {
		t.Errorf("the listing the undone import removed is not found again: %v", hitNames(res))
	}
	if res := mustSearch(t, d, directory.Query{Text: "loughborough"}); res.Total != 0 {
		t.Errorf("the undone change is still in the index: %v", hitNames(res))
	}

	history, err := d.Imports(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 3 || history[0].Mode != "undo" || history[1].UndoneAt == nil || history[2].UndoneAt != nil {
		t.Errorf("history after one undo: %+v; want the undo, the undone import, the first import", history)
	}

	// Undo again: the first import goes, leaving nothing.
	if _, err := d.UndoImport(ctx, "p", "admin@example.org"); err != nil {
		t.Fatalf("second UndoImport: %v", err)
	}
	if got := snapshot("p"); len(got) != 0 {
		t.Errorf("after undoing both imports the partner still has %v", refs(got))
	}
	if _, err := d.UndoImport(ctx, "p", "admin@example.org"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("third UndoImport error %v; want ENOTFOUND, nothing left to undo", err)
	}
	if got := snapshot("other"); !reflect.DeepEqual(got, otherBefore) {
		t.Error("undoing p's imports changed another partner's listings")
	}
}

func TestUndoImportAfterLaterEdit(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDirectory(t, directory.Config{})
	mustApply(t, d, directory.Change{PartnerID: "p", Put: []*directory.Listing{newListing("p", "1", "Book club")},
		Import: &directory.ImportRecord{PartnerID: "p", FileName: "a.csv", Mode: "merge"}})
	// The partner deletes the imported listing by hand, then undoes the
	// import: nothing to remove, and no error.
	mustApply(t, d, directory.Change{PartnerID: "p", Delete: []string{directory.ListingID("p", "1")}})
	if _, err := d.UndoImport(ctx, "p", "cli"); err != nil {
		t.Fatalf("UndoImport after the listing was deleted by hand: %v", err)
	}
	if n, _ := d.Count(ctx); n != 0 {
		t.Errorf("Count = %d; want 0", n)
	}
}
