package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/web/webtest"
)

// matchProfiles are profiles as a worker builds them during a
// conversation, from a few words to a full set of practicalities.
var matchProfiles = []string{
	`{"interests":["gardening"]}`,
	`{"interests":["gardening","cooking"],"goals":["make friends"],"postcode":"SW9"}`,
	`{"needs":["housing","debt"],"postcode":"SE11","max_distance_km":"bus ride"}`,
	`{"interests":["football"],"strengths":["good with his hands"],"goals":["get back to work"],"postcode":"SW2","days":["weekdays"],"times":["morning"]}`,
	`{"interests":["choir","singing"],"goals":["feel less alone"],"postcode":"SE27","free_only":true,"accessibility":["step-free"],"age":72}`,
	`{"goals":["coping and recovery"],"needs":["someone to talk to"],"online_ok":true,"languages":["Portuguese"],"postcode":"SW8"}`,
	`{"interests":["walking","nature"],"goals":["wellbeing"],"postcode":"SW4","days":["sat","sun"],"format":"group","no_referral":true}`,
	`{"needs":["food"],"goals":["basic needs","make friends"],"postcode":"SW9 8AB","max_cost":0}`,
}

// BenchmarkMatchAPI measures the server time of the match screen's calls
// on the sample network, as a signed-in worker makes them, through the
// whole handler (routing, middleware, session, parsing, matching,
// answering), over profiles from a few words to a full set. Besides ns/op
// it reports the median and 95th percentile of single requests; the
// target is 100 ms:
//
//	go test ./web -run '^$' -bench 'MatchAPI|WorkerMatchPage|Terms' -benchtime 400x
func BenchmarkMatchAPI(b *testing.B) {
	h, ck, _ := benchWorker(b)
	var took []time.Duration
	i := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/match", strings.NewReader(matchProfiles[i%len(matchProfiles)]))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(ck)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("profile %d = %d: %s", i%len(matchProfiles), rec.Code, rec.Body)
		}
		i++
	}
	reportLatency(b, took)
}

// BenchmarkWorkerMatchPage measures the match screen without JavaScript:
// the form sent and the page rendered with ten matches and their score
// breakdowns.
func BenchmarkWorkerMatchPage(b *testing.B) {
	h, ck, csrf := benchWorker(b)
	form := url.Values{"csrf": {csrf}, "interests": {"gardening, cooking"}, "goals": {"make friends"}, "stage": {"wellbeing"}, "postcode": {"SW9"}}.Encode()
	var took []time.Duration
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/worker/match", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(ck)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("POST /worker/match = %d", rec.Code)
		}
	}
	reportLatency(b, took)
}

// BenchmarkTerms measures one type-ahead answer.
func BenchmarkTerms(b *testing.B) {
	h, ck, _ := benchWorker(b)
	qs := []string{"ga", "gard", "make fr", "hous", "walking foot", "sing"}
	var took []time.Duration
	i := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/terms", strings.NewReader(`{"q":"`+qs[i%len(qs)]+`","field":"interests"}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(ck)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("terms = %d", rec.Code)
		}
		i++
	}
	reportLatency(b, took)
}

// benchWorker serves the sample network with a matcher, a worker signed in
// and a rate limit out of the way, and returns the handler, the session
// cookie and its form token.
func benchWorker(b *testing.B) (http.Handler, *http.Cookie, string) {
	b.Helper()
	d := webtest.MustOpenSample(b)
	ctx := context.Background()
	if err := d.Rebuild(ctx); err != nil {
		b.Fatal(err)
	}
	// The clock is fixed, so the rate limit would never refill.
	srv, err := New(Config{Dir: d, Importer: importer.New(d), Matcher: webtest.MustMatcher(b, d), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: Limits{PublicAPI: Rate{Burst: 1 << 30, Per: time.Millisecond}}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.AddUser(ctx, directory.User{Email: workerEmail, Role: directory.RoleWorker}, testPassword); err != nil {
		b.Fatal(err)
	}
	token, login, err := d.CreateSession(ctx, workerEmail, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	return srv.Handler(), &http.Cookie{Name: "lw_session", Value: token}, login.CSRF
}
