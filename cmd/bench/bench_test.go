package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHarness runs the whole harness at 300 listings with a few searches
// of each kind, and checks that every measurement is there, that the
// baseline answered the same questions as the directory, and that the
// report, JSON and chart are written. Without PostgreSQL the baseline is
// skipped, and the test says so.
func TestHarness(t *testing.T) {
	if testing.Short() {
		t.Skip("builds livingwell and starts PostgreSQL; skipped with -short")
	}
	withPG := true
	if _, err := findPostgres(); errors.Is(err, errNoPostgres) {
		t.Logf("measuring without the PostgreSQL baseline: %v", err)
		withPG = false
	}
	work := t.TempDir()
	var log bytes.Buffer
	cfg := &Config{Sizes: []int{300}, Seed: 3, PerKind: 4, Work: work, Postgres: withPG, Log: &log}
	r, err := measure(context.Background(), cfg)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if len(r.Sizes) != 1 {
		t.Fatalf("%d sizes measured, want 1", len(r.Sizes))
	}
	s := r.Sizes[0]
	if s.Import.Rows != 300 || s.Import.RowsPerS <= 0 || s.Import.PeakRSSMB <= 0 || s.Import.StoreMB <= 0 || s.Import.IndexMB <= 0 {
		t.Errorf("import: %+v", s.Import)
	}
	if _, err := os.Stat("/proc/self/status"); err == nil && (s.Import.PeakAnonMB <= 0 || s.Import.PeakAnonMB > s.Import.PeakRSSMB) {
		t.Errorf("peak memory not in mapped files %v MB, of %v MB resident", s.Import.PeakAnonMB, s.Import.PeakRSSMB)
	}
	if len(s.ColdStart.Runs) != 3 || s.ColdStart.MedianMs <= 0 {
		t.Errorf("cold start: %+v", s.ColdStart)
	}
	if len(s.Kinds) != len(kinds) {
		t.Fatalf("%d kinds measured, want %d", len(s.Kinds), len(kinds))
	}
	for _, k := range s.Kinds {
		for name, st := range map[string]Stats{"in-process": k.InProc1, "HTTP": k.HTTP1, "in-process c8": k.InProc8, "HTTP c8": k.HTTP8} {
			if st.N != 4 || st.P50 <= 0 || st.P95 < st.P50 || st.P99 < st.P95 {
				t.Errorf("%s %s: %+v", k.Kind, name, st)
			}
		}
		if !withPG {
			continue
		}
		if k.PG1.N != 4 || k.PG8.N != 4 || k.Speedup <= 0 {
			t.Errorf("%s PostgreSQL: %+v %+v speedup %v", k.Kind, k.PG1, k.PG8, k.Speedup)
		}
		if k.TotalsChecked != k.TotalsAgree {
			t.Errorf("%s: PostgreSQL found other totals in %d of %d searches: the baseline does not answer the same question", k.Kind, k.TotalsChecked-k.TotalsAgree, k.TotalsChecked)
		}
	}
	if withPG && s.PGSizeMB <= 0 {
		t.Errorf("PostgreSQL size %v", s.PGSizeMB)
	}
	if s.Match == nil || s.Match.InProc.N != 4 || s.Match.HTTP.N != 4 || s.Match.InProc.P50 <= 0 {
		t.Errorf("match: %+v", s.Match)
	}
	if s.Floor1.N != len(kinds)*4 || s.Floor1.P50 <= 0 || s.AllHTTP1.QPS <= 0 {
		t.Errorf("floor %+v, HTTP %+v", s.Floor1, s.AllHTTP1)
	}

	out := filepath.Join(work, "results")
	r.Command = "go run ./cmd/bench --sizes 300"
	md, err := writeResults(out, r)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(md)
	for _, want := range []string{"| 300 |", "| text |", "| sort-distance |", "floor: empty handler", "match (POST /api/v1/match)", ".png)"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("latest.md lacks %q:\n%s", want, text)
		}
	}
	var back Report
	raw, err := os.ReadFile(filepath.Join(out, "latest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &back); err != nil || len(back.Sizes) != 1 || back.Sizes[0].N != 300 {
		t.Errorf("latest.json: %v %+v", err, back)
	}
	f, err := os.Open(filepath.Join(out, "latest.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() < 600 {
		t.Errorf("latest.png: %v", err)
	}
}

// TestMixRepeatable checks that the query mix is the same for a seed, has
// every kind, and that each search is one the API accepts as written.
func TestMixRepeatable(t *testing.T) {
	v, err := loadMixVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	a, b := buildMix(v, 7, 5), buildMix(v, 7, 5)
	if len(a) != 5*len(kinds) {
		t.Fatalf("%d searches, want %d", len(a), 5*len(kinds))
	}
	for i := range a {
		if a[i].URL != b[i].URL || a[i].Kind != b[i].Kind {
			t.Fatalf("search %d differs between two mixes of one seed: %s, %s", i, a[i].URL, b[i].URL)
		}
		if a[i].SQL == "" || !strings.HasPrefix(a[i].URL, "/api/v1/search?") {
			t.Errorf("search %d: %+v", i, a[i])
		}
	}
	if c := buildMix(v, 8, 5); c[0].URL == a[0].URL && c[1].URL == a[1].URL && c[6].URL == a[6].URL {
		t.Error("seeds 7 and 8 gave the same mix")
	}
}

// TestSummarise checks the percentiles on known latencies.
func TestSummarise(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		name string
		lat  []time.Duration
		want Stats
	}{
		{"1 to 100 ms", lat, Stats{N: 100, P50: 50, P95: 95, P99: 99, Mean: 50.5, QPS: 10}},
		{"one", lat[:1], Stats{N: 1, P50: 100, P95: 100, P99: 100, Mean: 100, QPS: 10}},
		{"none", nil, Stats{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarise(tt.lat, 0, time.Duration(len(tt.lat))*100*time.Millisecond)
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestParseSizes checks the --sizes flag.
func TestParseSizes(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		ok   bool
	}{
		{"1k,10k,100k,1M", []int{1000, 10000, 100000, 1000000}, true},
		{"250", []int{250}, true},
		{" 2k , 3K", []int{2000, 3000}, true},
		{"0", nil, false},
		{"10x", nil, false},
		{"6M", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSizes(tt.in)
			if (err == nil) != tt.ok || (tt.ok && !slices.Equal(got, tt.want)) {
				t.Errorf("parseSizes(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}

// TestCombineReports checks that --render puts the sizes of several runs
// together in order, the later run winning for a size in both.
func TestCombineReports(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, r Report) string {
		b, _ := json.Marshal(r)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	full := write("full.json", Report{Command: "go run ./cmd/bench --full", Sizes: []*SizeResult{{N: 1000}, {N: 100_000, ColdStart: ColdStart{MedianMs: 1}}}})
	big := write("big.json", Report{Command: "go run ./cmd/bench --sizes 100k,1M", Sizes: []*SizeResult{{N: 1_000_000}, {N: 100_000, ColdStart: ColdStart{MedianMs: 2}}}})
	r, err := combineReports([]string{full, big})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, s := range r.Sizes {
		got = append(got, s.N)
	}
	if !slices.Equal(got, []int{1000, 100_000, 1_000_000}) || r.Sizes[1].ColdStart.MedianMs != 2 {
		t.Errorf("sizes %v, 100k from %v", got, r.Sizes[1].ColdStart)
	}
	if !strings.Contains(r.Command, "--full") || !strings.Contains(r.Command, "1M") {
		t.Errorf("command %q", r.Command)
	}
	if _, err := combineReports([]string{filepath.Join(dir, "missing.json")}); err == nil {
		t.Error("a missing file was read")
	}
}
