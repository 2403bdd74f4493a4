package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

func TestAPIListing(t *testing.T) {
	s := mustSampleServer(t)
	res, _ := searchOK(t, s, "q=choir&per_page=1")
	id := res.Results[0].ID
	w := get(s, "/api/v1/listings/"+id)
	if w.Code != http.StatusOK {
		t.Fatalf("GET listing: %d %s", w.Code, w.Body.String())
	}
	var got directory.Listing
	decode(t, w, &got)
	want, err := s.dir.Listing(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	// Compare as JSON: times come back in UTC either way.
	g, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(g) != string(wj) {
		t.Errorf("GET listing answered\n%s\nwant\n%s", g, wj)
	}

	for _, missing := range []string{"0000000000000000", "no-such-listing"} {
		w = get(s, "/api/v1/listings/"+missing)
		if w.Code != http.StatusNotFound {
			t.Errorf("GET missing listing %s: %d; want 404", missing, w.Code)
		}
		var body errorBody
		decode(t, w, &body)
		if body.Error.Code != directory.ENOTFOUND || !strings.Contains(body.Error.Message, missing) {
			t.Errorf("missing listing error %+v; want not_found naming the id", body.Error)
		}
	}
}

func TestHealthz(t *testing.T) {
	s := mustSampleServer(t)
	w := get(s, "/healthz")
	if w.Code != http.StatusOK {
		t.Fatalf("/healthz: %d %s", w.Code, w.Body.String())
	}
	var body struct {
		Status   string `json:"status"`
		Listings int    `json:"listings"`
	}
	decode(t, w, &body)
	if n, _ := s.dir.Count(context.Background()); body.Status != "ok" || body.Listings != n {
		t.Errorf("/healthz = %+v; want ok and %d listings", body, n)
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	s := mustSampleServer(t)
	w := get(s, "/api/v1/nothing-here")
	if w.Code != http.StatusNotFound || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("unknown API path: %d %q; want 404 JSON", w.Code, w.Header().Get("Content-Type"))
	}
	var body errorBody
	decode(t, w, &body)
	if body.Error.Code != directory.ENOTFOUND || !strings.Contains(body.Error.Message, "/api/v1/nothing-here") {
		t.Errorf("unknown API path error %+v", body.Error)
	}

	w = get(s, "/nothing-here")
	if w.Code != http.StatusNotFound || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("unknown page: %d %q; want 404 HTML", w.Code, w.Header().Get("Content-Type"))
	}
	if !strings.Contains(w.Body.String(), "Need help now?") {
		t.Error("the not-found page does not show how to get urgent help")
	}

	req, _ := http.NewRequest(http.MethodDelete, "/api/v1/search", nil)
	rec := recorder(s, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /api/v1/search: %d; want 405", rec.Code)
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := mustSampleServer(t)
	for _, path := range []string{"/", "/api/v1/search?q=choir", "/api/v1/search?page=0", "/nothing-here", "/healthz"} {
		w := get(s, path)
		for header, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "same-origin",
		} {
			if got := w.Header().Get(header); got != want {
				t.Errorf("%s: %s = %q; want %q", path, header, got, want)
			}
		}
		csp := w.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		if w.Header().Get("X-Request-ID") == "" {
			t.Errorf("%s: no X-Request-ID", path)
		}
	}
}

func TestPanicAnswers500WithoutStack(t *testing.T) {
	s := mustSampleServer(t)
	s.engine.GET("/api/v1/test-panic", func(c *gin.Context) {
		panic("secret detail of a bug")
	})
	w := get(s, "/api/v1/test-panic")
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d; want 500", w.Code)
	}
	var body errorBody
	decode(t, w, &body)
	if body.Error.Code != directory.EINTERNAL || body.Error.Message == "" {
		t.Errorf("error %+v; want internal with a message", body.Error)
	}
	for _, leak := range []string{"goroutine", ".go:", "panic", "secret detail"} {
		if strings.Contains(w.Body.String(), leak) {
			t.Errorf("the 500 body shows %q: %s", leak, w.Body.String())
		}
	}
	// The server goes on answering.
	if w := get(s, "/healthz"); w.Code != http.StatusOK {
		t.Errorf("after a panic /healthz answers %d", w.Code)
	}
}

func TestErrorStatusTable(t *testing.T) {
	for code, want := range map[string]int{
		directory.ENOTFOUND: 404, directory.EINVALID: 400, directory.ECONFLICT: 409,
		directory.EUNAUTHORIZED: 403, directory.EINTERNAL: 500,
	} {
		if got := statusOf[code]; got != want {
			t.Errorf("%s answers %d; want %d", code, got, want)
		}
	}
}
