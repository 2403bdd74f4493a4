package directory_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// auditClock is a clock the audit tests move by hand.
type auditClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *auditClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *auditClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openAuditDir opens an empty directory on the clock.
func openAuditDir(t *testing.T, clock *auditClock) *directory.Directory {
	t.Helper()
	v, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	d, err := directory.Open(directory.Config{Dir: t.TempDir(), Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// auditListing returns a valid listing of a partner.
func auditListing(partner, ref string) *directory.Listing {
	return &directory.Listing{
		ID: directory.ListingID(partner, ref), PartnerID: partner, Ref: ref, Name: "Listing " + ref,
		Description: "A group that meets every week.", Categories: []string{"walking-groups"}, Online: true,
		Status: directory.StatusActive, Contact: directory.Contact{Email: "hello@example.org"},
	}
}

// line renders an entry for comparison.
func line(e directory.AuditEntry) string {
	var parts []string
	for _, p := range []string{e.Actor, e.Action, e.Target, e.Detail} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// TestAuditRecordsEveryChange makes each kind of change and checks that
// exactly the entries expected were added, by whom and about what, and
// that a refused change adds nothing.
func TestAuditRecordsEveryChange(t *testing.T) {
	clock := &auditClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	d := openAuditDir(t, clock)
	admin := directory.WithActor(context.Background(), "cli:root")
	var token, tokenID, session string

	steps := []struct {
		name string
		do   func(t *testing.T) error
		want []string // new entries, "actor action target detail"
	}{
		{"partner added", func(t *testing.T) error {
			_, err := d.AddPartner(admin, directory.Partner{ID: "alpha", Name: "Alpha Gardens"})
			return err
		}, []string{"cli:root partner.add alpha Alpha Gardens"}},
		{"partner refused", func(t *testing.T) error {
			_, err := d.AddPartner(admin, directory.Partner{ID: "alpha", Name: "Alpha again"})
			return wantCode(err, directory.ECONFLICT)
		}, nil},
		{"user added", func(t *testing.T) error {
			_, err := d.AddUser(admin, directory.User{Email: "A@Alpha.example.org", Role: directory.RolePartner, PartnerID: "alpha"}, "long enough password")
			return err
		}, []string{"cli:root user.add a@alpha.example.org role partner, partner alpha"}},
		{"user refused", func(t *testing.T) error {
			_, err := d.AddUser(admin, directory.User{Email: "x@example.org", Role: directory.RolePartner, PartnerID: "nobody"}, "long enough password")
			return wantCode(err, directory.EINVALID)
		}, nil},
		{"token created", func(t *testing.T) error {
			tok, rec, err := d.CreateToken(admin, "alpha", "nightly sync")
			token, tokenID = tok, rec.ID
			return err
		}, []string{`cli:root token.create {token} partner alpha, named "nightly sync"`}},
		{"signed in", func(t *testing.T) error {
			tok, _, err := d.CreateSession(context.Background(), "a@alpha.example.org", time.Hour)
			session = tok
			return err
		}, []string{"a@alpha.example.org session.start a@alpha.example.org until 2026-03-02T10:00:00Z"}},
		{"upload applied", func(t *testing.T) error {
			_, err := d.Apply(context.Background(), directory.Change{PartnerID: "alpha", Put: []*directory.Listing{auditListing("alpha", "A1"), auditListing("alpha", "A2")},
				Import: &directory.ImportRecord{PartnerID: "alpha", User: "token:nightly sync", Mode: "merge", FileName: "a.csv", Created: 2}})
			return err
		}, []string{`token:nightly sync import alpha-1 partner alpha, merge: 2 created, 0 updated, 0 removed, file "a.csv"`}},
		{"another partner's listing refused", func(t *testing.T) error {
			_, err := d.Apply(context.Background(), directory.Change{PartnerID: "beta", Put: []*directory.Listing{auditListing("alpha", "A3")},
				Import: &directory.ImportRecord{PartnerID: "beta", User: "b@beta.example.org", Mode: "merge"}})
			return wantCode(err, directory.EUNAUTHORIZED)
		}, nil},
		{"upload undone", func(t *testing.T) error {
			_, err := d.UndoImport(context.Background(), "alpha", "a@alpha.example.org")
			return err
		}, []string{`a@alpha.example.org import.undo alpha-2 partner alpha, undo: 0 created, 0 updated, 2 removed, file "a.csv"`}},
		{"listing changed directly", func(t *testing.T) error {
			_, err := d.Apply(admin, directory.Change{Put: []*directory.Listing{auditListing("alpha", "A9")}})
			return err
		}, []string{"cli:root listings.change 1 put, 0 deleted"}},
		{"problem reported", func(t *testing.T) error {
			_, err := d.AddReport(directory.WithActor(context.Background(), directory.ActorPublic), directory.Report{ListingID: directory.ListingID("alpha", "A9"), Kind: directory.ProblemNotRunning, Email: "someone@example.org"})
			return err
		}, []string{"public report.add 1 listing " + directory.ListingID("alpha", "A9") + ", not-running"}},
		{"report resolved", func(t *testing.T) error {
			_, err := d.ResolveReport(admin, "1", "coordinator@example.org", "phoned them")
			return err
		}, []string{"coordinator@example.org report.resolve 1 listing " + directory.ListingID("alpha", "A9")}},
		{"token revoked", func(t *testing.T) error {
			return d.RevokeToken(admin, "alpha", tokenID)
		}, []string{`cli:root token.revoke {token} partner alpha, named "nightly sync"`}},
		{"signed out", func(t *testing.T) error {
			return d.EndSession(context.Background(), session)
		}, []string{"a@alpha.example.org session.end a@alpha.example.org"}},
		{"unknown session ended", func(t *testing.T) error {
			return d.EndSession(context.Background(), "no such session")
		}, nil},
		{"user disabled", func(t *testing.T) error {
			if _, _, err := d.CreateSession(context.Background(), "a@alpha.example.org", time.Hour); err != nil {
				return err
			}
			return d.SetUserDisabled(admin, "a@alpha.example.org", true)
		}, []string{"a@alpha.example.org session.start a@alpha.example.org until 2026-03-02T10:00:00Z", "cli:root user.disable a@alpha.example.org"}},
		{"user enabled", func(t *testing.T) error {
			return d.SetUserDisabled(admin, "a@alpha.example.org", false)
		}, []string{"cli:root user.enable a@alpha.example.org"}},
		{"sessions ended", func(t *testing.T) error {
			if _, _, err := d.CreateSession(context.Background(), "a@alpha.example.org", time.Hour); err != nil {
				return err
			}
			return d.EndSessionsOf(admin, "a@alpha.example.org")
		}, []string{"a@alpha.example.org session.start a@alpha.example.org until 2026-03-02T10:00:00Z", "cli:root sessions.end a@alpha.example.org 1 sessions"}},
		{"expired sessions pruned", func(t *testing.T) error {
			if _, _, err := d.CreateSession(context.Background(), "a@alpha.example.org", time.Minute); err != nil {
				return err
			}
			clock.advance(2 * time.Minute)
			_, err := d.PruneSessions(context.Background())
			return err
		}, []string{"a@alpha.example.org session.start a@alpha.example.org until 2026-03-02T09:01:00Z", "system sessions.prune 1 expired sessions"}},
		{"backup recorded", func(t *testing.T) error {
			return d.RecordAudit(admin, directory.AuditBackup, "", "12 bytes")
		}, []string{"cli:root backup 12 bytes"}},
	}
	seen := 0
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.do(t); err != nil {
				t.Fatal(err)
			}
			all, err := d.Audit(context.Background(), directory.AuditQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range all[seen:] {
				l := line(e)
				if tokenID != "" {
					l = strings.ReplaceAll(l, tokenID, "{token}")
				}
				got = append(got, l)
			}
			seen = len(all)
			if !slices.Equal(got, st.want) {
				t.Errorf("new audit entries:\n got %q\nwant %q", got, st.want)
			}
		})
	}
	if token == "" {
		t.Fatal("no token was made")
	}
	all, _ := d.Audit(context.Background(), directory.AuditQuery{})
	for _, e := range all {
		if strings.Contains(line(e), token) || strings.Contains(line(e), session) {
			t.Errorf("an audit entry holds a secret: %s", line(e))
		}
	}
}

func wantCode(err error, code string) error {
	if got := directory.ErrorCode(err); got != code {
		return fmt.Errorf("want a %s error, got %v", code, err)
	}
	return nil
}

// TestAuditQuery checks the time window and the limit, and that entries
// come back oldest first with increasing sequence numbers.
func TestAuditQuery(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := &auditClock{t: start}
	d := openAuditDir(t, clock)
	ctx := directory.WithActor(context.Background(), "admin@example.org")
	for i := range 10 {
		if err := d.RecordAudit(ctx, directory.AuditBackup, "", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
		clock.advance(time.Hour)
	}
	details := func(es []directory.AuditEntry) string {
		var out []string
		for i, e := range es {
			if i > 0 && (!e.At.After(es[i-1].At) || e.Seq <= es[i-1].Seq) {
				t.Errorf("entries out of order: %+v before %+v", es[i-1], e)
			}
			out = append(out, e.Detail)
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name string
		q    directory.AuditQuery
		want string
	}{
		{"all", directory.AuditQuery{}, "0,1,2,3,4,5,6,7,8,9"},
		{"newest three", directory.AuditQuery{Limit: 3}, "7,8,9"},
		{"since", directory.AuditQuery{Since: start.Add(7 * time.Hour)}, "7,8,9"},
		{"before", directory.AuditQuery{Before: start.Add(2 * time.Hour)}, "0,1"},
		{"window with limit", directory.AuditQuery{Since: start.Add(2 * time.Hour), Before: start.Add(6 * time.Hour), Limit: 2}, "4,5"},
		{"since after the last", directory.AuditQuery{Since: start.Add(48 * time.Hour)}, ""},
		{"before the first", directory.AuditQuery{Before: start}, ""},
		{"before after the last", directory.AuditQuery{Before: start.Add(48 * time.Hour), Limit: 1}, "9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, err := d.Audit(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := details(es); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAuditSurvivesFailedWrite checks that an entry is written with its
// change or not at all: a change refused inside the transaction (a delete
// of a listing that does not exist) leaves the log as it was.
func TestAuditSurvivesFailedWrite(t *testing.T) {
	clock := &auditClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	d := openAuditDir(t, clock)
	ctx := context.Background()
	if _, err := d.AddPartner(ctx, directory.Partner{ID: "alpha", Name: "Alpha"}); err != nil {
		t.Fatal(err)
	}
	before, _ := d.Audit(ctx, directory.AuditQuery{})
	_, err := d.Apply(ctx, directory.Change{PartnerID: "alpha", Put: []*directory.Listing{auditListing("alpha", "A1")}, Delete: []string{"missing"},
		Import: &directory.ImportRecord{PartnerID: "alpha", User: "x", Mode: "merge"}})
	var de *directory.Error
	if !errors.As(err, &de) || de.Code != directory.ENOTFOUND {
		t.Fatalf("want a not-found error, got %v", err)
	}
	after, _ := d.Audit(ctx, directory.AuditQuery{})
	if len(after) != len(before) {
		t.Errorf("a refused change added %d audit entries", len(after)-len(before))
	}
	if n, _ := d.Count(ctx); n != 0 {
		t.Errorf("a refused change stored %d listings", n)
	}
}
