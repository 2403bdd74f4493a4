package web

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/matcher"
	"github.com/livingwell/livingwell/web/webtest"
)

var updateMatch = flag.Bool("update-match", false, "rewrite testdata/match_golden.json from the match API's answer")

// matchNow is the clock of the match API tests: Tuesday 24 November 2026,
// 10:30 in London.
var matchNow = time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)

// matchServer is a server over the sample network with a matcher, and the
// log it writes.
type matchServer struct {
	srv *Server
	log *syncBuffer
	// session is a signed-in worker's cookie: the match API is for workers.
	session *http.Cookie
}

// syncBuffer is a buffer safe to write from the handlers and read from the
// test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newMatchServer loads the sample network into a temporary directory and
// serves it with a matcher.
func newMatchServer(t *testing.T) *matchServer {
	t.Helper()
	v, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return matchNow }
	d, err := directory.Open(directory.Config{Dir: t.TempDir(), Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := importer.New(d).LoadSample(context.Background()); err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	srv, err := New(Config{Dir: d, Matcher: webtest.MustMatcherAt(t, d, clock), Now: clock, Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := d.AddUser(ctx, directory.User{Email: workerEmail, Role: directory.RoleWorker}, testPassword); err != nil {
		t.Fatal(err)
	}
	token, _, err := d.CreateSession(ctx, workerEmail, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return &matchServer{srv: srv, log: log, session: &http.Cookie{Name: "lw_session", Value: token}}
}

// post sends a body to the match API and returns the response.
func (s *matchServer) post(body, contentType string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/match", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.AddCookie(s.session)
	rec := httptest.NewRecorder()
	s.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func TestAPIMatch(t *testing.T) {
	s := newMatchServer(t)
	body := `{"interests":["gardening","cooking"],"goals":["relationships","make friends"],"needs":["food"],
		"postcode":"SW9","max_distance_km":"short bus ride","days":["tue","sat"],"times":["morning"],"free_only":true,"limit":5}`
	rec := s.post(body, "application/json")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got struct {
		Postcode string `json:"postcode"`
		Matches  []struct {
			Listing struct {
				ID         string   `json:"id"`
				Name       string   `json:"name"`
				DistanceKm *float64 `json:"distance_km"`
				Free       bool     `json:"free"`
				URL        string   `json:"url"`
			} `json:"listing"`
			Score   float64            `json:"score"`
			Reasons []string           `json:"reasons"`
			Factors map[string]float64 `json:"factors"`
		} `json:"matches"`
		Relaxed []string `json:"relaxed"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	if got.Postcode != "SW9" || got.Relaxed == nil || len(got.Matches) != 5 {
		t.Fatalf("got postcode %q, relaxed %v and %d matches; want SW9, [] and 5", got.Postcode, got.Relaxed, len(got.Matches))
	}
	for _, m := range got.Matches {
		if m.Listing.ID == "" || m.Listing.URL != "/listings/"+m.Listing.ID || !m.Listing.Free || m.Listing.DistanceKm == nil {
			t.Errorf("listing %+v is not shown as in search results, free and with its distance", m.Listing)
		}
		if m.Score <= 0 || m.Score > 1 || len(m.Reasons) == 0 {
			t.Errorf("%s: score %v, reasons %v", m.Listing.Name, m.Score, m.Reasons)
		}
		for _, f := range []string{"text", "interest", "strength", "goal", "practical", "distance", "schedule", "ease", "freshness"} {
			if _, ok := m.Factors[f]; !ok {
				t.Errorf("%s: no %s factor in %v", m.Listing.Name, f, m.Factors)
			}
		}
	}
	golden := "testdata/match_golden.json"
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, rec.Body.Bytes(), "", " "); err != nil {
		t.Fatal(err)
	}
	if *updateMatch {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./web -run TestAPIMatch -update-match to write it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("the answer changed from %s; if the change is meant, run go test ./web -run TestAPIMatch -update-match\ngot:\n%s", golden, pretty.Bytes())
	}
}

func TestAPIMatchErrors(t *testing.T) {
	s := newMatchServer(t)
	many := `["` + strings.Repeat(`a","`, matcher.MaxListItems) + `a"]`
	tests := []struct {
		name, body, contentType, want string
	}{
		{"unknown field", `{"interests":["art"],"favourite_colour":"blue"}`, "application/json", `"favourite_colour" is not part of a profile`},
		{"wrong type", `{"interests":"gardening"}`, "application/json", `interests should be a list of words`},
		{"number as text", `{"age":"forty"}`, "application/json", "age should be a whole number"},
		{"distance of the wrong type", `{"postcode":"SW9","max_distance_km":true}`, "application/json", "max_distance_km should be a number of kilometres"},
		{"over-long list", `{"goals":` + many + `}`, "application/json", "give at most 20"},
		{"not JSON", `interests=gardening`, "application/json", "not valid JSON"},
		{"empty", ``, "application/json", "the body is empty"},
		{"two objects", `{"interests":["art"]} {"interests":["art"]}`, "application/json", "one JSON object"},
		{"a list, not an object", `["art"]`, "application/json", "JSON object"},
		{"not JSON by its type", `{"interests":["art"]}`, "application/x-www-form-urlencoded", "Content-Type: application/json"},
		{"unknown postcode", `{"postcode":"ZZ99"}`, "", "postcode"},
		{"unknown day", `{"days":["someday"]}`, "application/json", "not a day of the week"},
		{"limit", `{"limit":500}`, "application/json", "limit should be from 1 to 50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := s.post(tt.body, tt.contentType)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, clipBody(rec.Body.String()))
			}
			var body errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != directory.EINVALID || !strings.Contains(body.Error.Message, tt.want) {
				t.Errorf("got %s, want an invalid error saying %q", clipBody(rec.Body.String()), tt.want)
			}
		})
	}
	// Too large: 413, as at every other door, whether the length is
	// declared or not.
	for _, length := range []int64{0, -1} {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/match", strings.NewReader(`{"interests":["`+strings.Repeat("x", MaxMatchBody)+`"]}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(s.session)
		if length < 0 {
			req.ContentLength = length
		}
		rec := httptest.NewRecorder()
		s.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "too large - send at most") {
			t.Errorf("a too-large body (length %d): status %d: %s, want 413 saying the limit", req.ContentLength, rec.Code, clipBody(rec.Body.String()))
		}
	}
	t.Run("wrong method", func(t *testing.T) {
		rec := httptest.NewRecorder()
		s.srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/match", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("GET: status %d, want 405", rec.Code)
		}
	})
}

// TestAPIMatchKeepsNothing checks that nothing the worker says about the
// person reaches the log, on success or failure.
func TestAPIMatchKeepsNothing(t *testing.T) {
	s := newMatchServer(t)
	for _, body := range []string{
		`{"interests":["zebrafinchkeeping"],"needs":["Zanzibarhousing"],"postcode":"SE27"}`,
		`{"interests":["zebrafinchkeeping"],"needs":["Zanzibarhousing"],"postcode":"ZZ99"}`,
		`{"interests":["zebrafinchkeeping"],"needs":["Zanzibarhousing"],"colour":"zebrafinchkeeping"}`,
	} {
		s.post(body, "application/json")
	}
	log := s.log.String()
	if !strings.Contains(log, "/api/v1/match") {
		t.Fatalf("the requests were not logged at all: %q", log)
	}
	for _, secret := range []string{"zebrafinch", "Zanzibar", "ZZ99", "SE27"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q from a profile:\n%s", secret, log)
		}
	}
}

func clipBody(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
