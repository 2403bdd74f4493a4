package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// apiImport posts body to the import API with the token (none when "").
func (e *testEnv) apiImport(token, query string, body io.Reader, contentType string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/partner/imports"+query, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return e.do(req)
}

func (e *testEnv) token(partnerID string) string {
	e.t.Helper()
	token, _, err := e.dir.CreateToken(context.Background(), partnerID, "nightly sync")
	if err != nil {
		e.t.Fatal(err)
	}
	return token
}

// decodeAnswer reads an import answer, failing on anything else.
func decodeAnswer(t *testing.T, w *httptest.ResponseRecorder) importAnswer {
	t.Helper()
	var a importAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
		t.Fatalf("the answer is not JSON: %v\n%s", err, w.Body.String())
	}
	return a
}

func TestPartnerAPIAuth(t *testing.T) {
	e := mustOpenServer(t, Config{})
	alpha := e.token("alpha")
	revoked, rec, err := e.dir.CreateToken(context.Background(), "alpha", "old")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.dir.RevokeToken(context.Background(), "alpha", rec.ID); err != nil {
		t.Fatal(err)
	}
	admin, _ := e.session(adminEmail)
	worker, _ := e.session(workerEmail)
	tests := []struct {
		name   string
		header string
		cookie *http.Cookie
		query  string
		want   int
	}{
		{"no token", "", nil, "", http.StatusUnauthorized},
		{"not a bearer token", "Basic YWxwaGE6cGFzcw==", nil, "", http.StatusUnauthorized},
		{"unknown token", "Bearer lw_notarealtoken", nil, "", http.StatusUnauthorized},
		{"revoked token", "Bearer " + revoked, nil, "", http.StatusUnauthorized},
		{"an admin's session is not a token", "", admin, "", http.StatusUnauthorized},
		{"a worker's session is not a token", "", worker, "", http.StatusUnauthorized},
		{"A's token naming B", "Bearer " + alpha, nil, "?partner=beta", http.StatusForbidden},
		{"A's token", "Bearer " + alpha, nil, "", http.StatusOK},
	}
	before := e.snapshot()
	for _, tt := range tests {
		for _, path := range []string{"/api/v1/partner/imports?dry_run=true", "/api/v1/partner/listings.csv"} {
			t.Run(tt.name+" "+path, func(t *testing.T) {
				method := http.MethodGet
				var body io.Reader
				if strings.Contains(path, "imports") {
					method, body = http.MethodPost, strings.NewReader(changedAlphaCSV)
				}
				q := tt.query
				if q != "" && strings.Contains(path, "?") {
					q = "&" + q[1:]
				}
				req := httptest.NewRequest(method, path+q, body)
				if tt.header != "" {
					req.Header.Set("Authorization", tt.header)
				}
				if tt.cookie != nil {
					req.AddCookie(tt.cookie)
				}
				w := e.do(req)
				if w.Code != tt.want {
					t.Fatalf("status %d, want %d: %s", w.Code, tt.want, w.Body.String())
				}
				if w.Code == http.StatusUnauthorized && !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("a 401 without WWW-Authenticate: Bearer")
				}
				if w.Code != http.StatusOK && !json.Valid(w.Body.Bytes()) {
					t.Errorf("the refusal is not JSON: %s", w.Body.String())
				}
				if strings.Contains(w.Body.String(), "Beta Community Kitchen") {
					t.Errorf("the answer shows partner B's listing")
				}
				if got := e.snapshot(); got != before {
					t.Fatalf("the store changed: %s -> %s", before, got)
				}
			})
		}
	}
	t.Run("listings.csv is the partner's template", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/partner/listings.csv", nil)
		req.Header.Set("Authorization", "Bearer "+alpha)
		w := e.do(req)
		body := w.Body.String()
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") || !strings.Contains(body, "A1,Alpha Garden Club") || !strings.Contains(body, "A2,Alpha Walk and Talk") {
			t.Fatalf("listings.csv: %v\n%s", w.Header(), body)
		}
	})
}

func TestPartnerAPIBadTokensRateLimited(t *testing.T) {
	e := mustOpenServer(t, Config{Limits: Limits{SignIn: Rate{Burst: 2, Per: time.Hour}}})
	for range 2 {
		if w := e.apiImport("lw_guess", "", strings.NewReader(alphaCSV), "text/csv"); w.Code != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", w.Code)
		}
	}
	if w := e.apiImport("lw_guess", "", strings.NewReader(alphaCSV), "text/csv"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("after repeated bad tokens: %d, want 429", w.Code)
	}
	if w := e.apiImport(e.token("alpha"), "?dry_run=true", strings.NewReader(alphaCSV), "text/csv"); w.Code != http.StatusOK {
		t.Fatalf("a good token from the same client: %d, want 200", w.Code)
	}
}

func TestPartnerAPIImport(t *testing.T) {
	unsized := func(s string) io.Reader { return io.MultiReader(strings.NewReader(s)) }
	tests := []struct {
		name        string
		query       string
		body        func(t *testing.T) (io.Reader, string)
		wantStatus  int
		wantApplied bool
		wantCounts  [4]int // created, updated, unchanged, removed
		wantAlpha   string
		check       func(t *testing.T, a importAnswer)
	}{
		{
			name: "dry run changes nothing", query: "?mode=replace&dry_run=true",
			body:       func(*testing.T) (io.Reader, string) { return strings.NewReader(changedAlphaCSV), "text/csv" },
			wantStatus: http.StatusOK, wantCounts: [4]int{0, 1, 0, 1}, wantAlpha: startAlpha,
			check: func(t *testing.T, a importAnswer) {
				if !a.DryRun || a.Message == "" || len(a.Changes) != 2 {
					t.Errorf("answer %+v: want a dry run listing two changes", a)
				}
			},
		},
		{
			name: "errors refuse the whole file", query: "",
			body:       func(*testing.T) (io.Reader, string) { return strings.NewReader(brokenCSV), "text/csv" },
			wantStatus: http.StatusUnprocessableEntity, wantCounts: [4]int{0, 1, 0, 0}, wantAlpha: startAlpha,
			check: func(t *testing.T, a importAnswer) {
				if len(a.Errors) == 0 || a.Errors[0].Row != 3 || a.Errors[0].Column != "postcode" || a.Errors[0].Message == "" || a.RowsWithErrors != 1 {
					t.Errorf("errors %+v: want row 3, column postcode, with a message", a.Errors)
				}
			},
		},
		{
			name: "valid_only applies the good rows", query: "?valid_only=true",
			body:       func(*testing.T) (io.Reader, string) { return strings.NewReader(brokenCSV), "text/csv" },
			wantStatus: http.StatusOK, wantApplied: true, wantCounts: [4]int{0, 1, 0, 0},
			wantAlpha: "A1=Alpha Garden Club (Saturdays)|A2=Alpha Walk and Talk",
			check: func(t *testing.T, a importAnswer) {
				if a.ImportID == "" || len(a.Errors) != a.ErrorCount || a.ErrorCount == 0 {
					t.Errorf("answer %+v: want an import id and the errors still reported", a)
				}
			},
		},
		{
			name: "replace mode removes what the file leaves out", query: "?mode=replace",
			body:       func(*testing.T) (io.Reader, string) { return unsized(changedAlphaCSV), "" },
			wantStatus: http.StatusOK, wantApplied: true, wantCounts: [4]int{0, 1, 0, 1},
			wantAlpha: "A1=Alpha Garden Club (Saturdays)",
		},
		{
			name: "merge mode by multipart form", query: "?mode=merge",
			body: func(t *testing.T) (io.Reader, string) {
				return multipartBody(t, "listings.csv", []byte(fixedCSV), map[string]string{"note": "x"})
			},
			wantStatus: http.StatusOK, wantApplied: true, wantCounts: [4]int{1, 1, 0, 0}, wantAlpha: fixedAlpha,
			check: func(t *testing.T, a importAnswer) {
				if a.FileName != "listings.csv" || len(a.SHA256) != 64 {
					t.Errorf("file %q, sha256 %q: want the form's file name and its hash", a.FileName, a.SHA256)
				}
			},
		},
		{
			name: "nothing to change", query: "",
			body:       func(*testing.T) (io.Reader, string) { return strings.NewReader(alphaCSV), "text/csv" },
			wantStatus: http.StatusOK, wantCounts: [4]int{0, 0, 2, 0}, wantAlpha: startAlpha,
		},
		{
			name: "a file without the required columns", query: "?valid_only=true",
			body:       func(*testing.T) (io.Reader, string) { return strings.NewReader("colour,size\nred,big\n"), "text/csv" },
			wantStatus: http.StatusUnprocessableEntity, wantAlpha: startAlpha,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustOpenServer(t, Config{})
			body, ctype := tt.body(t)
			imports := e.importCount("alpha")
			w := e.apiImport(e.token("alpha"), tt.query, body, ctype)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body.String())
			}
			a := decodeAnswer(t, w)
			if a.Applied != tt.wantApplied {
				t.Errorf("applied %v, want %v", a.Applied, tt.wantApplied)
			}
			if got := [4]int{a.Created, a.Updated, a.Unchanged, a.Removed}; tt.wantCounts != [4]int{} && got != tt.wantCounts {
				t.Errorf("created, updated, unchanged, removed = %v, want %v", got, tt.wantCounts)
			}
			if a.Errors == nil || a.Warnings == nil {
				t.Errorf("errors and warnings should be lists, even when empty: %s", w.Body.String())
			}
			if got := strings.Join(e.listingNames("alpha"), "|"); got != tt.wantAlpha {
				t.Errorf("alpha has %s, want %s", got, tt.wantAlpha)
			}
			if got := strings.Join(e.listingNames("beta"), "|"); got != "B1=Beta Community Kitchen" {
				t.Errorf("beta changed to %s", got)
			}
			wantImports := imports
			if tt.wantApplied {
				wantImports++
			}
			if got := e.importCount("alpha"); got != wantImports {
				t.Errorf("%d imports recorded, want %d", got, wantImports)
			}
			if tt.check != nil {
				tt.check(t, a)
			}
		})
	}
}

func TestPartnerAPIBadRequests(t *testing.T) {
	e := mustOpenServer(t, Config{MaxUploadBytes: 4096, Limits: Limits{Imports: Rate{Burst: 100, Per: time.Second}}})
	token := e.token("alpha")
	big := alphaCSV + strings.Repeat("A9,x,y,hobbies,SW9 8HE,020 7946 0009,,\n", 200)
	tests := []struct {
		name     string
		query    string
		body     func(t *testing.T) (io.Reader, string)
		want     int
		wantText string
	}{
		{"too large, with Content-Length", "", func(*testing.T) (io.Reader, string) { return strings.NewReader(big), "text/csv" }, http.StatusRequestEntityTooLarge, "larger than"},
		{"too large, streamed", "", func(*testing.T) (io.Reader, string) { return io.MultiReader(strings.NewReader(big)), "text/csv" }, http.StatusRequestEntityTooLarge, "larger than"},
		{"too large, multipart", "", func(t *testing.T) (io.Reader, string) {
			r, ct := multipartBody(t, "big.csv", []byte(big), nil)
			return io.MultiReader(r), ct
		}, http.StatusRequestEntityTooLarge, "larger than"},
		{"empty body", "", func(*testing.T) (io.Reader, string) { return strings.NewReader(""), "text/csv" }, http.StatusBadRequest, "the file is empty"},
		{"multipart without a file", "", func(t *testing.T) (io.Reader, string) { return multipartBody(t, "", nil, map[string]string{"x": "y"}) }, http.StatusBadRequest, `no field named \"file\"`},
		{"broken multipart", "", func(*testing.T) (io.Reader, string) {
			return strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nref,name"), "multipart/form-data; boundary=b"
		}, http.StatusBadRequest, "cut short"},
		{"bad mode", "?mode=all", func(*testing.T) (io.Reader, string) { return strings.NewReader(alphaCSV), "text/csv" }, http.StatusBadRequest, "should be merge or replace"},
		{"bad dry_run", "?dry_run=perhaps", func(*testing.T) (io.Reader, string) { return strings.NewReader(alphaCSV), "text/csv" }, http.StatusBadRequest, "should be true or false"},
		{"binary", "", func(*testing.T) (io.Reader, string) {
			return strings.NewReader("\x00\x01\x02\x03binary\x00"), "application/octet-stream"
		}, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadDir(e.srv.cfg.UploadDir)
			body, ctype := tt.body(t)
			w := e.apiImport(token, tt.query, body, ctype)
			if w.Code != tt.want || !strings.Contains(w.Body.String(), tt.wantText) {
				t.Fatalf("status %d, want %d with %q: %s", w.Code, tt.want, tt.wantText, w.Body.String())
			}
			var eb errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || eb.Error.Message == "" {
				t.Errorf("not a JSON error with a message: %s", w.Body.String())
			}
			if got := strings.Join(e.listingNames("alpha"), "|"); got != startAlpha {
				t.Errorf("alpha changed to %s", got)
			}
			if after, _ := os.ReadDir(e.srv.cfg.UploadDir); len(after) != len(before) {
				t.Errorf("the upload left files behind: %d, then %d", len(before), len(after))
			}
		})
	}
}

func TestPartnerAPIImportsRateLimited(t *testing.T) {
	e := mustOpenServer(t, Config{Limits: Limits{Imports: Rate{Burst: 2, Per: time.Hour}}})
	alpha, beta := e.token("alpha"), e.token("beta")
	for i := range 2 {
		if w := e.apiImport(alpha, "?dry_run=true", strings.NewReader(alphaCSV), "text/csv"); w.Code != http.StatusOK {
			t.Fatalf("import %d: %d", i+1, w.Code)
		}
	}
	w := e.apiImport(alpha, "?dry_run=true", strings.NewReader(alphaCSV), "text/csv")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("third import: %d, Retry-After %q; want 429 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	if w := e.apiImport(beta, "?dry_run=true", strings.NewReader(betaCSV), "text/csv"); w.Code != http.StatusOK {
		t.Fatalf("another partner's token: %d, want 200", w.Code)
	}
}

// TestPartnerAPIOtherPartnersRefs checks that a file naming another
// partner's references makes or changes listings of the token's partner
// only: references belong to the partner that uploads them.
func TestPartnerAPIOtherPartnersRefs(t *testing.T) {
	e := mustOpenServer(t, Config{})
	w := e.apiImport(e.token("alpha"), "?mode=replace", strings.NewReader(strings.Replace(betaCSV, "Beta Community Kitchen", "Taken over", 1)), "text/csv")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body.String())
	}
	if got := strings.Join(e.listingNames("alpha"), "|"); got != "B1=Taken over" {
		t.Errorf("alpha has %s, want its own B1 only", got)
	}
	if got := strings.Join(e.listingNames("beta"), "|"); got != "B1=Beta Community Kitchen" {
		t.Errorf("beta's listing changed: %s", got)
	}
}
