package importer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/importer"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// seedCSV is what the partner of the messy files already has: BG-01 (which
// excel-bom-crlf.csv changes) and BG-99 (which no file mentions).
const seedCSV = `ref,name,description,categories,postcode,sessions,cost,phone,email,last_verified
BG-01,Growing together,A friendly gardening group on the estate.,community-gardens,SW9 8AB,Tue 10:00-12:00,£3,020 7946 0123,grow@brixtongrowers.example,2026-09-01
BG-99,Winter seed library,Borrow seeds in winter.,nature-gardening,SW9 8AB,,free,020 7946 0999,,2026-09-01
`

// mustMessyDir returns a directory with the partner the messy files are
// for, brixton-growers, holding seedCSV, and another partner,
// other-partner, with one listing OT-01.
func mustMessyDir(t *testing.T) (*importer.Importer, context.Context) {
	t.Helper()
	ctx := context.Background()
	dir := MustOpenDir(t)
	im := importer.New(dir)
	MustAddPartner(t, dir, "brixton-growers", "Brixton Growers")
	MustAddPartner(t, dir, "other-partner", "Other Partner")
	mustImport(t, im, "brixton-growers", seedCSV, importer.ModeReplace)
	mustImport(t, im, "other-partner", "ref,name,description,categories,postcode,phone\nOT-01,Their group,Not ours.,social-groups,SE5 8AA,020 7946 1000\n", importer.ModeReplace)
	return im, ctx
}

// mustImport plans and applies a CSV, failing the test on any error.
func mustImport(t testing.TB, im *importer.Importer, partnerID, csv string, mode importer.Mode) *importer.Plan {
	t.Helper()
	plan, err := im.PlanFile(context.Background(), partnerID, memFile("seed.csv", []byte(csv)), importer.Options{Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	if plan.HasErrors() {
		t.Fatalf("seed has errors: %v", plan.Errors)
	}
	if _, err := im.Apply(context.Background(), plan, "test", false); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestMessyFiles plans each file in testdata/messy (as partners save them
// from Excel and other tools) and compares the plan, as the API answers
// it, with testdata/golden/NAME.json. Run with -update to rewrite them.
func TestMessyFiles(t *testing.T) {
	im, ctx := mustMessyDir(t)
	files, err := filepath.Glob("testdata/messy/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no messy files: %v", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := im.PlanFile(ctx, "brixton-growers", memFile(name, raw), importer.Options{})
			if err != nil {
				t.Fatalf("the file is refused as a whole: %v", err)
			}
			got, err := json.MarshalIndent(plan.Summary(false, 1000), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./importer -run TestMessyFiles -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("plan differs from %s (run with -update if the change is right):\n%s", golden, lineDiff(string(want), string(got)))
			}
		})
	}
}

// lineDiff shows the lines of want and got that differ, "-want +got".
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("- " + wl + "\n+ " + gl + "\n")
		}
	}
	return b.String()
}
