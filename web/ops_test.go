package web

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// getFrom requests path as if from remote (an "ip:port"), with the cookie
// (nil for none) and extra headers.
func (e *testEnv) getFrom(path, remote string, ck *http.Cookie, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = remote
	if ck != nil {
		req.AddCookie(ck)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return e.do(req)
}

func TestReadyz(t *testing.T) {
	e := mustOpenServer(t, Config{})
	w := e.get("/readyz", nil)
	var body struct {
		Ready  bool             `json:"ready"`
		Health directory.Health `json:"health"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != http.StatusOK || !body.Ready {
		t.Fatalf("readyz answered %d: %s", w.Code, w.Body.String())
	}
	if body.Health.Listings != 3 || body.Health.IndexedListings != 3 || !body.Health.InStep() {
		t.Errorf("readyz health %+v", body.Health)
	}
}

// metricLine is one sample line of the text exposition format.
var metricLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$`)

// parseMetrics checks every line of a /metrics answer against the text
// format and returns the samples by name and labels.
func parseMetrics(t *testing.T, body string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	typed := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# TYPE ") {
			f := strings.Fields(line)
			typed[f[2]] = f[3]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := metricLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("not a metric line: %q", line)
			continue
		}
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[1], "_bucket"), "_sum"), "_count")
		if typed[m[1]] == "" && typed[base] == "" {
			t.Errorf("%s has no TYPE line before it", m[1])
		}
		v, _ := strconv.ParseFloat(m[3], 64)
		out[m[1]+m[2]] = v
	}
	return out
}

func TestMetrics(t *testing.T) {
	e := mustOpenServer(t, Config{})
	admin, _ := e.session(adminEmail)
	worker, _ := e.session(workerEmail)
	local, far := "127.0.0.1:40000", "203.0.113.9:40000"
	e.getFrom("/api/v1/search?q=garden", far, nil, nil)
	e.getFrom("/api/v1/search?q=walk", far, nil, nil)
	e.getFrom("/api/v1/listings/nope", far, nil, nil)

	access := []struct {
		name    string
		remote  string
		ck      *http.Cookie
		headers map[string]string
		want    int
	}{
		{"this machine", local, nil, nil, http.StatusOK},
		{"this machine over IPv6", "[::1]:40000", nil, nil, http.StatusOK},
		{"another machine", far, nil, nil, http.StatusNotFound},
		{"forwarded by a proxy on this machine", local, nil, map[string]string{"X-Forwarded-For": "203.0.113.9"}, http.StatusNotFound},
		{"forwarded, the standard header", local, nil, map[string]string{"Forwarded": "for=203.0.113.9"}, http.StatusNotFound},
		{"an admin from anywhere", far, admin, nil, http.StatusOK},
		{"a worker from elsewhere", far, worker, nil, http.StatusNotFound},
	}
	for _, tt := range access {
		t.Run(tt.name, func(t *testing.T) {
			if w := e.getFrom("/metrics", tt.remote, tt.ck, tt.headers); w.Code != tt.want {
				t.Errorf("GET /metrics answered %d, want %d", w.Code, tt.want)
			}
		})
	}

	w := e.getFrom("/metrics", local, nil, nil)
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}
	m := parseMetrics(t, w.Body.String())
	want := map[string]float64{
		`livingwell_http_requests_total{method="GET",route="/api/v1/search",code="200"}`:                 2,
		`livingwell_http_requests_total{method="GET",route="/api/v1/listings/:id",code="404"}`:           1,
		`livingwell_http_request_duration_seconds_count{method="GET",route="/api/v1/search"}`:            2,
		`livingwell_http_request_duration_seconds_bucket{method="GET",route="/api/v1/search",le="+Inf"}`: 2,
		`livingwell_search_duration_seconds_count`:                                                       2,
		`livingwell_listings`:         3,
		`livingwell_indexed_listings`: 3,
		`livingwell_index_pending`:    0,
		`livingwell_read_only`:        0,
	}
	for k, v := range want {
		if got, ok := m[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	// Buckets are cumulative.
	prev := -1.0
	for _, le := range latencyBuckets {
		v := m[`livingwell_search_duration_seconds_bucket{le="`+strconv.FormatFloat(le, 'g', -1, 64)+`"}`]
		if v < prev {
			t.Errorf("bucket le=%g holds %v, less than the one before (%v)", le, v, prev)
		}
		prev = v
	}
	if m[`livingwell_index_bytes`] <= 0 || m[`go_goroutines`] <= 0 {
		t.Errorf("gauges missing: index bytes %v, goroutines %v", m[`livingwell_index_bytes`], m[`go_goroutines`])
	}
}

func TestMetricsImportOutcomes(t *testing.T) {
	e := mustOpenServer(t, Config{})
	token, _, err := e.dir.CreateToken(context.Background(), "alpha", "sync")
	if err != nil {
		t.Fatal(err)
	}
	post := func(body string) int {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/partner/imports", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "text/csv")
		return e.do(req).Code
	}
	if c := post(alphaCSV); c != http.StatusOK {
		t.Fatalf("good import answered %d", c)
	}
	if c := post("ref,name\n"); c/100 != 4 {
		t.Fatalf("bad import answered %d", c)
	}
	m := parseMetrics(t, e.getFrom("/metrics", "127.0.0.1:1", nil, nil).Body.String())
	for k, v := range map[string]float64{
		`livingwell_import_requests_total{route="/api/v1/partner/imports",outcome="ok"}`:       1,
		`livingwell_import_requests_total{route="/api/v1/partner/imports",outcome="rejected"}`: 1,
	} {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
}

func TestAuditPageAndJSON(t *testing.T) {
	e := mustOpenServer(t, Config{})
	admin, _ := e.session(adminEmail)
	alpha, _ := e.session(alphaEmail)
	tests := []struct {
		name string
		path string
		ck   *http.Cookie
		want int
		says []string
	}{
		{"admin sees the log", "/admin/audit", admin, http.StatusOK, []string{"Audit log", "user.add", "worker@example.org", "import", "session.start", "Need help now?"}},
		{"a day to start from", "/admin/audit?since=2026-03-02", admin, http.StatusOK, []string{"session.start"}},
		{"a day after everything", "/admin/audit?since=2027-01-01", admin, http.StatusOK, []string{"There are no entries since 2027-01-01."}},
		{"a bad day", "/admin/audit?since=yesterday", admin, http.StatusBadRequest, []string{"Give the date to start from as YYYY-MM-DD"}},
		{"a bad before", "/admin/audit?before=soon", admin, http.StatusBadRequest, []string{"should be a time"}},
		{"a partner may not", "/admin/audit", alpha, http.StatusForbidden, nil},
		{"JSON for the admin", "/admin/audit.json?limit=2", admin, http.StatusOK, []string{`"entries":[`, `"action":"session.start"`}},
		{"JSON with a bad limit", "/admin/audit.json?limit=0", admin, http.StatusBadRequest, []string{"limit"}},
		{"JSON for a partner", "/admin/audit.json", alpha, http.StatusForbidden, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.get(tt.path, tt.ck)
			if w.Code != tt.want {
				t.Fatalf("GET %s answered %d, want %d", tt.path, w.Code, tt.want)
			}
			for _, s := range tt.says {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("GET %s does not say %q", tt.path, s)
				}
			}
		})
	}
	if w := e.get("/admin/audit", nil); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Errorf("signed out: %d to %q", w.Code, w.Header().Get("Location"))
	}
}

func TestAdminBackup(t *testing.T) {
	e := mustOpenServer(t, Config{})
	admin, _ := e.session(adminEmail)
	alpha, _ := e.session(alphaEmail)
	if w := e.get("/admin/backup", alpha); w.Code != http.StatusForbidden {
		t.Errorf("a partner's backup answered %d", w.Code)
	}
	w := e.get("/admin/backup", admin)
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("backup answered %d with %v", w.Code, w.Header())
	}
	path := filepath.Join(t.TempDir(), "b.db")
	if err := os.WriteFile(path, w.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := directory.CheckStore(path)
	if err != nil || info.Listings != 3 || info.Users != 4 || info.Partners != 2 {
		t.Fatalf("backup holds %+v: %v", info, err)
	}
	entries, _ := e.dir.Audit(context.Background(), directory.AuditQuery{Limit: 1})
	if len(entries) != 1 || entries[0].Action != directory.AuditBackup || entries[0].Actor != adminEmail {
		t.Errorf("the backup is not in the audit log: %+v", entries)
	}
	left, _ := filepath.Glob(filepath.Join(e.srv.cfg.UploadDir, "*"))
	if len(left) != 0 {
		t.Errorf("the backup left files behind: %v", left)
	}
}

func TestPublicAPIRateLimit(t *testing.T) {
	limits := Limits{PublicAPI: Rate{Burst: 3, Per: time.Hour}}
	t.Run("per client IP, not the pages or the partner API", func(t *testing.T) {
		e := mustOpenServer(t, Config{Limits: limits})
		for _, path := range []string{"/api/v1/search", "/oruk/services", "/api/v1/taxonomy"} {
			if w := e.getFrom(path, "198.51.100.1:1", nil, nil); w.Code != http.StatusOK {
				t.Fatalf("%s answered %d within the limit", path, w.Code)
			}
		}
		w := e.getFrom("/oruk/taxonomies", "198.51.100.1:1", nil, nil)
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), `"rate_limited"`) {
			t.Fatalf("over the limit: %d %v %s", w.Code, w.Header(), w.Body.String())
		}
		if w := e.getFrom("/api/v1/search", "198.51.100.2:1", nil, nil); w.Code != http.StatusOK {
			t.Errorf("another client was limited: %d", w.Code)
		}
		if w := e.getFrom("/search?q=walk", "198.51.100.1:1", nil, nil); w.Code != http.StatusOK {
			t.Errorf("the search page was limited: %d", w.Code)
		}
		if w := e.getFrom("/api/v1/partner/listings.csv", "198.51.100.1:1", nil, nil); w.Code != http.StatusUnauthorized {
			t.Errorf("the partner API answered %d, want its own 401", w.Code)
		}
	})
	t.Run("signed-in users by account", func(t *testing.T) {
		e := mustOpenServer(t, Config{Limits: limits})
		admin, _ := e.session(adminEmail)
		worker, _ := e.session(workerEmail)
		for range 3 {
			e.getFrom("/api/v1/search", "198.51.100.1:1", admin, nil)
		}
		if w := e.getFrom("/api/v1/search", "198.51.100.1:1", admin, nil); w.Code != http.StatusTooManyRequests {
			t.Errorf("the admin's 4th search answered %d", w.Code)
		}
		if w := e.getFrom("/api/v1/search", "198.51.100.1:1", worker, nil); w.Code != http.StatusOK {
			t.Errorf("a colleague at the same address was limited: %d", w.Code)
		}
	})
	t.Run("forwarded-for is ignored without trusted proxies", func(t *testing.T) {
		e := mustOpenServer(t, Config{Limits: limits})
		for i := range 4 {
			w := e.getFrom("/api/v1/search", "198.51.100.1:1", nil, map[string]string{"X-Forwarded-For": "203.0.113." + strconv.Itoa(i)})
			if want := http.StatusOK; i == 3 {
				if w.Code != http.StatusTooManyRequests {
					t.Errorf("a client dodged the limit by changing X-Forwarded-For: %d", w.Code)
				}
			} else if w.Code != want {
				t.Errorf("request %d answered %d", i, w.Code)
			}
		}
	})
	t.Run("behind a trusted proxy, by the forwarded address", func(t *testing.T) {
		e := mustOpenServer(t, Config{Limits: limits, TrustedProxies: []string{"10.0.0.1"}})
		for range 3 {
			e.getFrom("/api/v1/search", "10.0.0.1:1", nil, map[string]string{"X-Forwarded-For": "203.0.113.5"})
		}
		if w := e.getFrom("/api/v1/search", "10.0.0.1:1", nil, map[string]string{"X-Forwarded-For": "203.0.113.5"}); w.Code != http.StatusTooManyRequests {
			t.Errorf("the forwarded client's 4th search answered %d", w.Code)
		}
		if w := e.getFrom("/api/v1/search", "10.0.0.1:1", nil, map[string]string{"X-Forwarded-For": "203.0.113.6"}); w.Code != http.StatusOK {
			t.Errorf("another client behind the same proxy was limited: %d", w.Code)
		}
		// A client cannot pose as the proxy: its own header is not believed.
		for range 3 {
			e.getFrom("/api/v1/search", "198.51.100.7:1", nil, map[string]string{"X-Forwarded-For": "203.0.113.9"})
		}
		if w := e.getFrom("/api/v1/search", "198.51.100.7:1", nil, map[string]string{"X-Forwarded-For": "203.0.113.10"}); w.Code != http.StatusTooManyRequests {
			t.Errorf("an untrusted peer dodged the limit with X-Forwarded-For: %d", w.Code)
		}
	})
}

// TestUnwritableIsA503 checks the answer to a write the disk refused: a
// clear message saying nothing changed, as JSON and as a page.
func TestUnwritableIsA503(t *testing.T) {
	e := mustOpenServer(t, Config{})
	for _, cause := range []error{syscall.ENOSPC, syscall.EROFS, syscall.EDQUOT, syscall.EFBIG} {
		err := directory.Internal(&os.PathError{Op: "write", Path: "livingwell.db", Err: cause}, "store listing")
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/partner/imports", nil)
		c.Set(ctxLogger, e.srv.log)
		apiError(c, err)
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "disk is full or read-only, so nothing was changed") {
			t.Errorf("%v: answered %d %s", cause, w.Code, w.Body.String())
		}
		w = httptest.NewRecorder()
		c, _ = gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, "/partner/upload/x/confirm", nil)
		c.Set(ctxLogger, e.srv.log)
		e.srv.renderError(c, err)
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "nothing was changed") {
			t.Errorf("%v: page answered %d", cause, w.Code)
		}
	}
}
