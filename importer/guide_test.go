package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

const guidePath = "../docs/partner-csv.md"

// categoryList writes the taxonomy as the guide lists it: one line per
// category, indented under its parent, in taxonomy order.
func categoryList(tax *directory.Taxonomy) string {
	var b strings.Builder
	var write func(parent string, depth int)
	write = func(parent string, depth int) {
		for _, t := range tax.Terms() {
			if t.Parent == parent {
				fmt.Fprintf(&b, "%s- `%s`: %s\n", strings.Repeat("  ", depth), t.Code, t.Label)
				write(t.Code, depth+1)
			}
		}
	}
	write("", 0)
	return b.String()
}

// TestPartnerGuide checks docs/partner-csv.md against the code: its list
// of categories is the taxonomy's (run with -update to regenerate it), its
// columns table names every column with all its other names, and the
// limits it gives are the importer's.
func TestPartnerGuide(t *testing.T) {
	raw, err := os.ReadFile(guidePath)
	if err != nil {
		t.Fatal(err)
	}
	guide := string(raw)
	tax, err := data.Taxonomy()
	if err != nil {
		t.Fatal(err)
	}
	const startMark, endMark = "<!-- categories:start", "<!-- categories:end -->"
	start := strings.Index(guide, startMark)
	end := strings.Index(guide, endMark)
	if start < 0 || end < start {
		t.Fatalf("%s has no categories section between %q and %q", guidePath, startMark, endMark)
	}
	start += strings.Index(guide[start:], "\n") + 1
	want := categoryList(tax)
	if *update {
		if err := os.WriteFile(guidePath, []byte(guide[:start]+want+guide[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := guide[start:end]; got != want {
		t.Errorf("the guide's categories differ from data/taxonomy.json (run go test ./importer -run TestPartnerGuide -update):\n%s", lineDiff(want, got))
	}

	rows := map[string]string{}
	for line := range strings.Lines(guide) {
		if strings.HasPrefix(line, "| `") {
			for _, name := range strings.Split(strings.SplitN(line, "|", 3)[1], ",") {
				rows[strings.Trim(strings.TrimSpace(name), "`")] = strings.ToLower(line)
			}
		}
	}
	for _, c := range importer.Columns {
		row, ok := rows[c.Name]
		if !ok {
			t.Errorf("the guide's columns table has no row for %s", c.Name)
			continue
		}
		for _, a := range c.Aliases {
			if !strings.Contains(row, a) {
				t.Errorf("the guide does not give %q as another name for %s", a, c.Name)
			}
		}
		if strings.Contains(row, "| yes |") != c.Required {
			t.Errorf("the guide says %s is required: %v; the importer: %v", c.Name, !c.Required, c.Required)
		}
	}
	for _, limit := range []string{
		fmt.Sprintf("up to %s rows", commas(importer.DefaultMaxRows)),
		fmt.Sprintf("up to %d MB", importer.DefaultMaxBytes>>20),
		fmt.Sprintf("up to %d KB", importer.MaxCellBytes>>10),
		fmt.Sprintf("up to %d MB;", importer.MaxRowBytes>>20),
		fmt.Sprintf("more than %d columns", importer.MaxColumns),
		fmt.Sprintf("At most %d sessions", directory.MaxSessions),
	} {
		if !strings.Contains(guide, limit) {
			t.Errorf("the guide does not say %q", limit)
		}
	}
}

func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestPartnerExample imports the guide's worked example: every row must
// import with no error or warning, and downloading it again must give a
// file that changes nothing.
func TestPartnerExample(t *testing.T) {
	ctx := context.Background()
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "herne-hill-neighbours", "Herne Hill Neighbours")
	im := importer.New(dir)
	raw, err := os.ReadFile(filepath.Join("..", "docs", "partner-example.csv"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := im.PlanFile(ctx, "herne-hill-neighbours", memFile("partner-example.csv", raw), importer.Options{Mode: importer.ModeReplace})
	if err != nil {
		t.Fatal(err)
	}
	if plan.HasErrors() || len(plan.Warnings) > 0 || len(plan.Create) != plan.Rows || plan.Rows < 5 {
		t.Fatalf("the worked example does not import cleanly: %+v", plan.Summary(false, 20))
	}
	if _, err := im.Apply(ctx, plan, "test", false); err != nil {
		t.Fatal(err)
	}
	byRef := map[string]*directory.Listing{}
	for _, l := range plan.Create {
		byRef[l.Ref] = l
	}
	if l := byRef["HHN-02"]; l == nil || len(l.Locations) != 2 || len(l.Sessions) != 2 || l.Cost.Pence != 300 {
		t.Errorf("HHN-02 (two places, two sessions, £3) = %+v", l)
	}
	if l := byRef["HHN-04"]; l == nil || !l.Online || len(l.Locations) != 0 {
		t.Errorf("HHN-04 (online only) = %+v", l)
	}
	if l := byRef["HHN-06"]; l == nil || l.Status != directory.StatusTempClosed || len(l.Sessions) != 5 {
		t.Errorf("HHN-06 (weekdays, temporarily closed) = %+v", l)
	}
}

// TestGuideSessionExamples checks that the ways of writing sessions the
// guide promises are read as it says.
func TestGuideSessionExamples(t *testing.T) {
	tests := map[string]string{
		"Tue 10:00-12:00; Thu 18:30-20:00; 1st Sat 11:00-13:00; Last Fri 19:00-21:00": "Tue 10:00-12:00; Thu 18:30-20:00; 1st Sat 11:00-13:00; Last Fri 19:00-21:00",
		"Mon to Fri 9-5":              "Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00; Fri 09:00-17:00",
		"weekends 10-4":               "Sat 10:00-16:00; Sun 10:00-16:00",
		"Tue and Thu 10am-12pm":       "Tue 10:00-12:00; Thu 10:00-12:00",
		"1st and 3rd Wed 14:00-16:00": "1st Wed 14:00-16:00; 3rd Wed 14:00-16:00",
		"first Sat 1830-2000":         "1st Sat 18:30-20:00",
		"Tuesday 6.30pm-8pm":          "Tue 18:30-20:00",
		"Sat noon-midnight":           "Sat 12:00-24:00",
		"Tues 10.30 to 1pm":           "Tue 10:30-13:00",
		"daily 6-8pm":                 "Sun 18:00-20:00; Mon 18:00-20:00; Tue 18:00-20:00; Wed 18:00-20:00; Thu 18:00-20:00; Fri 18:00-20:00; Sat 18:00-20:00",
	}
	for in, want := range tests {
		ss, err := directory.ParseSessions(in)
		if got := directory.FormatSessions(ss); err != nil || got != want {
			t.Errorf("%q is read as %q, %v; the guide says %q", in, got, err, want)
		}
	}
}
