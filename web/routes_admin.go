package web

import (
	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// adminRoutes registers the admin area: the network coordinator's
// overview, partners, users, API tokens, the review queue of public
// reports, stale listings, search gaps and introductions. (The audit log,
// backup and HSDS download are registered with operations and the ORUK
// API.) Every form that changes something carries the session's form token
// and is recorded in the audit log by the directory.
func (s *Server) adminRoutes(r *gin.Engine) {
	admin := r.Group("/admin", s.requireRole(directory.RoleAdmin))
	form := []gin.HandlerFunc{limitBody(maxFormBody), s.requireCSRF()}
	post := func(path string, h gin.HandlerFunc) { admin.POST(path, append(form, h)...) }
	admin.GET("", s.adminHome)
	admin.GET("/partners", s.adminPartners)
	post("/partners", s.adminPartnerAdd)
	admin.GET("/users", s.adminUsers)
	post("/users", s.adminUserAdd)
	post("/users/disable", s.adminUserDisable)
	post("/users/enable", s.adminUserEnable)
	post("/users/end-sessions", s.adminUserEndSessions)
	admin.GET("/tokens", s.adminTokens)
	post("/tokens", s.adminTokenCreate)
	post("/tokens/revoke", s.adminTokenRevoke)
	admin.GET("/reports", s.adminReports)
	post("/reports/:id/resolve", s.adminReportResolve)
	admin.GET("/stale", s.adminStale)
	admin.GET("/gaps", s.adminGaps)
	admin.GET("/introductions", s.adminIntroductions)
}
