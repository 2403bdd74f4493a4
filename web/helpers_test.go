package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/web/webtest"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testPassword is every test user's password.
const testPassword = "correct horse battery"

// The test users.
const (
	adminEmail  = "admin@example.org"
	workerEmail = "worker@example.org"
	alphaEmail  = "a@alpha.example.org"
	betaEmail   = "b@beta.example.org"
)

// alphaCSV and betaCSV are the partners' listings at the start of a test.
const alphaCSV = `ref,name,description,categories,postcode,phone,email,last_verified
A1,Alpha Garden Club,"Grow vegetables together on the estate allotment, tools provided.",community-gardens,SW9 8HE,020 7946 0001,garden@alpha.example.org,2026-01-10
A2,Alpha Walk and Talk,"A gentle walk round the park, then tea.",walking-groups,SW2 1AA,020 7946 0002,,2025-01-10
`

const betaCSV = `ref,name,description,categories,postcode,phone,email,last_verified
B1,Beta Community Kitchen,"Cook and eat lunch together, all welcome.",cooking-healthy-eating,SE11 5AA,020 7946 0101,,2026-02-01
`

// testEnv is a server on a fresh directory with two partners (alpha and
// beta), their listings, and one user of each kind.
type testEnv struct {
	t     testing.TB
	dir   *directory.Directory
	im    *importer.Importer
	srv   *Server
	h     http.Handler
	clock *testClock
	// root is the data directory.
	root string
}

// testStart is the test clock's reading when a test begins.
var testStart = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// accountsFixture holds the files of a data directory with the fixture
// loaded, built once per test run: adding users hashes their passwords with
// bcrypt, which under the race detector takes seconds each, so tests copy
// these files rather than build the fixture again.
var accountsFixture struct {
	once  sync.Once
	files map[string][]byte
	err   error
}

// fixtureFiles returns the fixture's files by path, building them on the
// first call in a temporary folder that is removed straight after.
func fixtureFiles() (map[string][]byte, error) {
	f := &accountsFixture
	f.once.Do(func() {
		dir, err := os.MkdirTemp("", "livingwell-web-fixture-")
		if err != nil {
			f.err = err
			return
		}
		defer os.RemoveAll(dir)
		if f.err = buildFixture(dir); f.err != nil {
			return
		}
		f.files = map[string][]byte{}
		f.err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			rel, _ := filepath.Rel(dir, path)
			f.files[rel] = b
			return err
		})
	})
	return f.files, f.err
}

// buildFixture loads two partners (alpha and beta), their listings and one
// user of each kind into a new data directory in dir.
func buildFixture(dir string) error {
	vocab, err := data.LoadVocabulary()
	if err != nil {
		return err
	}
	d, err := directory.Open(directory.Config{Dir: dir, Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: func() time.Time { return testStart }})
	if err != nil {
		return err
	}
	defer d.Close()
	ctx := context.Background()
	im := importer.New(d)
	for _, p := range []struct{ id, name, csv string }{{"alpha", "Alpha Gardens", alphaCSV}, {"beta", "Beta Kitchen", betaCSV}} {
		if _, err := d.AddPartner(ctx, directory.Partner{ID: p.id, Name: p.name}); err != nil {
			return err
		}
		plan, err := im.PlanFile(ctx, p.id, importer.File{Name: p.id + ".csv", R: strings.NewReader(p.csv), Size: int64(len(p.csv))}, importer.Options{})
		if err != nil {
			return err
		}
		if plan.HasErrors() {
			return fmt.Errorf("fixture %s: %v", p.id, plan.Errors)
		}
		if _, err := im.Apply(ctx, plan, "fixture", false); err != nil {
			return err
		}
	}
	for _, u := range []directory.User{
		{Email: adminEmail, Role: directory.RoleAdmin},
		{Email: workerEmail, Role: directory.RoleWorker},
		{Email: alphaEmail, Role: directory.RolePartner, PartnerID: "alpha"},
		{Email: betaEmail, Role: directory.RolePartner, PartnerID: "beta"},
	} {
		if _, err := d.AddUser(ctx, u, testPassword); err != nil {
			return err
		}
	}
	return nil
}

// mustOpenServer opens a copy of the fixture in a temporary folder with a
// test clock and builds a server with cfg (Dir, Importer and Now are
// filled in; the log is discarded unless cfg has a Logger).
func mustOpenServer(tb testing.TB, cfg Config) *testEnv {
	tb.Helper()
	files, err := fixtureFiles()
	if err != nil {
		tb.Fatalf("build the fixture: %v", err)
	}
	root := tb.TempDir()
	for rel, b := range files {
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	vocab, err := data.LoadVocabulary()
	if err != nil {
		tb.Fatal(err)
	}
	clock := &testClock{t: testStart}
	dir, err := directory.Open(directory.Config{Dir: root, Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: clock.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { dir.Close() })
	im := importer.New(dir)
	cfg.Dir, cfg.Importer, cfg.Now = dir, im, clock.Now
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.UploadDir == "" {
		cfg.UploadDir = tb.TempDir()
	}
	if cfg.Matcher == nil {
		// With a matcher, as served, so the route tables cover the match
		// API too.
		cfg.Matcher = webtest.MustMatcherAt(tb, dir, clock.Now)
	}
	srv, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return &testEnv{t: tb, dir: dir, im: im, srv: srv, h: srv.Handler(), clock: clock, root: root}
}

// session signs email in directly in the store (no password check, no
// bcrypt) and returns the session cookie and the session's form token.
func (e *testEnv) session(email string) (*http.Cookie, string) {
	e.t.Helper()
	token, login, err := e.dir.CreateSession(context.Background(), email, time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return &http.Cookie{Name: "lw_session", Value: token}, login.CSRF
}

// do serves req and returns the recorded response.
func (e *testEnv) do(req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}

// get requests path with the cookie (nil for none).
func (e *testEnv) get(path string, ck *http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if ck != nil {
		req.AddCookie(ck)
	}
	return e.do(req)
}

// postForm posts a URL-encoded form the way a browser on this site does:
// same-origin Sec-Fetch-Site, the cookie (nil for none).
func (e *testEnv) postForm(path string, ck *http.Cookie, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", "http://example.com")
	if ck != nil {
		req.AddCookie(ck)
	}
	return e.do(req)
}

// postFile posts a multipart form with a file and fields, same-origin,
// with the cookie.
func (e *testEnv) postFile(path string, ck *http.Cookie, name string, content []byte, fields map[string]string) *httptest.ResponseRecorder {
	body, ctype := multipartBody(e.t, name, content, fields)
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if ck != nil {
		req.AddCookie(ck)
	}
	return e.do(req)
}

// multipartBody builds a multipart form: fields first, then the file
// (skipped when name is empty).
func multipartBody(tb testing.TB, name string, content []byte, fields map[string]string) (io.Reader, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write(content)
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// listingNames returns a partner's listings as "ref=name" strings, the
// state the tests check after each step.
func (e *testEnv) listingNames(partnerID string) []string {
	e.t.Helper()
	ls, err := e.dir.PartnerListings(context.Background(), partnerID)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, l := range ls {
		out = append(out, l.Ref+"="+l.Name)
	}
	return out
}

// importCount returns how many entries a partner's import history has.
func (e *testEnv) importCount(partnerID string) int {
	e.t.Helper()
	recs, err := e.dir.Imports(context.Background(), partnerID)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(recs)
}

var locationIDRE = regexp.MustCompile(`^/partner/upload/([A-Za-z0-9_-]+)\?partner=`)

// uploadID returns the upload id a successful upload redirected to.
func uploadID(tb testing.TB, w *httptest.ResponseRecorder) string {
	tb.Helper()
	m := locationIDRE.FindStringSubmatch(w.Header().Get("Location"))
	if w.Code != http.StatusSeeOther || m == nil {
		tb.Fatalf("upload answered %d, Location %q, body:\n%s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	return m[1]
}
