package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// signIn posts the sign-in form and returns the response.
func (e *testEnv) signIn(email, password, next string) *httptest.ResponseRecorder {
	return e.postForm("/login", nil, url.Values{"email": {email}, "password": {password}, "next": {next}})
}

// sessionCookie returns the session cookie a response set, or nil.
func sessionCookie(w *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if strings.HasSuffix(c.Name, "lw_session") {
			return c
		}
	}
	return nil
}

var errorSummaryRE = regexp.MustCompile(`(?s)<div class="error-summary".*?<p>(.*?)</p>`)

// pageError returns the message in a page's error summary.
func pageError(body string) string {
	m := errorSummaryRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestSignIn(t *testing.T) {
	e := mustOpenServer(t, Config{})
	if err := e.dir.SetUserDisabled(context.Background(), betaEmail, true); err != nil {
		t.Fatal(err)
	}
	const refused = "that email and password do not match an account - check them and try again"
	tests := []struct {
		name, email, password, next string
		wantStatus                  int
		wantLocation                string
		wantError                   string
	}{
		{"good password, partner goes to their listings", alphaEmail, testPassword, "", http.StatusSeeOther, "/partner", ""},
		{"email in capitals", strings.ToUpper(alphaEmail), testPassword, "", http.StatusSeeOther, "/partner", ""},
		{"worker goes to the match screen", workerEmail, testPassword, "", http.StatusSeeOther, "/worker/match", ""},
		{"back to the page asked for", alphaEmail, testPassword, "/partner/upload?partner=alpha", http.StatusSeeOther, "/partner/upload?partner=alpha", ""},
		{"another site as next is ignored", alphaEmail, testPassword, "//evil.example/phish", http.StatusSeeOther, "/partner", ""},
		{"bad password", alphaEmail, "wrong password!", "", http.StatusUnauthorized, "", refused},
		{"unknown user gets the same message", "nobody@example.org", testPassword, "", http.StatusUnauthorized, "", refused},
		{"disabled user gets the same message", betaEmail, testPassword, "", http.StatusUnauthorized, "", refused},
		{"empty form gets the same message", "", "", "", http.StatusUnauthorized, "", refused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.signIn(tt.email, tt.password, tt.next)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d; body:\n%s", w.Code, tt.wantStatus, w.Body.String())
			}
			if got := w.Header().Get("Location"); got != tt.wantLocation {
				t.Errorf("Location %q, want %q", got, tt.wantLocation)
			}
			if got := pageError(w.Body.String()); got != tt.wantError {
				t.Errorf("error message %q, want %q", got, tt.wantError)
			}
			ck := sessionCookie(w)
			if tt.wantError != "" {
				if ck != nil {
					t.Errorf("a refused sign-in set a session cookie")
				}
				if strings.Contains(w.Body.String(), tt.password) && tt.password != "" {
					t.Errorf("the page repeats the password")
				}
				return
			}
			if ck == nil {
				t.Fatal("no session cookie")
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", ck)
			}
			if ck.MaxAge != int(DefaultSessionTTL.Seconds()) {
				t.Errorf("cookie lasts %ds, want %v", ck.MaxAge, DefaultSessionTTL)
			}
			acct := e.get("/account", ck)
			if acct.Code != http.StatusOK || !strings.Contains(acct.Body.String(), strings.ToLower(tt.email)) {
				t.Errorf("account page with the new cookie: %d, body:\n%s", acct.Code, acct.Body.String())
			}
		})
	}
}

func TestSignInSecureCookie(t *testing.T) {
	e := mustOpenServer(t, Config{SecureCookies: true})
	w := e.signIn(alphaEmail, testPassword, "")
	ck := sessionCookie(w)
	if ck == nil || ck.Name != "__Host-lw_session" || !ck.Secure || !ck.HttpOnly {
		t.Fatalf("cookie %+v: want a Secure, HttpOnly __Host- cookie", ck)
	}
	if got := e.get("/account", ck); got.Code != http.StatusOK {
		t.Errorf("account page with the secure cookie: %d", got.Code)
	}
}

func TestSignInReplacesTheOldSession(t *testing.T) {
	e := mustOpenServer(t, Config{})
	old, _ := e.session(alphaEmail)
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"email": {alphaEmail}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(old)
	w := e.do(req)
	if w.Code != http.StatusSeeOther || sessionCookie(w) == nil {
		t.Fatalf("sign-in answered %d", w.Code)
	}
	if sessionCookie(w).Value == old.Value {
		t.Fatal("signing in kept the session token the browser already had")
	}
	if _, _, err := e.dir.SessionUser(context.Background(), old.Value); err == nil {
		t.Error("the session the browser had before signing in still works")
	}
}

func TestSessionEnds(t *testing.T) {
	tests := []struct {
		name string
		end  func(e *testEnv, ck *http.Cookie, csrf string)
	}{
		{"expires after its lifetime", func(e *testEnv, ck *http.Cookie, csrf string) {
			e.clock.Advance(DefaultSessionTTL + time.Second)
		}},
		{"sign-out revokes it", func(e *testEnv, ck *http.Cookie, csrf string) {
			w := e.postForm("/logout", ck, url.Values{"csrf": {csrf}})
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login?signed_out=1" {
				e.t.Fatalf("sign-out answered %d to %q", w.Code, w.Header().Get("Location"))
			}
			if c := sessionCookie(w); c == nil || c.MaxAge >= 0 {
				e.t.Errorf("sign-out did not clear the cookie: %+v", c)
			}
		}},
		{"disabling the user ends it", func(e *testEnv, ck *http.Cookie, csrf string) {
			if err := e.dir.SetUserDisabled(context.Background(), alphaEmail, true); err != nil {
				e.t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustOpenServer(t, Config{})
			w := e.signIn(alphaEmail, testPassword, "")
			ck := sessionCookie(w)
			if ck == nil {
				t.Fatalf("sign-in answered %d", w.Code)
			}
			login, _, err := e.dir.SessionUser(context.Background(), ck.Value)
			if err != nil {
				t.Fatal(err)
			}
			if got := e.get("/partner", ck); got.Code != http.StatusOK {
				t.Fatalf("before: /partner answered %d", got.Code)
			}
			tt.end(e, ck, login.CSRF)
			// The same cookie, replayed, no longer lets anyone in.
			got := e.get("/partner", ck)
			if got.Code != http.StatusSeeOther || got.Header().Get("Location") != "/login?next=%2Fpartner" {
				t.Fatalf("after: /partner answered %d to %q, want a redirect to sign in", got.Code, got.Header().Get("Location"))
			}
			if c := sessionCookie(got); c == nil || c.MaxAge >= 0 {
				t.Errorf("the dead session's cookie was not cleared: %+v", c)
			}
		})
	}
}

func TestSignOutWithoutSession(t *testing.T) {
	e := mustOpenServer(t, Config{})
	w := e.postForm("/logout", nil, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign-out with no session answered %d", w.Code)
	}
}

func TestLoginPage(t *testing.T) {
	e := mustOpenServer(t, Config{})
	w := e.get("/login?next=/partner/imports", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{`name="email"`, `type="password"`, `autocomplete="current-password"`, `name="next" value="/partner/imports"`, "Need help now?"} {
		if !strings.Contains(body, want) {
			t.Errorf("the sign-in page lacks %s", want)
		}
	}
	ck, _ := e.session(alphaEmail)
	if got := e.get("/login?next=/partner/imports", ck); got.Code != http.StatusSeeOther || got.Header().Get("Location") != "/partner/imports" {
		t.Errorf("signed in, /login answered %d to %q", got.Code, got.Header().Get("Location"))
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/partner", "/partner"},
		{"/partner/upload?partner=alpha", "/partner/upload?partner=alpha"},
		{"", ""},
		{"partner", ""},
		{"//evil.example", ""},
		{"/\\evil.example", ""},
		{"https://evil.example/", ""},
		{"/partner\r\nSet-Cookie: x=y", ""},
		{"/ok\x00", ""},
		{"javascript:alert(1)", ""},
		{"/" + strings.Repeat("a", 3000), ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := safeNext(tt.in); got != tt.want {
				t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRequireRole(t *testing.T) {
	e := mustOpenServer(t, Config{})
	worker, _ := e.session(workerEmail)
	tests := []struct {
		name       string
		path       string
		ck         *http.Cookie
		wantStatus int
	}{
		{"anonymous page goes to sign in", "/account", nil, http.StatusSeeOther},
		{"worker may see the account page", "/account", worker, http.StatusOK},
		{"worker may not see the partner area", "/partner", worker, http.StatusForbidden},
		{"anonymous API call gets 401 JSON", "/api/v1/partner/listings.csv", nil, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.get(tt.path, tt.ck)
			if w.Code != tt.wantStatus {
				t.Fatalf("%s answered %d, want %d", tt.path, w.Code, tt.wantStatus)
			}
			if w.Code == http.StatusOK && w.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("a signed-in page may be cached: Cache-Control %q", w.Header().Get("Cache-Control"))
			}
		})
	}
}

// FuzzSafeNext checks that whatever comes in ?next=, sign-in only ever
// sends the browser to a path on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/partner", "//evil.example", "/\\evil", "https://evil.example", "/a?b=c#d", "/%2F%2Fevil.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got == "" {
			return
		}
		if got != next {
			t.Fatalf("safeNext(%q) = %q: it should keep a safe path as it is", next, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n") {
			t.Fatalf("safeNext(%q) let through a target that may leave the site", next)
		}
		// A browser resolving the Location against this site stays on it.
		base, _ := url.Parse("https://livingwell.example/login")
		if r := base.ResolveReference(u); r.Host != base.Host {
			t.Fatalf("safeNext(%q) resolves to host %q", next, r.Host)
		}
	})
}
