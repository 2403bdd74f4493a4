package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// Config is one run of the harness.
type Config struct {
	Sizes []int
	Seed  uint64
	// PerKind is how many searches of each kind are timed, in each way.
	PerKind int
	// Work is the folder for generated files, data directories and the
	// PostgreSQL server; Bin the livingwell binary.
	Work string
	Bin  string
	// Postgres runs the baseline; when PostgreSQL is missing the run goes
	// on without it and says so.
	Postgres bool
	// ImportEnv is added to the import child's environment (GOGC,
	// GOMEMLIMIT trials).
	ImportEnv []string
	// ImportOnly stops after the import and the cold start, for quicker
	// comparisons of import changes.
	ImportOnly bool
	// Log receives progress.
	Log io.Writer
}

// KindResult is every measurement of one kind of search at one size.
type KindResult struct {
	Kind    Kind  `json:"kind"`
	InProc1 Stats `json:"inproc_c1"`
	HTTP1   Stats `json:"http_c1"`
	PG1     Stats `json:"pg_c1"`
	InProc8 Stats `json:"inproc_c8"`
	HTTP8   Stats `json:"http_c8"`
	PG8     Stats `json:"pg_c8"`
	// Speedup is PostgreSQL's p95 over ours in-process at concurrency 1
	// (2 means ours is twice as fast); SpeedupHTTP over ours through HTTP.
	Speedup     float64 `json:"speedup_inproc,omitempty"`
	SpeedupHTTP float64 `json:"speedup_http,omitempty"`
	// TotalsChecked and TotalsAgree count the searches, of the kinds
	// without words, whose totals were compared with the baseline's and
	// agreed (within 1%, for distances computed on two Earth models):
	// evidence that both answer the same question.
	TotalsChecked int `json:"totals_checked,omitempty"`
	TotalsAgree   int `json:"totals_agree,omitempty"`
}

// SizeResult is every measurement at one number of listings.
type SizeResult struct {
	N         int          `json:"n"`
	Import    ImportResult `json:"import"`
	ColdStart ColdStart    `json:"cold_start"`
	Kinds     []KindResult `json:"kinds"`
	// All are the whole mix together, per way of asking.
	AllInProc1 Stats `json:"all_inproc_c1"`
	AllHTTP1   Stats `json:"all_http_c1"`
	AllInProc8 Stats `json:"all_inproc_c8"`
	AllHTTP8   Stats `json:"all_http_c8"`
	AllPG1     Stats `json:"all_pg_c1"`
	AllPG8     Stats `json:"all_pg_c8"`
	// Floor1 and Floor8 are the same client against a handler that does
	// nothing.
	Floor1 Stats        `json:"floor_c1"`
	Floor8 Stats        `json:"floor_c8"`
	Match  *MatchResult `json:"match,omitempty"`
	// PGLoadS and PGSizeMB are the baseline's load time (copy and index)
	// and size on disk.
	PGLoadS  float64 `json:"pg_load_s,omitempty"`
	PGSizeMB float64 `json:"pg_size_mb,omitempty"`
	// PGSkipped says why there is no baseline, when there is none.
	PGSkipped string `json:"pg_skipped,omitempty"`
}

func (c *Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
}

// runSize measures everything at n listings.
func runSize(ctx context.Context, cfg *Config, vocab *mixVocabulary, n int) (*SizeResult, error) {
	res := &SizeResult{N: n}
	work := filepath.Join(cfg.Work, fmt.Sprintf("n%d", n))
	if err := os.RemoveAll(work); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	// One upload holds at most importer.DefaultMaxRows rows, so a
	// national hub's listings come in several files, imported one after
	// the other as the hub would.
	var files []string
	for start, part := 0, 0; start < n; start, part = start+fileRows, part+1 {
		file := filepath.Join(work, fmt.Sprintf("listings-%d.csv", part+1))
		cfg.logf("n=%d: generating %s", n, file)
		if err := writeGenerated(file, min(fileRows, n-start), cfg.Seed+uint64(part), fmt.Sprintf("GEN%d", part+1)); err != nil {
			return nil, err
		}
		files = append(files, file)
	}
	dataDir := filepath.Join(work, "data")
	cfg.logf("n=%d: importing with a child livingwell", n)
	imp, err := importChild(ctx, cfg.Bin, dataDir, files, n, cfg.ImportEnv)
	if err != nil {
		return nil, err
	}
	res.Import = imp
	cfg.logf("n=%d: import %.1f s, %.0f rows/s, %.1f CPU s, peak RSS %.0f MB, store %.0f MB, index %.0f MB", n, imp.WallS, imp.RowsPerS, imp.CPUS, imp.PeakRSSMB, imp.StoreMB, imp.IndexMB)
	if res.ColdStart, err = coldStart(ctx, cfg.Bin, dataDir, 3); err != nil {
		return nil, err
	}
	cfg.logf("n=%d: cold start %v ms", n, res.ColdStart.Runs)
	if cfg.ImportOnly {
		return res, nil
	}

	dir, err := openDirectory(dataDir)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	// serve compacts the index in the background after an import; the
	// searches are measured once it has.
	compactStart := time.Now()
	if err := dir.Compact(ctx); err != nil {
		return nil, err
	}
	res.Import.CompactS = time.Since(compactStart).Seconds()
	cfg.logf("n=%d: compacted the index in %.1f s", n, res.Import.CompactS)
	match, err := newMatcher(dir)
	if err != nil {
		return nil, err
	}
	ours, err := serveDirectory(dir, match, filepath.Join(work, "uploads"))
	if err != nil {
		return nil, err
	}
	defer ours.stop()
	floor, err := serveFloor()
	if err != nil {
		return nil, err
	}
	defer floor.stop()

	var pg *postgres
	if cfg.Postgres {
		pg, err = startPostgres(ctx, io.Discard)
		if err != nil {
			res.PGSkipped = err.Error()
			cfg.logf("n=%d: no PostgreSQL baseline: %v", n, err)
		} else {
			defer pg.stop()
			cfg.logf("n=%d: loading PostgreSQL", n)
			took, err := pg.load(ctx, dir)
			if err != nil {
				return nil, err
			}
			res.PGLoadS = took.Seconds()
			res.PGSizeMB, _ = pg.sizeMB(ctx)
			cfg.logf("n=%d: PostgreSQL loaded in %.1f s, %.0f MB", n, res.PGLoadS, res.PGSizeMB)
		}
	} else {
		res.PGSkipped = "not asked for (--postgres=false)"
	}
	m := &measurer{ctx: ctx, dir: dir, pg: pg, client: newClient(), ours: ours.base, floor: floor.base, match: match}
	mix := buildMix(vocab, cfg.Seed, cfg.PerKind)
	warm := buildMix(vocab, cfg.Seed+1, max(2, cfg.PerKind/10))
	cfg.logf("n=%d: warming up with %d searches", n, len(warm))
	if err := m.warmUp(warm); err != nil {
		return nil, err
	}
	cfg.logf("n=%d: %d searches at concurrency 1, alternating ours in-process, ours over HTTP and PostgreSQL", n, len(mix))
	c1, err := m.sequential(mix)
	if err != nil {
		return nil, err
	}
	cfg.logf("n=%d: the same at concurrency 8", n)
	c8 := m.concurrent(mix, 8)
	res.Kinds = combine(c1, c8, pg != nil)
	res.AllInProc1, res.AllHTTP1, res.AllPG1 = c1.all(wayInProc), c1.all(wayHTTP), c1.all(wayPG)
	res.AllInProc8, res.AllHTTP8, res.AllPG8 = c8.all(wayInProc), c8.all(wayHTTP), c8.all(wayPG)
	cfg.logf("n=%d: the floor: an empty handler", n)
	res.Floor1, res.Floor8 = m.floorRun(mix, 1), m.floorRun(mix, 8)
	cfg.logf("n=%d: %d matches, in-process and over HTTP", n, cfg.PerKind)
	if res.Match, err = m.matchRun(vocab, cfg.Seed, cfg.PerKind); err != nil {
		return nil, err
	}
	return res, nil
}

// fileRows is how many listings one generated file holds, within the
// importer's limit on one upload.
const fileRows = 200_000

// writeGenerated writes a generated partner CSV of n listings.
func writeGenerated(path string, n int, seed uint64, prefix string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := importer.Generate(w, importer.GenerateOptions{Rows: n, Seed: seed, RefPrefix: prefix}); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// openDirectory opens a data directory in-process, as serve does.
func openDirectory(path string) (*directory.Directory, error) {
	v, err := data.LoadVocabulary()
	if err != nil {
		return nil, err
	}
	return directory.Open(directory.Config{Dir: path, Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer})
}

// agree reports whether two totals are the same within 1%.
func agree(a, b int) bool {
	return math.Abs(float64(a-b)) <= 0.01*math.Max(float64(a), float64(b))
}
