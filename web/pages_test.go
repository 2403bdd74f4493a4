package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/web/webtest"
)

// pagesFixture is a server over the sample network (plus a listing made of
// hostile text) on the tests' fixed clock.
type pagesFixture struct {
	dir     *directory.Directory
	handler http.Handler
	hostile *directory.Listing
}

func newPagesFixture(tb testing.TB) *pagesFixture {
	tb.Helper()
	d := webtest.MustOpenSample(tb)
	hostile := webtest.MustAddHostileListing(tb, d)
	s, err := New(Config{Dir: d, Importer: importer.New(d), Matcher: webtest.MustMatcher(tb, d), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	return &pagesFixture{dir: d, handler: s.Handler(), hostile: hostile}
}

// get requests target and returns the response and its body.
func (f *pagesFixture) get(tb testing.TB, target string) (*http.Response, string) {
	tb.Helper()
	return f.do(tb, httptest.NewRequest(http.MethodGet, target, nil))
}

// post sends a form from this site (as a browser says with Sec-Fetch-Site).
func (f *pagesFixture) post(tb testing.TB, target string, form url.Values, headers map[string]string) (*http.Response, string) {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return f.do(tb, req)
}

func (f *pagesFixture) do(tb testing.TB, req *http.Request) (*http.Response, string) {
	tb.Helper()
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// sampleID is the id of a sample listing.
func sampleID(partner, ref string) string { return directory.ListingID(partner, ref) }

// Sample listings the tests rely on.
var (
	idOpenGarden  = sampleID("coldharbour-growing-yard", "CGY-01") // drop-in, weekly, SW9
	idClosed      = sampleID("ashmead-estate-tra", "AT-02")        // temporarily closed
	idInactive    = sampleID("kiteline-peer-network", "KPN-02")    // no longer running
	idStale       = sampleID("ashmead-estate-tra", "AT-03")        // last checked May 2025
	idRepairCafe  = sampleID("knights-hill-shed", "KHS-02")        // 1st Saturday
	idNoSessions  = sampleID("tradescant-homes", "TH-01")          // by appointment
	htmlHostile   = "&lt;script&gt;alert(1)&lt;/script&gt;"
	rawHostile    = webtest.HostileText
	urgentHelp    = "Need help now?"
	skipLink      = `<a class="skip-link" href="#main">Skip to main content</a>`
	resultCountRE = regexp.MustCompile(`<h2 class="results-heading" id="results-heading">(\d+) results?`)
)

func TestPublicPages(t *testing.T) {
	f := newPagesFixture(t)
	if l, err := f.dir.Listing(context.Background(), idOpenGarden); err != nil || l.Name != "Open garden sessions" {
		t.Fatalf("sample listing CGY-01 = %v, %v; the tests expect Open garden sessions", l, err)
	}

	t.Run("search filters, sort and paging", func(t *testing.T) { testSearchResults(t, f) })
	t.Run("search with no results", func(t *testing.T) { testSearchZero(t, f) })
	t.Run("report a problem", func(t *testing.T) { testReportForm(t, f) })
	t.Run("suggest for me", func(t *testing.T) { testSuggest(t, f) })
	t.Run("page weight", func(t *testing.T) { testPageWeight(t, f) })

	t.Run("pages", func(t *testing.T) {
		tests := []struct {
			name   string
			target string
			status int
			want   []string
			not    []string
		}{
			{"home", "/", 200, []string{"Find support and things to do near you", `name="q"`, `name="postcode"`, "Money, housing and the basics", "Feeling better", "Meeting people", "Things to do", "Work, learning and volunteering", "Faith and community", `href="/suggest"`}, nil},
			{"search everything", "/search", 200, []string{"results-heading", "Showing 1 to 20 of", `aria-label="Pages of results"`, "Filter results"}, nil},
			{"search words and place", "/search?q=gardening&postcode=SW9", 200, []string{"for “gardening” near SW9", "km away", "Next: ", `class="badge">Free`}, nil},
			{"search bad postcode", "/search?q=yoga&postcode=XX99+9ZZ", 400, []string{"There is a problem", "We do not know the postcode district XX99 - check the postcode."}, nil},
			{"search bad sort", "/search?sort=nearest", 400, []string{"Sort=&#34;nearest&#34;: sorting by distance needs a postcode."}, nil},
			{"listing", "/listings/" + idOpenGarden, 200, []string{"<h1 class=\"listing-title\">Open garden sessions</h1>", "Just turn up", "Tuesdays, 10am to 1pm", ".ics", "openstreetmap.org/?mlat=", `href="tel:02079460412"`, "mailto:", "Published by Coldharbour Growing Yard", "Last checked", "Report a problem with this listing", "data-mylist-add"}, []string{"from SW9"}},
			{"listing distance", "/listings/" + idOpenGarden + "?postcode=SW9", 200, []string{"km from SW9"}, nil},
			{"listing bad postcode", "/listings/" + idOpenGarden + "?postcode=nowhere", 200, []string{"We could not show distances"}, nil},
			{"listing temporarily closed", "/listings/" + idClosed, 200, []string{"Temporarily closed.", "Thursday coffee morning"}, []string{"Next time:"}},
			{"listing no longer running", "/listings/" + idInactive, 200, []string{"No longer running."}, []string{".ics"}},
			{"listing stale", "/listings/" + idStale, 200, []string{"It is a while since this listing was checked"}, nil},
			{"listing fresh", "/listings/" + idOpenGarden, 200, nil, []string{"It is a while since this listing was checked"}},
			{"listing no sessions", "/listings/" + idNoSessions, 200, []string{"There are no regular times"}, []string{".ics"}},
			{"listing missing", "/listings/0000000000000000", 404, []string{"Page not found", "there is no listing"}, nil},
			{"print view", "/listings/" + idOpenGarden + "/print", 200, []string{"<h1>Open garden sessions</h1>", "How to join", "Contact", "data-print"}, nil},
			{"report form", "/listings/" + idOpenGarden + "/report", 200, []string{"Report a problem with this listing", `name="kind"`, `name="details"`, `name="email"`, `method="post"`}, nil},
			{"my list", "/my-list", 200, []string{"<h1>My list</h1>", "<noscript>", "Print view"}, nil},
			{"suggest form", "/suggest", 200, []string{"What do you enjoy, or used to enjoy?", "What would you like to change?", "Where?", "When suits you?", `method="post"`}, nil},
			{"not found", "/nowhere", 404, []string{"Page not found"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, body := f.get(t, tt.target)
				if res.StatusCode != tt.status {
					t.Errorf("GET %s = %d, want %d", tt.target, res.StatusCode, tt.status)
				}
				for _, w := range append([]string{urgentHelp, skipLink, "NHS 111", "116 123", "999"}, tt.want...) {
					if !strings.Contains(body, w) {
						t.Errorf("GET %s: the page does not say %q", tt.target, w)
					}
				}
				for _, n := range tt.not {
					if strings.Contains(body, n) {
						t.Errorf("GET %s: the page says %q and should not", tt.target, n)
					}
				}
				checkSecurityHeaders(t, res)
				if strings.Contains(body, "<script>") || regexp.MustCompile(`<script(?: [^>]*)?>[^<]`).MatchString(body) {
					t.Errorf("GET %s: the page has an inline script", tt.target)
				}
			})
		}
	})

	t.Run("hostile text is escaped", func(t *testing.T) {
		id := f.hostile.ID
		for _, target := range []string{
			"/listings/" + id, "/listings/" + id + "?postcode=SW9", "/listings/" + id + "/print", "/listings/" + id + "/report",
			"/search?q=zanzibarite", "/search?q=" + url.QueryEscape(rawHostile), "/my-list/items?id=" + id,
		} {
			res, body := f.get(t, target)
			if res.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d", target, res.StatusCode)
			}
			if strings.Contains(body, rawHostile) || strings.Contains(body, "<b>bold") {
				t.Errorf("GET %s: listing text reached the page as markup", target)
			}
			if !strings.Contains(body, htmlHostile) {
				t.Errorf("GET %s: the escaped listing text is missing", target)
			}
		}
		res, body := f.post(t, "/suggest", url.Values{"enjoy": {"zanzibarite"}}, nil)
		if res.StatusCode != http.StatusOK || strings.Contains(body, rawHostile) || !strings.Contains(body, htmlHostile) {
			t.Errorf("POST /suggest: status %d; listing text must show, escaped", res.StatusCode)
		}
	})

	t.Run("calendar file", func(t *testing.T) {
		res, body := f.get(t, "/listings/"+idRepairCafe+".ics")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET .ics = %d: %s", res.StatusCode, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="norwood-repair-cafe.ics"` {
			t.Errorf("Content-Disposition = %q", cd)
		}
		for _, w := range []string{"BEGIN:VCALENDAR\r\n", "TZID:Europe/London", "RRULE:FREQ=MONTHLY;BYDAY=1SA", "DTSTART;TZID=Europe/London:20261205T103000", "SUMMARY:Norwood Repair Café", "URL:http://example.com/listings/" + idRepairCafe} {
			if !strings.Contains(body, w) {
				t.Errorf(".ics lacks %q", w)
			}
		}
		checkSecurityHeaders(t, res)
		for _, id := range []string{idInactive, idNoSessions, "0000000000000000"} {
			if res, _ := f.get(t, "/listings/"+id+".ics"); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET /listings/%s.ics = %d, want 404", id, res.StatusCode)
			}
		}
		if res, body := f.get(t, "/listings/"+idClosed+".ics"); res.StatusCode != 200 || !strings.Contains(body, "STATUS:TENTATIVE") {
			t.Errorf("a temporarily closed listing's calendar should mark its events tentative")
		}
	})

	t.Run("my list items", func(t *testing.T) {
		res, body := f.get(t, "/my-list/items?id="+idOpenGarden+"&id=0000000000000000&id="+idRepairCafe)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if strings.Count(body, `<section class="sheet"`) != 2 || !strings.Contains(body, "Open garden sessions") || !strings.Contains(body, "Norwood Repair Café") {
			t.Errorf("my list should show the two listings that exist:\n%s", body)
		}
		if strings.Contains(body, "<html") {
			t.Errorf("my list items should be a fragment, not a page")
		}
		many := url.Values{}
		for i := 0; i <= maxMyList; i++ {
			many.Add("id", strconv.Itoa(i))
		}
		if res, _ := f.get(t, "/my-list/items?"+many.Encode()); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%d ids: status %d, want 400", maxMyList+1, res.StatusCode)
		}
	})
}

// checkSecurityHeaders checks the headers every response must carry.
func checkSecurityHeaders(t *testing.T, res *http.Response) {
	t.Helper()
	csp := res.Header.Get("Content-Security-Policy")
	for _, w := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, w) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, w)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy allows inline script or style: %q", csp)
	}
	if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
	if got := res.Header.Get("Referrer-Policy"); got == "" {
		t.Errorf("no Referrer-Policy")
	}
}
