package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// runGen writes a generated partner CSV of realistic listings, for load
// tests and benchmarks.
func runGen(ctx context.Context, env *cli, args []string) error {
	fs, _ := env.newFlags("gen", "--listings N [--seed S] [--out FILE]")
	n := fs.Int("listings", 1000, "how many listings to write")
	seed := fs.Uint64("seed", 1, "the random seed: the same seed and count give the same file")
	out := fs.String("out", "", "the file to write (standard output when empty)")
	prefix := fs.String("ref-prefix", "GEN", "what every listing's reference starts with")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	if *n < 1 || *n > 10_000_000 {
		return directory.Errorf(directory.EINVALID, "--listings %d: give a number from 1 to 10,000,000", *n)
	}
	var w io.Writer = env.stdout
	var f *os.File
	if *out != "" {
		var err error
		if f, err = os.Create(*out); err != nil {
			return directory.Errorf(directory.EINVALID, "cannot write %s: %v", *out, err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := importer.Generate(bw, importer.GenerateOptions{Rows: *n, Seed: *seed, RefPrefix: *prefix}); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", firstSet(*out, "standard output"), err)
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", *out, err)
		}
		fmt.Fprintf(env.stderr, "Wrote %s listings to %s.\n", thousands(*n), *out)
	}
	return ctx.Err()
}
