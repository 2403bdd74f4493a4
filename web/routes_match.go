package web

import (
	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// matchRoutes registers the match API, the type-ahead, the worker's match
// screen and shortlist, the public "suggest for me" form and shared
// shortlists. Without a matcher in the config there is nothing to match
// with, so only the shortlist and shared shortlists are registered.
//
// The match API and the type-ahead are for workers and admins signed in
// (the design's "workers use the JSON API"): the match screen calls them
// from the browser with the session cookie. They only read, so they need
// no form token; the router's cross-origin check refuses them from other
// sites, and the public API's rate limit counts them per user. The public
// reaches the matcher through "suggest for me", a form with fewer, kinder
// questions and a page of results.
func (s *Server) matchRoutes(r *gin.Engine) {
	worker := r.Group("/worker", s.requireRole(directory.RoleWorker, directory.RoleAdmin))
	worker.GET("/shortlist", s.shortlistPage)
	worker.POST("/shortlist", limitBody(maxFormBody), s.requireCSRF(), s.shortlistChange)
	worker.POST("/shortlist/share", limitBody(maxFormBody), s.requireCSRF(), s.shortlistShare)
	worker.POST("/introductions", limitBody(maxFormBody), s.requireCSRF(), s.introduced)
	r.GET("/s/:token", s.sharedList)
	if s.cfg.Matcher == nil {
		return
	}
	worker.GET("/match", s.workerMatch)
	worker.POST("/match", limitBody(maxFormBody), s.requireCSRF(), s.workerMatchSubmit)
	api := r.Group("/api/v1", s.requireRole(directory.RoleWorker, directory.RoleAdmin), limitBody(MaxJSONBody))
	api.POST("/match", s.apiMatch)
	api.POST("/terms", s.apiTerms)
	r.GET("/suggest", s.suggestPage)
	r.POST("/suggest", limitBody(maxFormBody), s.suggestSubmit)
}
