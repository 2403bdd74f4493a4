package importer

import (
	"context"
	"strconv"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// PlanHSDS reads an Open Referral datapackage uploaded as a zip (HSDS 3.0
// or the UK profile, or the older HSDS 1.1 / ORUK 1.0 layout) and works out
// the plan for a partner: each service becomes one of the partner's
// listings. It returns EINVALID, saying what to fix, for a zip that is not
// a usable datapackage or that could harm the server (paths outside the
// package, archives inside it, zip bombs), and ENOTFOUND for an unknown
// partner.
func (im *Importer) PlanHSDS(ctx context.Context, partnerID string, f File, opts Options) (*Plan, error) {
	src, err := openHSDSZip(f, defaultHSDSLimits)
	if err != nil {
		return nil, err
	}
	return im.planHSDS(ctx, partnerID, src, opts)
}

// PlanHSDSFolder is PlanHSDS for a datapackage unpacked in a folder (for
// the command line).
func (im *Importer) PlanHSDSFolder(ctx context.Context, partnerID, dir string, opts Options) (*Plan, error) {
	src, err := openHSDSFolder(dir, defaultHSDSLimits)
	if err != nil {
		return nil, err
	}
	if opts.FileName == "" {
		opts.FileName = dir
	}
	return im.planHSDS(ctx, partnerID, src, opts)
}

func (im *Importer) planHSDS(ctx context.Context, partnerID string, src *hsdsSource, opts Options) (*Plan, error) {
	partner, err := im.Dir.Partner(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	pkg, err := readHSDSPackage(ctx, src)
	if err != nil {
		return nil, err
	}
	plan := &Plan{PartnerID: partnerID, Mode: opts.Mode, FileName: opts.FileName}
	if plan.Mode == "" {
		plan.Mode = ModeMerge
	}
	plan.addProblems(pkg.problems)
	existing, err := im.Dir.PartnerListings(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*directory.Listing, len(existing))
	for _, l := range existing {
		byID[l.ID] = l
	}
	today := im.Dir.Now().In(directory.London())
	b := &hsdsBuilder{x: newHSDSIndex(pkg), partner: partner, tax: im.Dir.Taxonomy(), gaz: im.Dir.Gazetteer(),
		today: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC), existing: byID, validate: im.Dir.Validate}
	services := pkg.tables["service"]
	if im.MaxRows > 0 && len(services.rows) > im.MaxRows {
		return nil, directory.Errorf(directory.EINVALID, "the datapackage has %d services, more than the %d one upload may have - split it by organisation", len(services.rows), im.MaxRows)
	}
	seenIDs := map[string]int{}
	seenRefs := map[string]bool{} // of usable services
	named := map[string]bool{}    // of every service, usable or not

	for _, r := range services.rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		plan.Rows++
		pr := b.build(r)
		named[pr.ref] = true
		id := services.get(r, "id")
		if first, dup := seenIDs[id]; dup && id != "" {
			pr.problems = append(pr.problems, Problem{Row: r.line, Column: "id (" + services.file + ")", Message: "the id " + id + " is also on row " + strconv.Itoa(first) + " - each service needs its own id"})
			pr.listing = nil
		} else {
			seenIDs[id] = r.line
		}
		if pr.listing != nil && seenRefs[pr.ref] {
			pr.problems = append(pr.problems, Problem{Row: r.line, Column: "id (" + services.file + ")", Message: "another service has the same reference " + pr.ref + " - each service needs its own"})
			pr.listing = nil
		}
		plan.addProblems(pr.named())
		if pr.listing == nil {
			plan.RowsWithErrors++
			continue
		}
		seenRefs[pr.ref] = true
		plan.compare(pr, byID[pr.listing.ID])
	}
	if plan.Rows == 0 {
		plan.addProblems([]Problem{{Message: "services.csv lists no services - add one row per service"}})
		plan.Fatal = true
	}
	if plan.Mode == ModeReplace && !plan.Fatal {
		for _, l := range existing {
			if !named[l.Ref] {
				plan.Remove = append(plan.Remove, l)
			}
		}
	}
	return plan, nil
}
