package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/web/webtest"
)

// adminEnv is a server over the fixture with an admin signed in.
type adminEnv struct {
	*testEnv
	ck   *http.Cookie
	csrf string
}

func newAdminEnv(t *testing.T) *adminEnv {
	t.Helper()
	e := mustOpenServer(t, Config{})
	ck, csrf := e.session(adminEmail)
	return &adminEnv{testEnv: e, ck: ck, csrf: csrf}
}

func (a *adminEnv) post(path string, form url.Values) (int, string, string) {
	form.Set("csrf", a.csrf)
	res := a.postForm(path, a.ck, form)
	return res.Code, res.Header().Get("Location"), res.Body.String()
}

// lastAudit returns the newest audit entry.
func (e *testEnv) lastAudit() directory.AuditEntry {
	e.t.Helper()
	entries, err := e.dir.Audit(context.Background(), directory.AuditQuery{Limit: 1})
	if err != nil || len(entries) != 1 {
		e.t.Fatalf("audit: %v, %v", entries, err)
	}
	return entries[0]
}

func TestAdminPagesShowTheNetwork(t *testing.T) {
	a := newAdminEnv(t)
	ctx := context.Background()
	if _, err := a.dir.AddReport(ctx, directory.Report{ListingID: idAlphaGarden, Kind: directory.ProblemDetailsWrong, Text: "It meets on Thursdays now."}); err != nil {
		t.Fatal(err)
	}
	if err := a.dir.RecordSearchGap(ctx, directory.GapSearch{Text: "knitting circle", Postcode: "SW9 8AB"}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := a.dir.RecordIntroduction(ctx, idAlphaGarden); err != nil {
			t.Fatal(err)
		}
	}
	pages := []struct {
		path string
		want []string
	}{
		{"/admin", []string{"Network overview", "problem reports to review", "/admin/audit", "/admin/export/hsds3.zip", "<strong>1</strong> <span>problem reports", "<strong>3</strong> <span>introductions this month"}},
		{"/admin/reports", []string{"Alpha Garden Club", "It meets on Thursdays now.", "published by Alpha Gardens", "Mark resolved"}},
		{"/admin/stale", []string{"Alpha Walk and Talk", "10 Jan 2025", "/partner?partner=alpha"}},
		{"/admin/gaps", []string{"knitting circle", "SW9 (1)", "Week of 2 Mar 2026"}},
		{"/admin/introductions", []string{"Things to do", "Alpha Garden Club", "Mar 2026", "Oct 2025"}},
		{"/admin/partners", []string{"Alpha Gardens", "Beta Kitchen", "Add a partner"}},
		{"/admin/users", []string{adminEmail, workerEmail, alphaEmail, "Add a user"}},
		{"/admin/tokens", []string{"Make a token", "There are no API tokens yet."}},
		{"/admin/audit", []string{"Audit log"}},
	}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			res := a.get(p.path, a.ck)
			body := res.Body.String()
			if res.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", p.path, res.Code)
			}
			for _, w := range p.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s does not say %q", p.path, w)
				}
			}
			if res.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("%s may be kept by the browser", p.path)
			}
		})
	}
	if body := a.get("/admin/stale", a.ck).Body.String(); strings.Contains(body, "Alpha Garden Club") {
		t.Errorf("the stale list shows a listing checked in January")
	}
	if res := a.get("/admin/gaps?week=last-week", a.ck); res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), "2026-W48") {
		t.Errorf("a bad week = %d, want 400 saying how to write it", res.Code)
	}
}

func TestAdminChangesAreCheckedAndAudited(t *testing.T) {
	a := newAdminEnv(t)
	ctx := context.Background()

	t.Run("add a partner", func(t *testing.T) {
		code, loc, _ := a.post("/admin/partners", url.Values{"name": {"St Mark's Church"}, "kind": {"faith"}})
		if code != http.StatusSeeOther || loc != "/admin/partners?added=st-marks-church" {
			t.Fatalf("add = %d to %q", code, loc)
		}
		if e := a.lastAudit(); e.Action != directory.AuditPartnerAdd || e.Actor != adminEmail || e.Target != "st-marks-church" {
			t.Errorf("audit entry %+v", e)
		}
		if body := a.get(loc, a.ck).Body.String(); !strings.Contains(body, "St Mark&#39;s Church has been added") {
			t.Errorf("the list does not say the partner was added")
		}
		code, _, body := a.post("/admin/partners", url.Values{"name": {""}, "kind": {"faith"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "Give the partner a name") || !strings.Contains(body, `value="faith"`) {
			t.Errorf("no name = %d; want 400 saying so, with the form kept", code)
		}
		if code, _, body := a.post("/admin/partners", url.Values{"name": {"Again"}, "id": {"alpha"}}); code != http.StatusBadRequest || !strings.Contains(body, "already a partner") {
			t.Errorf("a taken id = %d", code)
		}
	})

	t.Run("add a user, shown their password once", func(t *testing.T) {
		code, _, body := a.post("/admin/users", url.Values{"email": {"new.worker@example.org"}, "role": {"worker"}, "partner": {"alpha"}})
		m := regexp.MustCompile(`<p class="secret">([A-Za-z0-9_-]{20})</p>`).FindStringSubmatch(body)
		if code != http.StatusOK || m == nil {
			t.Fatalf("add = %d:\n%.3000s", code, body)
		}
		u, err := a.dir.Authenticate(ctx, "new.worker@example.org", m[1])
		if err != nil || u.Role != directory.RoleWorker || u.PartnerID != "" {
			t.Errorf("the new user with the password shown: %+v, %v; want a worker with no partner", u, err)
		}
		if body := a.get("/admin/users", a.ck).Body.String(); strings.Contains(body, m[1]) {
			t.Errorf("the password is shown again")
		}
		code, _, body = a.post("/admin/users", url.Values{"email": {"p@example.org"}, "role": {"partner"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "partner user needs a partner") || !strings.Contains(body, `value="p@example.org"`) {
			t.Errorf("a partner user without a partner = %d", code)
		}
	})

	t.Run("disable, enable, sign out everywhere", func(t *testing.T) {
		ck, _ := a.session(betaEmail)
		if code, loc, _ := a.post("/admin/users/disable", url.Values{"email": {betaEmail}}); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/users?done=disabled") {
			t.Fatalf("disable = %d to %q", code, loc)
		}
		if res := a.get("/partner", ck); res.Code != http.StatusSeeOther {
			t.Errorf("a disabled user's session still works: %d", res.Code)
		}
		if _, err := a.dir.Authenticate(ctx, betaEmail, testPassword); err == nil {
			t.Errorf("a disabled user can sign in")
		}
		if body := a.get("/admin/users?done=disabled&user="+url.QueryEscape(betaEmail), a.ck).Body.String(); !strings.Contains(body, betaEmail+" can no longer sign in") {
			t.Errorf("the list does not say the user was disabled")
		}
		if body := a.get("/admin/users?done=disabled&user=nobody%40evil.example", a.ck).Body.String(); strings.Contains(body, "evil.example") {
			t.Errorf("the page repeats an address it was given")
		}
		a.post("/admin/users/enable", url.Values{"email": {betaEmail}})
		if _, err := a.dir.Authenticate(ctx, betaEmail, testPassword); err != nil {
			t.Errorf("an enabled user cannot sign in: %v", err)
		}
		ck, _ = a.session(betaEmail)
		a.post("/admin/users/end-sessions", url.Values{"email": {betaEmail}})
		if res := a.get("/partner", ck); res.Code != http.StatusSeeOther {
			t.Errorf("after signing out everywhere the session still works: %d", res.Code)
		}
		if e := a.lastAudit(); e.Action != directory.AuditSessionsEnd || e.Actor != adminEmail || e.Target != betaEmail {
			t.Errorf("audit entry %+v", e)
		}
		for _, path := range []string{"/admin/users/disable", "/admin/users/end-sessions"} {
			if code, _, body := a.post(path, url.Values{"email": {strings.ToUpper(adminEmail)}}); code != http.StatusBadRequest || !strings.Contains(body, "your own account") {
				t.Errorf("%s on yourself = %d", path, code)
			}
		}
		if code, _, _ := a.post("/admin/users/disable", url.Values{"email": {"nobody@example.org"}}); code != http.StatusBadRequest {
			t.Errorf("disabling nobody = %d", code)
		}
	})

	t.Run("tokens: made and shown once, revoked", func(t *testing.T) {
		code, _, body := a.post("/admin/tokens", url.Values{"partner": {"alpha"}, "name": {"nightly sync"}})
		m := regexp.MustCompile(`<p class="secret">(lw_[A-Za-z0-9_-]+)</p>`).FindStringSubmatch(body)
		if code != http.StatusOK || m == nil {
			t.Fatalf("create = %d", code)
		}
		tok, err := a.dir.TokenPartner(ctx, m[1])
		if err != nil || tok.PartnerID != "alpha" || tok.Name != "nightly sync" {
			t.Fatalf("the token shown: %+v, %v", tok, err)
		}
		if body := a.get("/admin/tokens", a.ck).Body.String(); strings.Contains(body, m[1]) || !strings.Contains(body, tok.ID) {
			t.Errorf("the list shows the token, or not its id")
		}
		code, loc, _ := a.post("/admin/tokens/revoke", url.Values{"id": {tok.ID}, "partner": {"alpha"}})
		if code != http.StatusSeeOther {
			t.Fatalf("revoke = %d", code)
		}
		if _, err := a.dir.TokenPartner(ctx, m[1]); err == nil {
			t.Errorf("a revoked token still works")
		}
		if body := a.get(loc, a.ck).Body.String(); !strings.Contains(body, "has been revoked") {
			t.Errorf("the list does not say the token was revoked")
		}
		if code, _, _ := a.post("/admin/tokens", url.Values{"partner": {"nobody"}}); code != http.StatusBadRequest {
			t.Errorf("a token for no partner = %d", code)
		}
		if code, _, _ := a.post("/admin/tokens/revoke", url.Values{"id": {"nothing"}}); code != http.StatusBadRequest {
			t.Errorf("revoking no token = %d", code)
		}
	})

	t.Run("resolve a report with a note", func(t *testing.T) {
		r, err := a.dir.AddReport(ctx, directory.Report{ListingID: idBetaKitchen, Kind: directory.ProblemNotRunning})
		if err != nil {
			t.Fatal(err)
		}
		code, _, body := a.post("/admin/reports/"+r.ID+"/resolve", url.Values{"note": {strings.Repeat("x", directory.MaxReportText+1)}})
		if code != http.StatusBadRequest || !strings.Contains(body, "Keep the note to") {
			t.Errorf("an over-long note = %d", code)
		}
		code, loc, _ := a.post("/admin/reports/"+r.ID+"/resolve", url.Values{"note": {"Rang them: it runs on Fridays now."}})
		if code != http.StatusSeeOther {
			t.Fatalf("resolve = %d", code)
		}
		got, _ := a.dir.Report(ctx, r.ID)
		if got.Status != directory.ReportResolved || got.ResolvedBy != adminEmail || got.Note != "Rang them: it runs on Fridays now." {
			t.Errorf("the report after resolving: %+v", got)
		}
		if e := a.lastAudit(); e.Action != directory.AuditReportResolve || e.Actor != adminEmail {
			t.Errorf("audit entry %+v", e)
		}
		if body := a.get(loc, a.ck).Body.String(); !strings.Contains(body, "The report about Beta Community Kitchen is resolved") || strings.Contains(body, "Mark resolved") {
			t.Errorf("the queue after resolving")
		}
		if body := a.get("/admin/reports?status=resolved", a.ck).Body.String(); !strings.Contains(body, "Rang them: it runs on Fridays now.") {
			t.Errorf("the resolved list does not show the note")
		}
		if code, _, _ := a.post("/admin/reports/999/resolve", url.Values{}); code != http.StatusNotFound {
			t.Errorf("resolving no report = %d", code)
		}
	})
}

func TestPartnerDashboardReportsAndIntroductions(t *testing.T) {
	e := mustOpenServer(t, Config{})
	ctx := context.Background()
	mine, err := e.dir.AddReport(ctx, directory.Report{ListingID: idAlphaGarden, Kind: directory.ProblemConcern, Text: webtest.HostileText + " the gate is locked"})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := e.dir.AddReport(ctx, directory.Report{ListingID: idBetaKitchen, Kind: directory.ProblemOther, Text: "Beta's own problem"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		e.dir.RecordIntroduction(ctx, idAlphaGarden)
	}
	ck, csrf := e.session(alphaEmail)
	body := e.get("/partner", ck).Body.String()
	for _, w := range []string{"Problems people reported", "the gate is locked", "&lt;script&gt;", "Listings to check", "Alpha Walk and Talk", "<strong>2</strong> introductions this month", "<td>2</td>"} {
		if !strings.Contains(body, w) {
			t.Errorf("the dashboard does not say %q", w)
		}
	}
	if strings.Contains(body, "Beta&#39;s own problem") || strings.Contains(body, webtest.HostileText) {
		t.Errorf("the dashboard shows another partner's report, or markup unescaped")
	}
	resolve := func(id string) *http.Response {
		return e.postForm("/partner/reports/"+id+"/resolve?partner=alpha", ck, url.Values{"csrf": {csrf}, "note": {"Unlocked it."}}).Result()
	}
	if res := resolve(theirs.ID); res.StatusCode != http.StatusNotFound {
		t.Errorf("resolving another partner's report = %d, want 404", res.StatusCode)
	}
	if r, _ := e.dir.Report(ctx, theirs.ID); r.Status != directory.ReportOpen {
		t.Errorf("another partner's report was resolved")
	}
	if res := resolve(mine.ID); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolving our report = %d", res.StatusCode)
	}
	if r, _ := e.dir.Report(ctx, mine.ID); r.Status != directory.ReportResolved || r.ResolvedBy != alphaEmail || r.Note != "Unlocked it." {
		t.Errorf("our report after resolving: %+v", r)
	}
	if body := e.get("/partner", ck).Body.String(); strings.Contains(body, "the gate is locked") {
		t.Errorf("a resolved report is still on the dashboard")
	}
}
