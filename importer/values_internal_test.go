package importer

import (
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

func TestParseCost(t *testing.T) {
	tests := []struct {
		in      string
		want    directory.Cost
		warning bool
	}{
		{"free", directory.Cost{Free: true}, false},
		{"Free", directory.Cost{Free: true}, false},
		{"£0", directory.Cost{Free: true}, false},
		{"£0.00", directory.Cost{Free: true}, false},
		{"£3", directory.Cost{Pence: 300, Words: "£3"}, false},
		{"£3.00", directory.Cost{Pence: 300}, false},
		{"£3.50", directory.Cost{Pence: 350}, false},
		{"£3 per session, free for carers", directory.Cost{Pence: 300, Words: "£3 per session, free for carers"}, false},
		{"Free for members, £5 for others", directory.Cost{Pence: 500, Words: "Free for members, £5 for others"}, false},
		{"Free, donations welcome (£2 suggested)", directory.Cost{Free: true, Words: "Free, donations welcome (£2 suggested)"}, false},
		{"free for everyone", directory.Cost{Free: true, Words: "free for everyone"}, false},
		{"free for tenants", directory.Cost{Free: true, Words: "free for tenants"}, false},
		{"pay as you feel, nothing if you can't", directory.Cost{Free: true, Words: "pay as you feel, nothing if you can't"}, false},
		{"3 pounds", directory.Cost{Pence: 300, Words: "3 pounds"}, false},
		{"50p", directory.Cost{Pence: 50, Words: "50p"}, false},
		{"£2 a session, first visit free", directory.Cost{Pence: 200, Words: "£2 a session, first visit free"}, false},
		{"up to 10 people", directory.Cost{Words: "up to 10 people"}, true},
		{"ask us", directory.Cost{Words: "ask us"}, true},
		{"carefree fun", directory.Cost{Words: "carefree fun"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseCost(tt.in)
			if got != tt.want {
				t.Errorf("parseCost(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if (err != nil) != tt.warning {
				t.Errorf("parseCost(%q) warning = %v, want one: %v", tt.in, err, tt.warning)
			}
			if err == nil {
				back, _ := parseCost(FormatCost(got))
				if back != got {
					t.Errorf("FormatCost(%+v) = %q reads back as %+v", got, FormatCost(got), back)
				}
			}
		})
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"020 7946 0123", "020 7946 0123", true},
		{"02079460123", "02079460123", true},
		{"+44 20 7946 0123", "+44 20 7946 0123", true},
		{"+44 (0)20 7946 0123", "+44 (0)20 7946 0123", true},
		{"0044 20 7946 0123", "0044 20 7946 0123", true},
		{"07700  900123", "07700 900123", true},
		{"0800 1111", "0800 1111", true},
		{"020 7946 0123 ext 4", "020 7946 0123 ext 4", true},
		{"020-7946-0123 (Mon-Fri)", "020-7946-0123 (Mon-Fri)", true},
		{"116 123", "116 123", true},
		{"111", "111", true},
		{"85258", "85258", true},
		{"12345", "", false},
		{"7700900123", "", false},
		{"call us", "", false},
		{"+1 555 0100", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parsePhone(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("parsePhone(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
	if _, err := parsePhone("7700900123"); err == nil || !strings.Contains(err.Error(), "drop the 0") {
		t.Errorf("a phone number that lost its 0 should say so: %v", err)
	}
}

func TestParseEmailAndWebsite(t *testing.T) {
	emails := []struct {
		in, want string
		ok       bool
	}{
		{"hello@example.org", "hello@example.org", true},
		{" mailto:hello@example.org ", "hello@example.org", true},
		{"bob@", "", false},
		{"bob@localhost", "", false},
		{"Bob <bob@example.org>", "", false},
		{"two@example.org; three@example.org", "", false},
	}
	for _, tt := range emails {
		got, err := parseEmail(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseEmail(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	sites := []struct {
		in, want string
		ok       bool
	}{
		{"https://example.org/path?q=1", "https://example.org/path?q=1", true},
		{"www.example.org", "https://www.example.org", true},
		{"http://example.org", "http://example.org", true},
		{"not a website", "", false},
		{"javascript:alert(1)", "", false},
		{"ftp://example.org", "", false},
		{"localhost", "", false},
	}
	for _, tt := range sites {
		got, err := parseWebsite(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseWebsite(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{
		"21/11/2026", "21/11/26", "21-11-2026", "21.11.2026", "2026-11-21", "2026/11/21",
		"21 Nov 2026", "21 November 2026", "21st November 2026", "21-Nov-26", "21-Nov-2026",
		"Saturday 21 November 2026", "Sat, 21 Nov 2026", "November 21, 2026",
		"2026-11-21T09:30:00Z", "2026-11-21 09:30", "21/11/2026 09:30", "46347",
	} {
		got, err := parseDate(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got, err := parseDate("5/3/2026"); err != nil || got.Month() != time.March || got.Day() != 5 {
		t.Errorf("5/3/2026 should be the 5th of March (day first, as in the UK): %v, %v", got, err)
	}
	if got, err := parseDate("Sept 2026"); err != nil || !got.Equal(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a month alone should be its first day: %v, %v", got, err)
	}
	for _, in := range []string{"31/02/2026", "11/21/2026", "soon", "2026", "21/11"} {
		if _, err := parseDate(in); err == nil {
			t.Errorf("parseDate(%q) should fail", in)
		}
	}
}

func TestParseAge(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"", 0, true}, {"18", 18, true}, {"18+", 18, true}, {"18 years", 18, true}, {"16yrs", 16, true},
		{"65 and over", 65, true}, {"any", 0, true}, {"n/a", 0, true},
		{"eighteen", 0, false}, {"-3", 0, false}, {"121", 0, false}, {"18-25", 0, false},
	}
	for _, tt := range tests {
		got, err := parseAge(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseAge(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseJoinAndStatus(t *testing.T) {
	joins := map[string]directory.JoinMethod{
		"drop-in": directory.JoinDropIn, "Just turn up": directory.JoinDropIn, "self-refer": directory.JoinSelfRefer,
		"GP referral": directory.JoinReferral, "yes": directory.JoinReferral, "no": directory.JoinSelfRefer, "": "",
	}
	for in, want := range joins {
		if got, err := parseJoin(in); err != nil || got != want {
			t.Errorf("parseJoin(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := parseJoin("whenever"); err == nil {
		t.Error("parseJoin(whenever) should fail")
	}
	statuses := map[string]directory.Status{
		"": directory.StatusActive, "Running": directory.StatusActive, "temporarily closed": directory.StatusTempClosed,
		"on hold": directory.StatusTempClosed, "closed": directory.StatusInactive, "no": directory.StatusInactive,
	}
	for in, want := range statuses {
		if got, err := parseStatus(in); err != nil || got != want {
			t.Errorf("parseStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"A walk in the park. Bring boots.", "A walk in the park."},
		{"Feeling low? Come along.", "Feeling low?"},
		{"Tea costs £3.50 and starts at 10.30am. Then lunch.", "Tea costs £3.50 and starts at 10.30am."},
		{"Meet at St. Mark's church, e.g. by the gate. Then walk.", "Meet at St. Mark's church, e.g. by the gate."},
		{"See example.org for more. Thanks.", "See example.org for more."},
		{"No full stop at all", "No full stop at all"},
		{"  Spaces\n and  lines.  More.", "Spaces and lines."},
		{strings.Repeat("word ", 40) + "end.", strings.TrimSpace(strings.Repeat("word ", 27)) + "…"},
	}
	for _, tt := range tests {
		got := firstSentence(tt.in, 140)
		if got != tt.want {
			t.Errorf("firstSentence(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := len([]rune(got)); n > 140 {
			t.Errorf("firstSentence(%q) is %d characters, over 140", tt.in, n)
		}
	}
}

func TestNeutraliseRoundTrip(t *testing.T) {
	for _, s := range []string{"=SUM(A1)", "+44 20 7946 0123", "-5", "@home", "'=x", "''+y", "'hello", "plain", "", "'", "a=b"} {
		n := Neutralise(s)
		if formulaStart(s) && !strings.HasPrefix(n, "'") {
			t.Errorf("Neutralise(%q) = %q, which a spreadsheet would run", s, n)
		}
		if back := unformula(n); back != s {
			t.Errorf("unformula(Neutralise(%q)) = %q", s, back)
		}
	}
}

func TestSuggestCategories(t *testing.T) {
	dirTax := testTaxonomy(t)
	tests := []struct{ in, want string }{
		{"gardning", "nature-gardening"},
		{"councelling", "counselling"},
		{"foodbank", "food-bank"},
		{"excercise", "exercise-sport"},
	}
	for _, tt := range tests {
		got := suggestCategories(dirTax, tt.in)
		if len(got) == 0 || got[0].Code != tt.want {
			t.Errorf("suggestCategories(%q) = %v, want %s first", tt.in, got, tt.want)
		}
	}
	resolves := map[string]string{
		"Community gardens": "community-gardens", "Food bank": "food-bank", "Drop-in": "drop-ins",
		"Food banks": "food-bank", "social groups and clubs": "social-groups", "A&E liaison": "ae-liaison",
	}
	for in, want := range resolves {
		if got, ok := resolveCategory(dirTax, in); !ok || got.Code != want {
			t.Errorf("resolveCategory(%q) = %v, %v; want %s", in, got.Code, ok, want)
		}
	}
	if got, ok := resolveCategory(dirTax, "Arts"); ok {
		t.Errorf("resolveCategory(Arts) = %s, but it could be arts-music or arts-crafts", got.Code)
	}
}
