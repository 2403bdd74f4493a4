package web

import "github.com/gin-gonic/gin"

// pageRoutes registers public pages beyond home and search (issue 5).
func (s *Server) pageRoutes(r *gin.Engine) {}
