package browsertest

import (
	"fmt"
	"strings"
)

// axeViolation is one rule axe-core found broken on a page.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun runs the injected axe-core over the page for WCAG 2.2 A and AA and
// its best practices, and answers the violations.
const axeRun = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
  resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact || '', help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
})))`

// ownChecks are checks of our own, beyond axe: exactly one h1 and headings
// in order within the main content; every form field labelled and every
// button named; a visible focus indicator on everything that takes focus.
const ownChecks = `(() => {
  const problems = [];
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '') + ' "' + (el.textContent || el.value || '').trim().slice(0, 40) + '"' + (el.textContent ? '' : ' ' + el.outerHTML.slice(0, 120));

  const h1s = [...document.querySelectorAll('h1')].filter(shown);
  if (h1s.length !== 1) problems.push(h1s.length + ' visible h1 headings, want exactly 1');
  let last = 0;
  for (const h of [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')].filter(shown)) {
    const level = +h.tagName[1];
    if (last === 0 && level !== 1) problems.push('the main content starts with ' + h.tagName + ', not h1');
    if (last > 0 && level > last + 1) problems.push('heading ' + name(h) + ' is ' + h.tagName + ' after h' + last + ': a level is skipped');
    last = level;
  }

  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const labelled = (el.labels && [...el.labels].some(l => l.textContent.trim())) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) problems.push(name(el) + ' has no label');
  }
  for (const b of document.querySelectorAll('button, a[href]')) {
    if (shown(b) && !b.textContent.trim() && !b.getAttribute('aria-label')) problems.push(name(b) + ' has no text');
  }

  const focusable = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')].filter(shown);
  const look = el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color].join('|'); };
  const scroll = [window.scrollX, window.scrollY];
  for (const el of focusable.slice(0, 80)) {
    if (document.activeElement === el) el.blur();
    const before = look(el);
    el.focus({preventScroll: true});
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
    if (!ring || look(el) === before) problems.push('no visible focus on ' + name(el));
    el.blur();
  }
  window.scrollTo(scroll[0], scroll[1]);
  return problems;
})()`

// checkAccessibility runs axe-core (injected through the DevTools protocol,
// never served by the app) and our own checks on the page. Serious and
// critical axe violations and every own-check problem fail the test; lesser
// axe findings are logged.
func (tb *tab) checkAccessibility() {
	tb.t.Helper()
	tb.checkAxe()
	for _, p := range eval[[]string](tb, ownChecks) {
		tb.t.Errorf("%s: %s", tb.location(), p)
	}
}

// checkAxe runs only axe-core, which leaves the focus where it is (our own
// checks move it through the page).
func (tb *tab) checkAxe() {
	tb.t.Helper()
	where := tb.location()
	if !eval[bool](tb, `typeof axe !== 'undefined'`) {
		eval[bool](tb, tb.s.axe+"\n;true")
	}
	for _, v := range eval[[]axeViolation](tb, axeRun) {
		msg := fmt.Sprintf("%s: axe %s (%s): %s at %s", where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.t.Error(msg)
		} else {
			tb.t.Log(msg)
		}
	}
}
