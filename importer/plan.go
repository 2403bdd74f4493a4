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
	"regexp"
	"slices"
	"strconv"
	"strings"
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
	// Progress, when set, is called every ProgressEvery rows while the file
	// is read, and once at the end.
	Progress func(Progress)
	// position reports how far through its bytes the file is, when known.
	position func() (done, total int64)
}

// Progress is how far reading an upload has got.
type Progress struct {
	Rows int
	// Done and Total are bytes of the file read and in all; Total is 0
	// when unknown (a workbook is unpacked before its rows are read).
	Done, Total int64
	// Finished is true on the last call.
	Finished bool
}

// ProgressEvery is how many rows pass between Progress calls.
const ProgressEvery = 1000

// Importer plans and applies partner uploads against a directory.
type Importer struct {
	Dir *directory.Directory
	// MaxRows is the most data rows one upload may have; 0 means no limit.
	MaxRows int
	// MaxBytes is the biggest file one upload may be; 0 means no limit.
	MaxBytes int64
}

// Default limits on one upload: room for a national hub's 200,000-row
// file, whose rows average under 2 KB.
const (
	DefaultMaxRows  = 250_000
	DefaultMaxBytes = 256 << 20
)

// New returns an importer for dir with the default limits.
func New(dir *directory.Directory) *Importer {
	return &Importer{Dir: dir, MaxRows: DefaultMaxRows, MaxBytes: DefaultMaxBytes}
}

// PlanTable reads every row of t for a partner and works out the plan. It
// returns ENOTFOUND for an unknown partner, EINVALID when the file cannot
// be read at all or has more than MaxRows rows, and the context's error
// when it ends; problems with rows are in the plan.
func (im *Importer) PlanTable(ctx context.Context, partnerID string, t Table, opts Options) (*Plan, error) {
	partner, err := im.Dir.Partner(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	plan := &Plan{PartnerID: partnerID, Mode: opts.Mode, FileName: opts.FileName}
	if plan.Mode == "" {
		plan.Mode = ModeMerge
	}
	hm, headerRow, headerProblems := findHeader(t)
	plan.addProblems(headerProblems)
	if plan.Fatal = hasError(headerProblems); plan.Fatal {
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
	otherPartner, otherRows := "", 0
	seen := map[string]int{}     // ref -> first row
	seenFold := map[string]int{} // lower-case ref -> first row
	progress := func(finished bool) {
		if opts.Progress == nil {
			return
		}
		p := Progress{Rows: plan.Rows, Finished: finished}
		if opts.position != nil {
			p.Done, p.Total = opts.position()
		}
		opts.Progress(p)
	}
	var stop error
	parseRows(ctx, t, rp, func(pr *parsedRow, err error) bool {
		if err != nil {
			if !errors.Is(err, io.EOF) {
				stop = err
			}
			return false
		}
		plan.Rows++
		if im.MaxRows > 0 && plan.Rows > im.MaxRows {
			stop = directory.Errorf(directory.EINVALID, "the file has more than %d rows, the most one upload may have - split it into smaller files and upload them in merge mode", im.MaxRows)
			return false
		}
		if plan.Rows%ProgressEvery == 0 {
			progress(false)
		}
		if pr.otherPartner != "" {
			otherPartner, otherRows = pr.otherPartner, otherRows+1
		}
		if err := im.checkForeignRef(ctx, pr, byID); err != nil {
			stop = err
			return false
		}
		switch first, dup := seen[pr.ref]; {
		case pr.ref == "":
		case dup:
			pr.errorf("ref", "the reference '%s' is also on row %d - each listing needs its own reference", clip(pr.ref), first)
			pr.listing = nil
		default:
			seen[pr.ref] = pr.row
			k := strings.ToLower(pr.ref)
			if other, ok := seenFold[k]; ok {
				pr.warnf("ref", "the reference '%s' differs from the one on row %d only in capital letters, so they are two listings - check that is what you meant", clip(pr.ref), other)
			} else {
				seenFold[k] = pr.row
			}
		}
		plan.addProblems(pr.named())
		if pr.listing == nil {
			plan.RowsWithErrors++
			return true
		}
		plan.compare(pr, byID[pr.listing.ID])
		return true
	})
	if stop != nil {
		return nil, stop
	}
	progress(true)
	if plan.Rows == 0 {
		plan.addProblems([]Problem{{Row: headerRow + 1, Message: "the file has a header but no listings - add one row per listing under the header"}})
		plan.Fatal = true
	}
	if plan.Rows > 0 && otherRows == plan.Rows {
		// The whole file is another partner's, such as their downloaded
		// template: nothing in it can be used, and in replace mode it must
		// not remove this partner's listings either.
		whole := Problem{Column: "partner", Message: fmt.Sprintf("every row of this file is for partner '%s', not %s - upload it as that partner, or if these really are your listings, clear the partner column", clip(otherPartner), partnerID)}
		plan.Errors = append([]Problem{whole}, plan.Errors...)
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

// headerSearchRows is how many rows under the first are searched for the
// header when the first row is not it.
const headerSearchRows = 10

// findHeader maps the table's header row. When the first row is not the
// template's header (a title row often sits above it), the next few rows
// are tried, and rows above the header found are ignored with a warning.
// It returns the header's map, its row and its problems.
func findHeader(t Table) (headerMap, int, []Problem) {
	row := 1
	if hr, ok := t.(headerRower); ok {
		row = hr.HeaderRow()
	}
	hm, problems := mapHeader(t.Header(), row)
	if !hasError(problems) {
		return hm, row, problems
	}
	above := []int{row}
	for range headerSearchRows {
		r, cells, err := t.Next()
		if err != nil {
			break
		}
		if hm2, p2 := mapHeader(cells, r); !hasError(p2) {
			for _, a := range above {
				p2 = append(p2, Problem{Row: a, Message: fmt.Sprintf("this row is above the header row (row %d) and is ignored", r), Warning: true})
			}
			return hm2, r, p2
		}
		above = append(above, r)
	}
	return hm, row, problems
}

func hasError(ps []Problem) bool {
	return slices.ContainsFunc(ps, func(p Problem) bool { return !p.Warning })
}

// listingIDRE matches the form of a listing id.
var listingIDRE = regexp.MustCompile(`^[0-9a-f]{16}$`)

// checkForeignRef refuses a row whose reference is the id of a listing
// that is not the one the row makes: another partner's (a partner can
// change only its own listings, and ids are how listings are named in
// links and the API), or one of the partner's own under another
// reference (which would copy it rather than update it).
func (im *Importer) checkForeignRef(ctx context.Context, pr *parsedRow, own map[string]*directory.Listing) error {
	if !listingIDRE.MatchString(pr.ref) {
		return nil
	}
	l, err := im.Dir.Listing(ctx, pr.ref)
	switch {
	case directory.ErrorCode(err) == directory.ENOTFOUND:
		return nil
	case err != nil:
		return err
	case own[l.ID] == nil:
		pr.errorf("ref", "'%s' is the id of a listing another partner publishes - you can only change your own listings; give this listing your own reference", pr.ref)
	case l.Ref != pr.ref:
		pr.errorf("ref", "'%s' is the id of your listing '%s' - put %s in the ref column to update it", pr.ref, clip(l.Ref), clip(l.Ref))
	default:
		return nil
	}
	pr.listing = nil
	return nil
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

// compare files a parsed listing as a create, an update or unchanged. A
// template row without a last_verified date counts as checked on the
// upload date, so re-uploading a listing confirms it; a row with the date
// it already has is unchanged. A listing whose source gave no date at all
// (verifiedGiven false) keeps its stored date when nothing else changed.
func (p *Plan) compare(pr *parsedRow, old *directory.Listing) {
	l := pr.listing
	if old == nil {
		p.Create = append(p.Create, l)
		p.CreateRow = append(p.CreateRow, pr.row)
		return
	}
	l.Created = old.Created
	if !pr.verifiedGiven {
		uploaded := l.LastVerified
		l.LastVerified = old.LastVerified
		if sameListing(old, l) {
			p.Unchanged++
			return
		}
		l.LastVerified = uploaded
	}
	if sameListing(old, l) {
		p.Unchanged++
		return
	}
	p.Update = append(p.Update, Update{Row: pr.row, Listing: l, Changes: Diff(old, l)})
}

// sameListing reports whether two listings hold the same data, ignoring
// when they were stored and telling nil and empty lists alike (as the
// store's JSON does).
func sameListing(a, b *directory.Listing) bool {
	if !a.LastVerified.Equal(b.LastVerified) {
		return false
	}
	x, y := comparable(*a), comparable(*b)
	return reflect.DeepEqual(x, y)
}

// comparable clears what sameListing ignores and makes empty lists nil.
func comparable(l directory.Listing) directory.Listing {
	l.Created, l.Updated, l.LastVerified = time.Time{}, time.Time{}, time.Time{}
	l.Categories = nilIfEmpty(l.Categories)
	l.Stages = nilIfEmpty(l.Stages)
	l.Interests = nilIfEmpty(l.Interests)
	l.Strengths = nilIfEmpty(l.Strengths)
	l.Locations = nilIfEmpty(l.Locations)
	l.Sessions = nilIfEmpty(l.Sessions)
	l.Accessibility = nilIfEmpty(l.Accessibility)
	l.Languages = nilIfEmpty(l.Languages)
	l.Formats = nilIfEmpty(l.Formats)
	return l
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

// Diff lists the fields that differ between two versions of a listing,
// written as the template writes them (with every point shown, so a moved
// point is a change too). A change to the organisation's website, which
// the template does not show, is listed under organisation.
func Diff(before, after *directory.Listing) []FieldChange {
	var full Exporter
	a, b := full.Row(before), full.Row(after)
	var out []FieldChange
	for _, c := range Columns {
		if a[c.Name] != b[c.Name] {
			out = append(out, FieldChange{Field: c.Name, Before: a[c.Name], After: b[c.Name]})
		}
	}
	if before.Organisation.Website != after.Organisation.Website && a["organisation"] == b["organisation"] {
		out = append(out, FieldChange{Field: "organisation", Before: orgText(before.Organisation), After: orgText(after.Organisation)})
	}
	return out
}

func orgText(o directory.Organisation) string {
	if o.Website == "" {
		return o.Name
	}
	return o.Name + " (" + o.Website + ")"
}

// Apply stores a plan: all of it in one transaction, recorded in the
// partner's import history (who, when, the file's name and hash, the mode,
// the counts and the plan) so it can be undone. A plan with row errors is
// refused with EINVALID unless validOnly is set, when only the usable rows
// are applied; a plan whose file could not be used at all is always
// refused. A plan that changes nothing stores nothing and is not recorded,
// so that undo always undoes a real change; the record returned then has
// no ID. Directory errors pass through: EUNAUTHORIZED when a listing is
// not the plan's partner's, EINVALID when one fails the directory's
// checks; nothing is stored in either case.
func (im *Importer) Apply(ctx context.Context, plan *Plan, user string, validOnly bool) (*directory.ImportRecord, error) {
	if plan.Fatal {
		return nil, directory.Errorf(directory.EINVALID, "this file cannot be used: %s", plan.Errors[0])
	}
	if plan.HasErrors() && !validOnly {
		return nil, directory.Errorf(directory.EINVALID, "%s %s problems that stop %s being used (first: %s) - fix them and upload again, or choose to apply only the rows without errors",
			plural(plan.RowsWithErrors, "row", "rows"), hasHave(plan.RowsWithErrors), itThem(plan.RowsWithErrors), plan.Errors[0])
	}
	summary, err := json.Marshal(plan.Summary(true, historyLimit))
	if err != nil {
		return nil, directory.Internal(err, "encode the plan")
	}
	rec := &directory.ImportRecord{
		PartnerID: plan.PartnerID, User: user, FileName: plan.FileName, SHA256: plan.SHA256, Mode: string(plan.Mode),
		Created: len(plan.Create), Updated: len(plan.Update), Unchanged: plan.Unchanged, Removed: len(plan.Remove),
		Errors: len(plan.Errors), Warnings: len(plan.Warnings), Plan: summary,
	}
	if !plan.Changes() {
		rec.At = im.Dir.Now().UTC()
		return rec, nil
	}
	ch := directory.Change{PartnerID: plan.PartnerID, Import: rec}
	ch.Put = make([]*directory.Listing, 0, len(plan.Create)+len(plan.Update))
	ch.Put = append(ch.Put, plan.Create...)
	for _, u := range plan.Update {
		ch.Put = append(ch.Put, u.Listing)
	}
	for _, l := range plan.Remove {
		ch.Delete = append(ch.Delete, l.ID)
	}
	if _, err := im.Dir.Apply(ctx, ch); err != nil {
		return nil, err
	}
	return rec, nil
}

// historyLimit is how many problems and changes of each kind an import
// record keeps.
const historyLimit = 200

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func hasHave(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
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
			c := ListingChange{Action: "create", Ref: l.Ref, Name: l.Name}
			if i < len(p.CreateRow) {
				c.Row = p.CreateRow[i]
			}
			s.Changes = append(s.Changes, c)
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
