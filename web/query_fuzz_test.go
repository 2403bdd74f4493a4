package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The query string of every API is fuzzed through the whole router: any
// query gets a JSON answer, an error names what to fix with a 4xx, and
// nothing answers 5xx or panics. Seeds are below and in
// testdata/fuzz/Fuzz*; run one for longer with, for example,
//
//	go test ./web -run '^$' -fuzz FuzzSearchQuery -fuzztime 60s

// fuzzLimits lifts the rate limits, which would otherwise answer most of
// a fuzz run with 429 (the test clock never moves).
var fuzzLimits = Limits{
	PublicAPI: Rate{Burst: 1 << 30, Per: time.Nanosecond},
	Imports:   Rate{Burst: 1 << 30, Per: time.Nanosecond},
	SignIn:    Rate{Burst: 1 << 30, Per: time.Nanosecond},
}

// checkAPIAnswer checks one answer of a JSON API to a fuzzed query.
func checkAPIAnswer(t *testing.T, raw string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("query %q answered %d: %s", raw, w.Code, w.Body.String())
	}
	if !json.Valid(w.Body.Bytes()) {
		t.Fatalf("query %q answered %d with something that is not JSON: %.200s", raw, w.Code, w.Body.String())
	}
	if w.Code >= 400 {
		var body errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code == "" || strings.TrimSpace(body.Error.Message) == "" {
			t.Fatalf("query %q answered %d without an error message: %s", raw, w.Code, w.Body.String())
		}
	}
}

// fuzzGet sends a GET with a raw query string as a client could send it.
func fuzzGet(e *testEnv, path, raw string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.URL.RawQuery = raw
	return e.do(req)
}

func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{
		"", "q=garden", "q=councelling&postcode=SW9+8HE&radius_km=2", "postcode=sw9&sort=distance",
		"category=walking-groups&category=peer-support&free=true", "day=tue&day=sat&open_now=true",
		"open_now=2026-11-24T10:30:00Z", "age=30&language=pt&accessibility=step-free", "online=true&include_online=1",
		"page=2&per_page=100&facets=false", "radius_km=NaN", "radius_km=1e400", "per_page=-1", "page=99999999999999999999",
		"q=%ff%fe", "q=" + strings.Repeat("a", 2000), "stage=wellbeing&sort=soonest", "postcode=ZZ99+9ZZ", "%zz=1&q;=2",
	} {
		f.Add(s)
	}
	e := mustOpenServer(f, Config{Limits: fuzzLimits})
	f.Fuzz(func(t *testing.T, raw string) {
		checkAPIAnswer(t, raw, fuzzGet(e, "/api/v1/search", raw))
	})
}

// orukLists are the Open Referral UK endpoints that take a query.
var orukLists = []string{"/oruk/services", "/oruk/service_at_locations", "/oruk/organizations", "/oruk/taxonomies", "/oruk/taxonomy_terms"}

func FuzzORUKQuery(f *testing.F) {
	for i, s := range []string{
		"", "page=2&per_page=5", "search=walk&day=sat", "taxonomy_term_id=x", "minimum_age=18&maximum_age=65",
		"start_time=09:00&end_time=13:00&day=tue", "modified_after=2026-03-01", "modified_after=2026-03-01T00:00:00Z",
		"postcode=SW9+8AB&proximity=2000", "proximity=-1", "per_page=1001", "page=0", "start_time=25:61", "day=funday",
		"postcode=%00", "search=" + strings.Repeat("x ", 500),
	} {
		f.Add(uint8(i), s)
	}
	e := mustOpenServer(f, Config{Limits: fuzzLimits})
	f.Fuzz(func(t *testing.T, which uint8, raw string) {
		checkAPIAnswer(t, raw, fuzzGet(e, orukLists[int(which)%len(orukLists)], raw))
	})
}

// FuzzImportQuery fuzzes the partner import's query parameters (mode,
// dry_run, valid_only, filename, partner) with a small valid file.
func FuzzImportQuery(f *testing.F) {
	for _, s := range []string{
		"", "mode=merge", "mode=replace&dry_run=true", "valid_only=1", "filename=listings.csv", "filename=../../etc/passwd",
		"filename=%00%0a", "mode=REPLACE", "mode=delete", "dry_run=maybe", "partner=beta", "partner=alpha&dry_run=true",
		"filename=" + strings.Repeat("é", 300),
	} {
		f.Add(s)
	}
	e := mustOpenServer(f, Config{Limits: fuzzLimits})
	token, _, err := e.dir.CreateToken(context.Background(), "alpha", "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/partner/imports", strings.NewReader(alphaCSV))
		req.URL.RawQuery = raw
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "text/csv")
		w := e.do(req)
		checkAPIAnswer(t, raw, w)
		if w.Code == http.StatusOK && strings.Contains(raw, "beta") && strings.Contains(w.Body.String(), `"applied":true`) {
			if names := e.listingNames("beta"); len(names) != 1 {
				t.Fatalf("query %q changed partner beta's listings: %v", raw, names)
			}
		}
	})
}
