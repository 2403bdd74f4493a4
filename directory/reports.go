package directory

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Reports are problems the public tells us about a listing ("the times are
// wrong", "it has stopped running"). They wait in the admin's review queue
// and show on the publishing partner's dashboard. A report holds the
// listing, the kind of problem and the words given; it says nothing about
// who sent it unless they chose to leave an email address for a reply.

// bucketReports maps a report's sequence number (8 bytes, big-endian, so
// keys sort oldest first) to a JSON Report.
var bucketReports = []byte("reports")

func init() {
	allBuckets = append(allBuckets, bucketReports)
}

// ProblemKind is what a report says is wrong.
type ProblemKind string

// The kinds of problem.
const (
	ProblemDetailsWrong ProblemKind = "details-wrong" // times, place, cost or contact are wrong
	ProblemNotRunning   ProblemKind = "not-running"   // it has stopped or moved
	ProblemConcern      ProblemKind = "concern"       // something worrying happened there
	ProblemOther        ProblemKind = "other"
)

// ProblemKinds lists the kinds of problem in the order a form offers them.
var ProblemKinds = []ProblemKind{ProblemDetailsWrong, ProblemNotRunning, ProblemConcern, ProblemOther}

// Valid reports whether k is a known kind of problem.
func (k ProblemKind) Valid() bool { return slices.Contains(ProblemKinds, k) }

// Label returns the kind of problem in plain words.
func (k ProblemKind) Label() string {
	switch k {
	case ProblemDetailsWrong:
		return "Some details are wrong, such as the times, place, cost or contact"
	case ProblemNotRunning:
		return "It has stopped running or moved"
	case ProblemConcern:
		return "I am worried about something to do with it"
	case ProblemOther:
		return "Something else"
	}
	return ""
}

// ReportStatus says whether a report still needs looking at.
type ReportStatus string

// The report statuses.
const (
	ReportOpen     ReportStatus = "open"
	ReportResolved ReportStatus = "resolved"
)

// Limits on reports.
const (
	// MaxReportText is the longest report text, in characters.
	MaxReportText = 2000
	// MaxOpenReportsPerListing bounds the open reports about one listing,
	// so a flood of reports cannot fill the queue.
	MaxOpenReportsPerListing = 20
)

// Report is a problem reported by the public about a listing.
type Report struct {
	ID        string `json:"id"`
	ListingID string `json:"listing_id"`
	// PartnerID and ListingName are the listing's publisher and name when
	// it was reported, so the queue reads well even if the listing goes.
	PartnerID   string      `json:"partner_id"`
	ListingName string      `json:"listing_name"`
	Kind        ProblemKind `json:"kind"`
	Text        string      `json:"text,omitempty"`
	// Email is set only when the reporter chose to leave it for a reply.
	Email   string       `json:"email,omitempty"`
	Status  ReportStatus `json:"status"`
	Created time.Time    `json:"created"`
	// Resolved, ResolvedBy and Note say who closed the report, when, and
	// what was done.
	Resolved   time.Time `json:"resolved,omitzero"`
	ResolvedBy string    `json:"resolved_by,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// AddReport stores a new open report about a listing and returns it with
// its id. It returns ENOTFOUND when the listing does not exist, EINVALID
// (saying what to fix) for an unknown kind, missing or over-long text or a
// bad email address, and ECONFLICT when the listing already has
// MaxOpenReportsPerListing open reports.
func (d *Directory) AddReport(ctx context.Context, r Report) (*Report, error) {
	r.Text = strings.TrimSpace(r.Text)
	r.Email = strings.TrimSpace(r.Email)
	switch {
	case !r.Kind.Valid():
		return nil, Errorf(EINVALID, "choose what is wrong with the listing")
	case r.Kind == ProblemOther && r.Text == "":
		return nil, Errorf(EINVALID, "tell us what is wrong with the listing")
	case utf8.RuneCountInString(r.Text) > MaxReportText:
		return nil, Errorf(EINVALID, "tell us in %d characters or fewer - you wrote %d", MaxReportText, utf8.RuneCountInString(r.Text))
	}
	if r.Email != "" {
		a, err := mail.ParseAddress(r.Email)
		if err != nil || len(r.Email) > 254 || a.Address != r.Email {
			return nil, Errorf(EINVALID, "enter an email address like name@example.com, or leave it empty")
		}
	}
	r.Status, r.Created = ReportOpen, d.now().UTC()
	r.Resolved, r.ResolvedBy, r.Note = time.Time{}, "", ""
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		l, err := getListing(tx, r.ListingID)
		if err != nil {
			return err
		}
		if l == nil {
			return Errorf(ENOTFOUND, "there is no listing %q - it may have been removed", r.ListingID)
		}
		r.PartnerID, r.ListingName = l.PartnerID, l.Name
		b := tx.Bucket(bucketReports)
		open := 0
		err = b.ForEach(func(k, v []byte) error {
			var o Report
			if err := json.Unmarshal(v, &o); err != nil {
				return Internal(err, "decode report")
			}
			if o.ListingID == r.ListingID && o.Status == ReportOpen {
				open++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if open >= MaxOpenReportsPerListing {
			return Errorf(ECONFLICT, "we already have several reports about this listing and the network coordinator is looking into them - thank you")
		}
		seq, err := b.NextSequence()
		if err != nil {
			return Internal(err, "number the report")
		}
		r.ID = strconv.FormatUint(seq, 10)
		raw, err := json.Marshal(r)
		if err != nil {
			return Internal(err, "encode report")
		}
		if err := d.audit(ctx, tx, AuditReportAdd, r.ID, fmt.Sprintf("listing %s, %s", r.ListingID, r.Kind)); err != nil {
			return err
		}
		return b.Put(u64(seq), raw)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// ReportFilter picks reports; its zero value picks every report.
type ReportFilter struct {
	Status    ReportStatus // only this status, when set
	PartnerID string       // only about this partner's listings, when set
	ListingID string       // only about this listing, when set
}

// Reports returns the reports the filter picks, newest first.
func (d *Directory) Reports(ctx context.Context, f ReportFilter) ([]Report, error) {
	var out []Report
	err := d.store.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketReports).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var r Report
			if err := json.Unmarshal(v, &r); err != nil {
				return Internal(err, "decode report")
			}
			if (f.Status == "" || r.Status == f.Status) && (f.PartnerID == "" || r.PartnerID == f.PartnerID) && (f.ListingID == "" || r.ListingID == f.ListingID) {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// reportKey returns the store key of a report id, and false when the id is
// not one AddReport gives.
func reportKey(id string) ([]byte, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 {
		return nil, false
	}
	return u64(n), true
}

// Report returns the report with the given id, or ENOTFOUND.
func (d *Directory) Report(ctx context.Context, id string) (*Report, error) {
	key, ok := reportKey(id)
	if !ok {
		return nil, Errorf(ENOTFOUND, "there is no report %q", id)
	}
	var r *Report
	err := d.store.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketReports).Get(key)
		if v == nil {
			return Errorf(ENOTFOUND, "there is no report %q", id)
		}
		r = new(Report)
		if err := json.Unmarshal(v, r); err != nil {
			return Internal(err, "decode report")
		}
		return nil
	})
	return r, err
}

// ResolveReport closes a report, recording who closed it and what was done
// (note, up to MaxReportText characters). It returns ENOTFOUND for an
// unknown report and EINVALID for an over-long note; closing a closed
// report again updates its note.
func (d *Directory) ResolveReport(ctx context.Context, id, by, note string) (*Report, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxReportText {
		return nil, Errorf(EINVALID, "keep the note to %d characters or fewer", MaxReportText)
	}
	key, ok := reportKey(id)
	if !ok {
		return nil, Errorf(ENOTFOUND, "there is no report %q", id)
	}
	var r Report
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReports)
		v := b.Get(key)
		if v == nil {
			return Errorf(ENOTFOUND, "there is no report %q", id)
		}
		if err := json.Unmarshal(v, &r); err != nil {
			return Internal(err, "decode report")
		}
		r.Status, r.Resolved, r.ResolvedBy, r.Note = ReportResolved, d.now().UTC(), by, note
		raw, err := json.Marshal(r)
		if err != nil {
			return Internal(err, "encode report")
		}
		if err := appendAudit(tx, d.now(), AuditEntry{Actor: firstNonBlank(by, ActorFrom(ctx)), Action: AuditReportResolve, Target: r.ID, Detail: "listing " + r.ListingID}); err != nil {
			return err
		}
		return b.Put(key, raw)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}
