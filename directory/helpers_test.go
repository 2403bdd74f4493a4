package directory_test

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
)

// sampleNow is the clock of the shared sample directory: Tuesday 24
// November 2026, 10:30 in London.
var sampleNow = time.Date(2026, 11, 24, 10, 30, 0, 0, directory.London())

// vocabulary is the embedded taxonomy, thesaurus and gazetteer, read once
// per test binary.
var vocabulary = sync.OnceValues(data.LoadVocabulary)

// mustVocabulary returns the embedded vocabulary or stops the test.
func mustVocabulary(tb testing.TB) *data.Vocabulary {
	tb.Helper()
	v, err := vocabulary()
	if err != nil {
		tb.Fatalf("load vocabulary: %v", err)
	}
	return v
}

// MustOpenDirectory opens a directory with the embedded vocabulary. Fields
// of cfg left zero are filled in: Dir with a fresh t.TempDir(), the
// vocabulary with the embedded one. The directory is closed when the test
// ends.
func MustOpenDirectory(tb testing.TB, cfg directory.Config) *directory.Directory {
	tb.Helper()
	v := mustVocabulary(tb)
	if cfg.Dir == "" {
		cfg.Dir = tb.TempDir()
	}
	if cfg.Taxonomy == nil {
		cfg.Taxonomy = v.Taxonomy
	}
	if cfg.Thesaurus == nil {
		cfg.Thesaurus = v.Thesaurus
	}
	if cfg.Gazetteer == nil {
		cfg.Gazetteer = v.Gazetteer
	}
	d, err := directory.Open(cfg)
	if err != nil {
		tb.Fatalf("open directory: %v", err)
	}
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Errorf("close directory: %v", err)
		}
	})
	return d
}

// sharedSample is the sample network loaded once per test binary into a
// temporary folder that TestMain removes. Tests must only read it.
type sharedSample struct {
	once sync.Once
	tmp  string
	dir  *directory.Directory
	err  error
}

func (s *sharedSample) load() {
	s.tmp, s.err = os.MkdirTemp("", "livingwell-sample-*")
	if s.err != nil {
		return
	}
	v, err := vocabulary()
	if err != nil {
		s.err = err
		return
	}
	s.dir, s.err = directory.Open(directory.Config{Dir: s.tmp, Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer,
		Now: func() time.Time { return sampleNow }})
	if s.err != nil {
		return
	}
	if _, err := importer.New(s.dir).LoadSample(context.Background()); err != nil {
		s.err = fmt.Errorf("load the sample network: %w", err)
	}
}

func (s *sharedSample) close() {
	if s.dir != nil {
		s.dir.Close()
	}
	if s.tmp != "" {
		os.RemoveAll(s.tmp)
	}
}

// testSample is the one shared sample of this test binary.
var testSample = &sharedSample{}

// sampleDirectory returns the shared, read-only sample directory, whose
// clock stands still at sampleNow.
func sampleDirectory(tb testing.TB) *directory.Directory {
	tb.Helper()
	testSample.once.Do(testSample.load)
	if testSample.err != nil {
		tb.Fatalf("sample directory: %v", testSample.err)
	}
	return testSample.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	testSample.close()
	os.Exit(code)
}

// newListing returns a valid listing of partner with reference ref, in
// Brixton (SW9), which the options then change.
func newListing(partner, ref, name string, opts ...func(*directory.Listing)) *directory.Listing {
	l := &directory.Listing{
		ID: directory.ListingID(partner, ref), PartnerID: partner, Ref: ref,
		Organisation: directory.Organisation{Name: "Org of " + partner},
		Name:         name, Description: name + ".",
		Categories: []string{"community-groups"},
		Locations:  []directory.Location{{Name: "Hall", Postcode: "SW9 8AB", Point: &directory.LatLon{Lat: 51.4626, Lon: -0.1155}}},
		Cost:       directory.Cost{Free: true},
		Contact:    directory.Contact{Phone: "020 7946 0000"},
		Status:     directory.StatusActive,
	}
	for _, o := range opts {
		o(l)
	}
	return l
}

// mustApply applies ch or stops the test.
func mustApply(tb testing.TB, d *directory.Directory, ch directory.Change) *directory.Applied {
	tb.Helper()
	a, err := d.Apply(context.Background(), ch)
	if err != nil {
		tb.Fatalf("apply: %v", err)
	}
	return a
}

// mustSearch runs q or stops the test.
func mustSearch(tb testing.TB, d *directory.Directory, q directory.Query) *directory.Results {
	tb.Helper()
	res, err := d.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("search %+v: %v", q, err)
	}
	return res
}

// hitNames returns the names of the hits, in order.
func hitNames(res *directory.Results) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.Listing.Name
	}
	return out
}
