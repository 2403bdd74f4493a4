package importer_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/livingwell/livingwell/importer"
)

// TestRoundTrip exports every partner of the sample network and imports
// the file again: nothing may change, in CSV or in Excel, so a partner who
// downloads their listings and uploads them untouched changes nothing.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := MustOpenDir(t)
	im := importer.New(dir)
	n, err := im.LoadSample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Fatalf("sample network loaded %d listings, want the whole network", n)
	}
	partners, err := dir.Partners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	formats := []struct {
		name   string
		export func(*bytes.Buffer, string) error
	}{
		{"csv", func(b *bytes.Buffer, id string) error { return im.ExportPartnerCSV(ctx, b, id) }},
		{"xlsx", func(b *bytes.Buffer, id string) error { return im.ExportPartnerXLSX(ctx, b, id) }},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			for _, p := range partners {
				var buf bytes.Buffer
				if err := f.export(&buf, p.ID); err != nil {
					t.Fatalf("export %s: %v", p.ID, err)
				}
				plan, err := im.PlanFile(ctx, p.ID, memFile(p.ID+"."+f.name, buf.Bytes()), importer.Options{Mode: importer.ModeReplace})
				if err != nil {
					t.Fatalf("import %s: %v", p.ID, err)
				}
				if plan.Changes() || plan.HasErrors() || len(plan.Warnings) > 0 {
					s := plan.Summary(false, 5)
					t.Errorf("%s: exported file does not import unchanged: %+v", p.ID, s)
				}
			}
		})
	}
}
