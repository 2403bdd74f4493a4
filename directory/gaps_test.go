package directory_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

func TestNormaliseGapText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"  Pottery   CLASSES! ", "pottery classes"},
		{"food bank near SW9 8AB", "food bank near"},
		{"food bank sw98ab", "food bank"},
		{"call me on 07700 900123 about housing", "call me on about housing"},
		{"email jo@example.com about debt", "email about debt"},
		{"yoga in SW9", "yoga in sw9"}, // a district is not personal
		{"café for 50+", "café for 50"},
		{"", ""},
		{strings.Repeat("a ", 200), strings.TrimSpace(strings.Repeat("a ", 50))},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := directory.NormaliseGapText(tt.in); got != tt.want {
				t.Errorf("NormaliseGapText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRecordSearchGap(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC) // Tuesday of ISO week 48
	d := openFeedbackDir(t, &now)

	searches := []directory.GapSearch{
		{Text: "Pottery", Postcode: "SW9 8AB", Results: 0},
		{Text: "pottery ", Postcode: "SE5", Results: 0},
		{Text: "POTTERY", Results: 1},
		{Text: "pottery", Filters: []string{"free"}, Results: 0},
		{Text: "gardening", Results: 12},                    // not a gap
		{Text: "", Results: 0},                              // nothing to count
		{Text: "sailing", Postcode: "nonsense", Results: 0}, // district unknown: kept without one
	}
	for _, s := range searches {
		if err := d.RecordSearchGap(ctx, s); err != nil {
			t.Fatalf("RecordSearchGap(%+v): %v", s, err)
		}
	}
	// A week later, in another week.
	now = now.AddDate(0, 0, 7)
	if err := d.RecordSearchGap(ctx, directory.GapSearch{Text: "archery", Results: 0}); err != nil {
		t.Fatal(err)
	}

	weeks, err := d.GapWeeks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(weeks, ","), "2026-W49,2026-W48"; got != want {
		t.Errorf("GapWeeks = %s, want %s", got, want)
	}

	gaps, err := d.SearchGaps(ctx, "2026-W48", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(gaps)
	want := `[{"week":"2026-W48","text":"pottery","searches":3,"no_results":2,"results":1,"districts":{"SE5":1,"SW9":1}},` +
		`{"week":"2026-W48","text":"pottery","filters":["free"],"searches":1,"no_results":1,"results":0},` +
		`{"week":"2026-W48","text":"sailing","searches":1,"no_results":1,"results":0}]`
	if string(got) != want {
		t.Errorf("SearchGaps(W48):\n got %s\nwant %s", got, want)
	}
	if raw := string(got); strings.Contains(raw, "8AB") {
		t.Errorf("a full postcode was kept: %s", raw)
	}

	top, err := d.SearchGaps(ctx, "2026-W48", 1)
	if err != nil || len(top) != 1 || top[0].Searches != 3 {
		t.Errorf("SearchGaps(limit 1) = %+v, %v; want the pottery gap only", top, err)
	}
	empty, err := d.SearchGaps(ctx, "2020-W01", 0)
	if err != nil || len(empty) != 0 {
		t.Errorf("SearchGaps(empty week) = %+v, %v; want nothing", empty, err)
	}
	if _, err := d.SearchGaps(ctx, "last week", 0); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("SearchGaps(bad week) error = %v, want EINVALID", err)
	}
}

func TestRecordSearchGapCapsDistinctSearches(t *testing.T) {
	if testing.Short() {
		t.Skip("writes thousands of gaps")
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	d := openFeedbackDir(t, &now)
	for i := 0; i <= directory.MaxGapsPerWeek; i++ {
		if err := d.RecordSearchGap(ctx, directory.GapSearch{Text: "word" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676)), Results: 0}); err != nil {
			t.Fatal(err)
		}
	}
	// Already-seen searches are still counted once the week is full.
	if err := d.RecordSearchGap(ctx, directory.GapSearch{Text: "wordaaa", Results: 0}); err != nil {
		t.Fatal(err)
	}
	gaps, err := d.SearchGaps(ctx, directory.WeekOf(now), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) != directory.MaxGapsPerWeek {
		t.Errorf("week holds %d gaps, want at most %d", len(gaps), directory.MaxGapsPerWeek)
	}
	if gaps[0].Text != "wordaaa" || gaps[0].Searches != 2 {
		t.Errorf("top gap = %+v, want wordaaa searched twice", gaps[0])
	}
}

func TestWeekOf(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), "2026-W48"},
		{time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), "2026-W53"},
		// Sunday 23:30 UTC in summer is already Monday in London.
		{time.Date(2026, 6, 28, 23, 30, 0, 0, time.UTC), "2026-W27"},
	}
	for _, tt := range tests {
		if got := directory.WeekOf(tt.t); got != tt.want {
			t.Errorf("WeekOf(%s) = %s, want %s", tt.t, got, tt.want)
		}
	}
}
