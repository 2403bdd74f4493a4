package web

import "github.com/gin-gonic/gin"

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

	// The admin role check is added here when sign-in lands (the accounts
	// helper is building it); the data is the same as the open API's.
	r.GET("/admin/export/hsds3.zip", s.adminExportHSDS)
}
