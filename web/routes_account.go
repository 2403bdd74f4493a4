package web

import (
	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// accountRoutes registers sign-in, sign-out and the account page. The
// session middleware itself (loadUser) and the cross-origin check run for
// every route (routes.go).
func (s *Server) accountRoutes(r *gin.Engine) {
	r.GET("/login", s.loginForm)
	r.POST("/login", limitBody(maxFormBody), s.loginSubmit)
	r.POST("/logout", limitBody(maxFormBody), s.logout)
	r.GET("/account", s.requireRole(directory.RoleAdmin, directory.RoleWorker, directory.RolePartner), s.account)
}
