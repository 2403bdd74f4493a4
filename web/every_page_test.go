package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
)

// notPages are the GET routes that answer something other than a page
// (files, JSON, metrics, and /my-list/items, the piece of HTML my list's
// script puts into its page), so carry no layout.
var notPages = regexp.MustCompile(`^/(static|api|oruk|healthz|readyz|metrics)|\.(csv|xlsx|zip|json)$|^/my-list/items$`)

// foreignAsset finds a script, stylesheet, image, frame or form that would
// make the browser go to another host.
var foreignAsset = regexp.MustCompile(`<(script|link|img|iframe|frame|embed|object|source|form)\b[^>]*\b(src|href|action|data)="(https?:)?//`)

// TestEveryPageShowsUrgentHelp walks every page route of the router, as a
// caller allowed to see it, with its parameters filled in with things that
// exist (a listing, a share link) where they matter, and checks that each
// page has the skip link and the "Need help now?" panel with its three
// numbers, loads nothing from another host, and carries the stylesheet
// whose print rules make it printable. A page added later is checked too.
func TestEveryPageShowsUrgentHelp(t *testing.T) {
	e := mustOpenServer(t, Config{})
	ctx := context.Background()
	listing := directory.ListingID("alpha", "A1")
	share, _, err := e.dir.CreateShare(ctx, []string{listing})
	if err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer("/listings/:id", "/listings/"+listing, "/s/:token", "/s/"+share, ":id", "nothing-here")
	checked := 0
	for _, r := range e.srv.engine.Routes() {
		if r.Method != http.MethodGet || notPages.MatchString(r.Path) {
			continue
		}
		key := r.Method + " " + r.Path
		who := caller{name: "anonymous"}
		switch routeAccess[key] {
		case anySignedIn, workerArea:
			who = caller{name: "worker", email: workerEmail}
		case partnerArea, partnerHome:
			who = caller{name: "partner alpha", email: alphaEmail, partner: "alpha"}
		case adminOnly, localOrAdmin:
			who = caller{name: "admin", email: adminEmail}
		}
		path := fill.Replace(r.Path)
		t.Run(key, func(t *testing.T) {
			w := e.do(e.request(http.MethodGet, path, who, ""))
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Skipf("answers %s, not a page", ct)
			}
			if w.Code != http.StatusOK && w.Code != http.StatusNotFound {
				t.Errorf("GET %s as %s answered %d", path, who.name, w.Code)
			}
			body := w.Body.String()
			for _, want := range []string{skipLink, `<main id="main"`, urgentHelp, "NHS 111", "116 123", "999", `<link rel="stylesheet" href="/static/site.css">`} {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s as %s: the page lacks %q", path, who.name, want)
				}
			}
			if m := foreignAsset.FindString(body); m != "" {
				t.Errorf("GET %s as %s: the page loads from another host: %s", path, who.name, m)
			}
			checked++
		})
	}
	if checked < 25 {
		t.Errorf("only %d pages checked; the walk of the routes has gone wrong", checked)
	}
}
