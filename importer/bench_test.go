package importer_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/importer"
)

// BenchmarkImport100k imports a 100,000-row partner CSV into an empty
// directory end to end: read, validate, plan, apply in one transaction and
// index. It reports rows per second, the process's peak resident memory
// (VmHWM, reset before each run) and the CPU seconds used (on a busy
// machine the CPU time is the steadier figure). Run it with
//
//	go test ./importer -run '^$' -bench Import100k -benchtime 1x
func BenchmarkImport100k(b *testing.B) { benchmarkImport(b, 100_000) }

// BenchmarkImport20k is BenchmarkImport100k at a fifth of the size, for
// quicker comparisons.
func BenchmarkImport20k(b *testing.B) { benchmarkImport(b, 20_000) }

func benchmarkImport(b *testing.B, rows int) {
	path := filepath.Join(b.TempDir(), "partner.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := importer.Generate(w, importer.GenerateOptions{Rows: rows, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	ctx := context.Background()
	b.ResetTimer()
	var peak float64
	var cpu time.Duration
	for range b.N {
		b.StopTimer()
		dir := MustOpenDir(b)
		MustAddPartner(b, dir, "bench", "Bench Partner")
		im := importer.New(dir)
		resetPeakRSS()
		cpuStart := cpuTime()
		b.StartTimer()
		plan, err := im.PlanFile(ctx, "bench", importer.File{Name: "partner.csv", R: f, Size: st.Size()}, importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if plan.HasErrors() || len(plan.Create) != rows {
			b.Fatalf("plan: %d creates, errors %v", len(plan.Create), plan.Errors[:min(3, len(plan.Errors))])
		}
		if _, err := im.Apply(ctx, plan, "bench", false); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - cpuStart
		peak = max(peak, peakRSSMB())
		b.StartTimer()
	}
	f.Close()
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-RSS-MB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// resetPeakRSS resets the kernel's record of the process's peak resident
// memory (Linux only; elsewhere it does nothing).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMB returns VmHWM from /proc/self/status in MB, 0 when unknown.
func peakRSSMB() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
