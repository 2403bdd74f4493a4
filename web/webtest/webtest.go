// Package webtest gives the web package's tests and benchmarks what they
// need: a directory with the sample network loaded, on a fixed clock.
//
// Loading the sample through the importer takes a while (seconds under the
// race detector), so a test binary prepares it once on disk with
// PrepareSample, in its TestMain, and each test opens its own copy.
package webtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// Now returns the fixed time the tests run at: Tuesday 24 November 2026,
// 10:30 in London.
func Now() time.Time { return time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC) }

// Sample is the sample network loaded into a data directory on disk, ready
// to be copied for each test.
type Sample struct {
	dir string
}

// PrepareSample loads the sample network through the importer, as the first
// serve does, into a new temporary data directory. It returns an error
// naming what failed. Call Remove when the tests are done.
func PrepareSample() (*Sample, error) {
	dir, err := os.MkdirTemp("", "livingwell-sample-")
	if err != nil {
		return nil, err
	}
	d, err := open(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	_, err = importer.New(d).LoadSample(context.Background())
	if err == nil {
		err = d.MarkInitialised()
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("load the sample network: %w", err)
	}
	return &Sample{dir: dir}, nil
}

// Remove deletes the prepared data directory.
func (s *Sample) Remove() error { return os.RemoveAll(s.dir) }

// Open copies the prepared sample into a temporary folder of the test's
// and opens it on the fixed clock, closing it when the test ends. It fails
// the test if anything goes wrong.
func (s *Sample) Open(tb testing.TB) *directory.Directory {
	tb.Helper()
	dst := tb.TempDir()
	if err := os.CopyFS(dst, os.DirFS(s.dir)); err != nil {
		tb.Fatalf("copy the sample data directory: %v", err)
	}
	d, err := open(dst)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

func open(dir string) (*directory.Directory, error) {
	vocab, err := data.LoadVocabulary()
	if err != nil {
		return nil, err
	}
	return directory.Open(directory.Config{Dir: filepath.Clean(dir), Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: Now})
}
