package browsertest

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/livingwell/livingwell/directory"
)

// waitFor waits until the JavaScript expression is true on the page (for
// at most stuckAfter).
func (tb *tab) waitFor(expr, what string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stuckAfter)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingMutation())); err != nil {
		tb.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// keys sends key presses to the element sel finds.
func (tb *tab) keys(sel, keys string) {
	tb.t.Helper()
	tb.do("press keys in "+sel, chromedp.SendKeys(chromedp.CSS(sel), keys, chromedp.NodeVisible))
}

// media switches the page to print media ("print") or back ("").
func (tb *tab) media(m string) {
	tb.t.Helper()
	tb.do("media "+m, chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	}))
}

// printedPages prints the page to an A4 PDF and returns how many pages it
// takes.
func (tb *tab) printedPages() int {
	tb.t.Helper()
	pdf, err := chromedp.Run(tb.ctx, func(ctx context.Context, tt *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tt, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69})
		return res.Data, err
	})
	if err != nil {
		tb.t.Fatalf("print to PDF: %v", err)
	}
	return bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
}

// transferred returns the bytes the page and everything it loaded took.
func (tb *tab) transferred() int {
	tb.t.Helper()
	return eval[int](tb, `performance.getEntriesByType('navigation')[0].transferSize +
		performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)`)
}

// matchesShown waits for the match screen's script to show matches and
// returns their names.
func (tb *tab) matchesShown() []string {
	tb.t.Helper()
	tb.waitFor(`document.querySelector('[data-match-list]').getAttribute('data-match-state') === 'ready'`, "the matches")
	if st := tb.text(`[data-match-status]`); !strings.Contains(st, "matches, best first") {
		tb.t.Fatalf("the match screen says %q", st)
	}
	return eval[[]string](tb, `[...document.querySelectorAll('[data-match-list] .result-title a')].map(a => a.firstChild.textContent)`)
}

// testWorkerFlow is a worker's conversation: sign in, build a profile with
// the chips and type-ahead, see the matches refresh with reasons and the
// score's parts, pin two, exclude one, print the shortlist on one page,
// share it, open the share link signed out, and count an introduction.
func testWorkerFlow(t *testing.T, s *suite) {
	tb := s.signedInTab(t, workerEmail)
	if u := tb.location(); !strings.HasSuffix(u, "/worker/match") {
		t.Fatalf("a worker signing in goes to %s, want the match screen", u)
	}
	if n := tb.transferred(); n >= 100_000 {
		t.Errorf("the match screen transferred %d bytes, over 100 KB", n)
	} else {
		t.Logf("the match screen: %d bytes transferred", n)
	}
	tb.snapAndCheck("worker-match-empty")

	// Type-ahead: two letters more, the arrow key and Enter pick a term.
	tb.typeInto("#interests", "gard")
	tb.waitFor(`document.querySelectorAll('#interests-options [role=option]').length > 0`, "suggestions for gard")
	if exp := eval[string](tb, `document.querySelector('#interests').getAttribute('aria-expanded')`); exp != "true" {
		t.Errorf("the combo box says aria-expanded=%q while showing suggestions", exp)
	}
	tb.checkAxe()
	tb.snap("worker-typeahead", false)
	first := tb.text(`#interests-options [role=option]`)
	tb.keys("#interests", kb.ArrowDown)
	if sel := eval[string](tb, `document.querySelector('#interests').getAttribute('aria-activedescendant') || ''`); sel != "interests-option-0" {
		t.Errorf("after the down arrow the active suggestion is %q", sel)
	}
	tb.keys("#interests", kb.Enter)
	tb.typeInto("#interests", "cooking,")
	tb.typeInto("#goals", "make friends"+kb.Enter)
	chips := eval[[]string](tb, `[...document.querySelectorAll('[data-chips] .chip span')].map(s => s.textContent)`)
	if strings.Join(chips, "|") != first+"|cooking|make friends" {
		t.Errorf("chips %q, want %q, cooking and make friends", chips, first)
	}
	tb.typeInto("#postcode", "SW9")
	names := tb.matchesShown()
	if len(names) < 5 {
		t.Fatalf("%d matches shown, want at least 5", len(names))
	}
	if n := tb.count(`[data-match-list] .reasons li`); n < len(names) {
		t.Errorf("%d reasons for %d matches", n, len(names))
	}
	tb.click(`[data-match-list] .factors summary`)
	if rows := tb.count(`[data-match-list] .factors[open] tbody tr`); rows != 9 {
		t.Errorf("the score breakdown has %d rows, want the 9 factors", rows)
	}

	// Pin two, exclude the third.
	tb.click(`[data-match-list] [data-pin]`)
	tb.waitFor(`document.querySelectorAll('[data-shortlist-items] li').length === 1`, "the first pin")
	if !eval[bool](tb, `document.activeElement.hasAttribute('data-unpin')`) {
		t.Errorf("after pinning, the focus is not on the unpin button")
	}
	tb.click(`[data-match-list] [data-pin]`)
	tb.waitFor(`document.querySelectorAll('[data-shortlist-items] li').length === 2`, "the second pin")
	third := eval[string](tb, `document.querySelectorAll('[data-match-list] .match')[2].getAttribute('data-id')`)
	tb.click(`[data-match-list] .match:nth-child(3) [data-exclude]`)
	tb.waitFor(`!document.querySelector('[data-excluded]').hidden && !document.querySelector('[data-match-list] .match[data-id="`+third+`"]')`, "the excluded match to go")
	tb.matchesShown()
	tb.checkAccessibility()
	tb.snap("worker-match-results", false)
	pinned := eval[[]string](tb, `[...document.querySelectorAll('[data-shortlist-items] a')].map(a => a.firstChild.textContent)`)

	// The shortlist: a sheet that prints on one page.
	tb.open("/worker/shortlist")
	if n := tb.count(`.sheet`); n != 2 {
		t.Fatalf("the shortlist shows %d listings, want the 2 pinned", n)
	}
	tb.wantText(append(pinned, "Things to try", "How to join", "Contact")...)
	tb.snapAndCheck("worker-shortlist")
	tb.media("print")
	if n := tb.printedPages(); n != 1 {
		t.Errorf("the shortlist prints on %d pages, want one", n)
	}
	tb.snap("worker-shortlist-printed", false)
	tb.media("")

	// The share link opens for someone not signed in.
	tb.follow(`form[action="/worker/shortlist/share"] button`)
	link := eval[string](tb, `document.querySelector('#share-url').value`)
	if !strings.HasPrefix(link, s.base+"/s/") {
		t.Fatalf("the share link is %q", link)
	}
	tb.checkAccessibility()
	tb.snap("worker-share-made", false)
	visitor := s.signedOutTab(t)
	visitor.open(strings.TrimPrefix(link, s.base))
	visitor.wantText(pinned...)
	visitor.wantText("Things to try", "works until")
	if visitor.count(`.account-bar, [data-pin], form[action^="/worker"]`) != 0 {
		t.Errorf("the shared list shows a worker's tools")
	}
	visitor.snapAndCheck("shared-list")

	// Introduced counts once.
	tb.open("/worker/shortlist")
	tb.follow(`form[action="/worker/introductions"] button`)
	if !strings.Contains(eval[string](tb, `document.body.textContent`), "Introduction counted") {
		t.Errorf("after “Introduced” the shortlist does not say the introduction was counted")
	}
	counts, err := s.dir.Introductions(context.Background(), directory.IntroductionFilter{})
	if total := sumCounts(counts); err != nil || total != 1 {
		t.Errorf("introductions counted: %d, %v; want 1", total, err)
	}
}

func sumCounts(cs []directory.IntroductionCount) int {
	n := 0
	for _, c := range cs {
		n += c.Count
	}
	return n
}

// testWorkerWithoutJS uses the match screen as a plain form: the matches
// come back with the page, and pinning is a button of the form. The
// matches are the ones the script shows for the same profile.
func testWorkerWithoutJS(t *testing.T, s *suite) {
	withJS := s.signedInTab(t, workerEmail)
	withJS.typeInto("#interests", "choir,")
	withJS.typeInto("#postcode", "SE27")
	want := withJS.matchesShown()

	tb := s.signedInTab(t, workerEmail)
	scripts := func(off bool) {
		tb.do("turn scripts off or on", chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tt, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
			return err
		}))
	}
	scripts(true)
	tb.open("/worker/match")
	tb.typeInto("#interests", "choir")
	tb.typeInto("#postcode", "SE27")
	tb.follow(`[data-match-submit]`)
	got := eval[[]string](tb, `[...document.querySelectorAll('[data-match-list] .result-title a')].map(a => a.firstChild.textContent)`)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("without JavaScript the matches are %q; with it %q", got, want)
	}
	if u := tb.location(); strings.Contains(u, "choir") || strings.Contains(u, "SE27") {
		t.Errorf("the profile is in the address %s", u)
	}
	tb.follow(`[data-match-list] button[value^="pin:"]`)
	if n := tb.count(`[data-shortlist-items] li`); n != 1 {
		t.Errorf("after pinning without JavaScript the shortlist has %d", n)
	}
	if v := eval[string](tb, `document.querySelector('#interests').value`); v != "choir" {
		t.Errorf("after pinning the interests read %q; the profile should be kept", v)
	}
	// axe needs scripts; the page's own stay as they were loaded: off.
	scripts(false)
	tb.checkAccessibility()
	tb.snap("worker-match-without-javascript", false)
}

// testPartnerUploadFix uploads a file with a mistake, reads the error at
// its row and column, uploads the corrected file and applies it.
func testPartnerUploadFix(t *testing.T, s *suite) {
	tb := s.signedInTab(t, partnerEmail)
	dir := t.TempDir()
	file := func(name, postcode string) string {
		path := dir + "/" + name
		csv := "ref,name,description,categories,postcode,email,last_verified\n" +
			"CGY-90,Seed swap Saturdays,\"Bring seeds, take seeds, talk about growing.\",community-gardens," + postcode + ",hello@coldharbourgrowingyard.example,2026-11-20\n"
		if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	upload := func(path string) {
		tb.open("/partner/upload")
		tb.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}))
		tb.follow(`form[enctype] button[type=submit]`)
	}
	upload(file("mistake.csv", "SW98 9ZZ"))
	tb.wantText("Check your upload", "1 rows with errors", "Row 2", "postcode: 'SW98 9ZZ' is in postcode district SW98, which we do not know")
	if n := tb.count(`form[action*="/confirm"]`); n != 0 {
		t.Errorf("a file whose only row has an error offers %d ways to apply it", n)
	}
	tb.checkAccessibility()
	tb.snap("partner-upload-error", false)

	upload(file("fixed.csv", "SW9 8SA"))
	tb.wantText("Check your upload", "Row 2: CGY-90 - Seed swap Saturdays")
	if n := tb.count(`.preview-problems--error li`); n != 0 {
		t.Errorf("the corrected file still shows %d errors", n)
	}
	tb.follow(`form[action*="/confirm"] button`)
	tb.wantText("Your upload has been applied", "1 new, 0 changed, 0 removed", "fixed.csv")
	tb.snap("partner-upload-applied", false)

	// The new listing is on the dashboard, and its public page is up.
	tb.follow(`.partner-nav a[href^="/partner?"]`)
	tb.follow(`.partner-table a[href="/listings/` + directory.ListingID(partnerID, "CGY-90") + `"]`)
	if h := tb.text("h1"); h != "Seed swap Saturdays" {
		t.Errorf("the new listing's page is headed %q", h)
	}
	tb.wantText("Bring seeds, take seeds, talk about growing.", "Published by Coldharbour Growing Yard")
	l, err := s.dir.Listing(context.Background(), directory.ListingID(partnerID, "CGY-90"))
	if err != nil || l.Name != "Seed swap Saturdays" || l.Locations[0].Postcode != "SW9 8SA" {
		t.Errorf("after applying, the listing is %+v, %v", l, err)
	}
}

// testAdminReview reports a problem as the public, then reviews it as the
// admin: the queue, a note, resolved; then the stale listings across the
// network and the gaps the public's searches left.
func testAdminReview(t *testing.T, s *suite) {
	public := s.signedOutTab(t)
	public.open("/listings/" + idRepairCafe + "/report")
	public.click(`input[name=kind][value="details-wrong"] + label`)
	public.typeInto("#details", "The café now opens at 11, not 10.")
	public.follow(`form button[type=submit]`)
	public.wantText("Thank you")

	tb := s.signedInTab(t, adminEmail)
	if u := tb.location(); !strings.HasSuffix(u, "/admin") {
		t.Errorf("an admin signing in goes to %s, want the overview", u)
	}
	tb.follow(`.admin-tiles a[href="/admin/reports"]`)
	tb.wantText("The café now opens at 11, not 10.", "Norwood Repair Café")
	tb.snapAndCheck("admin-reports")
	id := eval[string](tb, `[...document.querySelectorAll('.report-item')].find(a => a.textContent.includes('opens at 11')).id.replace('report-', '')`)
	tb.typeInto("#note-"+id, "Rang them: updated the times.")
	tb.follow(`form[action="/admin/reports/` + id + `/resolve"] button`)
	tb.wantText("is resolved")
	if strings.Contains(tb.text("main"), "opens at 11") {
		t.Errorf("the resolved report is still in the queue")
	}
	r, err := s.dir.Report(context.Background(), id)
	if err != nil || r.Status != directory.ReportResolved || r.Note != "Rang them: updated the times." || r.ResolvedBy != adminEmail {
		t.Errorf("the report after review: %+v, %v", r, err)
	}
	tb.open("/admin/reports?status=resolved")
	tb.wantText("Rang them: updated the times.")

	// Stale listings across the network, each a link to its page.
	tb.follow(`.admin-nav a[href="/admin/stale"]`)
	tb.wantText("Listings not checked for six months", "Ashmead Estate", "Estate growing club")
	tb.follow(`.partner-table a[href="/listings/` + directory.ListingID("ashmead-estate-tra", "AT-03") + `"]`)
	tb.wantText("It is a while since this listing was checked")

	// A search the public made that found nothing is a gap: its words and
	// district, never who searched.
	public.open("/search?q=ocarina+quartet&postcode=SE11+5AB")
	public.wantText("Things to try")
	tb.open("/admin/gaps")
	row := eval[string](tb, `([...document.querySelectorAll('.partner-table tbody tr')].find(r => r.textContent.includes('ocarina')) || {innerText: ''}).innerText`)
	if !strings.Contains(row, "ocarina quartet") || !strings.Contains(row, "SE11") || strings.Contains(row, "5AB") {
		t.Errorf("the gaps report's row for the search reads %q; want the words and the district only", row)
	}
	tb.snapAndCheck("admin-gaps-found")
}

// testSignedInPagesAccessible checks every page of the worker, partner and
// admin areas at both widths (those a flow above fills in, such as the
// match screen with matches and the upload preview, are checked there),
// signing in once for each role and opening each page in a tab beside it.
func testSignedInPagesAccessible(t *testing.T, s *suite) {
	// The signed-in tabs belong to the whole test, so that they stay open
	// (and signed in) until every page below is checked.
	admin, partner, worker := s.signedInTab(t, adminEmail), s.signedInTab(t, partnerEmail), s.signedInTab(t, workerEmail)
	t.Run("admin", func(t *testing.T) {
		sweep(t, admin.sibling, [][2]string{
			{"admin", "/admin"}, {"admin-reports-all", "/admin/reports?status=all"}, {"admin-stale", "/admin/stale"},
			{"admin-gaps", "/admin/gaps"}, {"admin-introductions", "/admin/introductions"}, {"admin-partners", "/admin/partners"},
			{"admin-users", "/admin/users"}, {"admin-tokens", "/admin/tokens"}, {"admin-audit", "/admin/audit"},
			{"admin-partner-list", "/partner"}, {"admin-partner-dashboard", "/partner?partner=" + partnerID},
		})
	})
	t.Run("partner", func(t *testing.T) {
		sweep(t, partner.sibling, [][2]string{
			{"partner-dashboard", "/partner"}, {"partner-upload-form", "/partner/upload"},
			{"partner-imports", "/partner/imports"}, {"partner-undo", "/partner/imports/undo"},
		})
	})
	t.Run("worker", func(t *testing.T) {
		sweep(t, worker.sibling, [][2]string{{"worker-shortlist-empty", "/worker/shortlist"}, {"account", "/account"}})
	})
}
