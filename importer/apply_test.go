package importer_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// snapshot is everything an import could touch: every stored listing as
// JSON, every partner's import history, and the ids the search index
// finds.
type snapshot struct {
	Listings map[string]string
	Imports  map[string][]directory.ImportRecord
	Indexed  []string
}

func takeSnapshot(t *testing.T, dir *directory.Directory) snapshot {
	t.Helper()
	ctx := context.Background()
	s := snapshot{Listings: map[string]string{}, Imports: map[string][]directory.ImportRecord{}}
	err := dir.ForEachListing(ctx, func(l *directory.Listing) error {
		raw, err := json.Marshal(l)
		s.Listings[l.ID] = string(raw)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	partners, err := dir.Partners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range partners {
		recs, err := dir.Imports(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		s.Imports[p.ID] = recs
	}
	for page := 1; ; page++ {
		res, err := dir.Search(ctx, directory.Query{Statuses: directory.Statuses, Page: page, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			s.Indexed = append(s.Indexed, h.Listing.ID)
		}
		if page*100 >= res.Total {
			break
		}
	}
	slices.Sort(s.Indexed)
	return s
}

// diff says how two snapshots differ, "" when they are the same.
func (s snapshot) diff(after snapshot) string {
	var b strings.Builder
	for _, id := range slices.Sorted(maps.Keys(s.Listings)) {
		if a, ok := after.Listings[id]; !ok {
			fmt.Fprintf(&b, "listing %s is gone\n", id)
		} else if a != s.Listings[id] {
			fmt.Fprintf(&b, "listing %s changed:\n  before %s\n  after  %s\n", id, s.Listings[id], a)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(after.Listings)) {
		if _, ok := s.Listings[id]; !ok {
			fmt.Fprintf(&b, "listing %s is new: %s\n", id, after.Listings[id])
		}
	}
	for _, p := range slices.Sorted(maps.Keys(s.Imports)) {
		if !reflect.DeepEqual(s.Imports[p], after.Imports[p]) {
			fmt.Fprintf(&b, "history of %s changed: %d records before, %d after\n", p, len(s.Imports[p]), len(after.Imports[p]))
		}
	}
	if !slices.Equal(s.Indexed, after.Indexed) {
		fmt.Fprintf(&b, "the index finds %v, before %v\n", after.Indexed, s.Indexed)
	}
	return b.String()
}

func planCSV(t *testing.T, im *importer.Importer, partnerID, csv string, mode importer.Mode) *importer.Plan {
	t.Helper()
	plan, err := im.PlanFile(context.Background(), partnerID, memFile(partnerID+".csv", []byte(csv)), importer.Options{Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

const header = "ref,name,description,categories,postcode,sessions,cost,phone,last_verified\n"

// TestApplyRecordsImport checks that an applied import is in the
// history with who, when, the file's name and hash, the mode, the counts
// and the plan.
func TestApplyRecordsImport(t *testing.T) {
	ctx := context.Background()
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "p", "P")
	im := importer.New(dir)
	csv := header + "A,Alpha,First.,social-groups,SW9,Tue 10:00-12:00,free,020 7946 0000,2026-11-01\n" +
		"B,Beta,Second.,social-groups,SW9,,£2,020 7946 0000,\n" +
		"C,Gamma,Bad postcode.,social-groups,SW9 8,,,020 7946 0000,\n"
	plan := planCSV(t, im, "p", csv, importer.ModeMerge)
	if _, err := im.Apply(ctx, plan, "someone@example.org", false); directory.ErrorCode(err) != directory.EINVALID {
		t.Fatalf("applying a plan with errors: %v, want EINVALID", err)
	}
	if n, _ := dir.Count(ctx); n != 0 {
		t.Fatalf("a refused plan stored %d listings", n)
	}
	rec, err := im.Apply(ctx, plan, "someone@example.org", true)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(csv))
	want := directory.ImportRecord{ID: "p-1", PartnerID: "p", User: "someone@example.org", At: testNow, FileName: "p.csv",
		SHA256: hex.EncodeToString(sum[:]), Mode: "merge", Created: 2, Errors: 1}
	hist, err := dir.Imports(ctx, "p")
	if err != nil || len(hist) != 1 {
		t.Fatalf("history = %v, %v", hist, err)
	}
	got := hist[0]
	var summary importer.Summary
	if err := json.Unmarshal(got.Plan, &summary); err != nil {
		t.Fatalf("the recorded plan is not a summary: %v", err)
	}
	got.Plan = nil
	if !reflect.DeepEqual(want, got) {
		t.Errorf("import record:\n got %+v\nwant %+v", got, want)
	}
	if rec.ID != "p-1" || !summary.Applied || summary.Created != 2 || len(summary.Errors) != 1 || len(summary.Changes) != 2 {
		t.Errorf("returned record %s, recorded plan %+v", rec.ID, summary)
	}
	if n, _ := dir.Count(ctx); n != 2 {
		t.Errorf("valid-only stored %d listings, want the 2 good rows", n)
	}

	// An upload that changes nothing is not recorded, so undo still
	// undoes the last real change.
	again := planCSV(t, im, "p", header+"A,Alpha,First.,social-groups,SW9,Tue 10:00-12:00,free,020 7946 0000,2026-11-01\n", importer.ModeMerge)
	if again.Changes() {
		t.Fatalf("re-uploading a row unchanged: %+v", again.Summary(false, 5))
	}
	rec, err = im.Apply(ctx, again, "someone@example.org", false)
	if err != nil || rec.ID != "" {
		t.Errorf("no-op apply: %+v, %v", rec, err)
	}
	if hist, _ := dir.Imports(ctx, "p"); len(hist) != 1 {
		t.Errorf("a no-op upload was recorded: %d records", len(hist))
	}
}

// TestUndoRestoresExactly applies an import that creates, updates and
// removes listings, undoes it, and expects the store and the index
// exactly as they were before it.
func TestUndoRestoresExactly(t *testing.T) {
	ctx := context.Background()
	now := testNow
	dir := mustOpenWithClock(t, t.TempDir(), func() time.Time { return now })
	MustAddPartner(t, dir, "p", "P")
	MustAddPartner(t, dir, "q", "Q")
	im := importer.New(dir)
	mustImport(t, im, "p", header+
		"A,Alpha,First.,social-groups,SW9,Tue 10:00-12:00,free,020 7946 0000,2026-11-01\n"+
		"B,Beta,Second.,social-groups,SW9,,£2,020 7946 0000,2026-11-01\n"+
		"C,Gamma,Third.,walking-groups,SE5,,,020 7946 0000,2026-11-01\n", importer.ModeReplace)
	mustImport(t, im, "q", header+"A,Q's Alpha,Theirs.,social-groups,SW2,,,020 7946 0000,2026-11-01\n", importer.ModeReplace)
	before := takeSnapshot(t, dir)

	now = now.Add(time.Hour)
	plan := planCSV(t, im, "p", header+
		"A,Alpha renamed,First.,social-groups,SW9,Wed 10:00-12:00,free,020 7946 0000,2026-11-02\n"+
		"B,Beta,Second.,social-groups,SW9,,£2,020 7946 0000,2026-11-01\n"+
		"D,Delta,New.,food-bank,SE11,,free,020 7946 0000,\n", importer.ModeReplace)
	if s := plan.Summary(false, 10); s.Created != 1 || s.Updated != 1 || s.Unchanged != 1 || s.Removed != 1 {
		t.Fatalf("plan = %+v", s)
	}
	if _, err := im.Apply(ctx, plan, "cli", false); err != nil {
		t.Fatal(err)
	}
	if after := takeSnapshot(t, dir); reflect.DeepEqual(before.Listings, after.Listings) {
		t.Fatal("the import changed nothing")
	}
	now = now.Add(time.Hour)
	undone, err := dir.UndoImport(ctx, "p", "cli")
	if err != nil {
		t.Fatal(err)
	}
	if undone.Mode != "replace" || undone.UndoneAt == nil {
		t.Errorf("undone record = %+v", undone)
	}
	got := takeSnapshot(t, dir)
	hist := got.Imports["p"]
	delete(before.Imports, "p")
	delete(got.Imports, "p")
	if diff := before.diff(got); diff != "" {
		t.Errorf("after undo:\n%s", diff)
	}
	if len(hist) != 3 || hist[0].Mode != "undo" || hist[1].UndoneAt == nil || hist[2].UndoneAt != nil {
		t.Errorf("history after undo = %+v", hist)
	}
}

// TestApplyAllOrNothing makes an apply fail part-way in several ways and
// expects the store, the history and the index exactly as before.
func TestApplyAllOrNothing(t *testing.T) {
	ctx := context.Background()
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "p", "P")
	MustAddPartner(t, dir, "q", "Q")
	im := importer.New(dir)
	mustImport(t, im, "p", header+"A,Alpha,First.,social-groups,SW9,,free,020 7946 0000,2026-11-01\nB,Beta,Second.,social-groups,SW9,,free,020 7946 0000,2026-11-01\n", importer.ModeReplace)
	mustImport(t, im, "q", header+"A,Q's Alpha,Theirs.,social-groups,SW2,,,020 7946 0000,2026-11-01\n", importer.ModeReplace)
	theirs, err := dir.PartnerListings(ctx, "q")
	if err != nil || len(theirs) != 1 {
		t.Fatal(theirs, err)
	}
	var rows strings.Builder
	rows.WriteString(header)
	for i := range 50 {
		rows.WriteString("N" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ",New,A new one.,social-groups,SW9,,free,020 7946 0000,\n")
	}
	rows.WriteString("A,Alpha changed,First.,social-groups,SW9,,free,020 7946 0000,2026-11-01\n")
	fresh := func() *importer.Plan { return planCSV(t, im, "p", rows.String(), importer.ModeReplace) }
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name  string
		ctx   context.Context
		spoil func(*importer.Plan)
		code  string
	}{
		{"a listing fails the directory's checks late in the change", ctx, func(p *importer.Plan) {
			p.Update[len(p.Update)-1].Listing.Categories = nil
		}, directory.EINVALID},
		{"a listing of another partner at the end", ctx, func(p *importer.Plan) {
			stolen := *theirs[0]
			stolen.Name = "Taken over"
			p.Update = append(p.Update, importer.Update{Listing: &stolen})
		}, directory.EUNAUTHORIZED},
		{"a listing to remove has gone already", ctx, func(p *importer.Plan) {
			gone := *p.Remove[0]
			gone.ID, gone.Ref = directory.ListingID("p", "ZZ"), "ZZ"
			p.Remove = append(p.Remove, &gone)
		}, directory.ENOTFOUND},
		{"the context is cancelled", cancelled, func(*importer.Plan) {}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := takeSnapshot(t, dir)
			plan := fresh()
			if plan.HasErrors() || len(plan.Create) != 50 || len(plan.Remove) != 1 {
				t.Fatalf("plan = %+v", plan.Summary(false, 3))
			}
			tt.spoil(plan)
			_, err := im.Apply(tt.ctx, plan, "cli", false)
			if err == nil || (tt.code != "" && directory.ErrorCode(err) != tt.code) {
				t.Fatalf("apply: %v, want a %s error", err, tt.code)
			}
			if diff := before.diff(takeSnapshot(t, dir)); diff != "" {
				t.Errorf("a failed apply changed what is stored:\n%s", diff)
			}
		})
	}
}
