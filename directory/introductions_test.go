package directory_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

func TestIntroductions(t *testing.T) {
	ctx := context.Background()
	// 23:30 UTC on 31 October is still October in London (on GMT since
	// the 25th); an hour later it is November.
	now := time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC)
	d := openFeedbackDir(t, &now)
	a := putFeedbackListing(t, d, "allotment-society", "A1", "Allotment Saturdays")
	b := putFeedbackListing(t, d, "choir", "C1", "Community Choir")

	record := func(id string, want int) {
		t.Helper()
		n, err := d.RecordIntroduction(directory.WithActor(ctx, "worker@example.org"), id)
		if err != nil || n.Count != want || n.Month != directory.MonthOf(now) {
			t.Fatalf("RecordIntroduction(%s) = %+v, %v; want count %d in %s", id, n, err, want, directory.MonthOf(now))
		}
	}
	record(a.ID, 1)
	record(a.ID, 2)
	record(b.ID, 1)
	now = now.Add(time.Hour) // 1 November
	record(a.ID, 1)

	all, err := d.Introductions(ctx, directory.IntroductionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []directory.IntroductionCount{{a.ID, "2026-10", 2}, {a.ID, "2026-11", 1}, {b.ID, "2026-10", 1}}
	if a.ID > b.ID {
		want = []directory.IntroductionCount{{b.ID, "2026-10", 1}, {a.ID, "2026-10", 2}, {a.ID, "2026-11", 1}}
	}
	if !slices.Equal(all, want) {
		t.Errorf("Introductions = %+v, want %+v", all, want)
	}

	filters := []struct {
		name string
		f    directory.IntroductionFilter
		want int
	}{
		{"one listing", directory.IntroductionFilter{ListingIDs: []string{a.ID}}, 3},
		{"the other", directory.IntroductionFilter{ListingIDs: []string{b.ID, b.ID}}, 1},
		{"since November", directory.IntroductionFilter{Since: "2026-11"}, 1},
		{"a listing with none", directory.IntroductionFilter{ListingIDs: []string{"nothing"}}, 0},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.Introductions(ctx, tt.f)
			total := 0
			for _, n := range got {
				total += n.Count
			}
			if err != nil || total != tt.want {
				t.Errorf("Introductions(%+v) adds up to %d, %v; want %d", tt.f, total, err, tt.want)
			}
		})
	}

	if _, err := d.Introductions(ctx, directory.IntroductionFilter{Since: "November"}); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("a month written otherwise: %v, want EINVALID", err)
	}
	for _, id := range []string{"", "no-such-listing", "a\x00b"} {
		if _, err := d.RecordIntroduction(ctx, id); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("RecordIntroduction(%q) = %v, want ENOTFOUND", id, err)
		}
	}

	t.Run("the audit log says who and when, not to what", func(t *testing.T) {
		entries, err := d.Audit(ctx, directory.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if e.Action != directory.AuditIntroduction {
				continue
			}
			n++
			if e.Actor != "worker@example.org" || strings.Contains(e.Target+e.Detail, a.ID) || strings.Contains(e.Target+e.Detail, b.ID) {
				t.Errorf("audit entry %+v: want the worker, and no listing", e)
			}
		}
		if n != 4 {
			t.Errorf("%d introduction entries in the audit log, want 4", n)
		}
	})
}
