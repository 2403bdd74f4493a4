package directory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

func TestAddReport(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	d := openFeedbackDir(t, &now)
	l := putFeedbackListing(t, d, "allotment-society", "A1", "Allotment Saturdays")

	tests := []struct {
		name string
		in   directory.Report
		code string
		msg  string
	}{
		{"wrong details", directory.Report{ListingID: l.ID, Kind: directory.ProblemDetailsWrong, Text: "It starts at 11 now."}, "", ""},
		{"no text needed", directory.Report{ListingID: l.ID, Kind: directory.ProblemNotRunning}, "", ""},
		{"with email", directory.Report{ListingID: l.ID, Kind: directory.ProblemConcern, Text: "Please call me", Email: "sam@example.org"}, "", ""},
		{"no kind", directory.Report{ListingID: l.ID, Text: "hmm"}, directory.EINVALID, "choose what is wrong"},
		{"unknown kind", directory.Report{ListingID: l.ID, Kind: "spam"}, directory.EINVALID, "choose what is wrong"},
		{"other needs words", directory.Report{ListingID: l.ID, Kind: directory.ProblemOther, Text: "  "}, directory.EINVALID, "tell us what is wrong"},
		{"too long", directory.Report{ListingID: l.ID, Kind: directory.ProblemOther, Text: strings.Repeat("é", directory.MaxReportText+1)}, directory.EINVALID, "2000 characters or fewer"},
		{"bad email", directory.Report{ListingID: l.ID, Kind: directory.ProblemOther, Text: "x", Email: "sam at home"}, directory.EINVALID, "email address"},
		{"email with name", directory.Report{ListingID: l.ID, Kind: directory.ProblemOther, Text: "x", Email: "Sam <sam@example.org>"}, directory.EINVALID, "email address"},
		{"no listing", directory.Report{ListingID: "nope", Kind: directory.ProblemOther, Text: "x"}, directory.ENOTFOUND, "no listing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := d.AddReport(ctx, tt.in)
			if tt.code != "" {
				if directory.ErrorCode(err) != tt.code || !strings.Contains(directory.ErrorMessage(err), tt.msg) {
					t.Fatalf("AddReport error = %v, want %s saying %q", err, tt.code, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.ID == "" || r.Status != directory.ReportOpen || r.PartnerID != "allotment-society" || r.ListingName != "Allotment Saturdays" || !r.Created.Equal(now) {
				t.Errorf("AddReport = %+v; want an open report with an id, the listing's partner and name, created now", r)
			}
		})
	}

	all, err := d.Reports(ctx, directory.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Kind != directory.ProblemConcern || all[2].Kind != directory.ProblemDetailsWrong {
		t.Fatalf("Reports = %+v; want the 3 accepted reports, newest first", all)
	}
	if all[1].Email != "" || all[2].Email != "" {
		t.Errorf("reports without an email given have one: %+v", all)
	}
}

func TestResolveReport(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	d := openFeedbackDir(t, &now)
	a := putFeedbackListing(t, d, "allotment-society", "A1", "Allotment Saturdays")
	b := putFeedbackListing(t, d, "choir", "C1", "Community Choir")
	ra, err := d.AddReport(ctx, directory.Report{ListingID: a.ID, Kind: directory.ProblemNotRunning})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.AddReport(ctx, directory.Report{ListingID: b.ID, Kind: directory.ProblemNotRunning}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	r, err := d.ResolveReport(ctx, ra.ID, "coordinator@example.org", "Asked the society; it moved to Sundays.")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != directory.ReportResolved || !r.Resolved.Equal(now) || r.ResolvedBy != "coordinator@example.org" {
		t.Errorf("ResolveReport = %+v", r)
	}
	got, err := d.Report(ctx, ra.ID)
	if err != nil || got.Status != directory.ReportResolved || got.Note == "" {
		t.Errorf("Report after resolving = %+v, %v", got, err)
	}

	filters := []struct {
		name string
		f    directory.ReportFilter
		want int
	}{
		{"open", directory.ReportFilter{Status: directory.ReportOpen}, 1},
		{"resolved", directory.ReportFilter{Status: directory.ReportResolved}, 1},
		{"partner", directory.ReportFilter{PartnerID: "choir"}, 1},
		{"listing", directory.ReportFilter{ListingID: a.ID}, 1},
		{"partner and status", directory.ReportFilter{PartnerID: "choir", Status: directory.ReportResolved}, 0},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := d.Reports(ctx, tt.f)
			if err != nil || len(rs) != tt.want {
				t.Errorf("Reports(%+v) = %d reports, %v; want %d", tt.f, len(rs), err, tt.want)
			}
		})
	}

	for _, id := range []string{"", "0", "x", "999"} {
		if _, err := d.ResolveReport(ctx, id, "x", ""); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("ResolveReport(%q) error = %v, want ENOTFOUND", id, err)
		}
		if _, err := d.Report(ctx, id); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("Report(%q) error = %v, want ENOTFOUND", id, err)
		}
	}
}

func TestAddReportBoundsOpenReports(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	d := openFeedbackDir(t, &now)
	l := putFeedbackListing(t, d, "allotment-society", "A1", "Allotment Saturdays")
	for i := 0; i < directory.MaxOpenReportsPerListing; i++ {
		if _, err := d.AddReport(ctx, directory.Report{ListingID: l.ID, Kind: directory.ProblemNotRunning}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := d.AddReport(ctx, directory.Report{ListingID: l.ID, Kind: directory.ProblemNotRunning})
	if directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("report over the limit: error = %v, want ECONFLICT", err)
	}
	rs, _ := d.Reports(ctx, directory.ReportFilter{ListingID: l.ID})
	if _, err := d.ResolveReport(ctx, rs[0].ID, "admin", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := d.AddReport(ctx, directory.Report{ListingID: l.ID, Kind: directory.ProblemNotRunning}); err != nil {
		t.Errorf("report after one was resolved: %v", err)
	}
}
