package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// ctxToken is where requireToken keeps the caller's API token record.
const ctxToken = "lw.api_token"

// maxAPIProblems is how many errors and warnings, and listing changes, an
// import answer lists; the counts always cover the whole file.
const maxAPIProblems = 1000

// requireToken lets a partner API call through only with a valid
// "Authorization: Bearer TOKEN". It answers 401 otherwise, with a
// WWW-Authenticate header; repeated bad tokens from one client IP use up
// its sign-in allowance and then get 429.
func (s *Server) requireToken() gin.HandlerFunc {
	return func(c *gin.Context) {
		scheme, token, _ := strings.Cut(c.GetHeader("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			c.Header("WWW-Authenticate", `Bearer realm="livingwell"`)
			apiError(c, &directory.Error{Code: codeUnauthenticated, Message: "send your partner API token as \"Authorization: Bearer TOKEN\""})
			return
		}
		t, err := s.dir.TokenPartner(c.Request.Context(), strings.TrimSpace(token))
		if err != nil {
			if directory.ErrorCode(err) == directory.EINTERNAL {
				apiError(c, err)
				return
			}
			if ok, wait := s.acct.signIn.allow(clientIP(c)); !ok {
				s.tooMany(c, wait)
				return
			}
			c.Header("WWW-Authenticate", `Bearer realm="livingwell", error="invalid_token"`)
			apiError(c, &directory.Error{Code: codeUnauthenticated, Message: directory.ErrorMessage(err)})
			return
		}
		if p := c.Query("partner"); p != "" && p != t.PartnerID {
			apiError(c, directory.Errorf(directory.EUNAUTHORIZED, "this token is for partner %s - it cannot see or change another partner's listings", t.PartnerID))
			return
		}
		c.Set(ctxToken, t)
		c.Request = c.Request.WithContext(directory.WithActor(c.Request.Context(), "token:"+firstNonEmpty(t.Name, t.ID)))
		c.Next()
	}
}

// tokenOf returns the token requireToken accepted.
func tokenOf(c *gin.Context) *directory.APIToken { return c.MustGet(ctxToken).(*directory.APIToken) }

// apiProblem is an error or warning in an import answer. Ref and Name
// are the listing's reference and name on the row ("" when the row gives
// none, or the problem is with the whole file), so that a client can
// find the row however the sheet is sorted.
type apiProblem struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
	Ref     string `json:"ref"`
	Name    string `json:"name"`
}

func apiProblems(ps []importer.Problem) []apiProblem {
	out := make([]apiProblem, len(ps))
	for i, p := range ps {
		out[i] = apiProblem{Row: p.Row, Column: p.Column, Message: p.Message, Ref: p.Ref, Name: p.Name}
	}
	return out
}

// importAnswer is the JSON answer of POST /api/v1/partner/imports: the
// plan summary, with every problem given its row and column.
type importAnswer struct {
	importer.Summary
	Errors         []apiProblem `json:"errors"`
	Warnings       []apiProblem `json:"warnings"`
	ErrorCount     int          `json:"error_count"`
	WarningCount   int          `json:"warning_count"`
	RowsWithErrors int          `json:"rows_with_errors"`
	DryRun         bool         `json:"dry_run"`
	ValidOnly      bool         `json:"valid_only"`
	FileName       string       `json:"file_name"`
	SHA256         string       `json:"sha256"`
	ImportID       string       `json:"import_id,omitempty"`
	// Message says in a sentence what happened and, if nothing was
	// applied, why.
	Message string `json:"message"`
}

func newImportAnswer(plan *importer.Plan, applied, dryRun, validOnly bool) importAnswer {
	sum := plan.Summary(applied, maxAPIProblems)
	return importAnswer{
		Summary: sum, Errors: apiProblems(sum.Errors), Warnings: apiProblems(sum.Warnings),
		ErrorCount: len(plan.Errors), WarningCount: len(plan.Warnings), RowsWithErrors: plan.RowsWithErrors,
		DryRun: dryRun, ValidOnly: validOnly, FileName: plan.FileName, SHA256: plan.SHA256,
	}
}

// importQuery is the query of an import call.
type importQuery struct {
	mode      importer.Mode
	dryRun    bool
	validOnly bool
	fileName  string
}

func parseImportQuery(c *gin.Context) (importQuery, error) {
	var q importQuery
	var err error
	if q.mode, err = importer.ParseMode(c.Query("mode")); err != nil {
		return q, err
	}
	if q.dryRun, err = queryBool(c, "dry_run"); err != nil {
		return q, err
	}
	if q.validOnly, err = queryBool(c, "valid_only"); err != nil {
		return q, err
	}
	q.fileName = c.Query("filename")
	return q, nil
}

func queryBool(c *gin.Context, name string) (bool, error) {
	v := c.Query(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, directory.Errorf(directory.EINVALID, "%s=%q should be true or false", name, v)
	}
	return b, nil
}

// apiPartnerImport plans, and unless asked for a dry run applies, a file
// of the token's partner's listings. It answers 200 when applied or for a
// dry run, 422 when the plan has errors (and valid_only was not given) or
// the file cannot be used, 400 when it is not a readable table, 413 when
// it is over the size limit.
func (s *Server) apiPartnerImport(c *gin.Context) {
	t := tokenOf(c)
	q, err := parseImportQuery(c)
	if err != nil {
		apiError(c, err)
		return
	}
	file, err := s.receiveAPIFile(c, q.fileName)
	if err != nil {
		apiError(c, err)
		return
	}
	defer file.remove()
	user := "token:" + firstNonEmpty(t.Name, t.ID)
	fh, f, err := file.open()
	if err != nil {
		apiError(c, err)
		return
	}
	defer fh.Close()
	ctx := c.Request.Context()
	plan, err := s.cfg.Importer.PlanFile(ctx, t.PartnerID, f, importer.Options{Mode: q.mode, FileName: file.Name})
	if err != nil {
		apiError(c, err)
		return
	}
	ans := newImportAnswer(plan, false, q.dryRun, q.validOnly)
	switch {
	case plan.Fatal:
		ans.Message = "this file cannot be used as it is - see errors"
		c.JSON(http.StatusUnprocessableEntity, ans)
		return
	case q.dryRun:
		ans.Message = "dry run: nothing was changed"
		c.JSON(http.StatusOK, ans)
		return
	case plan.HasErrors() && !q.validOnly:
		ans.Message = "some rows have errors, so nothing was changed - fix them, or send valid_only=true to apply only the rows without errors"
		c.JSON(http.StatusUnprocessableEntity, ans)
		return
	case !plan.Changes():
		ans.Message = "the file changes nothing, so nothing was applied"
		c.JSON(http.StatusOK, ans)
		return
	}
	rec, err := s.cfg.Importer.Apply(ctx, plan, user, q.validOnly)
	if err != nil {
		apiError(c, err)
		return
	}
	ans.Applied, ans.ImportID, ans.Message = true, rec.ID, "applied"
	logger(c).Info("import applied", "partner", t.PartnerID, "import", rec.ID, "user", user, "created", rec.Created, "updated", rec.Updated, "removed", rec.Removed)
	c.JSON(http.StatusOK, ans)
}

// receiveAPIFile saves the file of an import call: the multipart field
// "file", or else the whole body. It returns a 413 error over the limit.
func (s *Server) receiveAPIFile(c *gin.Context, name string) (*receivedFile, error) {
	limit := s.cfg.MaxUploadBytes
	multipart := isMultipart(c.Request)
	bodyLimit := limit
	if multipart {
		bodyLimit += formSlack
	}
	if c.Request.ContentLength > bodyLimit {
		return nil, s.tooLarge()
	}
	var file *receivedFile
	var err error
	if multipart {
		file, _, err = s.uploads.readMultipart(c, limit)
		if err == nil && file == nil {
			err = directory.Errorf(directory.EINVALID, "the form has no field named \"file\" - send the file in it, or as the whole request body")
		}
	} else {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		file, err = s.uploads.save(c.Request.Body, firstNonEmpty(name, "upload"), limit)
	}
	if errors.Is(err, errTooLarge) {
		return nil, s.tooLarge()
	}
	return file, err
}

// apiPartnerListings answers the token's partner's listings as a template
// CSV.
func (s *Server) apiPartnerListings(c *gin.Context) {
	t := tokenOf(c)
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+t.PartnerID+`-listings.csv"`)
	if err := s.cfg.Importer.ExportPartnerCSV(c.Request.Context(), c.Writer, t.PartnerID); err != nil {
		if !c.Writer.Written() {
			c.Header("Content-Disposition", "")
			apiError(c, err)
			return
		}
		logger(c).Error("write partner listings", "partner", t.PartnerID, "err", err)
	}
}
