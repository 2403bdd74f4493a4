package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// These tests walk the router's own list of routes (engine.Routes()), so
// a route added without a decision about who may use it, whether it needs
// a form token and how big its body may be fails here until the tables
// below say.

// access is who may use a route.
type access int

const (
	// publicRoute: anyone, signed in or not.
	publicRoute access = iota
	// anySignedIn: any signed-in user.
	anySignedIn
	// partnerArea: a partner user for their own partner, or an admin
	// naming any partner with ?partner=ID.
	partnerArea
	// partnerHome: a partner user or an admin (the admin's partner list).
	partnerHome
	// adminOnly: signed-in admins.
	adminOnly
	// apiToken: a partner's API token, for that partner only.
	apiToken
	// localOrAdmin: a direct connection from this machine, or an admin
	// (/metrics); anyone else is told there is nothing there.
	localOrAdmin
	// workerArea: signed-in workers and admins.
	workerArea
)

// routeAccess is the decision for every route: method and pattern ->
// who may use it.
var routeAccess = map[string]access{
	"GET /":                              publicRoute,
	"GET /search":                        publicRoute,
	"GET /healthz":                       publicRoute,
	"GET /readyz":                        publicRoute,
	"GET /metrics":                       localOrAdmin,
	"GET /static/*filepath":              publicRoute,
	"HEAD /static/*filepath":             publicRoute,
	"GET /login":                         publicRoute,
	"POST /login":                        publicRoute,
	"POST /logout":                       publicRoute,
	"GET /account":                       anySignedIn,
	"GET /api/v1/search":                 publicRoute,
	"GET /api/v1/listings/:id":           publicRoute,
	"GET /api/v1/taxonomy":               publicRoute,
	"POST /api/v1/match":                 workerArea,
	"POST /api/v1/terms":                 workerArea,
	"GET /worker/match":                  workerArea,
	"POST /worker/match":                 workerArea,
	"GET /worker/shortlist":              workerArea,
	"POST /worker/shortlist":             workerArea,
	"POST /worker/shortlist/share":       workerArea,
	"POST /worker/introductions":         workerArea,
	"GET /s/:token":                      publicRoute,
	"GET /oruk/":                         publicRoute,
	"GET /oruk/openapi.json":             publicRoute,
	"GET /oruk/services":                 publicRoute,
	"GET /oruk/services/:id":             publicRoute,
	"GET /oruk/service_at_locations":     publicRoute,
	"GET /oruk/service_at_locations/:id": publicRoute,
	"GET /oruk/organizations":            publicRoute,
	"GET /oruk/organizations/:id":        publicRoute,
	"GET /oruk/taxonomies":               publicRoute,
	"GET /oruk/taxonomies/:id":           publicRoute,
	"GET /oruk/taxonomy_terms":           publicRoute,
	"GET /oruk/taxonomy_terms/:id":       publicRoute,
	"GET /partner":                       partnerHome,
	"GET /partner/template.csv":          partnerArea,
	"GET /partner/template.xlsx":         partnerArea,
	"GET /partner/upload":                partnerArea,
	"POST /partner/upload":               partnerArea,
	"GET /partner/upload/:id":            partnerArea,
	"POST /partner/upload/:id/confirm":   partnerArea,
	"POST /partner/upload/:id/cancel":    partnerArea,
	"GET /partner/imports":               partnerArea,
	"GET /partner/imports/undo":          partnerArea,
	"POST /partner/imports/undo":         partnerArea,
	"POST /partner/reports/:id/resolve":  partnerArea,
	"GET /admin":                         adminOnly,
	"GET /admin/partners":                adminOnly,
	"POST /admin/partners":               adminOnly,
	"GET /admin/users":                   adminOnly,
	"POST /admin/users":                  adminOnly,
	"POST /admin/users/disable":          adminOnly,
	"POST /admin/users/enable":           adminOnly,
	"POST /admin/users/end-sessions":     adminOnly,
	"GET /admin/tokens":                  adminOnly,
	"POST /admin/tokens":                 adminOnly,
	"POST /admin/tokens/revoke":          adminOnly,
	"GET /admin/reports":                 adminOnly,
	"POST /admin/reports/:id/resolve":    adminOnly,
	"GET /admin/stale":                   adminOnly,
	"GET /admin/gaps":                    adminOnly,
	"GET /admin/introductions":           adminOnly,
	"POST /api/v1/partner/imports":       apiToken,
	"GET /api/v1/partner/listings.csv":   apiToken,
	"GET /admin/export/hsds3.zip":        adminOnly,
	"GET /admin/audit":                   adminOnly,
	"GET /admin/audit.json":              adminOnly,
	"GET /admin/backup":                  adminOnly,
	"GET /listings/:id":                  publicRoute,
	"GET /listings/:id/print":            publicRoute,
	"GET /listings/:id/report":           publicRoute,
	"POST /listings/:id/report":          publicRoute,
	"GET /my-list":                       publicRoute,
	"GET /my-list/items":                 publicRoute,
	"GET /suggest":                       publicRoute,
	"POST /suggest":                      publicRoute,
}

// csrfExempt are the state-changing routes that carry no session token
// check, with the reason. Every other one must refuse a form without the
// session's token. The cross-origin check covers every one of them.
var csrfExempt = map[string]string{
	"POST /login":                  "there is no session yet; the cross-origin check refuses forged sign-ins",
	"POST /api/v1/partner/imports": "authenticated by a bearer token, which a browser never sends by itself",
	"POST /listings/:id/report":    "a public form with no session; the cross-origin check refuses it from another site",
	"POST /suggest":                "a public form that only searches; the cross-origin check refuses it from another site",
	"POST /api/v1/match":           "a JSON API that only reads, for the match screen's script; a page on another site cannot read its answer, and the cross-origin check refuses it from there",
	"POST /api/v1/terms":           "the type-ahead, which only reads, for the match screen's script; as for the match API",
}

// uploadRoutes take a file of up to Config.MaxUploadBytes; every other
// state-changing route takes at most a small form.
var uploadRoutes = map[string]bool{
	"POST /partner/upload":         true,
	"POST /api/v1/partner/imports": true,
}

// caller is who makes a request in these tests.
type caller struct {
	name    string
	email   string // signs in as this user ("" for none)
	token   bool   // sends alpha's API token
	partner string // the partner named with ?partner=
}

var callers = []caller{
	{name: "anonymous"},
	{name: "worker", email: workerEmail},
	{name: "partner alpha for alpha", email: alphaEmail, partner: "alpha"},
	{name: "partner alpha naming nobody", email: alphaEmail},
	{name: "partner alpha naming beta", email: alphaEmail, partner: "beta"},
	{name: "admin for beta", email: adminEmail, partner: "beta"},
	{name: "alpha's token for alpha", token: true, partner: "alpha"},
	{name: "alpha's token naming beta", token: true, partner: "beta"},
}

// allowed says whether the policy lets a caller through.
func (a access) allowed(c caller) bool {
	switch a {
	case publicRoute:
		return true
	case anySignedIn:
		return c.email != ""
	case partnerHome:
		return (c.email == alphaEmail && c.partner != "beta") || c.email == adminEmail
	case partnerArea:
		return (c.email == alphaEmail && c.partner != "beta") || c.email == adminEmail
	case adminOnly, localOrAdmin:
		return c.email == adminEmail
	case workerArea:
		return c.email == workerEmail || c.email == adminEmail
	case apiToken:
		return c.token && c.partner == "alpha"
	}
	return false
}

// concretePath fills a pattern's parameters with values that name
// nothing, so a handler that is reached answers 404 or 200, never an
// authorisation refusal.
func concretePath(pattern string) string {
	var parts []string
	for _, p := range strings.Split(pattern, "/") {
		switch {
		case strings.HasPrefix(p, ":"):
			p = "nothing-here"
		case strings.HasPrefix(p, "*"):
			p = "site.css"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "/")
}

// formBody is a multipart form with the form token, a mode and a small
// file: what every state-changing form of the site could want.
func formBody(t testing.TB, csrf string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	mw.WriteField("mode", "merge")
	fw, _ := mw.CreateFormFile("file", "listings.csv")
	fw.Write([]byte(alphaCSV))
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// request builds a request for a route from a caller, as a browser on this
// site would send it (same-origin), with the caller's form token.
func (e *testEnv) request(method, path string, who caller, token string) *http.Request {
	e.t.Helper()
	if who.partner != "" {
		path += "?partner=" + who.partner
	}
	var req *http.Request
	var csrf string
	var ck *http.Cookie
	if who.email != "" {
		ck, csrf = e.session(who.email)
	}
	if method == http.MethodPost {
		body, ctype := formBody(e.t, csrf)
		req = httptest.NewRequest(method, path, body)
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if ck != nil {
		req.AddCookie(ck)
	}
	if who.token {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// refused reports whether an answer is an authorisation refusal: 401, 403,
// a redirect to sign in, or /metrics' 404. The sign-in form's own 401 (the
// test posts no password) is an answer, not a refusal.
func refused(method, route string, w *httptest.ResponseRecorder) bool {
	switch {
	case route == "POST /login":
		return w.Code == http.StatusForbidden
	case w.Code == http.StatusUnauthorized, w.Code == http.StatusForbidden:
		return true
	case w.Code == http.StatusSeeOther && strings.HasPrefix(w.Header().Get("Location"), "/login?next="):
		return true
	case route == "GET /metrics" && w.Code == http.StatusNotFound:
		return true
	}
	return false
}

func TestEveryRouteHasAnAccessDecision(t *testing.T) {
	e := mustOpenServer(t, Config{})
	var have []string
	for _, r := range e.srv.engine.Routes() {
		k := r.Method + " " + r.Path
		have = append(have, k)
		if _, ok := routeAccess[k]; !ok {
			t.Errorf("route %s has no access decision: add it to routeAccess in security_test.go", k)
		}
	}
	for k := range routeAccess {
		if !slices.Contains(have, k) {
			t.Errorf("routeAccess names %s, which is not a route any more", k)
		}
	}
}

// TestAuthorisationForEveryRouteAndRole sends every route a request from
// each kind of caller and checks that exactly the callers its policy names
// get through. Each route gets a fresh copy of the fixture, since an
// allowed request may change things (sign out, undo).
func TestAuthorisationForEveryRouteAndRole(t *testing.T) {
	probe := mustOpenServer(t, Config{})
	for _, r := range probe.srv.engine.Routes() {
		key := r.Method + " " + r.Path
		policy, ok := routeAccess[key]
		if !ok {
			continue // reported by TestEveryRouteHasAnAccessDecision
		}
		t.Run(key, func(t *testing.T) {
			e := mustOpenServer(t, Config{})
			token, _, err := e.dir.CreateToken(context.Background(), "alpha", "test")
			if err != nil {
				t.Fatal(err)
			}
			for _, who := range callers {
				req := e.request(r.Method, concretePath(r.Path), who, token)
				req.RemoteAddr = "198.51.100.20:1234" // not this machine
				w := e.do(req)
				if got, want := !refused(r.Method, key, w), policy.allowed(who); got != want {
					t.Errorf("%s: answered %d (Location %q); allowed should be %v", who.name, w.Code, w.Header().Get("Location"), want)
				}
				if w.Code >= 500 {
					t.Errorf("%s: answered %d: %s", who.name, w.Code, w.Body.String())
				}
			}
		})
	}
}

// TestPartnersSeeOnlyTheirOwnListings reads every door that hands out a
// partner's listings as partner alpha (and alpha's token) and checks that
// beta's listing never appears.
func TestPartnersSeeOnlyTheirOwnListings(t *testing.T) {
	e := mustOpenServer(t, Config{})
	token, _, err := e.dir.CreateToken(context.Background(), "alpha", "test")
	if err != nil {
		t.Fatal(err)
	}
	alpha := caller{name: "alpha", email: alphaEmail}
	for _, r := range e.srv.engine.Routes() {
		key := r.Method + " " + r.Path
		if r.Method != http.MethodGet || (routeAccess[key] != partnerArea && routeAccess[key] != partnerHome && routeAccess[key] != apiToken) {
			continue
		}
		who := alpha
		if routeAccess[key] == apiToken {
			who = caller{name: "alpha's token", token: true}
		}
		w := e.do(e.request(r.Method, concretePath(r.Path), who, token))
		body := w.Body.String()
		if key == "GET /partner/template.xlsx" {
			continue // zipped; the template's CSV twin is checked
		}
		if strings.Contains(body, "Beta Community Kitchen") || strings.Contains(body, "beta/B1") {
			t.Errorf("%s shows partner beta's listing to %s", key, who.name)
		}
	}
}

// TestCSRFOnEveryStateChangingRoute signs in as someone allowed to use
// each state-changing route and sends it (1) a form without the session's
// token and (2) a form with the token but from another site: both must be
// refused with 403 and change nothing. Exempt routes still refuse (2).
func TestCSRFOnEveryStateChangingRoute(t *testing.T) {
	probe := mustOpenServer(t, Config{})
	for _, r := range probe.srv.engine.Routes() {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			continue
		}
		key := r.Method + " " + r.Path
		t.Run(key, func(t *testing.T) {
			e := mustOpenServer(t, Config{})
			who := caller{email: adminEmail, partner: "alpha"}
			if routeAccess[key] == apiToken {
				who = caller{token: true}
			}
			token, _, _ := e.dir.CreateToken(context.Background(), "alpha", "test")
			before := e.snapshot()
			if _, exempt := csrfExempt[key]; !exempt {
				req := e.request(r.Method, concretePath(r.Path), caller{}, token)
				ck, _ := e.session(who.email)
				req.AddCookie(ck)
				if who.partner != "" {
					req.URL.RawQuery = "partner=" + who.partner
				}
				if w := e.do(req); w.Code != http.StatusForbidden {
					t.Errorf("a form without the session's token answered %d", w.Code)
				}
			}
			req := e.request(r.Method, concretePath(r.Path), who, token)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.Header.Set("Origin", "https://evil.example")
			if w := e.do(req); w.Code != http.StatusForbidden {
				t.Errorf("a form from another site answered %d", w.Code)
			}
			if after := e.snapshot(); after != before {
				t.Errorf("a refused form changed things: %s -> %s", before, after)
			}
		})
	}
}

// securityHeaderValues are the headers every answer carries.
var securityHeaderValues = map[string]string{
	"X-Content-Type-Options": "nosniff",
	"X-Frame-Options":        "DENY",
	"Referrer-Policy":        "same-origin",
}

// TestSecurityHeadersOnEveryResponse requests every route (and an unknown
// path, a wrong method and a refused request) and checks the headers.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := mustOpenServer(t, Config{})
	var reqs []*http.Request
	for _, r := range e.srv.engine.Routes() {
		reqs = append(reqs, e.request(r.Method, concretePath(r.Path), caller{}, ""))
	}
	reqs = append(reqs,
		httptest.NewRequest(http.MethodGet, "/no/such/page", nil),
		httptest.NewRequest(http.MethodGet, "/api/v1/no-such-thing", nil),
		httptest.NewRequest(http.MethodDelete, "/search", nil),
		httptest.NewRequest(http.MethodGet, "/api/v1/search?per_page=banana", nil),
	)
	for _, req := range reqs {
		w := e.do(req)
		for h, v := range securityHeaderValues {
			if got := w.Header().Get(h); got != v {
				t.Errorf("%s %s (%d): %s is %q, want %q", req.Method, req.URL, w.Code, h, got, v)
			}
		}
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s %s: Content-Security-Policy %q", req.Method, req.URL, csp)
		}
	}
}

// TestEveryStateChangingRouteLimitsItsBody declares a body over each
// state-changing route's limit and checks that it is refused before
// anything is read or stored: 413, or 401/403 for callers refused first.
func TestEveryStateChangingRouteLimitsItsBody(t *testing.T) {
	const maxUpload = 1 << 20
	e := mustOpenServer(t, Config{MaxUploadBytes: maxUpload})
	token, _, _ := e.dir.CreateToken(context.Background(), "alpha", "test")
	for _, r := range e.srv.engine.Routes() {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			continue
		}
		key := r.Method + " " + r.Path
		size := int64(MaxJSONBody + 1)
		if uploadRoutes[key] {
			size = maxUpload + formSlack + 1
		}
		who := caller{email: adminEmail, partner: "alpha"}
		if routeAccess[key] == apiToken {
			who = caller{token: true}
		}
		before := e.snapshot()
		req := e.request(r.Method, concretePath(r.Path), who, token)
		req.Body = http.NoBody
		req.ContentLength = size
		w := e.do(req)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s with a %d-byte body answered %d, want 413", key, size, w.Code)
		}
		if after := e.snapshot(); after != before {
			t.Errorf("%s: an oversized body changed things", key)
		}
	}
}
