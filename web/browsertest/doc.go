// Package browsertest holds the browser tests of the pages: they start the
// real server on a loopback port over a copy of the sample network (with an
// admin, a worker and a partner user added) and drive headless Chromium
// through the DevTools protocol (with chromedp), following what people do.
// The public search and filter, read a listing, keep a list, report a
// problem, download a calendar file and ask for suggestions. A worker builds
// a profile with chips and type-ahead (with the mouse, with the keyboard
// alone, and without JavaScript), pins and excludes matches, prints the
// shortlist on one page and shares it with someone not signed in. A
// partner uploads a file with a mistake, reads the error at its row, fixes
// it and applies it. An admin resolves a report from the public and reads
// the stale listings and the search gaps. Every page is checked for
// accessibility (axe-core, injected through the protocol, never served by
// the app, plus checks of our own for labels, heading order, visible focus
// and width at 320 px) and saved as screenshots at 1280 and 320 px wide.
//
// The tests skip, saying why, when no Chromium is installed; set
// LIVINGWELL_BROWSER_TESTS=require to make that a failure (CI does). Set
// LIVINGWELL_CHROME to the browser to use, and LIVINGWELL_SCREENSHOTS to the
// folder for the screenshots (a folder under the system's temporary
// directory otherwise; the tests log where).
package browsertest
