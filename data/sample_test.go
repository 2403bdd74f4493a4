package data_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// TestSampleLoadsCleanly imports every sample partner's file as a partner
// would upload it and checks that the sample network is what the README
// promises: no errors or warnings, at least 300 listings from at least 40
// partners, every category in use, and the awkward cases a directory must
// handle.
func TestSampleLoadsCleanly(t *testing.T) {
	ctx := context.Background()
	vocab, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, directory.London())
	d, err := directory.Open(directory.Config{Dir: t.TempDir(), Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	im := importer.New(d)

	partners, err := data.SamplePartners()
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range partners {
		if _, err := d.AddPartner(ctx, directory.Partner{ID: sp.ID, Name: sp.Name, Kind: sp.Kind, Website: sp.Website, Borough: sp.Borough, Description: sp.Description}); err != nil {
			t.Fatalf("add partner %s: %v", sp.ID, err)
		}
		f, err := data.SampleListings(sp.ID)
		if err != nil {
			t.Fatalf("partner %s has no listings file: %v", sp.ID, err)
		}
		raw, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		name := sp.ID + ".csv"
		plan, err := im.PlanFile(ctx, sp.ID, importer.File{Name: name, R: bytes.NewReader(raw), Size: int64(len(raw))}, importer.Options{Mode: importer.ModeReplace, FileName: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, p := range plan.Errors {
			t.Errorf("%s: error: %s", name, p)
		}
		for _, p := range plan.Warnings {
			t.Errorf("%s: warning: %s", name, p)
		}
		if len(plan.Create) == 0 {
			t.Errorf("%s has no listings", name)
		}
		if _, err := im.Apply(ctx, plan, "sample", true); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}

	var stale, closed, onlineOnly, multi, total int
	byPartner := map[string]int{}
	used := map[string]bool{}
	err = d.ForEachListing(ctx, func(l *directory.Listing) error {
		total++
		byPartner[l.PartnerID]++
		for _, c := range l.Categories {
			used[c] = true
			if _, ok := vocab.Taxonomy.Term(c); !ok {
				t.Errorf("%s %q: category %q is not in the taxonomy", l.PartnerID, l.Name, c)
			}
		}
		if l.Stale(now) {
			stale++
		}
		if l.Status == directory.StatusTempClosed {
			closed++
		}
		if l.OnlineOnly() {
			onlineOnly++
		}
		if len(l.Points()) > 1 {
			multi++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total < 300 {
		t.Errorf("%d listings; want at least 300", total)
	}
	if len(byPartner) < 40 || len(partners) < 40 {
		t.Errorf("%d partners with listings (%d in the partner files); want at least 40", len(byPartner), len(partners))
	}
	for _, term := range vocab.Taxonomy.Terms() {
		if !used[term.Code] {
			t.Errorf("no sample listing is filed under %q (%s)", term.Code, term.Label)
		}
	}
	for what, n := range map[string]int{"stale": stale, "temporarily closed": closed, "online-only": onlineOnly, "with several locations": multi} {
		if n == 0 {
			t.Errorf("no sample listing is %s", what)
		}
	}
	if n, err := d.Count(ctx); err != nil || n != total {
		t.Errorf("Count = %d, %v; the store walk found %d", n, err, total)
	}
}
