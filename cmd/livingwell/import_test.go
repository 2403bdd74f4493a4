package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/importer"
)

const templateHeader = "ref,name,description,categories,postcode,sessions,cost,phone,last_verified\n"

// writeFile writes a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportCommands runs import, export and undo-import as a partner's
// coordinator would: dry run, a refusal, valid rows only, a download and
// upload that changes nothing, replace mode, and undo.
func TestImportCommands(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	mustRunCLI(t, data, "", "partners", "add", "--name", "Brixton Growers")
	mustRunCLI(t, data, "", "partners", "add", "--name", "Other Group", "--id", "other")
	good := writeFile(t, tmp, "good.csv", templateHeader+
		"BG-01,Growing together,A gardening group.,community-gardens,SW9 8AB,Tue 10:00-12:00,free,020 7946 0123,2026-11-01\n"+
		"BG-02,Seed swap,Swap seeds.,nature-gardening,SW9 8AB,1st Sat 11:00-13:00,£2,020 7946 0123,2026-11-01\n")
	mixed := writeFile(t, tmp, "mixed.csv", templateHeader+
		"BG-03,Compost,Make compost.,nature-gardening,SW9 8AB,,free,020 7946 0123,\n"+
		"BG-04,Broken,Bad postcode.,nature-gardening,SW9 8,,free,020 7946 0123,\n")

	r := mustRunCLI(t, data, "", "import", good, "--partner", "brixton-growers", "--dry-run")
	for _, want := range []string{"good.csv for partner brixton-growers (merge mode): 2 rows", "created            2", "Dry run: nothing was stored."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, r.stdout)
		}
	}
	if got := mustRunCLI(t, data, "", "export", "--partner", "brixton-growers").stdout; strings.Count(got, "\n") != 1 {
		t.Errorf("a dry run stored listings:\n%s", got)
	}

	r = runCLI(t, data, "", "import", mixed, "--partner", "brixton-growers")
	if r.code != 1 || !strings.Contains(r.stdout, "3    BG-04  Broken  postcode  'SW9 8' is not a full UK postcode or district - check it") ||
		!strings.Contains(r.stdout, "Refused: 1 row has errors") || !strings.Contains(r.stdout, "--valid-only to import the other 1 row.") {
		t.Errorf("a file with errors: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	mustRunCLI(t, data, "", "import", good, "--partner", "brixton-growers")
	r = mustRunCLI(t, data, "", "import", mixed, "--partner", "brixton-growers", "--valid-only")
	if !strings.Contains(r.stdout, "Applied as import brixton-growers-2") {
		t.Errorf("valid-only import:\n%s", r.stdout)
	}

	// Download, upload again: nothing changes, in CSV and in Excel.
	exported := mustRunCLI(t, data, "", "export", "--partner", "brixton-growers").stdout
	if !strings.HasPrefix(exported, "\uFEFFref,name,") || strings.Count(exported, "BG-0") != 3 {
		t.Fatalf("export:\n%s", exported)
	}
	csvPath := writeFile(t, tmp, "download.csv", exported)
	if r := mustRunCLI(t, data, "", "import", csvPath, "--partner", "brixton-growers", "--replace"); !strings.Contains(r.stdout, "Nothing to change.") {
		t.Errorf("re-importing the CSV download:\n%s", r.stdout)
	}
	xlsxPath := filepath.Join(tmp, "download.xlsx")
	mustRunCLI(t, data, "", "export", "--partner", "brixton-growers", "--format", "xlsx", "--out", xlsxPath)
	if r := mustRunCLI(t, data, "", "import", xlsxPath, "--partner", "brixton-growers", "--replace"); !strings.Contains(r.stdout, "unchanged          3") || !strings.Contains(r.stdout, "Nothing to change.") {
		t.Errorf("re-importing the Excel download:\n%s", r.stdout)
	}
	if r := mustRunCLI(t, data, "", "export", "--partner", "brixton-growers", "--format", "hsds3", filepath.Join(tmp, "bg.zip")); !strings.Contains(r.stdout, "wrote 3 services") {
		t.Errorf("hsds3 export: %+v", r)
	}
	if r := runCLI(t, data, "", "export", "--partner", "brixton-growers", "--format", "pdf"); r.code != 1 || !strings.Contains(r.stderr, "csv, xlsx or hsds3") {
		t.Errorf("an unknown format: %+v", r)
	}

	// Replace mode: the file is the whole list.
	r = mustRunCLI(t, data, "", "import", good, "--partner", "brixton-growers", "--replace")
	if !strings.Contains(r.stdout, "removed            1") || !strings.Contains(r.stdout, "remove       BG-03") {
		t.Errorf("replace:\n%s", r.stdout)
	}
	r = mustRunCLI(t, data, "", "undo-import", "--partner", "brixton-growers")
	if !strings.Contains(r.stdout, "Undid import brixton-growers-3 (good.csv, replace mode") {
		t.Errorf("undo:\n%s", r.stdout)
	}
	if got := mustRunCLI(t, data, "", "export", "--partner", "brixton-growers").stdout; !strings.Contains(got, "BG-03") {
		t.Errorf("undo did not put BG-03 back:\n%s", got)
	}

	// The other partner is untouched by all of it, and has nothing to undo.
	if got := mustRunCLI(t, data, "", "export", "--partner", "other").stdout; strings.Count(got, "\n") != 1 {
		t.Errorf("the other partner has listings:\n%s", got)
	}
	if r := runCLI(t, data, "", "undo-import", "--partner", "other"); r.code != 1 || !strings.Contains(r.stderr, "no import to undo") {
		t.Errorf("undo for a partner with no imports: %+v", r)
	}
	// A downloaded file imported for the wrong partner is refused whole.
	r = runCLI(t, data, "", "import", csvPath, "--partner", "other", "--replace", "--valid-only")
	if r.code != 1 || !strings.Contains(r.stdout, "every row of this file is for partner 'brixton-growers', not other") {
		t.Errorf("brixton-growers' file imported as other: exit %d\n%s", r.code, r.stdout)
	}

	for _, bad := range [][]string{
		{"import", filepath.Join(tmp, "missing.csv"), "--partner", "brixton-growers"},
		{"import", good, "--partner", "nobody"},
		{"import", tmp, "--partner", "brixton-growers"},
		{"export", "--partner", "nobody"},
	} {
		if r := runCLI(t, data, "", bad...); r.code != 1 || r.stderr == "" {
			t.Errorf("%v: exit %d %q, want 1 and a message", bad, r.code, r.stderr)
		}
	}
	for _, usage := range [][]string{{"import", good}, {"import", "--partner", "x"}, {"export"}, {"undo-import"}} {
		if r := runCLI(t, data, "", usage...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2", usage, r.code)
		}
	}
}

// TestImportProgress previews a file long enough to show progress and
// checks the progress lines on stderr and the summary on stdout.
func TestImportProgress(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	mustRunCLI(t, data, "", "partners", "add", "--name", "Big Hub", "--id", "hub")
	var buf bytes.Buffer
	if err := importer.Generate(&buf, importer.GenerateOptions{Rows: 5000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, tmp, "hub.csv", buf.String())
	r := mustRunCLI(t, data, "", "import", path, "--partner", "hub", "--show", "3", "--dry-run")
	if !strings.Contains(r.stderr, "Reading hub.csv [") || !strings.Contains(r.stderr, "100%  5,000 rows") {
		t.Errorf("progress on stderr:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "1,000 rows") {
		t.Errorf("progress shown before %d rows:\n%s", progressFrom, r.stderr)
	}
	if !strings.Contains(r.stdout, "created        5,000") || !strings.Contains(r.stdout, "... and 4,997 more") {
		t.Errorf("summary:\n%s", r.stdout)
	}
}

// TestImportMemoryLimit checks the soft heap limit a large import sets:
// never so low that the collector runs without pause on a middling
// import, and growing with the import so a 200,000-row one is not starved.
func TestImportMemoryLimit(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		listings int
		min, max int64
	}{
		{10_000, 384 * mib, 384 * mib},
		{50_000, 384 * mib, 384 * mib},
		{100_000, 384 * mib, 400 * mib},
		{200_000, 700 * mib, 760 * mib},
	}
	for _, tt := range tests {
		if got := importMemoryLimit(tt.listings); got < tt.min || got > tt.max {
			t.Errorf("importMemoryLimit(%d) = %d MiB, want %d to %d MiB", tt.listings, got/mib, tt.min/mib, tt.max/mib)
		}
	}
}
