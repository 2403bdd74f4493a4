package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The measurements made on a child livingwell process, from outside: the
// import (wall time, CPU time, peak resident memory from wait4's rusage)
// and the cold start (a fresh process opening the data directory and
// printing the first search's results).

// buildLivingwell builds the livingwell binary into dir and returns its
// path. It is run from the module's root, which go finds from the
// working directory.
func buildLivingwell(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "livingwell")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/livingwell/livingwell/cmd/livingwell")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build livingwell: %v\n%s", err, b)
	}
	return out, nil
}

// ImportResult is the import of a generated file by a child livingwell.
type ImportResult struct {
	Rows int `json:"rows"`
	// Files is how many uploads the rows came in (at most 200,000 rows
	// each, within the importer's limit).
	Files int `json:"files"`
	// WallS is from starting the process to its exit: reading the
	// vocabulary and the file, validating, planning, storing and
	// indexing.
	WallS     float64 `json:"wall_s"`
	RowsPerS  float64 `json:"rows_per_s"`
	CPUS      float64 `json:"cpu_s"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// PeakAnonMB is the part of the resident memory that is the
	// process's own (heap, stacks), without the pages of the memory-mapped
	// store and index files, which the kernel can drop and read again.
	PeakAnonMB float64 `json:"peak_anon_mb"`
	FileMB     float64 `json:"file_mb"`
	StoreMB    float64 `json:"store_mb"`
	IndexMB    float64 `json:"index_mb"`
	IndexFiles int     `json:"index_files"`
	// CompactS is how long merging the index into one segment took
	// afterwards, as serve does in the background (directory/compact.go).
	// The searches are measured on the compacted index.
	CompactS float64 `json:"compact_s,omitempty"`
}

// childRun is what running a child livingwell gave.
type childRun struct {
	wall  time.Duration
	usage *syscall.Rusage
	out   []byte
	// peakAnonMB is the most anonymous memory (heap and stacks, not the
	// memory-mapped store and index files) seen in /proc while it ran,
	// sampled every 20 ms; 0 where there is no /proc.
	peakAnonMB float64
}

// runChild runs livingwell with args and measures it from outside.
func runChild(ctx context.Context, bin string, env []string, args ...string) (childRun, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return childRun{}, err
	}
	done := make(chan struct{})
	peak := make(chan float64, 1)
	go func() {
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		most := 0.0
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			most = max(most, anonMB(status))
			select {
			case <-done:
				peak <- most
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	r := childRun{wall: time.Since(start), out: out.Bytes(), peakAnonMB: <-peak}
	if err != nil {
		return r, fmt.Errorf("livingwell %v: %w\n%s", args, err, tail(out.Bytes(), 2000))
	}
	r.usage, _ = cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return r, nil
}

// anonMB reads RssAnon from a /proc status file, in MB; 0 when unknown.
func anonMB(status string) float64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// importChild imports the files into an empty data directory, one after
// the other, each as its own partner (a national hub gathers regional
// partners' lists) with a child livingwell, measured from outside: the
// wall and CPU time of all of them, and the highest peak of resident
// memory. Adding the partners is not timed.
func importChild(ctx context.Context, bin, dataDir string, files []string, rows int, env []string) (ImportResult, error) {
	r := ImportResult{Rows: rows, Files: len(files)}
	var wall, cpu time.Duration
	for i, file := range files {
		partner := fmt.Sprintf("bench-%d", i+1)
		if _, err := runChild(ctx, bin, env, "partners", "add", "--name", "Bench Hub "+partner, "--id", partner, "--data", dataDir, "--log-level", "warn"); err != nil {
			return ImportResult{}, err
		}
		run, err := runChild(ctx, bin, env, "import", file, "--partner", partner, "--data", dataDir, "--show", "1", "--log-level", "warn")
		if err != nil {
			return ImportResult{}, err
		}
		wall += run.wall
		if ru := run.usage; ru != nil {
			cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			r.PeakRSSMB = max(r.PeakRSSMB, float64(ru.Maxrss)/1024) // kilobytes on Linux
		}
		r.PeakAnonMB = max(r.PeakAnonMB, run.peakAnonMB)
		if st, err := os.Stat(file); err == nil {
			r.FileMB += mb(st.Size())
		}
	}
	r.WallS, r.CPUS = wall.Seconds(), cpu.Seconds()
	r.RowsPerS = float64(rows) / r.WallS
	store, _, err := diskUse(filepath.Join(dataDir, "livingwell.db"))
	if err != nil {
		return r, err
	}
	index, n, err := diskUse(filepath.Join(dataDir, "index.bleve"))
	if err != nil {
		return r, err
	}
	r.StoreMB, r.IndexMB, r.IndexFiles = mb(store), mb(index), n
	return r, nil
}

// diskUse returns the bytes of disk the files under path take (blocks
// allocated, so a sparse or preallocated file counts what it uses) and how
// many files there are.
func diskUse(path string) (int64, int, error) {
	var total int64
	n := 0
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			total += st.Blocks * 512
		} else {
			total += info.Size()
		}
		n++
		return nil
	})
	return total, n, err
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// ColdStart is how long a fresh process takes to open an existing data
// directory and print its first search's results.
type ColdStart struct {
	// Runs are the wall times of each run in milliseconds; the first is
	// the coldest (the data directory's files were last touched by
	// another process).
	Runs     []float64 `json:"runs_ms"`
	MedianMs float64   `json:"median_ms"`
	MaxMs    float64   `json:"max_ms"`
}

// coldStart runs livingwell search on dataDir runs times, each timed
// from starting the process to the results table appearing on its
// output.
func coldStart(ctx context.Context, bin, dataDir string, runs int) (ColdStart, error) {
	var c ColdStart
	for range runs {
		took, err := firstAnswer(ctx, bin, "search", "gardening", "--postcode", "SW9", "--limit", "5", "--data", dataDir, "--log-level", "warn")
		if err != nil {
			return c, err
		}
		c.Runs = append(c.Runs, float64(took.Microseconds())/1000)
	}
	sorted := slices.Clone(c.Runs)
	slices.Sort(sorted)
	c.MedianMs, c.MaxMs = sorted[len(sorted)/2], sorted[len(sorted)-1]
	return c, nil
}

// firstAnswer runs livingwell with args and returns how long it took to
// print its results table's header.
func firstAnswer(ctx context.Context, bin string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	var took time.Duration
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if took == 0 && bytes.Contains(sc.Bytes(), []byte("NAME")) {
			took = time.Since(start)
		}
	}
	if err := cmd.Wait(); err != nil {
		return 0, fmt.Errorf("livingwell %v: %w\n%s", args, err, tail(errOut.Bytes(), 2000))
	}
	if took == 0 {
		return 0, fmt.Errorf("livingwell %v printed no results table", args)
	}
	return took, nil
}
