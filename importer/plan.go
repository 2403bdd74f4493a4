package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// Mode says what an upload means for listings it does not mention.
type Mode string

// The modes.
const (
	// ModeMerge creates and updates the listings in the file and leaves the
	// partner's other listings alone.
	ModeMerge Mode = "merge"
	// ModeReplace makes the file the partner's whole list: listings not in
	// it are removed.
	ModeReplace Mode = "replace"
)

// ParseMode reads a mode; blank is merge.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", ModeMerge:
		return ModeMerge, nil
	case ModeReplace:
		return ModeReplace, nil
	}
	return "", directory.Errorf(directory.EINVALID, "mode %q should be merge or replace", s)
}

// FieldChange is one field of a listing that an upload changes, as the
// template writes it.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Update is a listing an upload changes.
type Update struct {
	Row     int
	Listing *directory.Listing
	Changes []FieldChange
}

// Plan is what an upload would do, worked out before anything is stored.
type Plan struct {
	PartnerID string
	Mode      Mode
	FileName  string
	SHA256    string
	// Rows is how many data rows the file has (blank rows not counted).
	Rows      int
	Create    []*directory.Listing
	CreateRow []int // the row each Create came from
	Update    []Update
	Unchanged int
	Remove    []*directory.Listing
	// Errors stop a row from being used (Row 0 or 1: the whole file);
	// Warnings let it through.
	Errors   []Problem
	Warnings []Problem
	// RowsWithErrors counts rows that cannot be used.
	RowsWithErrors int
	// Fatal is true when the file as a whole cannot be used (for example a
	// required column is missing).
	Fatal bool
}

// HasErrors reports whether any row cannot be used.
func (p *Plan) HasErrors() bool { return len(p.Errors) > 0 }

// Changes reports whether applying the plan would change anything.
func (p *Plan) Changes() bool { return len(p.Create)+len(p.Update)+len(p.Remove) > 0 }

// Options are the choices made with an upload.
type Options struct {
	Mode     Mode
	FileName string
	// User is who is uploading: an email, "token:NAME" or "cli".
	User string
}

// Importer plans and applies partner uploads against a directory.
type Importer struct {
	Dir *directory.Directory
	// MaxRows is the most data rows one upload may have.
	MaxRows int
}

// DefaultMaxRows is the default limit on rows per upload: room for a
// national hub's 200,000-row file.
const DefaultMaxRows = 250000

// New returns an importer for dir with the default limits.
func New(dir *directory.Directory) *Importer {
	return &Importer{Dir: dir, MaxRows: DefaultMaxRows}
}

// PlanTable reads every row of t for a partner and works out the plan. It
// returns ENOTFOUND for an unknown partner and EINVALID when the file
// cannot be read at all; problems with rows are in the plan.
func (im *Importer) PlanTable(ctx context.Context, partnerID string, t Table, opts Options) (*Plan, error) {
	partner, err := im.Dir.Partner(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	plan := &Plan{PartnerID: partnerID, Mode: opts.Mode, FileName: opts.FileName}
	if plan.Mode == "" {
		plan.Mode = ModeMerge
	}
	hm, headerProblems := mapHeader(t.Header())
	plan.addProblems(headerProblems)
	for _, p := range headerProblems {
		if !p.Warning {
			plan.Fatal = true
		}
	}
	if plan.Fatal {
		return plan, nil
	}
	today := im.Dir.Now().In(directory.London())
	rp := &rowParser{partner: partner, tax: im.Dir.Taxonomy(), gaz: im.Dir.Gazetteer(), header: hm,
		today: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)}
	existing, err := im.Dir.PartnerListings(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*directory.Listing, len(existing))
	for _, l := range existing {
		byID[l.ID] = l
	}
	seen := map[string]int{} // ref -> first row
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		row, cells, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		plan.Rows++
		if im.MaxRows > 0 && plan.Rows > im.MaxRows {
			return nil, directory.Errorf(directory.EINVALID, "the file has more than %d rows, the most one upload may have - split it into smaller files and upload them in merge mode", im.MaxRows)
		}
		pr := rp.parse(row, cells)
		if first, dup := seen[pr.ref]; dup && pr.ref != "" {
			pr.errorf("ref", "the reference %q is also on row %d - each listing needs its own reference", pr.ref, first)
			pr.listing = nil
		} else if pr.ref != "" {
			seen[pr.ref] = row
		}
		plan.addProblems(pr.problems)
		if pr.listing == nil {
			plan.RowsWithErrors++
			continue
		}
		plan.compare(pr, byID[pr.listing.ID])
	}
	if plan.Rows == 0 {
		plan.addProblems([]Problem{{Row: 0, Message: "the file has a header but no listings - add one row per listing under the header"}})
		plan.Fatal = true
	}
	if plan.Mode == ModeReplace && !plan.Fatal {
		for _, l := range existing {
			if _, inFile := seen[l.Ref]; !inFile {
				plan.Remove = append(plan.Remove, l)
			}
		}
	}
	return plan, nil
}

func (p *Plan) addProblems(ps []Problem) {
	for _, pr := range ps {
		if pr.Warning {
			p.Warnings = append(p.Warnings, pr)
		} else {
			p.Errors = append(p.Errors, pr)
		}
	}
}

// compare files a parsed listing as a create, an update or unchanged.
func (p *Plan) compare(pr *parsedRow, old *directory.Listing) {
	l := pr.listing
	if old == nil {
		p.Create = append(p.Create, l)
		p.CreateRow = append(p.CreateRow, pr.row)
		return
	}
	l.Created = old.Created
	if !pr.verifiedGiven {
		// Without a date in the file, an otherwise unchanged listing keeps
		// its date; a changed one counts as checked today.
		saved := l.LastVerified
		l.LastVerified = old.LastVerified
		if sameListing(old, l) {
			p.Unchanged++
			return
		}
		l.LastVerified = saved
	}
	if sameListing(old, l) {
		p.Unchanged++
		return
	}
	p.Update = append(p.Update, Update{Row: pr.row, Listing: l, Changes: Diff(old, l)})
}

// sameListing compares two listings, ignoring when they were stored.
func sameListing(a, b *directory.Listing) bool {
	x, y := *a, *b
	x.Created, x.Updated, y.Created, y.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	x.LastVerified, y.LastVerified = x.LastVerified.UTC(), y.LastVerified.UTC()
	return reflect.DeepEqual(normalised(x), normalised(y))
}

// normalised makes empty and nil slices the same, as JSON storage does.
func normalised(l directory.Listing) directory.Listing {
	raw, _ := json.Marshal(l)
	var out directory.Listing
	_ = json.Unmarshal(raw, &out)
	return out
}

// Diff lists the template columns that differ between two versions of a
// listing, written as the template writes them.
func Diff(before, after *directory.Listing) []FieldChange {
	a, b := ToRow(before), ToRow(after)
	var out []FieldChange
	for _, c := range Columns {
		if a[c.Name] != b[c.Name] {
			out = append(out, FieldChange{Field: c.Name, Before: a[c.Name], After: b[c.Name]})
		}
	}
	if len(out) == 0 && !reflect.DeepEqual(normalised(*before).Organisation, normalised(*after).Organisation) {
		out = append(out, FieldChange{Field: "organisation", Before: before.Organisation.Website, After: after.Organisation.Website})
	}
	return out
}

// Apply stores a plan: all of it in one transaction, recorded in the
// partner's import history so it can be undone. A plan with row errors is
// refused with EINVALID unless validOnly is set, when only the usable rows
// are applied; a plan whose file could not be used at all is always
// refused.
func (im *Importer) Apply(ctx context.Context, plan *Plan, user string, validOnly bool) (*directory.ImportRecord, error) {
	if plan.Fatal {
		return nil, directory.Errorf(directory.EINVALID, "this file cannot be used: %s", plan.Errors[0])
	}
	if plan.HasErrors() && !validOnly {
		return nil, directory.Errorf(directory.EINVALID, "%d rows have problems that stop them being used (first: %s) - fix them and upload again, or choose to apply only the rows without errors", plan.RowsWithErrors, plan.Errors[0])
	}
	ch := directory.Change{PartnerID: plan.PartnerID}
	ch.Put = append(ch.Put, plan.Create...)
	for _, u := range plan.Update {
		ch.Put = append(ch.Put, u.Listing)
	}
	for _, l := range plan.Remove {
		ch.Delete = append(ch.Delete, l.ID)
	}
	summary, _ := json.Marshal(plan.Summary(true, 200))
	rec := &directory.ImportRecord{
		PartnerID: plan.PartnerID, User: user, FileName: plan.FileName, SHA256: plan.SHA256, Mode: string(plan.Mode),
		Created: len(plan.Create), Updated: len(plan.Update), Unchanged: plan.Unchanged, Removed: len(plan.Remove),
		Errors: len(plan.Errors), Warnings: len(plan.Warnings), Plan: summary,
	}
	ch.Import = rec
	if _, err := im.Dir.Apply(ctx, ch); err != nil {
		return nil, err
	}
	return rec, nil
}

// Summary is a plan as the API answers it.
type Summary struct {
	Applied   bool      `json:"applied"`
	Mode      Mode      `json:"mode"`
	Rows      int       `json:"rows"`
	Created   int       `json:"created"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Removed   int       `json:"removed"`
	Errors    []Problem `json:"errors"`
	Warnings  []Problem `json:"warnings"`
	// Changes lists what would change, listing by listing.
	Changes []ListingChange `json:"changes"`
	// Truncated is true when the lists above were cut short.
	Truncated bool `json:"truncated,omitempty"`
}

// ListingChange is one listing a plan touches.
type ListingChange struct {
	Action string        `json:"action"` // create, update, remove
	Row    int           `json:"row,omitempty"`
	Ref    string        `json:"ref"`
	Name   string        `json:"name"`
	Fields []FieldChange `json:"fields,omitempty"`
}

// Summary returns the plan for the API and the history, with each list cut
// to at most limit entries.
func (p *Plan) Summary(applied bool, limit int) Summary {
	s := Summary{Applied: applied, Mode: p.Mode, Rows: p.Rows, Created: len(p.Create), Updated: len(p.Update), Unchanged: p.Unchanged, Removed: len(p.Remove),
		Errors: capList(p.Errors, limit), Warnings: capList(p.Warnings, limit), Changes: []ListingChange{}}
	s.Truncated = len(p.Errors) > limit || len(p.Warnings) > limit || len(p.Create)+len(p.Update)+len(p.Remove) > limit
	for i, l := range p.Create {
		if len(s.Changes) < limit {
			s.Changes = append(s.Changes, ListingChange{Action: "create", Row: p.CreateRow[i], Ref: l.Ref, Name: l.Name})
		}
	}
	for _, u := range p.Update {
		if len(s.Changes) < limit {
			s.Changes = append(s.Changes, ListingChange{Action: "update", Row: u.Row, Ref: u.Listing.Ref, Name: u.Listing.Name, Fields: u.Changes})
		}
	}
	for _, l := range p.Remove {
		if len(s.Changes) < limit {
			s.Changes = append(s.Changes, ListingChange{Action: "remove", Ref: l.Ref, Name: l.Name})
		}
	}
	return s
}

func capList(ps []Problem, limit int) []Problem {
	out := slices.Clone(ps[:min(len(ps), limit)])
	if out == nil {
		out = []Problem{}
	}
	return out
}

// hashReader returns the hex SHA-256 of everything in r.
func hashReader(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", fmt.Errorf("hash the file: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
