package web

import "github.com/gin-gonic/gin"

// partnerRoutes registers the partner area and partner API (issue 3).
func (s *Server) partnerRoutes(r *gin.Engine) {}
