package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The audit log records every change to the store: who did it, what, and
// when. Each entry is written in the same transaction as the change it
// describes, so the log can neither miss a change nor record one that did
// not happen. The bucket is append-only: nothing in the program updates or
// deletes an entry.
//
// bucketAudit: time (8 bytes, Unix nanoseconds, big-endian) + sequence
// (8 bytes) -> JSON AuditEntry. The time prefix keeps a cursor walk in time
// order; the bucket's own sequence keeps keys unique when two changes share
// a nanosecond (or the clock steps back).
var bucketAudit = []byte("audit")

func init() { allBuckets = append(allBuckets, bucketAudit) }

// Audit actions.
const (
	AuditImport        = "import"          // a partner upload applied (merge or replace)
	AuditUndoImport    = "import.undo"     // the latest upload undone
	AuditListings      = "listings.change" // listings changed outside an upload
	AuditPartnerAdd    = "partner.add"
	AuditUserAdd       = "user.add"
	AuditUserDisable   = "user.disable"
	AuditUserEnable    = "user.enable"
	AuditTokenCreate   = "token.create"
	AuditTokenRevoke   = "token.revoke"
	AuditSessionStart  = "session.start"  // someone signed in
	AuditSessionEnd    = "session.end"    // someone signed out
	AuditSessionsEnd   = "sessions.end"   // every session of a user ended
	AuditSessionsPrune = "sessions.prune" // expired sessions swept
	AuditBackup        = "backup"         // a copy of the store was taken
	AuditRestore       = "restore"        // the store was replaced from a backup
	AuditReportAdd     = "report.add"     // someone reported a problem with a listing
	AuditReportResolve = "report.resolve" // the coordinator closed a report
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	At  time.Time `json:"at"`
	Seq uint64    `json:"seq"`
	// Actor is who made the change: a user's email, "token:NAME" for a
	// partner's API token, "cli:USER" for the command line, or "system".
	Actor string `json:"actor"`
	// Action is one of the Audit* constants.
	Action string `json:"action"`
	// Target is what was changed: a partner id, an email, a token id, an
	// import id.
	Target string `json:"target,omitempty"`
	// Detail says in a few words what the change did.
	Detail string `json:"detail,omitempty"`
}

type actorKey struct{}

// WithActor returns a context that names who is acting; the changes made
// with it are recorded under that name in the audit log.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorPublic is the actor of a change made by someone not signed in (a
// problem report): who they are is not recorded.
const ActorPublic = "public"

// ActorFrom returns the actor WithActor put in ctx, or "system".
func ActorFrom(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}

func auditKey(at time.Time, seq uint64) []byte {
	return append(u64(uint64(at.UnixNano())), u64(seq)...)
}

// appendAudit adds e to the log inside tx, stamping it with now.
func appendAudit(tx *bolt.Tx, now time.Time, e AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return Internal(err, "number the audit entry")
	}
	e.At, e.Seq = now.UTC(), seq
	raw, err := json.Marshal(e)
	if err != nil {
		return Internal(err, "encode the audit entry")
	}
	if err := b.Put(auditKey(e.At, seq), raw); err != nil {
		return Internal(err, "store the audit entry")
	}
	return nil
}

// audit adds an entry for ctx's actor inside tx.
func (d *Directory) audit(ctx context.Context, tx *bolt.Tx, action, target, detail string) error {
	return appendAudit(tx, d.now(), AuditEntry{Actor: ActorFrom(ctx), Action: action, Target: target, Detail: detail})
}

// RecordAudit adds an entry for an event that changes nothing in the store
// itself (a backup taken) under ctx's actor.
func (d *Directory) RecordAudit(ctx context.Context, action, target, detail string) error {
	return d.store.db.Update(func(tx *bolt.Tx) error { return d.audit(ctx, tx, action, target, detail) })
}

// AuditQuery selects audit entries.
type AuditQuery struct {
	// Since keeps entries at or after this time (all when zero).
	Since time.Time
	// Before keeps entries strictly before this time (all when zero).
	Before time.Time
	// Limit keeps the newest Limit entries of those selected (all when 0).
	Limit int
}

// Audit returns the selected audit entries, oldest first.
func (d *Directory) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	var out []AuditEntry
	err := d.store.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil // a store from before the audit log, opened read-only
		}
		c := b.Cursor()
		var stop []byte
		if !q.Before.IsZero() {
			stop = u64(uint64(q.Before.UnixNano()))
		}
		// Walk back from the newest so a limit reads only what it keeps.
		var k, v []byte
		if stop != nil {
			k, v = c.Seek(stop)
			if k == nil {
				k, v = c.Last()
			}
			for k != nil && bytes.Compare(k, stop) >= 0 {
				k, v = c.Prev()
			}
		} else {
			k, v = c.Last()
		}
		for ; k != nil; k, v = c.Prev() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if len(k) != 16 {
				continue
			}
			if !q.Since.IsZero() && int64(readU64(k[:8])) < q.Since.UnixNano() {
				break
			}
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return Internal(err, "decode audit entry")
			}
			out = append(out, e)
			if q.Limit > 0 && len(out) >= q.Limit {
				break
			}
		}
		return nil
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// importAuditDetail describes an import record for the audit log.
func importAuditDetail(r *ImportRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "partner %s, %s: %d created, %d updated, %d removed", r.PartnerID, r.Mode, r.Created, r.Updated, r.Removed)
	if r.FileName != "" {
		fmt.Fprintf(&b, ", file %q", r.FileName)
	}
	return b.String()
}

// auditChange records a listing change inside its transaction: an upload
// or its undo under the name in its import record, any other change under
// ctx's actor.
func auditChange(ctx context.Context, tx *bolt.Tx, now time.Time, ch Change, puts int) error {
	if r := ch.Import; r != nil {
		action := AuditImport
		if r.Mode == "undo" {
			action = AuditUndoImport
		}
		return appendAudit(tx, now, AuditEntry{Actor: firstNonBlank(r.User, ActorFrom(ctx)), Action: action, Target: r.ID, Detail: importAuditDetail(r)})
	}
	detail := fmt.Sprintf("%d put, %d deleted", puts, len(ch.Delete))
	if ch.PartnerID != "" {
		detail = "partner " + ch.PartnerID + ": " + detail
	}
	return appendAudit(tx, now, AuditEntry{Actor: ActorFrom(ctx), Action: AuditListings, Detail: detail})
}

func partnerDetail(id string) string {
	if id == "" {
		return ""
	}
	return ", partner " + id
}

func tokenName(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf(", named %q", name)
}

func firstNonBlank(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// ReadAudit reads the audit log of a data directory no server is using,
// opening its store read-only. It returns ECONFLICT when the store is in
// use (read the log through the server instead) and ENOTFOUND when the
// data directory has no store.
func ReadAudit(ctx context.Context, dataDir string, q AuditQuery) ([]AuditEntry, error) {
	path := StorePath(dataDir)
	if _, err := os.Stat(path); err != nil {
		return nil, Errorf(ENOTFOUND, "there is no livingwell store in %s - check --data", dataDir)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, Errorf(ECONFLICT, "the data directory %s is in use by a running livingwell server - read the log through it: livingwell audit --from http://ADDRESS --email ADMIN, or at /admin/audit", dataDir)
	}
	if err != nil {
		return nil, Internal(err, "open the store "+path)
	}
	defer db.Close()
	d := &Directory{store: &store{db: db}}
	return d.Audit(ctx, q)
}
