package web

import (
	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// orukRoutes registers the Open Referral UK API at /oruk (open, no key;
// orukCORS gives every /oruk answer Access-Control-Allow-Origin: * and
// answers preflight requests) and the admin's HSDS 3.0 download.
func (s *Server) orukRoutes(r *gin.Engine) {
	g := r.Group("/oruk", limitBody(MaxJSONBody))
	g.GET("/", s.orukRoot)
	g.GET("/openapi.json", s.orukOpenAPI)
	g.GET("/services", s.orukServices)
	g.GET("/services/:id", s.orukService)
	g.GET("/service_at_locations", s.orukServiceAtLocations)
	g.GET("/service_at_locations/:id", s.orukServiceAtLocation)
	g.GET("/organizations", s.orukOrganizations)
	g.GET("/organizations/:id", s.orukOrganization)
	g.GET("/taxonomies", s.orukTaxonomies)
	g.GET("/taxonomies/:id", s.orukTaxonomy)
	g.GET("/taxonomy_terms", s.orukTaxonomyTerms)
	g.GET("/taxonomy_terms/:id", s.orukTaxonomyTerm)

	// The same data as the open API's, but a whole-network download is for
	// the network's coordinator.
	r.GET("/admin/export/hsds3.zip", s.requireRole(directory.RoleAdmin), s.adminExportHSDS)
}
