package web

import "github.com/gin-gonic/gin"

// orukRoutes registers the Open Referral UK API (issue 6).
func (s *Server) orukRoutes(r *gin.Engine) {}
