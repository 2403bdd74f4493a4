package browsertest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/web"
	"github.com/livingwell/livingwell/web/webtest"
)

// Environment variables the browser tests read.
const (
	envChrome      = "LIVINGWELL_CHROME"        // the browser to run
	envScreenshots = "LIVINGWELL_SCREENSHOTS"   // where screenshots go
	envRequire     = "LIVINGWELL_BROWSER_TESTS" // "require": no browser is a failure
)

// suite is what every browser test shares: the server, the browser and the
// folder for screenshots.
type suite struct {
	base    string // http://127.0.0.1:port
	dir     *directory.Directory
	browser context.Context
	shots   string
	axe     string
	hostile *directory.Listing
}

// findChromium returns the path of a Chromium or Chrome to drive, skipping
// the test (or failing it, when required) when there is none.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(envChrome); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("%s=%s: %v", envChrome, p, err)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "browser tests skipped: no Chromium found (install it with `apt-get install chromium`, or set " + envChrome + " to a Chrome or Chromium)"
	if os.Getenv(envRequire) == "require" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// newSuite starts the server on a loopback port over a copy of the sample
// network (with a listing of hostile text) and a headless browser, and
// stops both when the test ends.
func newSuite(t *testing.T) *suite {
	t.Helper()
	exe := findChromium(t)
	axe, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatalf("read the vendored axe-core: %v", err)
	}
	d := webtest.MustOpenSample(t)
	hostile := webtest.MustAddHostileListing(t, d)
	mustAddUsers(t, d)
	srv, err := web.New(web.Config{Dir: d, Importer: importer.New(d), Matcher: webtest.MustMatcher(t, d), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), UploadDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(browserCtx); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("start %s: %v", exe, err)
	}
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	return &suite{base: "http://" + ln.Addr().String(), dir: d, browser: browserCtx, shots: screenshotDir(t), axe: string(axe), hostile: hostile}
}

// screenshotDir returns the folder for screenshots, made if need be, and
// logs where it is.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(envScreenshots)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "livingwell-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("make the screenshot folder: %v", err)
	}
	abs, _ := filepath.Abs(dir)
	t.Logf("screenshots are saved in %s (set %s to choose)", abs, envScreenshots)
	return abs
}
