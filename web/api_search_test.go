package web

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// searchOK runs a search that must succeed and returns its answer with the
// full listings of its results.
func searchOK(t *testing.T, s *Server, query string) (searchJSON, []*directory.Listing) {
	t.Helper()
	w := get(s, "/api/v1/search?"+query)
	if w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/search?%s: %d %s", query, w.Code, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q; want JSON", ct)
	}
	var res searchJSON
	decode(t, w, &res)
	var ls []*directory.Listing
	for _, r := range res.Results {
		l, err := s.dir.Listing(context.Background(), r.ID)
		if err != nil {
			t.Fatalf("result %s: %v", r.ID, err)
		}
		ls = append(ls, l)
	}
	return res, ls
}

func TestAPISearchParameters(t *testing.T) {
	s := mustSampleServer(t)
	tax := s.dir.Taxonomy()
	tests := []struct {
		query string
		check func(t *testing.T, res searchJSON, ls []*directory.Listing)
	}{
		{"q=choir", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			if res.Results[0].Name != "Monday evening choir" {
				t.Errorf("first result %q; want the Monday evening choir", res.Results[0].Name)
			}
		}},
		{"postcode=sw9+8ab&radius_km=1.5", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			if res.Postcode != "SW9 8AB" {
				t.Errorf("postcode %q; want it normalised to SW9 8AB", res.Postcode)
			}
			for _, r := range res.Results {
				if r.DistanceKm == nil || *r.DistanceKm > 1.5*1.005 {
					t.Errorf("%s is %v km away; want within 1.5", r.Name, r.DistanceKm)
				}
			}
		}},
		{"postcode=SW9", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for _, r := range res.Results {
				if r.DistanceKm == nil || *r.DistanceKm > DefaultRadiusKm*1.005 {
					t.Errorf("%s is %v km away; want within the default %d km", r.Name, r.DistanceKm, DefaultRadiusKm)
				}
			}
		}},
		{"category=food&category=Singing&per_page=100", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			ok := append(tax.WithDescendants("food"), tax.WithDescendants("singing")...)
			var food, singing bool
			for _, l := range ls {
				if !slices.ContainsFunc(l.Categories, func(c string) bool { return slices.Contains(ok, c) }) {
					t.Errorf("%s %v is neither food nor singing", l.Name, l.Categories)
				}
				food = food || slices.Contains(l.Categories, "food-bank")
				singing = singing || slices.Contains(l.Categories, "singing")
			}
			if !food || !singing {
				t.Errorf("food banks found %v, singing found %v; want both (a category includes those under it, by code or label)", food, singing)
			}
		}},
		{"stage=basic-needs", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for _, l := range ls {
				if !l.HasStage(directory.StageBasicNeeds) {
					t.Errorf("%s does not serve basic needs: %v", l.Name, l.Stages)
				}
			}
		}},
		{"free=true", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for _, r := range res.Results {
				if !r.Free {
					t.Errorf("%s is not free", r.Name)
				}
			}
		}},
		{"day=tue&day=sat,sun", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for _, l := range ls {
				if !slices.ContainsFunc(l.Sessions, func(s directory.Session) bool {
					return s.Day == time.Tuesday || s.Day == time.Saturday || s.Day == time.Sunday
				}) {
					t.Errorf("%s does not meet on Tuesday, Saturday or Sunday: %s", l.Name, directory.FormatSessions(l.Sessions))
				}
			}
		}},
		{"open_now=true", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for _, l := range ls {
				if !directory.OpenAt(l.Sessions, testNow) {
					t.Errorf("%s is not open at %v: %s", l.Name, testNow, directory.FormatSessions(l.Sessions))
				}
			}
			for _, r := range res.Results {
				if r.NextSession == nil || !strings.HasPrefix(r.NextSession.Text, "Now") {
					t.Errorf("%s: next session %+v; want one running now", r.Name, r.NextSession)
				}
			}
		}},
		{"open_now=2026-11-28T11:30:00Z", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			at := time.Date(2026, 11, 28, 11, 30, 0, 0, time.UTC)
			for _, l := range ls {
				if !directory.OpenAt(l.Sessions, at) {
					t.Errorf("%s is not open at %v", l.Name, at)
				}
			}
		}},
		{"online=true", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for _, r := range res.Results {
				if !r.Online {
					t.Errorf("%s is not online", r.Name)
				}
			}
		}},
		{"postcode=SW9&radius_km=0.5&include_online=true&per_page=100", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			if !slices.ContainsFunc(ls, (*directory.Listing).OnlineOnly) {
				t.Error("no online-only listing although include_online=true")
			}
		}},
		{"postcode=SW9&per_page=100", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			if slices.ContainsFunc(ls, (*directory.Listing).OnlineOnly) {
				t.Error("an online-only listing in a search near a place without include_online")
			}
		}},
		{"accessibility=step-free,hearing-loop", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for _, l := range ls {
				if !l.HasAccess(directory.AccessStepFree) || !l.HasAccess(directory.AccessHearing) {
					t.Errorf("%s lacks step-free or hearing loop: %v", l.Name, l.Accessibility)
				}
			}
		}},
		{"language=Portuguese", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for _, l := range ls {
				if !slices.Contains(l.Languages, "pt") {
					t.Errorf("%s is not in Portuguese: %v", l.Name, l.Languages)
				}
			}
		}},
		{"age=16", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for _, l := range ls {
				if !l.ServesAge(16) {
					t.Errorf("%s (ages %d-%d) is not open to a 16-year-old", l.Name, l.MinAge, l.MaxAge)
				}
			}
		}},
		{"sort=distance&postcode=SE5", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for i := 1; i < len(res.Results); i++ {
				if *res.Results[i].DistanceKm < *res.Results[i-1].DistanceKm {
					t.Errorf("result %d is nearer than the one above it", i)
				}
			}
		}},
		{"sort=soonest", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			for i := 1; i < len(res.Results); i++ {
				a, b := res.Results[i-1].NextSession, res.Results[i].NextSession
				if b != nil && (a == nil || b.Start.Before(a.Start)) {
					t.Errorf("result %d starts before the one above it", i)
				}
			}
		}},
		{"sort=relevance&q=walk", nil},
		{"page=2&per_page=7", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			if res.Page != 2 || res.PerPage != 7 || len(res.Results) != 7 {
				t.Errorf("page %d per_page %d with %d results; want page 2 of 7", res.Page, res.PerPage, len(res.Results))
			}
		}},
		{"facets=false", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			if res.Facets != nil {
				t.Errorf("facets present although facets=false")
			}
		}},
		{"", func(t *testing.T, res searchJSON, ls []*directory.Listing) {
			if res.Page != 1 || res.PerPage != 20 || len(res.Results) != 20 || res.Total < 300 {
				t.Errorf("page %d per_page %d results %d total %d; want the first 20 of the whole directory", res.Page, res.PerPage, len(res.Results), res.Total)
			}
			for _, f := range []string{"category", "stage", "cost", "day", "format", "accessibility", "language", "online"} {
				if len(res.Facets[f]) == 0 {
					t.Errorf("facet %s missing", f)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, ls := searchOK(t, s, tt.query)
			if len(res.Results) == 0 {
				t.Fatal("no results; the test needs some")
			}
			for _, r := range res.Results {
				if r.ID == "" || r.Name == "" || r.URL != "/listings/"+r.ID || r.Categories == nil {
					t.Errorf("result missing fields: %+v", r)
				}
			}
			if tt.check != nil {
				tt.check(t, res, ls)
			}
		})
	}
}

func TestAPISearchPagesAddUp(t *testing.T) {
	s := mustSampleServer(t)
	all, _ := searchOK(t, s, "q=support&per_page=100&facets=false")
	var paged []string
	for page := 1; ; page++ {
		res, _ := searchOK(t, s, "q=support&per_page=9&facets=false&page="+strconv.Itoa(page))
		if res.Total != all.Total {
			t.Fatalf("page %d says total %d; the whole search %d", page, res.Total, all.Total)
		}
		if len(res.Results) == 0 {
			break
		}
		for _, r := range res.Results {
			paged = append(paged, r.ID)
		}
	}
	var whole []string
	for _, r := range all.Results {
		whole = append(whole, r.ID)
	}
	if len(paged) != all.Total {
		t.Errorf("paging through gave %d results; total says %d", len(paged), all.Total)
	}
	if n := min(len(whole), len(paged)); !slices.Equal(paged[:n], whole[:n]) {
		t.Error("paging through gives a different order from one big page")
	}
}

func TestAPISearchBadInput(t *testing.T) {
	s := mustSampleServer(t)
	tests := []struct {
		query string
		says  string // the message must mention this
	}{
		{"postcode=XX", "postcode"},
		{"postcode=ZZ99", "ZZ99"},
		{"postcode=SW9+8", "SW9 8"},
		{"postcode=SW9&radius_km=-1", "radius_km"},
		{"postcode=SW9&radius_km=NaN", "radius_km"},
		{"postcode=SW9&radius_km=far", "radius_km"},
		{"page=0", "page"},
		{"page=-3", "page"},
		{"page=9223372036854775807", "page"},
		{"page=501", "page"},
		{"per_page=10000", "per_page"},
		{"per_page=0", "per_page"},
		{"sort=bogus", "sort"},
		{"sort=distance", "postcode"},
		{"category=unknown-thing", "category"},
		{"day=funday", "day"},
		{"age=abc", "age"},
		{"age=-1", "age"},
		{"age=200", "age"},
		{"stage=happiness", "stage"},
		{"free=maybe", "free"},
		{"open_now=later", "open_now"},
		{"online=sometimes", "online"},
		{"accessibility=wings", "accessibility"},
		{"language=klingon", "language"},
		{"facets=perhaps", "facets"},
		{"q=" + strings.Repeat("a", 501), "too long"},
		{strings.Repeat("day=mon&", 21), "repeated"},
	}
	for _, tt := range tests {
		name := tt.query
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			w := get(s, "/api/v1/search?"+tt.query)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d; want 400: %s", w.Code, w.Body.String())
			}
			var body errorBody
			decode(t, w, &body)
			if body.Error.Code != directory.EINVALID {
				t.Errorf("code %q; want %q", body.Error.Code, directory.EINVALID)
			}
			if !strings.Contains(body.Error.Message, tt.says) {
				t.Errorf("message %q does not mention %q", body.Error.Message, tt.says)
			}
		})
	}
}

// TestAPISearchGolden pins the shape of the search answer. Run with
// -update to rewrite testdata/search_choir.golden.json after a deliberate
// change.
func TestAPISearchGolden(t *testing.T) {
	s := mustSampleServer(t)
	w := get(s, "/api/v1/search?q=choir&postcode=SW9&radius_km=3&per_page=3&sort=soonest")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body.String())
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, w.Body.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "search_choir.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, pretty.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("search answer differs from %s (run with -update if the change is meant):\n%s", golden, pretty.String())
	}
}
