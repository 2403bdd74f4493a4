package importer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/importer/hsds"
)

func openRoundTripDir(t *testing.T) *directory.Directory {
	t.Helper()
	vocab, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d, err := directory.Open(directory.Config{Dir: t.TempDir(), Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// notCarried lists the fields of a listing an HSDS export does not carry:
// the partner is whoever imports the package, and Created and Updated are
// the store's own record of when it changed.
func notCarried(l directory.Listing) directory.Listing {
	l.PartnerID, l.Created, l.Updated = "", time.Time{}, time.Time{}
	return l
}

// fields returns a listing's fields as JSON values, for a field-by-field
// comparison.
func fields(t *testing.T, l directory.Listing) map[string]string {
	t.Helper()
	raw, err := json.Marshal(notCarried(l))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// Exporting each sample partner as HSDS 3.0 and importing the zip into an
// empty directory gives back the same listings, field by field; importing
// it into the directory it came from changes nothing.
func TestHSDSExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openRoundTripDir(t)
	if _, err := importer.New(src).LoadSample(ctx); err != nil {
		t.Fatal(err)
	}
	dst := openRoundTripDir(t)
	partners, err := src.Partners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, p := range partners {
		var buf bytes.Buffer
		if _, err := (&hsds.Exporter{Dir: src, PartnerID: p.ID}).WriteZip(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		f := importer.File{Name: p.ID + ".zip", R: bytes.NewReader(buf.Bytes()), Size: int64(buf.Len())}

		same, err := importer.New(src).PlanHSDS(ctx, p.ID, f, importer.Options{Mode: importer.ModeReplace})
		if err != nil {
			t.Fatal(err)
		}
		if same.Changes() || len(same.Errors) > 0 || len(same.Warnings) > 0 {
			t.Errorf("%s: importing its own export would create %d, update %d, remove %d (first update %+v); errors %v, warnings %v",
				p.ID, len(same.Create), len(same.Update), len(same.Remove), firstUpdate(same), same.Errors, same.Warnings)
		}

		if _, err := dst.AddPartner(ctx, p); err != nil {
			t.Fatal(err)
		}
		plan, err := importer.New(dst).PlanHSDS(ctx, p.ID, f, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Errors) > 0 || len(plan.Warnings) > 0 {
			t.Errorf("%s: errors %v, warnings %v", p.ID, plan.Errors, plan.Warnings)
		}
		if _, err := importer.New(dst).Apply(ctx, plan, "test", false); err != nil {
			t.Fatal(err)
		}
		want, err := src.PartnerListings(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := dst.PartnerListings(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d listings back, want %d", p.ID, len(got), len(want))
			continue
		}
		for i := range want {
			w, g := fields(t, *want[i]), fields(t, *got[i])
			for k := range w {
				if w[k] != g[k] {
					t.Errorf("%s %s, %s:\n got %s\nwant %s", p.ID, want[i].Ref, k, g[k], w[k])
				}
			}
			for k := range g {
				if _, ok := w[k]; !ok {
					t.Errorf("%s %s, %s: got %s, want nothing", p.ID, want[i].Ref, k, g[k])
				}
			}
			compared++
		}
	}
	if n, _ := src.Count(ctx); compared != n {
		t.Errorf("compared %d listings, the sample has %d", compared, n)
	}
}

func firstUpdate(p *importer.Plan) any {
	if len(p.Update) == 0 {
		return nil
	}
	return p.Update[0].Changes
}

// An address without a town gains its postcode district's first area
// name: HSDS requires a town (city) with every address. That is the one
// change a round trip makes, and it is made once.
func TestHSDSRoundTripAddsTheTownOnce(t *testing.T) {
	ctx := context.Background()
	src := openRoundTripDir(t)
	p := directory.Partner{ID: "p1", Name: "Partner One"}
	if _, err := src.AddPartner(ctx, p); err != nil {
		t.Fatal(err)
	}
	l := &directory.Listing{ID: directory.ListingID("p1", "R1"), PartnerID: "p1", Ref: "R1", Name: "Walk", Description: "A walk.",
		Categories: []string{"walking-groups"}, Status: directory.StatusActive, Contact: directory.Contact{Email: "a@example.org"},
		Locations: []directory.Location{{Name: "Hall", Address: "Mervan Road", Postcode: "SW2 1DR", Point: &directory.LatLon{Lat: 51.45, Lon: -0.11}}}}
	if _, err := src.Apply(ctx, directory.Change{Put: []*directory.Listing{l}}); err != nil {
		t.Fatal(err)
	}
	roundTrip := func() *directory.Listing {
		var buf bytes.Buffer
		if _, err := (&hsds.Exporter{Dir: src, PartnerID: "p1"}).WriteZip(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		plan, err := importer.New(src).PlanHSDS(ctx, "p1", importer.File{Name: "p1.zip", R: bytes.NewReader(buf.Bytes()), Size: int64(buf.Len())}, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := importer.New(src).Apply(ctx, plan, "test", false); err != nil {
			t.Fatal(err)
		}
		got, err := src.Listing(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := roundTrip().Locations[0].Address; got != "Mervan Road, Brixton" {
		t.Errorf("after one round trip the address is %q, want %q", got, "Mervan Road, Brixton")
	}
	if got := roundTrip().Locations[0].Address; got != "Mervan Road, Brixton" {
		t.Errorf("after two round trips the address is %q", got)
	}
}
