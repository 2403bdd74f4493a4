package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// importRow is one entry of the import history as the pages show it.
type importRow struct {
	ID, At, User, FileName, Mode                           string
	Created, Updated, Unchanged, Removed, Errors, Warnings int
	UndoneAt                                               string
}

func newImportRow(r directory.ImportRecord) importRow {
	row := importRow{ID: r.ID, At: r.At.In(directory.London()).Format("2 Jan 2006 15:04"), User: r.User, FileName: r.FileName, Mode: r.Mode,
		Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged, Removed: r.Removed, Errors: r.Errors, Warnings: r.Warnings}
	if r.UndoneAt != nil {
		row.UndoneAt = r.UndoneAt.In(directory.London()).Format("2 Jan 2006 15:04")
	}
	return row
}

// undoable returns the import UndoImport would reverse: the newest that
// is not an undo and has not been undone. recs are newest first.
func undoable(recs []directory.ImportRecord) *directory.ImportRecord {
	for i := range recs {
		if recs[i].Mode != "undo" && recs[i].UndoneAt == nil {
			return &recs[i]
		}
	}
	return nil
}

// importsPage is the data of the import history and the undo pages.
type importsPage struct {
	signedIn
	Partner *directory.Partner
	Imports []importRow
	// Latest is the import that undo would reverse, if any.
	Latest *importRow
	// Applied and Undone name the import just applied or undone, for the
	// message at the top.
	Applied *importRow
	Undone  *importRow
}

// loadImports fills the history of the acting partner.
func (s *Server) loadImports(c *gin.Context) (importsPage, error) {
	p := partnerOf(c)
	pg := importsPage{signedIn: signedInAs(c), Partner: p}
	recs, err := s.dir.Imports(c.Request.Context(), p.ID)
	if err != nil {
		return pg, err
	}
	for _, r := range recs {
		row := newImportRow(r)
		pg.Imports = append(pg.Imports, row)
		switch r.ID {
		case c.Query("applied"):
			pg.Applied = &row
		case c.Query("undone"):
			pg.Undone = &row
		}
	}
	if u := undoable(recs); u != nil {
		row := newImportRow(*u)
		pg.Latest = &row
	}
	return pg, nil
}

// importHistory shows who uploaded what and when, and what it did.
func (s *Server) importHistory(c *gin.Context) {
	pg, err := s.loadImports(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.render(c, http.StatusOK, "partner_imports", pg)
}

// undoForm asks the partner to confirm undoing their latest import.
func (s *Server) undoForm(c *gin.Context) {
	pg, err := s.loadImports(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.render(c, http.StatusOK, "partner_undo", pg)
}

// undoSubmit undoes the latest import, but only when it is still the one
// the partner confirmed: if another import landed since the confirmation
// page was shown, nothing is undone and the partner is asked to look
// again.
func (s *Server) undoSubmit(c *gin.Context) {
	p := partnerOf(c)
	ctx := c.Request.Context()
	recs, err := s.dir.Imports(ctx, p.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	latest := undoable(recs)
	if latest == nil {
		s.renderError(c, directory.Errorf(directory.ENOTFOUND, "there is no import to undo"))
		return
	}
	if latest.ID != c.PostForm("import") {
		s.renderError(c, directory.Errorf(directory.ECONFLICT, "the latest import has changed since you opened the page - look at the import history again before undoing"))
		return
	}
	rec, err := s.dir.UndoImport(ctx, p.ID, currentUser(c).Email)
	if err != nil {
		s.renderError(c, err)
		return
	}
	logger(c).Info("import undone", "partner", p.ID, "import", rec.ID, "user", currentUser(c).Email)
	c.Redirect(http.StatusSeeOther, "/partner/imports?partner="+p.ID+"&undone="+rec.ID)
}
