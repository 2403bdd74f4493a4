package importer_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// TestPartnerCannotTouchOthers tries every way the importer offers for
// partner A to create, change or remove partner B's listings, and expects
// each to be refused with B's listings, history and index untouched.
func TestPartnerCannotTouchOthers(t *testing.T) {
	ctx := context.Background()
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "alpha", "Alpha Trust")
	MustAddPartner(t, dir, "bravo", "Bravo Church")
	im := importer.New(dir)
	mustImport(t, im, "alpha", header+"A1,Alpha one,Ours.,social-groups,SW9,,free,020 7946 0000,2026-11-01\n", importer.ModeReplace)
	mustImport(t, im, "bravo", header+"B1,Bravo one,Theirs.,faith-groups,SW2,,free,020 7946 0000,2026-11-01\nA1,Bravo's A1,Same ref as Alpha's.,faith-groups,SW2,,free,020 7946 0000,2026-11-01\n", importer.ModeReplace)
	bravo, err := dir.PartnerListings(ctx, "bravo")
	if err != nil || len(bravo) != 2 {
		t.Fatal(bravo, err)
	}
	b1 := bravo[1] // ordered by ref: A1, B1
	bravoBefore := takeSnapshot(t, dir)
	stillBravo := func(t *testing.T) {
		t.Helper()
		after := takeSnapshot(t, dir)
		for id, raw := range bravoBefore.Listings {
			if strings.Contains(raw, `"partner_id":"bravo"`) && after.Listings[id] != raw {
				t.Errorf("bravo's listing %s changed:\n before %s\n after  %s", id, raw, after.Listings[id])
			}
		}
		if len(after.Imports["bravo"]) != len(bravoBefore.Imports["bravo"]) {
			t.Errorf("bravo's history changed")
		}
	}

	t.Run("a row naming bravo in the partner column", func(t *testing.T) {
		plan := planCSV(t, im, "alpha", "partner,"+header+"bravo,B1,Hijacked,Changed by alpha.,faith-groups,SW2,,free,020 7946 0000,\nBravo Church,B2,New for bravo,Made by alpha.,faith-groups,SW2,,free,020 7946 0000,\nalpha,A1,Alpha one,Ours.,social-groups,SW9,,free,020 7946 0000,2026-11-01\n", importer.ModeMerge)
		if len(plan.Errors) != 2 || plan.Errors[0].Column != "partner" || plan.Changes() {
			t.Errorf("plan = %+v", plan.Summary(false, 5))
		}
		if _, err := im.Apply(ctx, plan, "alpha@example.org", true); err != nil {
			t.Fatal(err)
		}
		stillBravo(t)
	})
	t.Run("a row whose ref is bravo's listing id", func(t *testing.T) {
		plan := planCSV(t, im, "alpha", header+b1.ID+",Hijacked,Changed by alpha.,faith-groups,SW2,,free,020 7946 0000,\n", importer.ModeMerge)
		if len(plan.Errors) != 1 || !strings.Contains(plan.Errors[0].Message, "another partner") || plan.Changes() {
			t.Errorf("plan = %+v", plan.Summary(false, 5))
		}
		stillBravo(t)
	})
	t.Run("the same ref as one of bravo's is alpha's own listing", func(t *testing.T) {
		plan := planCSV(t, im, "alpha", header+"A1,Alpha one renamed,Ours.,social-groups,SW9,,free,020 7946 0000,2026-11-01\n", importer.ModeMerge)
		if len(plan.Update) != 1 || plan.Update[0].Listing.PartnerID != "alpha" {
			t.Fatalf("plan = %+v", plan.Summary(false, 5))
		}
		if _, err := im.Apply(ctx, plan, "alpha@example.org", false); err != nil {
			t.Fatal(err)
		}
		stillBravo(t)
	})
	t.Run("replace mode removes only alpha's listings", func(t *testing.T) {
		plan := planCSV(t, im, "alpha", header+"A2,Alpha two,Ours.,social-groups,SW9,,free,020 7946 0000,\n", importer.ModeReplace)
		if len(plan.Remove) != 1 || plan.Remove[0].PartnerID != "alpha" {
			t.Fatalf("plan = %+v", plan.Summary(false, 5))
		}
		if _, err := im.Apply(ctx, plan, "alpha@example.org", false); err != nil {
			t.Fatal(err)
		}
		stillBravo(t)
	})
	t.Run("a plan doctored to hold bravo's listings", func(t *testing.T) {
		for name, doctor := range map[string]func(*importer.Plan){
			"update": func(p *importer.Plan) {
				l := *b1
				l.Name = "Hijacked"
				p.Update = append(p.Update, importer.Update{Listing: &l})
			},
			"create under bravo's id": func(p *importer.Plan) {
				l := *b1
				l.PartnerID = "alpha"
				p.Create = append(p.Create, &l)
			},
			"remove": func(p *importer.Plan) { p.Remove = append(p.Remove, b1) },
		} {
			plan := planCSV(t, im, "alpha", header+"A3,Alpha three,Ours.,social-groups,SW9,,free,020 7946 0000,\n", importer.ModeMerge)
			doctor(plan)
			if _, err := im.Apply(ctx, plan, "alpha@example.org", false); err == nil {
				t.Errorf("%s: a doctored plan was applied", name)
			}
			stillBravo(t)
		}
	})
	t.Run("undo undoes only alpha's imports", func(t *testing.T) {
		for {
			if _, err := dir.UndoImport(ctx, "alpha", "alpha@example.org"); err != nil {
				if directory.ErrorCode(err) != directory.ENOTFOUND {
					t.Fatal(err)
				}
				break
			}
		}
		stillBravo(t)
		if ls, _ := dir.PartnerListings(ctx, "alpha"); len(ls) != 0 {
			t.Errorf("undoing all of alpha's imports left %d listings", len(ls))
		}
	})
	t.Run("export holds only alpha's listings", func(t *testing.T) {
		mustImport(t, im, "alpha", header+"A9,Alpha nine,Ours.,social-groups,SW9,,free,020 7946 0000,\n", importer.ModeMerge)
		for name, export := range map[string]func(*bytes.Buffer) error{
			"csv":  func(b *bytes.Buffer) error { return im.ExportPartnerCSV(ctx, b, "alpha") },
			"xlsx": func(b *bytes.Buffer) error { return im.ExportPartnerXLSX(ctx, b, "alpha") },
		} {
			var buf bytes.Buffer
			if err := export(&buf); err != nil {
				t.Fatal(err)
			}
			plan, err := im.PlanFile(ctx, "alpha", memFile("alpha."+name, buf.Bytes()), importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if plan.Rows != 1 || plan.Unchanged != 1 {
				t.Errorf("%s export of alpha: %+v", name, plan.Summary(false, 5))
			}
		}
	})
	t.Run("a downloaded file uploaded as the wrong partner", func(t *testing.T) {
		var buf bytes.Buffer
		if err := im.ExportPartnerCSV(ctx, &buf, "bravo"); err != nil {
			t.Fatal(err)
		}
		plan, err := im.PlanFile(ctx, "alpha", memFile("bravo.csv", buf.Bytes()), importer.Options{Mode: importer.ModeReplace})
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Fatal || len(plan.Errors) != 3 || plan.Changes() {
			t.Errorf("bravo's file as alpha: %+v", plan.Summary(false, 5))
		}
		if _, err := im.Apply(ctx, plan, "alpha@example.org", true); directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("applying bravo's file as alpha, valid rows only: %v, want EINVALID", err)
		}
		stillBravo(t)
	})
}
