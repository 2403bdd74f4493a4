package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// stuckAfter is how long a step may wait for the page before the test
// gives up on it: a guard against hanging, not a measure of speed.
const stuckAfter = time.Minute

// Viewport widths every page is checked and photographed at.
const (
	wideWidth   = 1280
	narrowWidth = 320
)

// tab is one browser tab for one test. It watches everything the page does
// and fails the test, when it ends, for any request to another host, any
// script error or refused script (CSP), any failed stylesheet, script or
// image, and any unexpected dialog (such as an alert from listing text).
type tab struct {
	t   *testing.T
	s   *suite
	ctx context.Context

	mu       sync.Mutex
	problems []string
	// acceptDialogs lets a test answer confirm() dialogs it expects.
	acceptDialogs bool
}

// newTab opens a tab at the wide viewport with the cache off, so what is
// measured is what a first visit transfers. Options such as
// chromedp.WithNewBrowserContext give it its own cookies.
func (s *suite) newTab(t *testing.T, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	return s.openTab(t, s.browser, opts...)
}

// sibling opens another tab beside tb, sharing its cookies (and so its
// sign-in), for test t.
func (tb *tab) sibling(t *testing.T) *tab {
	t.Helper()
	return tb.s.openTab(t, tb.ctx)
}

func (s *suite) openTab(t *testing.T, parent context.Context, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	tb := &tab{t: t, s: s}
	ctx, cancel := chromedp.NewContext(parent, append(opts, chromedp.WithListener(tb.watch))...)
	tb.ctx = ctx
	t.Cleanup(func() {
		cancel()
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, p := range tb.problems {
			t.Errorf("in the browser: %s", p)
		}
	})
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, t, cdplog.Enable, cdp.Empty{})
			return err
		}),
		chromedp.EmulateViewport(wideWidth, 900),
	)
	if err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return tb
}

// watch is called for every event of the tab, in order. It must return fast
// and send no command itself.
func (tb *tab) watch(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		if !strings.HasPrefix(u, tb.s.base+"/") && !strings.HasPrefix(u, "data:") {
			problem = "the page asked another host for " + u
		}
	case *network.EventResponseReceived:
		if ev.Type != network.ResourceTypeDocument && ev.Response.Status >= 400 {
			problem = fmt.Sprintf("%s answered %d", ev.Response.URL, ev.Response.Status)
		}
	case *runtime.EventExceptionThrown:
		problem = "script error: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			problem += " " + ev.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == "error" {
			problem = "console error"
		}
	case *cdplog.EventEntryAdded:
		// Failed loads are judged by status above (a 404 page is meant to
		// be one); everything else logged as an error is a problem, such
		// as a script or style the Content Security Policy refused.
		if ev.Entry.Level == cdplog.EntryLevelError && ev.Entry.Source != "network" {
			problem = "browser log: " + ev.Entry.Text
		}
	case *page.EventJavascriptDialogOpening:
		tb.mu.Lock()
		accept := tb.acceptDialogs && ev.Type == page.DialogTypeConfirm
		tb.mu.Unlock()
		if !accept {
			problem = fmt.Sprintf("a %s dialog opened: %q", ev.Type, ev.Message)
		}
		go chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
	}
	if problem != "" {
		tb.mu.Lock()
		tb.problems = append(tb.problems, problem)
		tb.mu.Unlock()
	}
}

// do runs actions, failing the test on error or when they wait for the
// page longer than stuckAfter (an element that never comes).
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stuckAfter)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page of the site.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do("open "+path, chromedp.Navigate(tb.s.base+path))
}

// follow clicks what sel finds and waits for the page it leads to (for
// at most stuckAfter, so that a click that leads nowhere fails the test
// rather than hangs it).
func (tb *tab) follow(sel string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stuckAfter)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)))
	if err != nil {
		tb.t.Fatalf("click %s: %v", sel, err)
	}
}

// click clicks what sel finds, on this page.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// typeInto types text into the field sel finds.
func (tb *tab) typeInto(sel, text string) {
	tb.t.Helper()
	tb.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

// eval runs JavaScript in the page and decodes its value into T.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %.60q: %v", js, err)
	}
	return v
}

// text returns the text of the first element sel finds, trimmed.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	raw, _ := json.Marshal(sel)
	return strings.TrimSpace(eval[string](tb, `(document.querySelector(`+string(raw)+`) || {innerText: ""}).innerText`))
}

// count returns how many elements sel finds.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	raw, _ := json.Marshal(sel)
	return eval[int](tb, `document.querySelectorAll(`+string(raw)+`).length`)
}

// location returns the address of the page.
func (tb *tab) location() string {
	tb.t.Helper()
	u, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return u
}

// wantText fails the test unless the page's text holds every one of want.
func (tb *tab) wantText(want ...string) {
	tb.t.Helper()
	body := tb.text("body")
	for _, w := range want {
		if !strings.Contains(body, w) {
			tb.t.Errorf("%s does not say %q", tb.location(), w)
		}
	}
}

var unsafeName = regexp.MustCompile(`[^a-z0-9-]+`)

// snap saves screenshots of the whole page at 320 and 1280 px wide and
// fails the test if the page is wider than the screen at 320 px. With
// reload, the page is loaded again at each width (so its script sets itself
// up for that width); pages that answer a form are not.
func (tb *tab) snap(name string, reload bool) {
	tb.t.Helper()
	tb.shoot(name, reload, false)
}

// sweep opens each page (name -> path) in a tab of its own made by open,
// two or more at once (as many as go test -parallel allows), and runs
// snapAndCheck on it. The pages must only be read, so that the order does
// not matter.
func sweep(t *testing.T, open func(t *testing.T) *tab, pages [][2]string) {
	t.Helper()
	for _, p := range pages {
		t.Run(p[0], func(t *testing.T) {
			t.Parallel()
			tb := open(t)
			tb.open(p[1])
			tb.snapAndCheck(p[0])
		})
	}
}

// snapAndCheck is snap with the accessibility checks run at each width,
// after each reload.
func (tb *tab) snapAndCheck(name string) {
	tb.t.Helper()
	tb.shoot(name, true, true)
}

func (tb *tab) shoot(name string, reload, check bool) {
	tb.t.Helper()
	name = unsafeName.ReplaceAllString(strings.ToLower(name), "-")
	for _, width := range []int64{narrowWidth, wideWidth} {
		steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(width, 800, func(p *emulation.SetDeviceMetricsOverrideParams, _ *emulation.SetTouchEmulationEnabledParams) {
			p.Mobile = width == narrowWidth
		})}
		if reload {
			steps = append(steps, chromedp.Reload())
		}
		tb.do("resize to "+fmt.Sprint(width), steps...)
		if width == narrowWidth {
			if w := eval[int](tb, `document.documentElement.scrollWidth`); w > narrowWidth {
				tb.t.Errorf("%s is %d px wide at a %d px screen: it scrolls sideways", tb.location(), w, narrowWidth)
			}
		}
		if check {
			tb.checkAccessibility()
		}
		png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			tb.t.Fatalf("screenshot: %v", err)
		}
		file := filepath.Join(tb.s.shots, fmt.Sprintf("%s-%d.png", name, width))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			tb.t.Fatal(err)
		}
	}
}
