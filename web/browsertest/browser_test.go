package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/web/webtest"
)

// Sample listings the tests visit.
var (
	idRepairCafe = directory.ListingID("knights-hill-shed", "KHS-02") // 1st Saturday of the month
	idClosed     = directory.ListingID("ashmead-estate-tra", "AT-02") // temporarily closed
	idOpenGarden = directory.ListingID("coldharbour-growing-yard", "CGY-01")
)

func TestBrowser(t *testing.T) {
	s := newSuite(t)

	t.Run("search with filters and paging", func(t *testing.T) {
		tb := s.newTab(t)
		tb.open("/")
		tb.typeInto("#q", "gardening")
		tb.typeInto("#postcode", "SW9")
		tb.follow(`form.search-form button[type=submit]`)
		if h := tb.text("#results-heading"); !strings.Contains(h, "for “gardening” near SW9") {
			t.Fatalf("results heading = %q", h)
		}
		all := resultsIn(t, tb.text("#results-heading"))
		tb.snap("search-gardening-sw9", true)

		tb.click("#f-day-sat")
		tb.follow(`.filters-body button[type=submit]`)
		if u := tb.location(); !strings.Contains(u, "day=sat") || !strings.Contains(u, "q=gardening") {
			t.Errorf("applying the Saturday filter went to %s", u)
		}
		sat := resultsIn(t, tb.text("#results-heading"))
		if sat == 0 || sat >= all {
			t.Errorf("Saturday gives %d of %d results; want fewer, but some", sat, all)
		}
		tb.wantText("Filters chosen:", "Saturday")
		if n := tb.count(`.result`); n != min(sat, 20) {
			t.Errorf("%d results shown, want %d", n, min(sat, 20))
		}
		tb.snap("search-filtered", true)

		tb.follow(`.active-filters a[href*="sort"], .active-filters p a`)
		if u := tb.location(); strings.Contains(u, "day=sat") {
			t.Errorf("clearing the filters went to %s", u)
		}

		tb.open("/search")
		tb.follow(`a[rel=next]`)
		if u := tb.location(); !strings.Contains(u, "page=2") {
			t.Errorf("the next page link went to %s", u)
		}
		tb.wantText("Showing 21 to 40 of")
		tb.snap("search-page-2", true)
	})

	t.Run("listing page", func(t *testing.T) {
		tb := s.newTab(t)
		tb.open("/search?q=repair+cafe&postcode=SE27")
		tb.follow(`.result-title a`)
		if h := tb.text("h1"); h == "" {
			t.Fatal("the listing has no heading")
		}
		tb.open("/listings/" + idRepairCafe + "?postcode=SE27")
		tb.wantText("Norwood Repair Café", "How to join", "When", "1st Saturday of the month", "Where", "km from SE27", "Cost", "Who it is for", "Contact", "Published by", "Last checked", "Report a problem with this listing")
		if href := eval[string](tb, `document.querySelector('a[href*="openstreetmap.org"]').getAttribute('href')`); !strings.HasPrefix(href, "https://www.openstreetmap.org/?mlat=") {
			t.Errorf("the map link is %q", href)
		}
		if n := tb.count(`iframe, img[src^="http"], script[src^="http"]`); n != 0 {
			t.Errorf("the listing page embeds %d things from elsewhere", n)
		}
		tb.snap("listing", true)

		tb.open("/listings/" + idClosed)
		tb.wantText("Temporarily closed.")
		tb.snap("listing-temporarily-closed", true)

		tb.open("/listings/" + idRepairCafe + "/print")
		tb.wantText("Norwood Repair Café", "How to join", "Contact")
		tb.snap("listing-print-view", true)
	})

	t.Run("add to my list", func(t *testing.T) {
		tb := s.newTab(t)
		tb.open("/listings/" + idRepairCafe)
		tb.click(`.actions [data-mylist-add]`)
		if l := tb.text(`.actions [data-mylist-add]`); l != "Remove from my list" {
			t.Errorf("after adding, the button says %q", l)
		}
		if c := tb.text(`[data-mylist-count]`); c != "(1)" {
			t.Errorf("the menu's count says %q, want (1)", c)
		}
		tb.open("/search?q=gardening")
		tb.click(`.result [data-mylist-add]`)
		first := tb.text(`.result .result-title`)

		tb.open("/my-list")
		tb.waitMyList()
		if n := tb.count(`[data-mylist-items] .sheet`); n != 2 {
			t.Fatalf("my list shows %d listings, want 2", n)
		}
		tb.wantText("Norwood Repair Café", first, "Print my list")
		tb.snap("my-list", true)
		tb.waitMyList()
		tb.checkAccessibility()

		tb.do("print media", chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
		tb.snap("my-list-printed", false)
		tb.do("screen media", chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
			return err
		}))

		tb.click(`[data-mylist-remove]`)
		if n := tb.count(`[data-mylist-items] .sheet`); n != 1 {
			t.Errorf("after removing one, my list shows %d", n)
		}
		tb.open("/my-list")
		tb.waitMyList()
		if n := tb.count(`[data-mylist-items] .sheet`); n != 1 {
			t.Errorf("after a reload, my list shows %d, want 1", n)
		}
		tb.mu.Lock()
		tb.acceptDialogs = true
		tb.mu.Unlock()
		tb.click(`[data-mylist-clear]`)
		tb.do("wait for the empty list", chromedp.WaitVisible(chromedp.CSS(`[data-mylist-empty]`)))
		tb.snap("my-list-empty", true)
	})

	t.Run("report a problem", func(t *testing.T) {
		tb := s.newTab(t)
		tb.open("/listings/" + idOpenGarden)
		tb.follow(`a[href$="/report"]`)
		tb.follow(`form button[type=submit]`)
		tb.wantText("There is a problem", "Choose what is wrong with the listing")
		if focused := eval[bool](tb, `document.activeElement.hasAttribute('data-error-summary')`); !focused {
			t.Errorf("the error summary does not have the focus")
		}
		tb.checkAccessibility()
		tb.snap("report-errors", false)

		tb.click(`label[for="kind-not-running"]`)
		tb.typeInto("#details", "The sign on the gate says it has moved to Sundays.")
		tb.follow(`form button[type=submit]`)
		tb.wantText("Thank you")
		tb.snap("report-sent", true)
		rs, err := s.dir.Reports(context.Background(), directory.ReportFilter{ListingID: idOpenGarden})
		if err != nil || len(rs) != 1 || rs[0].Kind != directory.ProblemNotRunning || !strings.Contains(rs[0].Text, "Sundays") {
			t.Errorf("reports stored = %+v, %v; want the one sent", rs, err)
		}
	})

	t.Run("calendar download", func(t *testing.T) {
		tb := s.newTab(t)
		dir := t.TempDir()
		tb.open("/listings/" + idRepairCafe)
		progress := chromedp.BrowserEvents(tb.ctx, browser.DownloadProgress)
		_, err := chromedp.CallBrowser(tb.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true),
		})
		if err != nil {
			t.Fatal(err)
		}
		tb.click(`a[href$=".ics"]`)
		var guid string
		for ev, err := range progress {
			if err != nil {
				t.Fatalf("waiting for the download: %v", err)
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				guid = ev.GUID
				break
			}
			if ev.State == browser.DownloadProgressStateCanceled {
				t.Fatal("the download was cancelled")
			}
		}
		b, err := os.ReadFile(filepath.Join(dir, guid))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"BEGIN:VCALENDAR", "RRULE:FREQ=MONTHLY;BYDAY=1SA", "TZID:Europe/London", "SUMMARY:Norwood Repair Café"} {
			if !strings.Contains(string(b), w) {
				t.Errorf("the downloaded calendar lacks %q", w)
			}
		}
	})

	t.Run("suggest for me", func(t *testing.T) {
		tb := s.newTab(t)
		tb.open("/")
		tb.follow(`.callout--suggest a`)
		tb.snap("suggest-form", true)
		tb.typeInto("#enjoy", "gardening and being outdoors")
		tb.click(`label[for="change-wellbeing"]`)
		tb.typeInto("#suggest-postcode", "SW9")
		tb.click(`label[for="day-sat"]`)
		tb.follow(`.suggest-form button[type=submit]`)
		tb.wantText("Things you might like", "Why this might suit you:", "Change your answers")
		if n := tb.count(`.result`); n == 0 {
			t.Errorf("no suggestions")
		}
		if u := tb.location(); strings.Contains(u, "gardening") {
			t.Errorf("the answers are in the address %s; they should stay out of it", u)
		}
		tb.checkAccessibility()
		tb.snap("suggest-results", false)
	})

	t.Run("worker flow", func(t *testing.T) { testWorkerFlow(t, s) })
	t.Run("worker without JavaScript", func(t *testing.T) { testWorkerWithoutJS(t, s) })
	t.Run("worker with the keyboard alone", func(t *testing.T) { testWorkerKeyboard(t, s) })
	t.Run("partner upload with an error, then fixed", func(t *testing.T) { testPartnerUploadFix(t, s) })
	t.Run("admin review of a report", func(t *testing.T) { testAdminReview(t, s) })
	t.Run("signed-in pages are accessible", func(t *testing.T) { testSignedInPagesAccessible(t, s) })

	t.Run("listing text is shown as text", func(t *testing.T) {
		tb := s.newTab(t)
		for _, path := range []string{"/listings/" + s.hostile.ID, "/search?q=zanzibarite", "/listings/" + s.hostile.ID + "/print"} {
			tb.open(path)
			if h := tb.text(`h1, .result-title`); path[1] == 'l' && h != webtest.HostileText {
				t.Errorf("%s: the heading reads %q, want the listing's text as written", path, h)
			}
			if n := eval[int](tb, `[...document.scripts].filter(s => !s.src).length`); n != 0 {
				t.Errorf("%s: the listing's text became %d scripts", path, n)
			}
		}
		tb.snap("hostile-listing", true)
	})

	t.Run("without JavaScript", func(t *testing.T) {
		tb := s.newTab(t)
		tb.do("turn scripts off", chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tt, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
		tb.open("/search?q=gardening")
		if n := eval[int](tb, `[...document.querySelectorAll('[data-mylist-add]')].filter(b => b.getClientRects().length).length`); n != 0 {
			t.Errorf("%d 'add to my list' buttons show without JavaScript, where they cannot work", n)
		}
		tb.click("#f-free-true")
		tb.follow(`.filters-body button[type=submit]`)
		if u := tb.location(); !strings.Contains(u, "free=true") {
			t.Errorf("the filters do not work without JavaScript: went to %s", u)
		}
		tb.open("/my-list")
		tb.wantText("My list needs JavaScript", "Print view")
		tb.snap("my-list-without-javascript", true)
	})

	t.Run("results page weight", func(t *testing.T) {
		tb := s.newTab(t)
		for _, path := range []string{"/search", "/search?q=gardening&postcode=SW9"} {
			tb.open(path)
			bytes := eval[int](tb, `performance.getEntriesByType('navigation')[0].transferSize +
				performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)`)
			t.Logf("%s: %d bytes transferred", path, bytes)
			if bytes >= 100_000 {
				t.Errorf("%s transferred %d bytes, over 100 KB", path, bytes)
			}
		}
	})

	t.Run("every page is accessible", func(t *testing.T) {
		sweep(t, func(t *testing.T) *tab { return s.newTab(t) }, [][2]string{
			{"page-home", "/"},
			{"page-search", "/search"},
			{"page-search-words-place", "/search?q=gardening&postcode=SW9"},
			{"page-search-nothing-found", "/search?q=knitting&postcode=SE11&radius_km=1&free=true"},
			{"page-search-error", "/search?q=yoga&postcode=XX99+9ZZ"},
			{"page-search-crisis", "/search?q=suicidal"},
			{"page-listing", "/listings/" + idOpenGarden + "?postcode=SW9"},
			{"page-listing-closed", "/listings/" + idClosed},
			{"page-listing-print", "/listings/" + idOpenGarden + "/print"},
			{"page-report-form", "/listings/" + idOpenGarden + "/report"},
			{"page-report-thanks", "/listings/" + idOpenGarden + "/report?sent=1"},
			{"page-my-list", "/my-list"},
			{"page-suggest", "/suggest"},
			{"page-sign-in", "/login"},
			{"page-not-found", "/nowhere"},
		})
	})
}

// waitMyList waits until the my-list page has loaded the list.
func (tb *tab) waitMyList() {
	tb.t.Helper()
	tb.do("wait for my list", chromedp.WaitReady(chromedp.CSS(`[data-mylist-page][data-mylist-state=ready]`)))
}

// resultsIn reads the number from a results heading ("57 results for ...").
func resultsIn(t *testing.T, heading string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.Fields(heading + " x")[0])
	if err != nil {
		t.Fatalf("results heading %q has no count", heading)
	}
	return n
}
