package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// The web upload flow: the form posts the file (uploadSubmit), which is
// saved and registered, then the browser is sent to the preview
// (uploadPreview), which plans the file against the partner's current
// listings and shows every change and problem. Confirming
// (uploadConfirm) plans the same bytes again, so what is applied is
// measured against the listings as they are at that moment, not as they
// were when the preview was drawn.

// uploadPage is the data of the upload form.
type uploadPage struct {
	signedIn
	Partner *directory.Partner
	Mode    string
	Error   string
	MaxSize string
}

func (s *Server) newUploadPage(c *gin.Context) uploadPage {
	return uploadPage{signedIn: signedInAs(c), Partner: partnerOf(c), Mode: string(importer.ModeMerge), MaxSize: megabytes(s.cfg.MaxUploadBytes)}
}

func megabytes(n int64) string { return fmt.Sprintf("%d MB", n>>20) }

// tooLarge is the error for an upload over the limit, saying what to do.
func (s *Server) tooLarge() error {
	return &directory.Error{Code: codeTooLarge, Message: fmt.Sprintf("the file is larger than %s, the most one upload may be - split it into smaller files and upload them one at a time in merge mode", megabytes(s.cfg.MaxUploadBytes))}
}

// uploadForm shows the upload form.
func (s *Server) uploadForm(c *gin.Context) {
	s.render(c, http.StatusOK, "partner_upload", s.newUploadPage(c))
}

// uploadSubmit saves an uploaded file and sends the browser to its
// preview. The file is streamed to disk; the form token is checked once
// the body has been read (the cross-origin check has already run before
// any of it was read).
func (s *Server) uploadSubmit(c *gin.Context) {
	p, u := partnerOf(c), currentUser(c)
	if c.Request.ContentLength > s.cfg.MaxUploadBytes+formSlack {
		s.renderError(c, s.tooLarge())
		return
	}
	if !isMultipart(c.Request) {
		s.renderError(c, directory.Errorf(directory.EINVALID, "send the file with the upload form"))
		return
	}
	file, fields, err := s.uploads.readMultipart(c, s.cfg.MaxUploadBytes)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			err = s.tooLarge()
		}
		s.renderError(c, err)
		return
	}
	if !csrfOK(c, fields[csrfField]) {
		if file != nil {
			file.remove()
		}
		s.forbidForm(c, "This form has expired or was not sent from this website, so the file has not been accepted. Go back, reload the page and try again.")
		return
	}
	pg := s.newUploadPage(c)
	mode, err := importer.ParseMode(fields["mode"])
	if err == nil && (file == nil || file.Size == 0) {
		err = directory.Errorf(directory.EINVALID, "choose a file to upload: the template as CSV or Excel (.xlsx)")
	}
	if err != nil {
		if file != nil {
			file.remove()
		}
		pg.Error = directory.ErrorMessage(err)
		s.render(c, http.StatusBadRequest, "partner_upload", pg)
		return
	}
	pu := s.uploads.add(file, mode, p.ID, directory.HashSecret(sessionToken(c)))
	logger(c).Info("upload received", "partner", p.ID, "user", u.Email, "file", file.Name, "bytes", file.Size, "mode", mode)
	c.Redirect(http.StatusSeeOther, "/partner/upload/"+pu.ID+"?partner="+p.ID)
}

// errUploadGone is shown for an upload id that is unknown, expired,
// already applied, or not this session's and partner's.
var errUploadGone = directory.Errorf(directory.ENOTFOUND, "this upload has expired, was already applied or cancelled, or was made in another sign-in - upload the file again")

// pendingFor returns the pending upload named in the URL when it belongs
// to this session and the acting partner.
func (s *Server) pendingFor(c *gin.Context, claim bool) *pendingUpload {
	id, session, partner := c.Param("id"), directory.HashSecret(sessionToken(c)), partnerOf(c).ID
	if claim {
		return s.uploads.claim(id, session, partner)
	}
	return s.uploads.get(id, session, partner)
}

// planUpload plans a pending upload against the partner's listings now.
func (s *Server) planUpload(c *gin.Context, pu *pendingUpload) (*importer.Plan, error) {
	fh, f, err := pu.File.open()
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return s.cfg.Importer.PlanFile(c.Request.Context(), pu.PartnerID, f, importer.Options{Mode: pu.Mode, FileName: pu.File.Name})
}

// uploadPreview shows what an upload would do.
func (s *Server) uploadPreview(c *gin.Context) {
	pu := s.pendingFor(c, false)
	if pu == nil {
		s.renderError(c, errUploadGone)
		return
	}
	plan, err := s.planUpload(c, pu)
	pg := s.newPreview(c, pu, plan)
	if err != nil {
		if directory.ErrorCode(err) == directory.EINTERNAL {
			s.renderError(c, err)
			return
		}
		pg.Error = directory.ErrorMessage(err)
		s.render(c, http.StatusUnprocessableEntity, "partner_preview", pg)
		return
	}
	s.render(c, http.StatusOK, "partner_preview", pg)
}

// uploadConfirm applies an upload: planned again from the same bytes,
// then applied in one transaction. With errors in the plan it is applied
// only when the partner chose "apply only the rows without errors".
func (s *Server) uploadConfirm(c *gin.Context) {
	pu := s.pendingFor(c, true)
	if pu == nil {
		s.renderError(c, errUploadGone)
		return
	}
	applied := false
	defer func() {
		if applied {
			pu.File.remove()
		} else {
			s.uploads.release(pu)
		}
	}()
	plan, err := s.planUpload(c, pu)
	pg := s.newPreview(c, pu, plan)
	validOnly := c.PostForm("valid_only") == "true"
	switch {
	case err != nil && directory.ErrorCode(err) == directory.EINTERNAL:
		s.renderError(c, err)
		return
	case err != nil:
		pg.Error = directory.ErrorMessage(err)
	case plan.Fatal:
		pg.Error = "This file cannot be used as it is. Fix the problems listed below and upload it again."
	case plan.HasErrors() && !validOnly:
		pg.Error = "Some rows have errors, so nothing has been changed. Fix them and upload the file again, or choose to apply only the rows without errors."
	case !plan.Changes():
		pg.Error = "This file changes nothing, so there is nothing to apply."
	}
	if pg.Error != "" {
		s.render(c, http.StatusUnprocessableEntity, "partner_preview", pg)
		return
	}
	user := currentUser(c).Email
	rec, err := s.cfg.Importer.Apply(c.Request.Context(), plan, user, validOnly)
	if err != nil {
		if directory.ErrorCode(err) == directory.EINTERNAL {
			s.renderError(c, err)
			return
		}
		pg.Error = directory.ErrorMessage(err)
		s.render(c, http.StatusUnprocessableEntity, "partner_preview", pg)
		return
	}
	applied = true
	logger(c).Info("import applied", "partner", pu.PartnerID, "import", rec.ID, "user", user, "created", rec.Created, "updated", rec.Updated, "removed", rec.Removed)
	c.Redirect(http.StatusSeeOther, "/partner/imports?partner="+pu.PartnerID+"&applied="+rec.ID)
}

// uploadCancel forgets an upload without applying it.
func (s *Server) uploadCancel(c *gin.Context) {
	if pu := s.pendingFor(c, true); pu != nil {
		pu.File.remove()
	}
	c.Redirect(http.StatusSeeOther, "/partner?partner="+partnerOf(c).ID)
}
