package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestCrossOriginPostRefused(t *testing.T) {
	e := mustOpenServer(t, Config{})
	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"cross-site by Sec-Fetch-Site", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same-site subdomain by Sec-Fetch-Site", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"another Origin, no Sec-Fetch-Site", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ck, token := e.session(alphaEmail)
			req := httptest.NewRequest(http.MethodPost, "/logout", strings.NewReader(url.Values{"csrf": {token}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			req.AddCookie(ck)
			w := e.do(req)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
			_, _, err := e.dir.SessionUser(context.Background(), ck.Value)
			if tt.want == http.StatusForbidden {
				if !strings.Contains(w.Body.String(), "Your form was not accepted") {
					t.Errorf("the refusal page does not say what happened:\n%s", w.Body.String())
				}
				if err != nil {
					t.Errorf("a refused sign-out still ended the session")
				}
			} else if err == nil {
				t.Errorf("the sign-out was accepted but the session lives on")
			}
		})
	}
	t.Run("sign-in form from another site", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"email": {alphaEmail}, "password": {testPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		w := e.do(req)
		if w.Code != http.StatusForbidden || sessionCookie(w) != nil {
			t.Fatalf("a cross-site sign-in answered %d and cookie %v", w.Code, sessionCookie(w))
		}
	})
}

func TestFormTokenRequired(t *testing.T) {
	e := mustOpenServer(t, Config{})
	ck, token := e.session(alphaEmail)
	_, otherToken := e.session(alphaEmail)
	// A pending upload to confirm or cancel.
	id := uploadID(t, e.postFile("/partner/upload?partner=alpha", ck, "a.csv", []byte(alphaCSV), map[string]string{"csrf": token}))
	forms := []struct {
		name string
		path string
	}{
		{"sign out", "/logout"},
		{"confirm an upload", "/partner/upload/" + id + "/confirm?partner=alpha"},
		{"cancel an upload", "/partner/upload/" + id + "/cancel?partner=alpha"},
		{"undo an import", "/partner/imports/undo?partner=alpha"},
	}
	for _, f := range forms {
		for _, bad := range []struct{ name, token string }{{"no token", ""}, {"wrong token", "not-the-token"}, {"another session's token", otherToken}} {
			t.Run(f.name+"/"+bad.name, func(t *testing.T) {
				before := e.listingNames("alpha")
				imports := e.importCount("alpha")
				form := url.Values{"import": {"alpha-1"}}
				if bad.token != "" {
					form.Set("csrf", bad.token)
				}
				w := e.postForm(f.path, ck, form)
				if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Your form was not accepted") {
					t.Fatalf("status %d, want 403 with a clear page; body:\n%s", w.Code, w.Body.String())
				}
				if got := e.listingNames("alpha"); strings.Join(got, "|") != strings.Join(before, "|") {
					t.Errorf("listings changed: %v -> %v", before, got)
				}
				if got := e.importCount("alpha"); got != imports {
					t.Errorf("import history changed: %d -> %d entries", imports, got)
				}
				if _, _, err := e.dir.SessionUser(context.Background(), ck.Value); err != nil {
					t.Errorf("the session ended")
				}
			})
		}
	}
	t.Run("upload without a token", func(t *testing.T) {
		before, _ := os.ReadDir(e.srv.cfg.UploadDir)
		w := e.postFile("/partner/upload?partner=alpha", ck, "a.csv", []byte(alphaCSV), nil)
		if w.Code != http.StatusForbidden {
			t.Fatalf("status %d, want 403", w.Code)
		}
		if after, _ := os.ReadDir(e.srv.cfg.UploadDir); len(after) != len(before) {
			t.Errorf("a refused upload left a file behind: %d files before, %d after", len(before), len(after))
		}
	})
	t.Run("the good token is accepted", func(t *testing.T) {
		w := e.postForm("/partner/upload/"+id+"/cancel?partner=alpha", ck, url.Values{"csrf": {token}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("cancel with the right token answered %d", w.Code)
		}
		if got := e.get("/partner/upload/"+id+"?partner=alpha", ck); got.Code != http.StatusNotFound {
			t.Errorf("the cancelled upload is still there: %d", got.Code)
		}
		w = e.postForm("/logout", ck, url.Values{"csrf": {token}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("sign-out with the right token answered %d", w.Code)
		}
	})
}
