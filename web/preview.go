package web

import (
	"maps"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// maxPreviewRows is how many rows the preview lists one by one; the counts
// always cover the whole file.
const maxPreviewRows = 500

// previewRow is one row of an uploaded file as the preview shows it: what
// will happen to it, its problems by column, and the fields it changes.
type previewRow struct {
	Row int
	// Action is "create", "update", "unchanged" (the row changes nothing
	// but has warnings) or "skip" (the row has errors and will not be
	// used).
	Action   string
	Ref      string
	Name     string
	Errors   []importer.Problem
	Warnings []importer.Problem
	Fields   []importer.FieldChange
}

// previewRemoval is a listing replace mode would remove.
type previewRemoval struct {
	Ref, Name string
}

// previewPage is the data of the preview page.
type previewPage struct {
	signedIn
	Partner  *directory.Partner
	UploadID string
	FileName string
	Mode     string
	// Error is why the upload cannot be applied as asked, if it cannot.
	Error string
	// Planned is false when the file could not be read at all.
	Planned                                    bool
	Rows, Created, Updated, Unchanged, Removed int
	ErrorCount, WarningCount, RowsWithErrors   int
	Fatal                                      bool
	// FileProblems are about the whole file (its header, say).
	FileProblems []importer.Problem
	Items        []previewRow
	// MoreRows is how many rows with changes or problems are not listed.
	MoreRows int
	Removals []previewRemoval
	// MoreRemovals is how many removals are not listed.
	MoreRemovals int
	// CanApply is true when confirming would apply the whole file;
	// CanApplyValid when it would apply only the rows without errors.
	CanApply, CanApplyValid bool
}

// newPreview builds the preview of plan (nil when the file could not be
// planned).
func (s *Server) newPreview(c *gin.Context, pu *pendingUpload, plan *importer.Plan) previewPage {
	pg := previewPage{signedIn: signedInAs(c), Partner: partnerOf(c), UploadID: pu.ID, FileName: pu.File.Name, Mode: string(pu.Mode)}
	if plan == nil {
		return pg
	}
	pg.Planned = true
	pg.Rows, pg.Created, pg.Updated, pg.Unchanged, pg.Removed = plan.Rows, len(plan.Create), len(plan.Update), plan.Unchanged, len(plan.Remove)
	pg.ErrorCount, pg.WarningCount, pg.RowsWithErrors, pg.Fatal = len(plan.Errors), len(plan.Warnings), plan.RowsWithErrors, plan.Fatal
	pg.CanApply = !plan.Fatal && !plan.HasErrors() && plan.Changes()
	pg.CanApplyValid = !plan.Fatal && plan.HasErrors() && plan.Changes()

	rows := map[int]*previewRow{}
	item := func(row int) *previewRow {
		if rows[row] == nil {
			rows[row] = &previewRow{Row: row, Action: "skip"}
		}
		return rows[row]
	}
	for i, l := range plan.Create {
		it := item(plan.CreateRow[i])
		it.Action, it.Ref, it.Name = "create", l.Ref, l.Name
	}
	for _, u := range plan.Update {
		it := item(u.Row)
		it.Action, it.Ref, it.Name, it.Fields = "update", u.Listing.Ref, u.Listing.Name, u.Changes
	}
	for _, p := range append(slices.Clone(plan.Errors), plan.Warnings...) {
		if p.Row <= 1 {
			pg.FileProblems = append(pg.FileProblems, p)
			continue
		}
		it := item(p.Row)
		if it.Ref == "" && it.Name == "" {
			// A row with errors makes no listing: its problems name it.
			it.Ref, it.Name = p.Ref, p.Name
		}
		if p.Warning {
			it.Warnings = append(it.Warnings, p)
		} else {
			it.Errors = append(it.Errors, p)
		}
	}
	order := slices.Sorted(maps.Keys(rows))
	if len(order) > maxPreviewRows {
		pg.MoreRows = len(order) - maxPreviewRows
		order = order[:maxPreviewRows]
	}
	for _, r := range order {
		it := rows[r]
		if it.Action == "skip" && len(it.Errors) == 0 {
			it.Action = "unchanged"
		}
		pg.Items = append(pg.Items, *it)
	}
	for i, l := range plan.Remove {
		if i == maxPreviewRows {
			pg.MoreRemovals = len(plan.Remove) - i
			break
		}
		pg.Removals = append(pg.Removals, previewRemoval{Ref: l.Ref, Name: l.Name})
	}
	return pg
}
