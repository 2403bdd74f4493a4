package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/web/webtest"
)

// The fixture's listings the worker tests match and pin.
var (
	idAlphaGarden = directory.ListingID("alpha", "A1")
	idAlphaWalk   = directory.ListingID("alpha", "A2")
	idBetaKitchen = directory.ListingID("beta", "B1")
)

// workerEnv is a server over the fixture with its log kept, and a worker
// signed in.
type workerEnv struct {
	*testEnv
	log  *syncBuffer
	ck   *http.Cookie
	csrf string
}

func newWorkerEnv(t *testing.T) *workerEnv {
	t.Helper()
	log := &syncBuffer{}
	e := mustOpenServer(t, Config{Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	ck, csrf := e.session(workerEmail)
	return &workerEnv{testEnv: e, log: log, ck: ck, csrf: csrf}
}

// match posts the match screen's form with the worker's token.
func (w *workerEnv) match(form url.Values) *httptest.ResponseRecorder {
	form.Set("csrf", w.csrf)
	return w.postForm("/worker/match", w.ck, form)
}

// shortlistJSON posts a shortlist change as the screen's script does.
func (w *workerEnv) shortlistJSON(t *testing.T, form url.Values) (int, shortlistJSON) {
	t.Helper()
	form.Set("csrf", w.csrf)
	req := httptest.NewRequest(http.MethodPost, "/worker/shortlist", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(w.ck)
	res := w.do(req)
	var out shortlistJSON
	if res.Code == http.StatusOK {
		if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil {
			t.Fatalf("shortlist answer %s: %v", res.Body, err)
		}
	}
	return res.Code, out
}

// results returns the names of the matches on a match screen, in order.
func results(body string) []string {
	list := body
	if i := strings.Index(body, "data-match-list"); i >= 0 {
		list = body[i:]
	}
	if i := strings.Index(list, "data-excluded"); i >= 0 {
		list = list[:i]
	}
	var names []string
	for _, m := range regexp.MustCompile(`<h3 class="result-title"><a [^>]*>([^<]*)<`).FindAllStringSubmatch(list, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestWorkerMatchScreen(t *testing.T) {
	w := newWorkerEnv(t)
	profile := func(extra ...string) url.Values {
		v := url.Values{"interests": {"gardening, zebracorns"}, "postcode": {"SW9"}, "stage": {"wellbeing"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Add(extra[i], extra[i+1])
		}
		return v
	}

	t.Run("empty screen", func(t *testing.T) {
		res := w.get("/worker/match", w.ck)
		body := res.Body.String()
		if res.Code != http.StatusOK || !strings.Contains(body, "Find good next steps") || !strings.Contains(body, `name="csrf" value="`+w.csrf+`"`) || !strings.Contains(body, "Add something about them to see matches") {
			t.Fatalf("GET /worker/match = %d:\n%.2000s", res.Code, body)
		}
		if len(results(body)) != 0 {
			t.Errorf("an empty profile shows matches")
		}
	})

	t.Run("matches with reasons and the score's parts", func(t *testing.T) {
		res := w.match(profile())
		body := res.Body.String()
		names := results(body)
		if res.Code != http.StatusOK || len(names) == 0 || names[0] != "Alpha Garden Club" {
			t.Fatalf("POST = %d, matches %q; want Alpha Garden Club first", res.Code, names)
		}
		for _, want := range []string{"You like gardening", "km from SW9", "Score 0.", "how it adds up", "Something they enjoy", "Serves a goal", `name="do" value="pin:` + idAlphaGarden + `"`,
			`value="gardening, zebracorns"`, `id="stage-wellbeing" name="stage" value="wellbeing" checked`, `id="postcode" name="postcode" value="SW9"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the match screen does not say %q", want)
			}
		}
	})

	t.Run("pin, and the shortlist shows it", func(t *testing.T) {
		body := w.match(profile("do", "pin:"+idAlphaGarden)).Body.String()
		if !strings.Contains(body, `<li data-id="`+idAlphaGarden+`">`) || !strings.Contains(body, `name="do" value="unpin:`+idAlphaGarden+`"`) {
			t.Errorf("after pinning, the screen does not show it pinned")
		}
		sl := w.get("/worker/shortlist", w.ck).Body.String()
		if !strings.Contains(sl, "Alpha Garden Club") || !strings.Contains(sl, "Things to try") || !strings.Contains(sl, "How to join") {
			t.Errorf("the shortlist page does not show the pinned listing as a sheet")
		}
		body = w.match(profile("do", "unpin:"+idAlphaGarden)).Body.String()
		if strings.Contains(body, `<li data-id="`+idAlphaGarden+`">`) {
			t.Errorf("after unpinning, it is still on the shortlist")
		}
	})

	t.Run("exclude and put back", func(t *testing.T) {
		body := w.match(profile("do", "exclude:"+idAlphaGarden)).Body.String()
		if names := results(body); strings.Contains(strings.Join(names, "|"), "Alpha Garden Club") {
			t.Errorf("an excluded listing is still matched: %q", names)
		}
		if !strings.Contains(body, `<input type="hidden" name="exclude" value="`+idAlphaGarden+`">`) || !strings.Contains(body, `name="do" value="include:`+idAlphaGarden+`"`) {
			t.Errorf("the excluded listing is not kept in the form with a way to put it back")
		}
		body = w.match(profile("exclude", idAlphaGarden, "do", "include:"+idAlphaGarden)).Body.String()
		if names := results(body); len(names) == 0 || names[0] != "Alpha Garden Club" {
			t.Errorf("after putting it back, matches are %q", names)
		}
	})

	problems := []struct {
		name string
		form url.Values
		want string
	}{
		{"unknown postcode", url.Values{"interests": {"gardening"}, "postcode": {"XX99 9ZZ"}}, "postcode"},
		{"age in words", url.Values{"interests": {"gardening"}, "age": {"forty"}}, "Age should be in whole years"},
		{"cost in words", url.Values{"interests": {"gardening"}, "max_cost": {"a fiver"}}, "should be a number"},
		{"unknown language", url.Values{"interests": {"gardening"}, "languages": {"Klingon"}}, "Klingon"},
	}
	for _, tt := range problems {
		t.Run(tt.name, func(t *testing.T) {
			res := w.match(tt.form)
			body := res.Body.String()
			if res.Code != http.StatusBadRequest || !strings.Contains(body, "There is a problem") || !strings.Contains(body, tt.want) {
				t.Errorf("POST = %d, want 400 saying %q:\n%.3000s", res.Code, tt.want, body)
			}
			if !strings.Contains(body, `value="gardening"`) {
				t.Errorf("the answers were not kept")
			}
		})
	}

	t.Run("long lists are cut to what a profile holds", func(t *testing.T) {
		many := strings.Repeat("walking, ", 40) + strings.Repeat("x", 150)
		if res := w.match(url.Values{"interests": {many}, "needs": {strings.Repeat("food ", 60)}}); res.Code != http.StatusOK {
			t.Errorf("a long list answered %d: %.500s", res.Code, res.Body)
		}
	})

	t.Run("nothing about the person in the log", func(t *testing.T) {
		if strings.Contains(w.log.String(), "zebracorn") || strings.Contains(w.log.String(), "SW9") {
			t.Errorf("the log holds what was said about the person:\n%s", w.log)
		}
	})
}

func TestShortlistShareAndIntroductions(t *testing.T) {
	w := newWorkerEnv(t)
	ctx := context.Background()

	t.Run("pin from the script", func(t *testing.T) {
		code, sl := w.shortlistJSON(t, url.Values{"add": {idAlphaGarden}})
		if code != http.StatusOK || len(sl.Listings) != 1 || sl.Listings[0].Name != "Alpha Garden Club" || sl.Max != maxShortlist {
			t.Fatalf("add = %d %+v", code, sl)
		}
		if code, sl = w.shortlistJSON(t, url.Values{"add": {idBetaKitchen}}); code != http.StatusOK || len(sl.Listings) != 2 {
			t.Fatalf("second add = %d %+v", code, sl)
		}
		if code, sl = w.shortlistJSON(t, url.Values{"add": {idBetaKitchen}}); len(sl.Listings) != 2 {
			t.Errorf("pinning twice = %d %+v; want it once", code, sl)
		}
		if code, _ := w.shortlistJSON(t, url.Values{"add": {"no-such-listing"}}); code != http.StatusNotFound {
			t.Errorf("pinning an unknown listing = %d, want 404", code)
		}
		if code, _ := w.shortlistJSON(t, url.Values{}); code != http.StatusBadRequest {
			t.Errorf("a change that says nothing = %d, want 400", code)
		}
	})

	t.Run("each session has its own shortlist", func(t *testing.T) {
		other, _ := w.session(workerEmail)
		if body := w.get("/worker/shortlist", other).Body.String(); strings.Contains(body, "Alpha Garden Club") {
			t.Errorf("another sign-in sees this shortlist")
		}
	})

	var link string
	t.Run("share link", func(t *testing.T) {
		res := w.postForm("/worker/shortlist/share", w.ck, url.Values{"csrf": {w.csrf}})
		m := regexp.MustCompile(`value="(http://example\.com/s/[A-Za-z0-9_-]{40,})"`).FindStringSubmatch(res.Body.String())
		if res.Code != http.StatusOK || m == nil || !strings.Contains(res.Body.String(), "works until 1 April 2026") {
			t.Fatalf("share = %d:\n%.3000s", res.Code, res.Body)
		}
		link = strings.TrimPrefix(m[1], "http://example.com")
		opened := w.get(link, nil)
		body := opened.Body.String()
		if opened.Code != http.StatusOK || !strings.Contains(body, "Alpha Garden Club") || !strings.Contains(body, "Beta Community Kitchen") || !strings.Contains(body, "How to join") {
			t.Fatalf("the link signed out = %d:\n%.2000s", opened.Code, body)
		}
		if opened.Header().Get("Set-Cookie") != "" || opened.Header().Get("Cache-Control") != "no-store" || !strings.Contains(opened.Header().Get("X-Robots-Tag"), "noindex") {
			t.Errorf("the shared page's headers: %v", opened.Header())
		}
		if strings.Contains(body, "Signed in as") || strings.Contains(body, "Introduced") {
			t.Errorf("the shared page shows the worker's tools")
		}
	})

	t.Run("introduced counts once per listing and session", func(t *testing.T) {
		for range 2 {
			res := w.postForm("/worker/introductions", w.ck, url.Values{"csrf": {w.csrf}, "listing": {idAlphaGarden}})
			if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/worker/shortlist#item-"+idAlphaGarden {
				t.Fatalf("introduced = %d to %q", res.Code, res.Header().Get("Location"))
			}
		}
		counts, err := w.dir.Introductions(ctx, directory.IntroductionFilter{})
		if err != nil || len(counts) != 1 || counts[0] != (directory.IntroductionCount{ListingID: idAlphaGarden, Month: "2026-03", Count: 1}) {
			t.Errorf("introductions = %+v, %v; want one for the garden club in March", counts, err)
		}
		if body := w.get("/worker/shortlist", w.ck).Body.String(); !strings.Contains(body, "Introduction counted") {
			t.Errorf("the shortlist does not say the introduction was counted")
		}
		res := w.postForm("/worker/introductions", w.ck, url.Values{"csrf": {w.csrf}, "listing": {idAlphaWalk}})
		if res.Code != http.StatusBadRequest {
			t.Errorf("introducing a listing not on the shortlist = %d, want 400", res.Code)
		}
	})

	t.Run("remove and clear", func(t *testing.T) {
		res := w.postForm("/worker/shortlist", w.ck, url.Values{"csrf": {w.csrf}, "remove": {idBetaKitchen}})
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/worker/shortlist" {
			t.Fatalf("remove = %d to %q", res.Code, res.Header().Get("Location"))
		}
		if body := w.get("/worker/shortlist", w.ck).Body.String(); strings.Contains(body, "Beta Community Kitchen") || !strings.Contains(body, "Alpha Garden Club") {
			t.Errorf("after removing the kitchen the shortlist is wrong")
		}
		w.postForm("/worker/shortlist", w.ck, url.Values{"csrf": {w.csrf}, "clear": {"1"}, "back": {"match"}})
		if body := w.get("/worker/shortlist", w.ck).Body.String(); !strings.Contains(body, "The shortlist is empty") {
			t.Errorf("after clearing, the shortlist is not empty")
		}
		res = w.postForm("/worker/shortlist/share", w.ck, url.Values{"csrf": {w.csrf}})
		if res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), "pin something to it first") {
			t.Errorf("sharing an empty shortlist = %d", res.Code)
		}
	})

	t.Run("the share outlives the shortlist, for 30 days", func(t *testing.T) {
		if res := w.get(link, nil); res.Code != http.StatusOK {
			t.Errorf("the link after the shortlist was cleared = %d", res.Code)
		}
		w.clock.Advance(directory.ShareTTL)
		res := w.get(link, nil)
		if res.Code != http.StatusNotFound || !strings.Contains(res.Body.String(), "expired") {
			t.Errorf("the link after 30 days = %d, want 404 saying it expired", res.Code)
		}
		for _, bad := range []string{"/s/nothing", "/s/" + strings.Repeat("A", 43), "/s/%00"} {
			if res := w.get(bad, nil); res.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", bad, res.Code)
			}
		}
	})

	t.Run("signing out forgets the shortlist", func(t *testing.T) {
		ck, csrf := w.session(workerEmail)
		w.postForm("/worker/shortlist", ck, url.Values{"csrf": {csrf}, "add": {idAlphaWalk}})
		if n := len(w.srv.shortlists.get(ck.Value).IDs); n != 1 {
			t.Fatalf("shortlist before signing out has %d", n)
		}
		w.postForm("/logout", ck, url.Values{"csrf": {csrf}})
		if n := len(w.srv.shortlists.get(ck.Value).IDs); n != 0 {
			t.Errorf("after signing out the server still holds a shortlist of %d", n)
		}
	})
}

func TestShortlistStore(t *testing.T) {
	now := testStart
	s := newShortlists(func() time.Time { return now })
	until := now.Add(time.Hour)
	for i := range maxShortlist + 3 {
		s.update("session", until, func(l *shortlist) { l.add(strings.Repeat("a", i+1)) })
	}
	if got := s.get("session"); len(got.IDs) != maxShortlist {
		t.Errorf("the shortlist holds %d, want at most %d", len(got.IDs), maxShortlist)
	}
	if got := s.get("another"); len(got.IDs) != 0 {
		t.Errorf("another session has %d", len(got.IDs))
	}
	now = until
	if got := s.get("session"); len(got.IDs) != 0 {
		t.Errorf("after the session ended the shortlist has %d", len(got.IDs))
	}
	s.update("later", now.Add(time.Hour), func(l *shortlist) { l.add("b") })
	if len(s.lists) != 1 {
		t.Errorf("%d shortlists kept; the expired one should be dropped", len(s.lists))
	}
	for k := range s.lists {
		if k == "later" {
			t.Error("shortlists are kept under the session token itself, not its hash")
		}
	}
}

func TestTermsAPI(t *testing.T) {
	w := newWorkerEnv(t)
	ask := func(ck *http.Cookie, body string) (int, []termJSON) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/terms", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if ck != nil {
			req.AddCookie(ck)
		}
		res := w.do(req)
		var out struct{ Terms []termJSON }
		json.Unmarshal(res.Body.Bytes(), &out)
		return res.Code, out.Terms
	}
	texts := func(ts []termJSON) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Text)
		}
		return out
	}
	tests := []struct {
		name, body string
		want       string // among the answers
		first      string // the first answer, when set
		max        int
	}{
		{"a start", `{"q":"gard","field":"interests"}`, "gardening", "", defaultTerms},
		{"a word inside", `{"q":"football","field":"interests","limit":20}`, "walking football", "football", 20},
		{"goals favour what points at a stage", `{"q":"make fr","field":"goals"}`, "make friends", "make friends", defaultTerms},
		{"needs", `{"q":"hous","field":"needs","limit":3}`, "housing", "", 3},
		{"mixed case and spaces", `{"q":"  Walking   FOOT"}`, "walking football", "", defaultTerms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, got := ask(w.ck, tt.body)
			if code != http.StatusOK || len(got) == 0 || len(got) > tt.max || !strings.Contains("|"+strings.Join(texts(got), "|")+"|", "|"+tt.want+"|") {
				t.Fatalf("%s = %d %q; want %q among at most %d", tt.body, code, texts(got), tt.want, tt.max)
			}
			if tt.first != "" && got[0].Text != tt.first {
				t.Errorf("%s: first answer %q, want %q", tt.body, got[0].Text, tt.first)
			}
		})
	}
	if code, got := ask(w.ck, `{"q":""}`); code != http.StatusOK || len(got) != 0 {
		t.Errorf("nothing typed = %d %q, want no suggestions", code, texts(got))
	}
	for _, bad := range []string{`{"q":"` + strings.Repeat("a", 101) + `"}`, `{"q":"a","field":"colour"}`, `{"q":"a","limit":99}`, `{"query":"a"}`, `not json`, `{"q":"a"}{"q":"b"}`} {
		if code, _ := ask(w.ck, bad); code != http.StatusBadRequest {
			t.Errorf("%.40s = %d, want 400", bad, code)
		}
	}
	if code, _ := ask(nil, `{"q":"gard"}`); code != http.StatusUnauthorized {
		t.Errorf("signed out = %d, want 401", code)
	}
	if strings.Contains(w.log.String(), "walking") || strings.Contains(w.log.String(), "gard") {
		t.Errorf("what was typed is in the log")
	}
}

// TestWorkerPagesEscapeListingText pins a listing made of markup and
// checks the match screen, the shortlist sheet and the shared page show it
// as text.
func TestWorkerPagesEscapeListingText(t *testing.T) {
	w := newWorkerEnv(t)
	hostile := webtest.MustAddHostileListing(t, w.dir)
	w.shortlistJSON(t, url.Values{"add": {hostile.ID}})
	share := w.postForm("/worker/shortlist/share", w.ck, url.Values{"csrf": {w.csrf}})
	link := regexp.MustCompile(`/s/[A-Za-z0-9_-]{40,}`).FindString(share.Body.String())
	pages := map[string]string{
		"match screen": w.match(url.Values{"interests": {"zanzibarite"}, "postcode": {"SW9"}}).Body.String(),
		"shortlist":    w.get("/worker/shortlist", w.ck).Body.String(),
		"shared list":  w.get(link, nil).Body.String(),
	}
	for name, body := range pages {
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the listing's text", name)
		}
		if strings.Contains(body, webtest.HostileText) {
			t.Errorf("%s has the listing's markup unescaped", name)
		}
	}
}

// TestNothingAboutThePersonIsStored matches, shortlists, shares and
// introduces with words no listing holds, then reads the store file: the
// words must be nowhere in it.
func TestNothingAboutThePersonIsStored(t *testing.T) {
	w := newWorkerEnv(t)
	w.match(url.Values{"interests": {"quokkagazing"}, "goals": {"meet other quokka fans"}, "needs": {"quokka housing"}, "postcode": {"SW9"}, "do": {"pin:" + idAlphaGarden}})
	w.postForm("/worker/shortlist/share", w.ck, url.Values{"csrf": {w.csrf}})
	w.postForm("/worker/introductions", w.ck, url.Values{"csrf": {w.csrf}, "listing": {idAlphaGarden}})
	w.postForm("/suggest", nil, url.Values{"enjoy": {"quokkagazing"}, "postcode": {"SW9"}})
	path := directory.StorePath(w.root)
	w.dir.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "quokka") {
		t.Error("the store file holds words said about the person")
	}
	if strings.Contains(w.log.String(), "quokka") {
		t.Error("the log holds words said about the person")
	}
}
