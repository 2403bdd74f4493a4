// Command bench measures the Living Well directory at scale: import speed,
// memory and size on disk, cold start, and the latency of a fixed, seeded
// mix of searches (and matches) in-process and over HTTP, at concurrency 1
// and 8, beside the same listings in PostgreSQL with full-text search and
// a radius, the baseline of other Open Referral directories. It writes a
// markdown table, JSON and a PNG chart under bench/results.
//
//	go run ./cmd/bench                       # quick: 10k listings, under 3 minutes
//	go run ./cmd/bench --full                # 1k, 10k and 100k
//	go run ./cmd/bench --sizes 1k,10k,100k,1M
//
// It is its own binary so that the plotting library and the PostgreSQL
// driver stay out of livingwell. Run it from the module's root: it builds
// livingwell with go build, and imports through a child livingwell
// process so memory is measured from outside.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, " ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	full := fs.Bool("full", false, "measure at 1k, 10k and 100k listings (the quick run is 10k only)")
	sizesFlag := fs.String("sizes", "", "the numbers of listings to measure, comma-separated (1k, 10k, 100k, 1M); overrides --full")
	seed := fs.Uint64("seed", 1, "the seed of the listings and the query mix")
	perKind := fs.Int("per-kind", 200, "how many searches of each kind are timed, each way")
	out := fs.String("out", "bench/results", "where the results go")
	work := fs.String("work", "", "the folder for generated files and data directories (a new temporary folder, removed afterwards, when empty)")
	bin := fs.String("livingwell", "", "the livingwell binary to measure (built from this module when empty)")
	withPG := fs.Bool("postgres", true, "measure the PostgreSQL baseline too")
	importOnly := fs.Bool("import-only", false, "measure only the import and the cold start")
	render := fs.String("render", "", "measure nothing: write the report, JSON and chart again from these JSON results (comma-separated), their sizes together (for a 1M run beside a full run)")
	var importEnv stringList
	fs.Var(&importEnv, "import-env", "NAME=VALUE added to the import process's environment, e.g. GOGC=200 (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *render != "" {
		r, err := combineReports(strings.Split(*render, ","))
		if err != nil {
			return err
		}
		path, err := writeResults(*out, r)
		if err != nil {
			return err
		}
		fmt.Println(path)
		return nil
	}
	sizes := []int{10_000}
	if *full {
		sizes = []int{1_000, 10_000, 100_000}
	}
	if *sizesFlag != "" {
		var err error
		if sizes, err = parseSizes(*sizesFlag); err != nil {
			return err
		}
	}
	if *perKind < 1 {
		return errors.New("--per-kind must be 1 or more")
	}
	cfg := &Config{Sizes: sizes, Seed: *seed, PerKind: *perKind, Bin: *bin, Postgres: *withPG, ImportEnv: importEnv, ImportOnly: *importOnly, Log: os.Stderr, Work: *work}
	if cfg.Work == "" {
		dir, err := os.MkdirTemp("", "livingwell-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.Work = dir
	}
	report, err := measure(ctx, cfg)
	if err != nil {
		return err
	}
	report.Command = "go run ./cmd/bench " + strings.Join(args, " ")
	path, err := writeResults(*out, report)
	if err != nil {
		return err
	}
	fmt.Println(path)
	return nil
}

// measure builds livingwell when needed and runs every size.
func measure(ctx context.Context, cfg *Config) (*Report, error) {
	r := &Report{Date: time.Now(), Machine: machineName(), CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), Seed: cfg.Seed, PerKind: cfg.PerKind, Load: loadAverage(), Commit: gitCommit()}
	if cfg.Bin == "" {
		cfg.logf("building livingwell")
		bin, err := buildLivingwell(ctx, cfg.Work)
		if err != nil {
			return nil, err
		}
		cfg.Bin = bin
	}
	vocab, err := loadMixVocabulary()
	if err != nil {
		return nil, err
	}
	for _, n := range cfg.Sizes {
		res, err := runSize(ctx, cfg, vocab, n)
		if err != nil {
			return nil, fmt.Errorf("%s listings: %w", thousands(n), err)
		}
		r.Sizes = append(r.Sizes, res)
	}
	return r, nil
}

// writeResults writes the chart, JSON and markdown, and returns the
// markdown's path.
func writeResults(dir string, r *Report) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	stamp := r.Date.UTC().Format("2006-01-02T1504Z")
	chart := stamp + ".png"
	if err := writeChart(filepath.Join(dir, chart), r.Sizes); err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, chart))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "latest.png"), b, 0o644); err != nil {
		return "", err
	}
	return writeReport(dir, r, chart)
}

// combineReports reads JSON results and puts their sizes together, in
// order of size, under the first report's date and machine; a size in
// several reports is taken from the last.
func combineReports(paths []string) (*Report, error) {
	var out *Report
	bySize := map[int]*SizeResult{}
	var cmds []string
	for _, p := range paths {
		b, err := os.ReadFile(strings.TrimSpace(p))
		if err != nil {
			return nil, err
		}
		var r Report
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if out == nil {
			out = &r
		}
		cmds = append(cmds, r.Command)
		for _, s := range r.Sizes {
			bySize[s.N] = s
		}
	}
	if out == nil {
		return nil, errors.New("--render: no results given")
	}
	out.Sizes = nil
	for _, n := range slices.Sorted(maps.Keys(bySize)) {
		out.Sizes = append(out.Sizes, bySize[n])
	}
	out.Command = strings.Join(cmds, "` and `")
	return out, nil
}

// parseSizes reads "1k,10k,100k,1M".
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		mult := 1
		switch {
		case strings.HasSuffix(part, "k"), strings.HasSuffix(part, "K"):
			mult, part = 1000, part[:len(part)-1]
		case strings.HasSuffix(part, "m"), strings.HasSuffix(part, "M"):
			mult, part = 1_000_000, part[:len(part)-1]
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 || n*mult > 5_000_000 {
			return nil, fmt.Errorf("--sizes: %q is not a number of listings from 1 to 5M, like 10k or 1M", part)
		}
		out = append(out, n*mult)
	}
	return out, nil
}

// gitCommit returns the short commit being measured, marked "+changes"
// when the work tree differs from it; empty outside a git checkout.
func gitCommit() string {
	b, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	c := strings.TrimSpace(string(b))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		c += "+changes"
	}
	return c
}
