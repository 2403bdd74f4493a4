package importer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// testNow is the clock every test directory runs on: Saturday 21 November
// 2026, 10:00 in London.
var testNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

var loadVocab = sync.OnceValues(data.LoadVocabulary)

// MustOpenDir opens a fresh directory in a temporary folder, on the fixed
// test clock, and closes it when the test ends.
func MustOpenDir(tb testing.TB) *directory.Directory {
	tb.Helper()
	return mustOpenAt(tb, tb.TempDir())
}

func mustOpenAt(tb testing.TB, path string) *directory.Directory {
	tb.Helper()
	return mustOpenWithClock(tb, path, func() time.Time { return testNow })
}

// mustOpenWithClock opens the directory in path on the given clock.
func mustOpenWithClock(tb testing.TB, path string, now func() time.Time) *directory.Directory {
	tb.Helper()
	v, err := loadVocab()
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := directory.Open(directory.Config{Dir: path, Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer, Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { dir.Close() })
	return dir
}

// MustAddPartner adds a partner with the given id and name.
func MustAddPartner(tb testing.TB, dir *directory.Directory, id, name string) {
	tb.Helper()
	if _, err := dir.AddPartner(context.Background(), directory.Partner{ID: id, Name: name, Website: "https://" + id + ".example"}); err != nil {
		tb.Fatal(err)
	}
}

// memFile wraps bytes as an upload.
func memFile(name string, b []byte) importer.File {
	return importer.File{Name: name, R: bytes.NewReader(b), Size: int64(len(b))}
}

// mustReadFile reads a file from testdata.
func mustReadFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
