package browsertest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// press sends keys to whatever has the focus, as a person at a keyboard
// would (no element is picked for them).
func (tb *tab) press(keys string, opts ...chromedp.KeyOption) {
	tb.t.Helper()
	tb.do("press "+keys, chromedp.KeyEvent(keys, opts...))
}

// focusIs reports whether the element with the focus matches sel.
func (tb *tab) focusIs(sel string) bool {
	tb.t.Helper()
	raw, _ := json.Marshal(sel)
	return eval[bool](tb, `!!document.activeElement && document.activeElement.matches(`+string(raw)+`)`)
}

// focused describes the element with the focus, for messages.
func (tb *tab) focused() string {
	tb.t.Helper()
	return eval[string](tb, `(e => e ? e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + (e.textContent || e.value || '').trim().slice(0, 40) + '"' : 'nothing')(document.activeElement)`)
}

// tabTo presses Tab until the element with the focus matches sel, and
// fails the test when max presses do not get there (it cannot be reached
// from the keyboard, or only after a long detour).
func (tb *tab) tabTo(sel string, max int) {
	tb.t.Helper()
	for range max {
		tb.press(kb.Tab)
		if tb.focusIs(sel) {
			return
		}
	}
	tb.t.Fatalf("%d presses of Tab did not reach %s; the focus is on %s", max, sel, tb.focused())
}

// testWorkerKeyboard uses the match screen with the keyboard alone: the
// skip link, chips added with the arrow keys and Enter, closed with Escape,
// removed with Backspace and with their own button; then pin, exclude and
// put back a match, each with the key a person would press, with the focus
// left where the next step is.
func testWorkerKeyboard(t *testing.T, s *suite) {
	tb := s.signedInTab(t, workerEmail)
	tb.open("/worker/match")

	tb.press(kb.Tab)
	if !tb.focusIs(".skip-link") {
		t.Fatalf("the first Tab goes to %s, not the skip link", tb.focused())
	}
	if !eval[bool](tb, `document.activeElement.getBoundingClientRect().left >= 0`) {
		t.Errorf("the skip link stays off the screen when it has the focus")
	}
	tb.press(kb.Enter)
	tb.tabTo("#interests", 25)

	// Interests: a suggestion picked with the arrow keys, then a word of
	// their own ended by a comma.
	tb.press("walk")
	tb.waitFor(`document.querySelectorAll('#interests-options [role=option]').length > 0`, "suggestions for walk")
	picked := tb.text(`#interests-options [role=option]`)
	tb.press(kb.ArrowDown)
	tb.press(kb.Enter)
	tb.press("pottery,")
	chips := func() string {
		return strings.Join(eval[[]string](tb, `[...document.querySelectorAll('[data-chips="interests"] .chip span')].map(s => s.textContent)`), "|")
	}
	if got, want := chips(), picked+"|pottery"; got != want {
		t.Fatalf("interests after the keyboard: %q, want %q", got, want)
	}

	// Escape closes the suggestions and keeps what was typed.
	tb.press("gard")
	tb.waitFor(`document.querySelector('#interests').getAttribute('aria-expanded') === 'true'`, "suggestions for gard")
	tb.press(kb.Escape)
	if exp := eval[string](tb, `document.querySelector('#interests').getAttribute('aria-expanded')`); exp != "false" || tb.count(`#interests-options:not([hidden])`) != 0 {
		t.Errorf("after Escape the suggestions are still open (aria-expanded=%q)", exp)
	}
	if v := eval[string](tb, `document.querySelector('#interests').value`); v != "gard" {
		t.Errorf("after Escape the field reads %q, want what was typed", v)
	}
	for range 4 {
		tb.press(kb.Backspace)
	}
	// Backspace in the empty field takes off the last chip.
	tb.press(kb.Backspace)
	if got := chips(); got != picked {
		t.Errorf("after Backspace in the empty field the interests are %q, want %q", got, picked)
	}
	tb.press("pottery,")
	// Shift+Tab reaches the last chip's remove button; Enter removes it and
	// the focus goes back to the field.
	tb.press(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	if !tb.focusIs(`.chip-remove[aria-label="Remove pottery"]`) {
		t.Fatalf("Shift+Tab from the field goes to %s, not the last chip's remove button", tb.focused())
	}
	tb.press(kb.Enter)
	if got := chips(); got != picked {
		t.Errorf("after removing pottery the interests are %q", got)
	}
	if !tb.focusIs("#interests") {
		t.Errorf("after removing a chip the focus is on %s, not the field", tb.focused())
	}

	tb.tabTo("#postcode", 25)
	tb.press("SE24")
	names := tb.matchesShown()
	if len(names) < 3 {
		t.Fatalf("%d matches for %q near SE24, want at least 3", len(names), picked)
	}

	// Pin the first match: Enter on its button, then the focus is on its
	// Unpin button, and Tab goes on to its Exclude button.
	tb.tabTo(`[data-match-list] [data-pin]`, 60)
	id := eval[string](tb, `document.activeElement.getAttribute('data-pin')`)
	tb.press(kb.Enter)
	tb.waitFor(`document.querySelectorAll('[data-shortlist-items] li').length === 1`, "the pin")
	tb.waitFor(`document.activeElement && document.activeElement.getAttribute('data-unpin') === '`+id+`'`, "the focus on the Unpin button")
	tb.press(kb.Tab)
	if !tb.focusIs(`[data-exclude="` + id + `"]`) {
		t.Fatalf("Tab after Unpin goes to %s, not the same match's Exclude", tb.focused())
	}

	// Space excludes it: it leaves the matches, the focus goes to the
	// status, and it is listed under "Left out" with a button to put it back.
	tb.press(" ")
	tb.waitFor(`!document.querySelector('[data-excluded]').hidden`, "the left-out list")
	after := tb.matchesShown()
	for _, n := range after {
		if n == names[0] {
			t.Errorf("%s was excluded but is still among the matches", n)
		}
	}
	if !tb.focusIs("[data-match-status]") {
		t.Errorf("after excluding, the focus is on %s, not the status", tb.focused())
	}
	tb.checkAccessibility()
	tb.tabTo(`[data-include="`+id+`"]`, 60)
	tb.press(kb.Enter)
	tb.waitFor(`document.querySelector('[data-excluded]').hidden`, "the left-out list to empty")
	if back := tb.matchesShown(); len(back) == 0 || back[0] != names[0] {
		t.Errorf("after putting it back the first match is %q, want %q again", back, names[0])
	}
}
