package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// partnerRoute is one route of the partner area.
type partnerRoute struct {
	method string
	// path is the route with {p} for the partner and {id} for an upload.
	path string
	// file is true for the multipart upload form.
	file bool
}

var partnerRoutes = []partnerRoute{
	{http.MethodGet, "/partner?partner={p}", false},
	{http.MethodGet, "/partner/template.csv?partner={p}", false},
	{http.MethodGet, "/partner/template.xlsx?partner={p}", false},
	{http.MethodGet, "/partner/upload?partner={p}", false},
	{http.MethodPost, "/partner/upload?partner={p}", true},
	{http.MethodGet, "/partner/upload/{id}?partner={p}", false},
	{http.MethodPost, "/partner/upload/{id}/confirm?partner={p}", false},
	{http.MethodPost, "/partner/upload/{id}/cancel?partner={p}", false},
	{http.MethodGet, "/partner/imports?partner={p}", false},
	{http.MethodGet, "/partner/imports/undo?partner={p}", false},
	{http.MethodPost, "/partner/imports/undo?partner={p}", false},
}

// changedAlphaCSV renames A1 and drops A2.
const changedAlphaCSV = `ref,name,description,categories,postcode,phone,email,last_verified
A1,Alpha Garden Club (Saturdays),"Grow vegetables together on the estate allotment, tools provided.",community-gardens,SW9 8HE,020 7946 0001,garden@alpha.example.org,2026-03-01
`

// call sends one partner-area request as a browser on this site would,
// with the session cookie and its form token (none when ck is nil).
func (e *testEnv) call(rt partnerRoute, ck *http.Cookie, csrf, partner, id, importID string) *httptest.ResponseRecorder {
	path := strings.NewReplacer("{p}", partner, "{id}", id).Replace(rt.path)
	if rt.file {
		return e.postFile(path, ck, "listings.csv", []byte(changedAlphaCSV), map[string]string{"csrf": csrf, "mode": "replace"})
	}
	if rt.method == http.MethodGet {
		return e.get(path, ck)
	}
	return e.postForm(path, ck, url.Values{"csrf": {csrf}, "import": {importID}, "valid_only": {"true"}})
}

// snapshot is everything the partner area could change, for both partners.
func (e *testEnv) snapshot() string {
	return strings.Join(e.listingNames("alpha"), "|") + "#" + strings.Join(e.listingNames("beta"), "|") +
		"#" + strings.Repeat("a", e.importCount("alpha")) + strings.Repeat("b", e.importCount("beta"))
}

func TestPartnerAreaRefusals(t *testing.T) {
	e := mustOpenServer(t, Config{})
	worker, workerCSRF := e.session(workerEmail)
	alpha, alphaCSRF := e.session(alphaEmail)
	beta, betaCSRF := e.session(betaEmail)
	admin, adminCSRF := e.session(adminEmail)
	// Pending uploads: beta's own, an admin's for beta, and alpha's own.
	betaUpload := uploadID(t, e.postFile("/partner/upload?partner=beta", beta, "b.csv", []byte(betaCSV), map[string]string{"csrf": betaCSRF}))
	adminBetaUpload := uploadID(t, e.postFile("/partner/upload?partner=beta", admin, "b.csv", []byte(betaCSV), map[string]string{"csrf": adminCSRF}))
	alphaUpload := uploadID(t, e.postFile("/partner/upload?partner=alpha", alpha, "a.csv", []byte(changedAlphaCSV), map[string]string{"csrf": alphaCSRF}))

	who := []struct {
		name        string
		ck          *http.Cookie
		csrf        string
		partner, id string
		importID    string
		want        int
	}{
		{"anonymous", nil, "", "alpha", alphaUpload, "alpha-1", http.StatusSeeOther},
		{"worker", worker, workerCSRF, "alpha", alphaUpload, "alpha-1", http.StatusForbidden},
		{"partner A naming B", alpha, alphaCSRF, "beta", betaUpload, "beta-2", http.StatusForbidden},
		{"partner A naming B with an admin's upload for B", alpha, alphaCSRF, "beta", adminBetaUpload, "beta-2", http.StatusForbidden},
		{"partner A naming B with its own upload", alpha, alphaCSRF, "beta", alphaUpload, "beta-2", http.StatusForbidden},
	}
	before := e.snapshot()
	for _, w := range who {
		for _, rt := range partnerRoutes {
			t.Run(w.name+"/"+rt.method+" "+rt.path, func(t *testing.T) {
				res := e.call(rt, w.ck, w.csrf, w.partner, w.id, w.importID)
				if res.Code != w.want {
					t.Fatalf("status %d, want %d; body:\n%.600s", res.Code, w.want, res.Body.String())
				}
				if w.want == http.StatusSeeOther && !strings.HasPrefix(res.Header().Get("Location"), "/login?next=") {
					t.Errorf("redirected to %q, want the sign-in page", res.Header().Get("Location"))
				}
				if strings.Contains(res.Body.String(), "Beta Community Kitchen") {
					t.Errorf("the answer shows partner B's listing")
				}
				if got := e.snapshot(); got != before {
					t.Fatalf("the store changed: %s -> %s", before, got)
				}
			})
		}
	}
	// Upload ids are bound to the session and partner that made them: B's
	// upload, and an admin's upload for B, are not found from A's session
	// even under A's own name, nor from another of B's sessions.
	beta2, beta2CSRF := e.session(betaEmail)
	for _, tc := range []struct {
		name     string
		ck       *http.Cookie
		csrf     string
		partner  string
		uploadID string
		// owner and ownerPartner can still see the upload afterwards.
		owner        *http.Cookie
		ownerPartner string
	}{
		{"A's session, B's upload under A's name", alpha, alphaCSRF, "alpha", betaUpload, beta, "beta"},
		{"A's session, an admin's upload for B under A's name", alpha, alphaCSRF, "alpha", adminBetaUpload, admin, "beta"},
		{"another session of B", beta2, beta2CSRF, "beta", betaUpload, beta, "beta"},
		{"an admin naming A with an upload for B", admin, adminCSRF, "alpha", adminBetaUpload, admin, "beta"},
	} {
		for _, rt := range partnerRoutes {
			if !strings.Contains(rt.path, "{id}") {
				continue
			}
			t.Run(tc.name+"/"+rt.method+" "+rt.path, func(t *testing.T) {
				res := e.call(rt, tc.ck, tc.csrf, tc.partner, tc.uploadID, "")
				// Cancelling an upload that is not yours quietly does
				// nothing (as cancelling twice does); the rest say 404.
				want := http.StatusNotFound
				if strings.HasSuffix(rt.path, "/cancel?partner={p}") {
					want = http.StatusSeeOther
				}
				if res.Code != want {
					t.Fatalf("status %d, want %d", res.Code, want)
				}
				if got := e.snapshot(); got != before {
					t.Fatalf("the store changed: %s -> %s", before, got)
				}
				if res := e.get("/partner/upload/"+tc.uploadID+"?partner="+tc.ownerPartner, tc.owner); res.Code != http.StatusOK {
					t.Fatalf("the owner can no longer see the upload: %d", res.Code)
				}
			})
		}
	}
	t.Run("admin without a partner sees the list of partners", func(t *testing.T) {
		res := e.get("/partner", admin)
		if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `href="/partner?partner=beta"`) {
			t.Fatalf("status %d; body:\n%.600s", res.Code, res.Body.String())
		}
		if res := e.get("/partner/upload", admin); res.Code != http.StatusBadRequest {
			t.Errorf("admin upload page without a partner: %d, want 400", res.Code)
		}
		if res := e.get("/partner/upload?partner=nobody", admin); res.Code != http.StatusNotFound {
			t.Errorf("admin upload page for an unknown partner: %d, want 404", res.Code)
		}
	})
}

// TestPartnerAreaWorks walks every route for partner A on its own
// listings and for an admin acting for B, checking each changes only that
// partner's listings.
func TestPartnerAreaWorks(t *testing.T) {
	for _, tc := range []struct {
		name, email, partner, other string
	}{
		{"partner A on A", alphaEmail, "alpha", "beta"},
		{"admin on B", adminEmail, "beta", "alpha"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustOpenServer(t, Config{})
			ck, csrf := e.session(tc.email)
			start := strings.Join(e.listingNames(tc.partner), "|")
			otherBefore := strings.Join(e.listingNames(tc.other), "|") + "#" + strings.Repeat("x", e.importCount(tc.other))
			id := ""
			for _, rt := range partnerRoutes {
				res := e.call(rt, ck, csrf, tc.partner, id, "")
				if rt.method == http.MethodPost && strings.HasSuffix(rt.path, "/imports/undo?partner={p}") {
					// Undo needs the id of the import it confirms.
					recs, _ := e.dir.Imports(t.Context(), tc.partner)
					res = e.call(rt, ck, csrf, tc.partner, id, undoable(recs).ID)
				}
				want := http.StatusOK
				if rt.method == http.MethodPost {
					want = http.StatusSeeOther
				}
				if rt.path == "/partner/upload/{id}/cancel?partner={p}" {
					want = http.StatusSeeOther
				}
				if res.Code != want {
					t.Fatalf("%s %s: status %d, want %d; body:\n%.800s", rt.method, rt.path, res.Code, want, res.Body.String())
				}
				if rt.file {
					id = uploadID(t, res)
				}
				if rt.path == "/partner/upload/{id}/confirm?partner={p}" {
					// Confirmed: the file is the partner's whole list now.
					if got := strings.Join(e.listingNames(tc.partner), "|"); tc.partner == "alpha" && got != "A1=Alpha Garden Club (Saturdays)" {
						t.Fatalf("after confirming, alpha has %s", got)
					}
				}
				if got := strings.Join(e.listingNames(tc.other), "|") + "#" + strings.Repeat("x", e.importCount(tc.other)); got != otherBefore {
					t.Fatalf("%s %s changed the other partner: %s -> %s", rt.method, rt.path, otherBefore, got)
				}
			}
			if got := strings.Join(e.listingNames(tc.partner), "|"); got != start {
				t.Errorf("after the undo, %s has %s, want %s as at the start", tc.partner, got, start)
			}
		})
	}
}
