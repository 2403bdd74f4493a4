package web

import (
	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// partnerRoutes registers the partner area (signed-in partner users, and
// admins acting for a partner named by ?partner=ID) and the partner API
// (bearer token). Every partner-area route below /partner/ resolves the
// acting partner first (withPartner), so no handler can act on a partner
// the user does not belong to. Routes that move or work through a whole
// file get longRequest's longer deadlines.
func (s *Server) partnerRoutes(r *gin.Engine) {
	area := r.Group("/partner", s.requireRole(directory.RolePartner, directory.RoleAdmin))
	area.GET("", s.partnerHome)
	scoped := area.Group("", s.withPartner())
	scoped.GET("/template.csv", s.longRequest(), s.templateCSV)
	scoped.GET("/template.xlsx", s.longRequest(), s.templateXLSX)
	scoped.GET("/upload", s.uploadForm)
	scoped.POST("/upload", s.longRequest(), s.limit(s.acct.imports, func(c *gin.Context) string { return "user:" + currentUser(c).Email }), s.uploadSubmit)
	scoped.GET("/upload/:id", s.longRequest(), s.uploadPreview)
	scoped.POST("/upload/:id/confirm", s.longRequest(), limitBody(maxFormBody), s.requireCSRF(), s.uploadConfirm)
	scoped.POST("/upload/:id/cancel", limitBody(maxFormBody), s.requireCSRF(), s.uploadCancel)
	scoped.GET("/imports", s.importHistory)
	scoped.GET("/imports/undo", s.undoForm)
	scoped.POST("/imports/undo", s.longRequest(), limitBody(maxFormBody), s.requireCSRF(), s.undoSubmit)
	scoped.POST("/reports/:id/resolve", limitBody(maxFormBody), s.requireCSRF(), s.partnerReportResolve)

	api := r.Group("/api/v1/partner", s.requireToken())
	api.POST("/imports", s.longRequest(), s.limit(s.acct.imports, func(c *gin.Context) string { return "token:" + tokenOf(c).ID }), s.apiPartnerImport)
	api.GET("/listings.csv", s.longRequest(), s.apiPartnerListings)
}
