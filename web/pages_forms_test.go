package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/web/webtest"
)

func testReportForm(t *testing.T, f *pagesFixture) {
	ctx := context.Background()
	id := idRepairCafe
	target := "/listings/" + id + "/report"
	reports := func() []directory.Report {
		t.Helper()
		rs, err := f.dir.Reports(ctx, directory.ReportFilter{ListingID: id})
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}

	t.Run("sent", func(t *testing.T) {
		res, _ := f.post(t, target, url.Values{"kind": {"details-wrong"}, "details": {"It starts at 11 now."}}, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != target+"?sent=1" {
			t.Fatalf("POST = %d to %q, want 303 to the thanks", res.StatusCode, res.Header.Get("Location"))
		}
		_, thanks := f.get(t, target+"?sent=1")
		if !strings.Contains(thanks, "Thank you") {
			t.Errorf("the thanks page does not thank")
		}
		rs := reports()
		if len(rs) != 1 || rs[0].Kind != directory.ProblemDetailsWrong || rs[0].Text != "It starts at 11 now." || rs[0].Email != "" || rs[0].Status != directory.ReportOpen {
			t.Errorf("stored reports = %+v; want one open report with the text and no email", rs)
		}
	})

	t.Run("with an email for a reply", func(t *testing.T) {
		res, _ := f.post(t, target, url.Values{"kind": {"not-running"}, "email": {" sam@example.org "}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST = %d", res.StatusCode)
		}
		if rs := reports(); len(rs) != 2 || rs[0].Email != "sam@example.org" {
			t.Errorf("the newest report should keep the email given: %+v", rs)
		}
	})

	problems := []struct {
		name string
		form url.Values
		want []string
	}{
		{"no kind", url.Values{"details": {"keep me"}}, []string{`href="#kind"`, "Choose what is wrong with the listing", ">keep me</textarea>"}},
		{"something else needs words", url.Values{"kind": {"other"}}, []string{`href="#details"`, "Tell us what is wrong", `value="other" checked`}},
		{"too long", url.Values{"kind": {"other"}, "details": {strings.Repeat("x", directory.MaxReportText+1)}}, []string{"2000 characters or fewer"}},
		{"bad email", url.Values{"kind": {"concern"}, "email": {"sam at home"}}, []string{`href="#email"`, "Enter an email address", `value="sam at home"`}},
	}
	for _, p := range problems {
		t.Run(p.name, func(t *testing.T) {
			before := len(reports())
			res, body := f.post(t, target, p.form, nil)
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("POST = %d, want 400", res.StatusCode)
			}
			for _, w := range append([]string{"There is a problem", "<title>Error: "}, p.want...) {
				if !strings.Contains(body, w) {
					t.Errorf("the form does not say %q", w)
				}
			}
			if len(reports()) != before {
				t.Errorf("a report was stored")
			}
		})
	}

	t.Run("from another site", func(t *testing.T) {
		before := len(reports())
		for _, h := range []map[string]string{
			{"Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "", "Origin": "https://attacker.example"},
		} {
			res, body := f.post(t, target, url.Values{"kind": {"other"}, "details": {"forged"}}, h)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "sent from another website") {
				t.Errorf("cross-origin POST (%v) = %d, want 403 saying why", h, res.StatusCode)
			}
		}
		if len(reports()) != before {
			t.Errorf("a forged report was stored")
		}
	})

	t.Run("unknown listing", func(t *testing.T) {
		if res, _ := f.post(t, "/listings/0000000000000000/report", url.Values{"kind": {"other"}, "details": {"x"}}, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST = %d, want 404", res.StatusCode)
		}
	})

	t.Run("too large", func(t *testing.T) {
		res, _ := f.post(t, target, url.Values{"kind": {"other"}, "details": {strings.Repeat("x", maxFormBody)}}, nil)
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("POST of %d bytes = %d, want 413", maxFormBody, res.StatusCode)
		}
	})
}

func testSuggest(t *testing.T, f *pagesFixture) {
	ctx := context.Background()
	week := directory.WeekOf(webtest.Now())
	gaps := func() int {
		gs, err := f.dir.SearchGaps(ctx, week, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(gs)
	}
	gapsBefore := gaps()

	t.Run("suggestions with reasons", func(t *testing.T) {
		form := url.Values{"enjoy": {"gardening"}, "change": {"wellbeing"}, "postcode": {"SW9"}, "day": {"sat"}}
		res, body := f.post(t, "/suggest", form, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("POST /suggest = %d", res.StatusCode)
		}
		for _, w := range []string{"Things you might like", "We have not kept your answers", "Why this might suit you:", "You like gardening", `For your goal &#34;Find things to do&#34;`, "Saturdays, which suit you", "km from SW9", `value="gardening"`, `id="day-sat" name="day" value="sat" checked`, `id="change-wellbeing" name="change" value="wellbeing" checked`, "Change your answers"} {
			if !strings.Contains(body, w) {
				t.Errorf("the suggestions page does not say %q", w)
			}
		}
		if n := strings.Count(body, `<li class="result">`); n == 0 || n > maxSuggestions {
			t.Errorf("%d suggestions, want 1 to %d", n, maxSuggestions)
		}
	})

	t.Run("times of day", func(t *testing.T) {
		_, body := f.post(t, "/suggest", url.Values{"enjoy": {"cooking"}, "time": {"evening"}}, nil)
		firsts := regexp.MustCompile(`(?s)<li class="result">.*?</li>\s*</ul>`).FindAllString(body, 3)
		if len(firsts) < 3 {
			t.Fatalf("%d suggestions for cooking in the evening, want at least 3", len(firsts))
		}
		for i, r := range firsts {
			if !strings.Contains(r, "evenings, which suit you") {
				t.Errorf("suggestion %d gives no evening among its reasons:\n%s", i+1, r)
			}
		}
	})

	t.Run("nothing fits everything", func(t *testing.T) {
		res, body := f.post(t, "/suggest", url.Values{"enjoy": {"gardening"}, "postcode": {"SE9"}, "day": {"sun"}, "free": {"true"}}, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `<li class="result">`) || !strings.Contains(body, "Widened the distance from 5.0 km to 10 km of SE9") {
			t.Errorf("POST = %d; the answers should be relaxed, saying so, until something is found", res.StatusCode)
		}
	})

	t.Run("nothing at all", func(t *testing.T) {
		res, body := f.post(t, "/suggest", url.Values{"enjoy": {"xylophone quartet"}}, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "We could not find anything that fits all your answers") {
			t.Errorf("POST = %d; want a page saying nothing was found and what to try", res.StatusCode)
		}
	})

	t.Run("bad postcode", func(t *testing.T) {
		res, body := f.post(t, "/suggest", url.Values{"postcode": {"nowhere"}}, nil)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "not a full UK postcode") || !strings.Contains(body, `value="nowhere"`) {
			t.Errorf("POST with a bad postcode = %d; want 400 saying so, with the answer kept", res.StatusCode)
		}
	})

	t.Run("from another site", func(t *testing.T) {
		if res, _ := f.post(t, "/suggest", url.Values{"enjoy": {"x"}}, map[string]string{"Sec-Fetch-Site": "cross-site"}); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST = %d, want 403", res.StatusCode)
		}
	})

	t.Run("nothing about the person is kept", func(t *testing.T) {
		if n := gaps(); n != gapsBefore {
			t.Errorf("suggestions counted %d search gaps; the answers must not be kept", n-gapsBefore)
		}
	})
}

// testPageWeight checks that a results page, with its stylesheet, script
// and icon, is under 100 KB.
func testPageWeight(t *testing.T, f *pagesFixture) {
	assets := 0
	for _, a := range []string{"/static/site.css", "/static/site.js", "/static/favicon.svg"} {
		res, body := f.get(t, a)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", a, res.StatusCode)
		}
		assets += len(body)
	}
	for _, target := range []string{"/search", "/search?q=gardening&postcode=SW9", "/search?category=food&day=sat&day=sun&language=pt"} {
		_, body := f.get(t, target)
		total := len(body) + assets
		t.Logf("%s: page %d bytes, with assets %d bytes", target, len(body), total)
		if total >= 100_000 {
			t.Errorf("%s weighs %d bytes with its assets, over 100 KB", target, total)
		}
	}
}
