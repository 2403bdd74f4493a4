package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// testNow is the clock of the search tests: Tuesday 24 November 2026, 10:30 in
// London.
var testNow = time.Date(2026, 11, 24, 10, 30, 0, 0, directory.London())

// sharedSample is the sample network loaded once per test binary into a
// temporary folder that TestMain removes. Tests must only read it.
type sharedSample struct {
	once sync.Once
	tmp  string
	dir  *directory.Directory
	err  error
}

func (s *sharedSample) load() {
	if s.tmp, s.err = os.MkdirTemp("", "livingwell-web-*"); s.err != nil {
		return
	}
	vocab, err := data.LoadVocabulary()
	if err != nil {
		s.err = err
		return
	}
	s.dir, s.err = directory.Open(directory.Config{Dir: s.tmp, Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer,
		Now: func() time.Time { return testNow }})
	if s.err != nil {
		return
	}
	_, s.err = importer.New(s.dir).LoadSample(context.Background())
}

var testSample = &sharedSample{}

func TestMain(m *testing.M) {
	code := m.Run()
	if testSample.dir != nil {
		testSample.dir.Close()
	}
	if testSample.tmp != "" {
		os.RemoveAll(testSample.tmp)
	}
	os.Exit(code)
}

// mustSampleServer returns a server over the shared sample directory,
// logging nowhere.
func mustSampleServer(tb testing.TB) *Server {
	tb.Helper()
	testSample.once.Do(testSample.load)
	if testSample.err != nil {
		tb.Fatalf("sample directory: %v", testSample.err)
	}
	s, err := New(Config{Dir: testSample.dir, Importer: importer.New(testSample.dir), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// get makes a GET request to s and returns the recorded response.
func get(s *Server, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}

// decode reads a JSON response body into v or stops the test.
func decode(tb testing.TB, w *httptest.ResponseRecorder, v any) {
	tb.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		tb.Fatalf("response is not JSON (%v): %s", err, w.Body.String())
	}
}

// recorder serves req with s and returns the recorded response.
func recorder(s *Server, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}
