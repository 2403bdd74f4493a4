package web

import "github.com/gin-gonic/gin"

// adminRoutes registers the admin area (issue 5).
func (s *Server) adminRoutes(r *gin.Engine) {}
