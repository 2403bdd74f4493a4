package web

import "github.com/gin-gonic/gin"

// pageRoutes registers public pages beyond home and search (issue 5).
func (s *Server) pageRoutes(r *gin.Engine) {
	guard := s.crossOriginGuard()
	r.GET("/listings/:id", s.listingRoute) // and /listings/{id}.ics
	r.GET("/listings/:id/print", s.listingPrint)
	r.GET("/listings/:id/report", s.reportForm)
	r.POST("/listings/:id/report", limitBody(maxFormBody), guard, s.reportSubmit)
	r.GET("/my-list", s.myListPage)
	r.GET("/my-list/items", s.myListItems)
	r.GET("/suggest", s.suggestPage)
	r.POST("/suggest", limitBody(maxFormBody), guard, s.suggestSubmit)
}
