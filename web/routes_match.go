package web

import "github.com/gin-gonic/gin"

// matchRoutes registers the match API (issue 4) and, later, the worker
// screens (issue 5). Without a matcher in the config there is nothing to
// register.
func (s *Server) matchRoutes(r *gin.Engine) {
	if s.cfg.Matcher == nil {
		return
	}
	api := r.Group("/api/v1")
	// Role check goes here: workers only, once sign-in lands (issue 3).
	api.POST("/match", s.apiMatch)
}
