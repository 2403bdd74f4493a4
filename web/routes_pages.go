package web

import "github.com/gin-gonic/gin"

// pageRoutes registers public pages beyond home and search (issue 5);
// "suggest for me" needs the matcher and is with it (routes_match.go).
// Their forms (report a problem, suggest for me) are public: they need no
// session or token, and the router's crossOrigin check (csrf.go) refuses
// them when a browser says they came from another site.
func (s *Server) pageRoutes(r *gin.Engine) {
	r.GET("/listings/:id", s.listingRoute) // and /listings/{id}.ics
	r.GET("/listings/:id/print", s.listingPrint)
	r.GET("/listings/:id/report", s.reportForm)
	r.POST("/listings/:id/report", limitBody(maxFormBody), s.reportSubmit)
	r.GET("/my-list", s.myListPage)
	r.GET("/my-list/items", s.myListItems)
}
