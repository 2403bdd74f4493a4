package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// errRefused means a command did what it could and printed why it stopped
// short (an import with errors): exit 1 with nothing more to say.
var errRefused = errors.New("refused")

// runImport plans a partner's file and, unless it is a dry run or the plan
// is refused, applies it.
func runImport(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("import", "FILE --partner ID [--replace] [--dry-run] [--valid-only]")
	partner := fs.String("partner", "", "the partner whose listings the file holds (required)")
	replace := fs.Bool("replace", false, "the file is the partner's whole list: remove their listings that are not in it")
	dryRun := fs.Bool("dry-run", false, "show what would change, store nothing")
	validOnly := fs.Bool("valid-only", false, "apply the rows without errors even when other rows have them")
	show := fs.Int("show", 50, "how many problems and changes of each kind to list (0 for all)")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *partner == "" {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return directory.Errorf(directory.EINVALID, "cannot open %s: %v", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return directory.Errorf(directory.EINVALID, "cannot read %s: %v", path, err)
	}
	if st.IsDir() {
		return directory.Errorf(directory.EINVALID, "%s is a folder - give the file to import", path)
	}
	log := env.logger(common)
	dir, err := env.openForWrite(ctx, common, log)
	if err != nil {
		return err
	}
	defer dir.Close()
	im := importer.New(dir)
	mode := importer.ModeMerge
	if *replace {
		mode = importer.ModeReplace
	}
	name := filepath.Base(path)
	bar := newProgressBar(env.stderr, "Reading "+name)
	plan, err := im.PlanFile(ctx, *partner, importer.File{Name: name, R: f, Size: st.Size()}, importer.Options{Mode: mode, Progress: bar.update})
	if err != nil {
		return err
	}
	printPlan(env.stdout, plan, *show)
	switch {
	case plan.Fatal:
		fmt.Fprintf(env.stdout, "\nRefused: this file cannot be used - fix the problems above and run the import again.\n")
		return errRefused
	case plan.HasErrors() && !*validOnly:
		usable := len(plan.Create) + len(plan.Update) + plan.Unchanged
		fmt.Fprintf(env.stdout, "\nRefused: %s %s errors. Fix them and run the import again, or add --valid-only to import the other %s.\n",
			rowsWord(plan.RowsWithErrors), hasHave(plan.RowsWithErrors), rowsWord(usable))
		return errRefused
	case *dryRun:
		fmt.Fprintf(env.stdout, "\nDry run: nothing was stored.\n")
		return nil
	case !plan.Changes():
		fmt.Fprintf(env.stdout, "\nNothing to change.\n")
		return nil
	}
	if n := len(plan.Create) + len(plan.Update) + len(plan.Remove); n >= progressFrom {
		fmt.Fprintf(env.stderr, "Storing and indexing %s listings...\n", thousands(n))
	}
	if n := len(plan.Create) + len(plan.Update); n >= memoryLimitFrom && os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit(n)))
		// Under the limit, the collector may let the heap grow to three
		// times what it held (not two) while there is room: the commit's
		// peak is held by the limit all the same, and the index's
		// catch-up after it collects less often. 100,000 rows: 27 to 34
		// s and 46 to 58 CPU s at GOGC 100, 27 to 32 s and 45 to 52
		// CPU s at 200, the same peak RSS (README, "Sixth round").
		if os.Getenv("GOGC") == "" {
			defer debug.SetGCPercent(debug.SetGCPercent(importGCPercent))
		}
	}
	rec, err := im.Apply(ctx, plan, "cli", *validOnly)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "\nApplied as import %s. To undo it: livingwell undo-import --partner %s\n", rec.ID, *partner)
	return nil
}

// memoryLimitFrom is the size of import from which importMemoryLimit and
// importGCPercent are set.
const memoryLimitFrom = 10_000

// importGCPercent is the collector's GOGC while a large import is stored
// and indexed, under importMemoryLimit.
const importGCPercent = 200

// importMemoryLimit is the soft limit on the Go heap while an import of n
// listings is stored and indexed, unless GOMEMLIMIT says otherwise. The
// commit holds every listing's JSON and every new page of the store at
// once (about 3.5 KB a listing in all: one store transaction is what makes
// an upload all or nothing); without a limit the garbage collector lets
// the heap grow to twice what it held at its last cycle, which put a
// 100,000-row import's peak at 870 to 930 MB. A limit about what the
// commit needs keeps the peak near it (486 MB) for a few per cent more
// CPU. A fixed 450 MiB would make a 200,000-row import collect without
// pause (40% more CPU), so the limit grows with the import: 390 MiB for
// 100,000 listings, 730 MiB for 200,000. The limit is soft: the heap
// goes over it rather than fail. It is never below minImportMemoryLimit.
func importMemoryLimit(n int) int64 {
	const base, perListing = 48 << 20, 3584
	return max(minImportMemoryLimit, base+int64(n)*perListing)
}

// minImportMemoryLimit is the least importMemoryLimit gives: an import
// needs more than its commit while it reads and checks the file, and with
// the limit at its commit's size alone (83 MiB for 10,000 listings) the
// collector ran without pause: a 10,000-row import took 27 CPU seconds
// instead of 7 (go run ./cmd/bench --full, 21 November 2026).
const minImportMemoryLimit = 384 << 20

func rowsWord(n int) string {
	if n == 1 {
		return "1 row"
	}
	return thousands(n) + " rows"
}

func hasHave(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

// printPlan writes a plan as a summary table: the counts, then errors and
// warnings by row and column, then the listings that change, each list
// cut to show entries (0 for all).
func printPlan(w io.Writer, plan *importer.Plan, show int) {
	if show <= 0 {
		show = max(len(plan.Errors), len(plan.Warnings), len(plan.Create)+len(plan.Update)+len(plan.Remove), 1)
	}
	s := plan.Summary(false, show)
	fmt.Fprintf(w, "%s for partner %s (%s mode): %s\n\n", plan.FileName, plan.PartnerID, plan.Mode, rowsWord(plan.Rows))
	for _, c := range []struct {
		label string
		n     int
	}{{"created", s.Created}, {"updated", s.Updated}, {"unchanged", s.Unchanged}, {"removed", s.Removed}, {"errors", len(plan.Errors)}, {"warnings", len(plan.Warnings)}} {
		fmt.Fprintf(w, "  %-10s %9s\n", c.label, thousands(c.n))
	}
	printProblems(w, "Errors (these rows cannot be used)", s.Errors, len(plan.Errors))
	printProblems(w, "Warnings (used, but check them)", s.Warnings, len(plan.Warnings))
	if len(s.Changes) == 0 {
		return
	}
	fmt.Fprintf(w, "\nChanges:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  action\trow\tref\tname\tfields\n")
	for _, c := range s.Changes {
		row := ""
		if c.Row > 0 {
			row = fmt.Sprint(c.Row)
		}
		var fields []string
		for _, f := range c.Fields {
			fields = append(fields, f.Field)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", c.Action, row, oneLine(c.Ref), oneLine(c.Name), strings.Join(fields, ", "))
	}
	tw.Flush()
	if total := len(plan.Create) + len(plan.Update) + len(plan.Remove); total > len(s.Changes) {
		fmt.Fprintf(w, "  ... and %s more (use --show 0 to list them all)\n", thousands(total-len(s.Changes)))
	}
}

// printProblems writes problems as a table by row, naming each row's
// listing by its ref and name (cut to problemNameLen characters) when any
// of them has one, so a row can be found however the sheet is sorted.
func printProblems(w io.Writer, title string, ps []importer.Problem, total int) {
	if total == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	named := slices.ContainsFunc(ps, func(p importer.Problem) bool { return p.Ref != "" || p.Name != "" })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if named {
		fmt.Fprintf(tw, "  row\tref\tname\tcolumn\tproblem\n")
	} else {
		fmt.Fprintf(tw, "  row\tcolumn\tproblem\n")
	}
	for _, p := range ps {
		row := "file"
		if p.Row > 0 {
			row = fmt.Sprint(p.Row)
		}
		if named {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t", row, oneLine(p.Ref), clip(strings.Join(strings.Fields(p.Name), " "), problemNameLen))
		} else {
			fmt.Fprintf(tw, "  %s\t", row)
		}
		fmt.Fprintf(tw, "%s\t%s\n", oneLine(p.Column), strings.Join(strings.Fields(p.Message), " "))
	}
	tw.Flush()
	if total > len(ps) {
		fmt.Fprintf(w, "  ... and %s more (use --show 0 to list them all)\n", thousands(total-len(ps)))
	}
}

// problemNameLen is how much of a listing's name the problems table
// shows: enough to recognise the listing, leaving room for the problem.
const problemNameLen = 30

// oneLine keeps a table cell on one line and at most 40 characters.
func oneLine(s string) string {
	return clip(strings.Join(strings.Fields(s), " "), 40)
}

// runExport writes a partner's listings as the template (CSV or Excel), or
// the directory or a partner's listings as an Open Referral HSDS 3.0
// datapackage.
func runExport(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("export", "--partner ID [--format csv|xlsx] [--out FILE]  |  --format hsds3 [--partner ID] OUT.zip|FOLDER")
	partner := fs.String("partner", "", "the partner whose listings to write (required for csv and xlsx; hsds3 without it writes the whole directory)")
	format := fs.String("format", "csv", "csv or xlsx (the partner template), or hsds3 (an Open Referral datapackage)")
	out := fs.String("out", "", "the file to write (default: standard output for csv and xlsx); it may also be given after the flags")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 || (fs.NArg() == 1 && *out != "") {
		fs.Usage()
		return errUsage
	}
	if fs.NArg() == 1 {
		*out = fs.Arg(0)
	}
	if *partner == "" && *format != "hsds3" {
		fs.Usage()
		return errUsage
	}
	log := env.logger(common)
	dir, err := env.openDirectory(ctx, common, log, false)
	if err != nil {
		return err
	}
	defer dir.Close()
	im := importer.New(dir)
	var write func(io.Writer) error
	switch *format {
	case "csv":
		write = func(w io.Writer) error { return im.ExportPartnerCSV(ctx, w, *partner) }
	case "xlsx":
		if *out == "" && isTerminal(env.stdout) {
			return directory.Errorf(directory.EINVALID, "an Excel file is not for the terminal - give --out FILE.xlsx")
		}
		write = func(w io.Writer) error { return im.ExportPartnerXLSX(ctx, w, *partner) }
	case "hsds3":
		return exportHSDS(ctx, env, dir, *partner, *out)
	default:
		return directory.Errorf(directory.EINVALID, "--format %q should be csv, xlsx or hsds3", *format)
	}
	if *out == "" {
		return write(env.stdout)
	}
	return writeFileAtomic(*out, write)
}

// writeFileAtomic writes a file through a temporary file in the same
// folder, renamed into place only when all of it is written, so a failed
// export never leaves half a file behind.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return directory.Errorf(directory.EINVALID, "cannot write %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return directory.Errorf(directory.EINVALID, "cannot write %s: %v", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return directory.Errorf(directory.EINVALID, "cannot write %s: %v", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return directory.Errorf(directory.EINVALID, "cannot write %s: %v", path, err)
	}
	return nil
}

// runUndoImport undoes a partner's latest import.
func runUndoImport(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("undo-import", "--partner ID")
	partner := fs.String("partner", "", "the partner whose latest import to undo (required)")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *partner == "" {
		fs.Usage()
		return errUsage
	}
	log := env.logger(common)
	dir, err := env.openDirectory(ctx, common, log, false)
	if err != nil {
		return err
	}
	defer dir.Close()
	if _, err := dir.Partner(ctx, *partner); err != nil {
		return err
	}
	rec, err := dir.UndoImport(ctx, *partner, "cli")
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Undid import %s (%s, %s mode, by %s on %s): took away the %s listings it created, put back the %s it changed and the %s it removed.\n",
		rec.ID, rec.FileName, rec.Mode, rec.User, rec.At.In(directory.London()).Format("2 Jan 2006 15:04"),
		thousands(rec.Created), thousands(rec.Updated), thousands(rec.Removed))
	return nil
}
