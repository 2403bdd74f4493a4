package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/importer"
)

// generated returns the CSV Generate writes for rows and seed.
func generated(t *testing.T, rows int, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := importer.Generate(&buf, importer.GenerateOptions{Rows: rows, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestGenerateRepeatable checks that a seed always gives the same file
// (benchmarks compare runs on the same listings) and another seed another.
func TestGenerateRepeatable(t *testing.T) {
	a, b := generated(t, 300, 42), generated(t, 300, 42)
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave two different files")
	}
	if bytes.Equal(a, generated(t, 300, 43)) {
		t.Fatal("seeds 42 and 43 gave the same file")
	}
	if !bytes.HasPrefix(generated(t, 301, 42), a) {
		t.Error("301 rows do not start with the 300 rows of the same seed")
	}
}

// TestGenerateImports checks that every generated row imports without an
// error or a warning, and that the listings look like a national network:
// spread over many districts with the big cities ahead, many categories,
// varied sessions and costs, and text with a long tail of words.
func TestGenerateImports(t *testing.T) {
	const rows = 2000
	raw := generated(t, rows, 1)
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "hub", "Hub")
	plan, err := importer.New(dir).PlanFile(context.Background(), "hub", memFile("gen.csv", raw), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.HasErrors() || len(plan.Warnings) > 0 || len(plan.Create) != rows {
		s := plan.Summary(false, 5)
		t.Fatalf("plan: %d creates, errors %v, warnings %v", len(plan.Create), s.Errors, s.Warnings)
	}
	districts, regions, words := map[string]int{}, map[string]int{}, map[string]int{}
	cats, costs, sessions := map[string]bool{}, map[string]bool{}, map[int]bool{}
	online := 0
	for _, l := range plan.Create {
		for _, loc := range l.Locations {
			district, _, _ := strings.Cut(loc.Postcode, " ")
			districts[district]++
		}
		if len(l.Locations) > 0 {
			regions[l.ServiceArea]++
		}
		if l.OnlineOnly() {
			online++
		}
		for _, c := range l.Categories {
			cats[c] = true
		}
		sessions[len(l.Sessions)] = true
		costs[l.Cost.Words] = true
		for _, w := range strings.Fields(strings.ToLower(l.Name + " " + l.Summary + " " + l.Description)) {
			words[strings.Trim(w, ".,:;!?()")]++
		}
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"districts", len(districts), 600},
		{"categories", len(cats), 40},
		{"session counts (0 to 3)", len(sessions), 4},
		{"cost wordings", len(costs), 8},
		{"distinct words", len(words), 1500},
		{"online-only listings", online, 20},
	}
	for _, c := range checks {
		if c.got < c.want {
			t.Errorf("%s: %d, want at least %d", c.what, c.got, c.want)
		}
	}
	// Birmingham and Leeds are the biggest local authorities by far; a
	// village's district gets next to nothing.
	if regions["Birmingham"] < 20 || regions["Leeds"] < 15 {
		t.Errorf("listings in Birmingham %d, Leeds %d: not weighted towards cities", regions["Birmingham"], regions["Leeds"])
	}
	rare := 0
	for _, n := range words {
		if n == 1 {
			rare++
		}
	}
	if rare < len(words)/4 {
		t.Errorf("%d of %d words are used once: real text has a long tail of rare words", rare, len(words))
	}
}

// TestGenerateRowSize keeps generated rows about as long as real ones, so
// that upload limits and import speeds measured on them hold for partners.
func TestGenerateRowSize(t *testing.T) {
	raw := generated(t, 1000, 5)
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1001 {
		t.Fatalf("%d records, want a header and 1000 rows", len(recs))
	}
	if per := len(raw) / 1000; per < 500 || per > 1100 {
		t.Errorf("%d bytes a row, want 500 to 1100 like the sample network's", per)
	}
}
