package matcher_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/matcher"
)

// evalNow is the clock of the sample directories: the moment the
// evaluation set is judged at.
var evalNow = time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)

// shared is the sample network loaded once per test binary into a folder
// that TestMain removes. Tests must only read it.
var shared struct {
	once sync.Once
	tmp  string
	dir  *directory.Directory
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != nil {
		shared.dir.Close()
	}
	if shared.tmp != "" {
		os.RemoveAll(shared.tmp)
	}
	os.Exit(code)
}

// openSample opens a directory in folder dir with the embedded vocabulary
// and loads the sample network into it.
func openSample(dir string) (*directory.Directory, error) {
	v, err := data.LoadVocabulary()
	if err != nil {
		return nil, err
	}
	d, err := directory.Open(directory.Config{Dir: dir, Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer, Now: func() time.Time { return evalNow }})
	if err != nil {
		return nil, err
	}
	if _, err := importer.New(d).LoadSample(context.Background()); err != nil {
		d.Close()
		return nil, fmt.Errorf("load the sample: %w", err)
	}
	return d, nil
}

// sampleDirectory returns the shared sample directory, loading it the
// first time.
func sampleDirectory(tb testing.TB) *directory.Directory {
	tb.Helper()
	shared.once.Do(func() {
		shared.tmp, shared.err = os.MkdirTemp("", "livingwell-matcher-*")
		if shared.err == nil {
			shared.dir, shared.err = openSample(shared.tmp)
		}
	})
	if shared.err != nil {
		tb.Fatalf("sample directory: %v", shared.err)
	}
	return shared.dir
}

// MustOpenSampleCopy loads a private copy of the sample network, for tests
// that change listings. It is closed when the test ends.
func MustOpenSampleCopy(tb testing.TB) *directory.Directory {
	tb.Helper()
	d, err := openSample(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

// newMatcher returns a matcher over d with the embedded vocabulary.
func newMatcher(tb testing.TB, d *directory.Directory) *matcher.Matcher {
	tb.Helper()
	acts, err := data.Activities()
	if err != nil {
		tb.Fatal(err)
	}
	concepts, err := data.MatchingVocabulary()
	if err != nil {
		tb.Fatal(err)
	}
	m, err := matcher.New(d, matcher.Config{Activities: acts, Concepts: concepts, Now: func() time.Time { return evalNow }})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// sampleMatcher is a matcher over the shared sample directory.
func sampleMatcher(tb testing.TB) *matcher.Matcher {
	tb.Helper()
	return newMatcher(tb, sampleDirectory(tb))
}

// dataGazetteer is the embedded postcode-district gazetteer.
func dataGazetteer() (*directory.Gazetteer, error) { return data.Gazetteer() }
