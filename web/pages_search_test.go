package web

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/web/webtest"
)

// resultCount reads the number of results from a results page.
func resultCount(t *testing.T, body string) int {
	t.Helper()
	m := resultCountRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no result count on the page")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// filterCount reads the count shown beside a filter checkbox, and false when
// the checkbox is not offered.
func filterCount(body, id string) (int, bool) {
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>\s*<label[^>]*>[^<]*<span class="count">\((\d+)\)`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	return n, true
}

var (
	resultNameRE = regexp.MustCompile(`<h3 class="result-title"><a href="[^"]*">([^<]*)</a>`)
	distanceRE   = regexp.MustCompile(`<span>([0-9.]+) km away</span>`)
	nextRE       = regexp.MustCompile(`<span>Next: ([^<]*)</span>`)
	resultRE     = regexp.MustCompile(`(?s)<li class="result">.*?</li>\n`)
)

func testSearchResults(t *testing.T, f *pagesFixture) {
	_, all := f.get(t, "/search")
	total := resultCount(t, all)
	if total < 250 {
		t.Fatalf("the whole sample gives %d results, want the active listings (about 300)", total)
	}

	t.Run("paging", func(t *testing.T) {
		_, p1 := f.get(t, "/search")
		_, p2 := f.get(t, "/search?page=2")
		if !strings.Contains(p2, "Showing 21 to 40 of "+strconv.Itoa(total)) {
			t.Errorf("page 2 does not say it shows 21 to 40 of %d", total)
		}
		if !strings.Contains(p2, `aria-current="page" aria-label="Page 2"`) || !strings.Contains(p2, `rel="prev"`) || !strings.Contains(p2, `rel="next"`) {
			t.Errorf("page 2's pager should mark page 2 and link to the pages either side")
		}
		n1, n2 := resultNameRE.FindAllStringSubmatch(p1, -1), resultNameRE.FindAllStringSubmatch(p2, -1)
		if len(n1) != 20 || len(n2) != 20 || n1[0][1] == n2[0][1] {
			t.Errorf("pages 1 and 2 should each show 20 different results")
		}
		last := (total + 19) / 20
		_, pl := f.get(t, "/search?page="+strconv.Itoa(last))
		if !strings.Contains(pl, "of "+strconv.Itoa(total)) || strings.Contains(pl, `rel="next"`) {
			t.Errorf("the last page (%d) should end the results and have no next link", last)
		}
	})

	t.Run("filter counts match what ticking gives", func(t *testing.T) {
		checks := []struct {
			page, id, ticked string
		}{
			{"/search", "f-day-sat", "/search?day=sat"},
			{"/search", "f-free-true", "/search?free=true"},
			{"/search", "f-stage-wellbeing", "/search?stage=wellbeing"},
			{"/search", "f-accessibility-step-free", "/search?accessibility=step-free"},
			{"/search", "f-language-pt", "/search?language=pt"},
			{"/search?q=talk", "f-online-true", "/search?q=talk&online=true"},
			// With Saturday chosen, Sunday's count is how many meet on Sunday.
			{"/search?day=sat", "f-day-sun", "/search?day=sun"},
			{"/search?day=sat", "f-free-true", "/search?day=sat&free=true"},
			{"/search?category=basics", "f-category-housing-support", "/search?category=housing-support"},
		}
		for _, c := range checks {
			_, body := f.get(t, c.page)
			n, ok := filterCount(body, c.id)
			if !ok {
				t.Errorf("%s offers no %s filter", c.page, c.id)
				continue
			}
			_, ticked := f.get(t, c.ticked)
			if got := resultCount(t, ticked); got != n {
				t.Errorf("%s says %s would give %d, but %s gives %d", c.page, c.id, n, c.ticked, got)
			}
		}
	})

	t.Run("filters narrow the results", func(t *testing.T) {
		_, body := f.get(t, "/search?free=true&accessibility=step-free&day=sat&day=sun")
		results := resultRE.FindAllString(body, -1)
		if len(results) == 0 {
			t.Fatal("no free, step-free weekend results")
		}
		for _, r := range results {
			if !strings.Contains(r, `class="badge">Free`) || !strings.Contains(r, `class="badge">Step-free`) {
				t.Errorf("a result without the Free and Step-free badges:\n%s", r)
			}
		}
		for _, w := range []string{"Remove filter: </span>Free", "Remove filter: </span>Step-free access", "Remove filter: </span>Saturday", "Clear all filters", `id="f-day-sat" name="day" value="sat" checked`} {
			if !strings.Contains(body, w) {
				t.Errorf("the page does not show %q", w)
			}
		}
		// The link that removes Saturday keeps the other filters.
		m := regexp.MustCompile(`<a href="([^"]*)"><span class="visually-hidden">Remove filter: </span>Saturday`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no link to remove Saturday")
		}
		u, _ := url.Parse(html.UnescapeString(m[1]))
		if q := u.Query(); slices.Contains(q["day"], "sat") || !slices.Contains(q["day"], "sun") || q.Get("free") != "true" {
			t.Errorf("removing Saturday links to %s", u)
		}
	})

	t.Run("nearest first", func(t *testing.T) {
		_, body := f.get(t, "/search?postcode=SW9&sort=distance")
		var km []float64
		for _, m := range distanceRE.FindAllStringSubmatch(body, -1) {
			v, _ := strconv.ParseFloat(m[1], 64)
			km = append(km, v)
		}
		if len(km) < 10 || !slices.IsSorted(km) {
			t.Errorf("distances are not nearest first: %v", km)
		}
		if !strings.Contains(body, `<strong aria-current="true">Nearest</strong>`) {
			t.Errorf("the sort links do not show Nearest as chosen")
		}
	})

	t.Run("soonest first", func(t *testing.T) {
		_, body := f.get(t, "/search?sort=soonest")
		next := nextRE.FindAllStringSubmatch(body, -1)
		if len(next) == 0 || !strings.HasPrefix(next[0][1], "Now, until") {
			t.Errorf("at 10:30 on a Tuesday the soonest result should be on now; got %v", next)
		}
		_, nopc := f.get(t, "/search")
		if !strings.Contains(nopc, "Nearest (add a postcode)") {
			t.Errorf("without a postcode, Nearest should say it needs one")
		}
	})

	t.Run("open now", func(t *testing.T) {
		_, body := f.get(t, "/search?open_now=true")
		next := nextRE.FindAllStringSubmatch(body, -1)
		if len(next) == 0 {
			t.Fatal("nothing open at 10:30 on a Tuesday")
		}
		for _, m := range next {
			if !strings.HasPrefix(m[1], "Now, until") {
				t.Errorf("an open-now result is next %q", m[1])
			}
		}
	})

	t.Run("journey stage tile", func(t *testing.T) {
		_, body := f.get(t, homeTiles[0].URL)
		if !strings.Contains(body, "Remove filter: </span>Money, housing and the basics") || resultCount(t, body) == 0 {
			t.Errorf("the first home tile should give results filtered to its stage")
		}
	})
}

func testSearchZero(t *testing.T, f *pagesFixture) {
	ctx := context.Background()
	week := directory.WeekOf(webtest.Now())
	gapsBefore, err := f.dir.SearchGaps(ctx, week, 0)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("what to try", func(t *testing.T) {
		_, body := f.get(t, "/search?q=xylophone+quartet")
		if resultCount(t, body) != 0 || !strings.Contains(body, "Things to try") || !strings.Contains(body, "Check the spelling") || !strings.Contains(body, `href="/suggest"`) {
			t.Errorf("a search with no results should say what to try")
		}
	})

	t.Run("nearby areas", func(t *testing.T) {
		_, body := f.get(t, "/search?q=knitting&postcode=SE11&radius_km=1")
		if resultCount(t, body) != 0 {
			t.Fatal("the test expects no knitting within 1 km of SE11")
		}
		m := regexp.MustCompile(`Look in a nearby area: <a href="([^"]*)">`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no nearby areas suggested")
		}
		_, next := f.get(t, html.UnescapeString(m[1]))
		if resultCount(t, next) == 0 {
			t.Errorf("the nearby area suggested (%s) finds nothing either", m[1])
		}
		if !strings.Contains(body, "Search a wider area") {
			t.Errorf("no wider area suggested")
		}
	})

	t.Run("fewer filters", func(t *testing.T) {
		_, body := f.get(t, "/search?q=choir&day=sun&language=pl")
		if resultCount(t, body) != 0 {
			t.Fatal("the test expects no choir in Polish on Sundays")
		}
		if !strings.Contains(body, "Use fewer filters") || !strings.Contains(body, "The same search without filters") {
			t.Errorf("no fewer-filters suggestion")
		}
	})

	t.Run("other words", func(t *testing.T) {
		s := &Server{dir: f.dir}
		words := s.otherWords("doctor")
		if !slices.Contains(words, "gp") {
			t.Errorf("otherWords(doctor) = %v, want the thesaurus's gp among them", words)
		}
	})

	t.Run("gaps are counted without the person", func(t *testing.T) {
		f.get(t, "/search?q=Xylophone+QUARTET&postcode=SE1+1AA")
		f.get(t, "/search?q=gardening") // many results: not a gap
		gaps, err := f.dir.SearchGaps(ctx, week, 0)
		if err != nil {
			t.Fatal(err)
		}
		var xylo *directory.Gap
		for i, g := range gaps {
			if g.Text == "gardening" {
				t.Errorf("a search with many results was counted as a gap")
			}
			if g.Text == "xylophone quartet" && len(g.Filters) == 0 {
				xylo = &gaps[i]
			}
		}
		if xylo == nil || xylo.Searches != 2 || xylo.NoResults != 2 || xylo.Districts["SE1"] != 1 {
			t.Fatalf("gap for xylophone quartet = %+v, want 2 searches with no results, once near SE1", xylo)
		}
		if len(gaps) <= len(gapsBefore) {
			t.Errorf("no new gaps counted")
		}
	})
}
