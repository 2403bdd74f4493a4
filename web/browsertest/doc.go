// Package browsertest holds the browser tests of the public pages: they
// start the real server on a loopback port over a copy of the sample
// network and drive headless Chromium through the DevTools protocol (with
// chromedp), following what people do: search and filter, read a listing,
// keep a list, report a problem, download a calendar file, ask for
// suggestions. Every page is checked for accessibility (axe-core, injected
// through the protocol, never served by the app, plus checks of our own for
// labels, heading order, visible focus and width at 320 px) and saved as
// screenshots at 1280 and 320 px wide.
//
// The tests skip, saying why, when no Chromium is installed; set
// LIVINGWELL_BROWSER_TESTS=require to make that a failure (CI does). Set
// LIVINGWELL_CHROME to the browser to use, and LIVINGWELL_SCREENSHOTS to the
// folder for the screenshots (a folder under the system's temporary
// directory otherwise; the tests log where).
package browsertest
