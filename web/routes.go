package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// MaxJSONBody is the largest JSON request body accepted.
const MaxJSONBody = 1 << 20

// routes builds the router. The middleware order matters and is written
// here once:
//  1. requestID first, so every later log line carries the id;
//  2. accessLog next, so it times and logs everything below it, including
//     recovered panics;
//  3. recovery, so a panic anywhere below becomes a clean 500;
//  4. securityHeaders on every response, errors included;
//  5. orukCORS, so every /oruk answer, a 404 for an unknown path included,
//     can be read from any web page, as the Open Referral UK profile asks;
//  6. crossOrigin refuses cross-origin state-changing browser requests
//     before any handler reads a body (csrf.go);
//  7. loadUser finds who is signed in, so every handler and template below
//     can ask (session.go); it costs nothing without a session cookie;
//  8. publicLimit rate-limits the public API per client (ops.go).
//
// The metrics middleware sits beside accessLog, so it times the same work.
func (s *Server) routes() (*gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Trusted proxies are off by default: client IPs are the peer address.
	if err := r.SetTrustedProxies(s.cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	r.Use(s.requestID(), s.accessLog(), s.ops.metrics.middleware(), s.recovery(), securityHeaders(), orukCORS(), s.crossOrigin(), s.loadUser(), s.publicLimit())

	r.GET("/healthz", s.healthz)
	r.StaticFS("/static", http.FS(mustSub(assets, "static")))

	r.GET("/", s.homePage)
	r.GET("/search", s.searchPage)

	api := r.Group("/api/v1", limitBody(MaxJSONBody))
	api.GET("/search", s.apiSearch)
	api.GET("/listings/:id", s.apiListing)
	api.GET("/taxonomy", s.apiTaxonomy)

	// Each area registers its own routes, in its own file.
	s.accountRoutes(r)
	s.partnerRoutes(r)
	s.matchRoutes(r)
	s.orukRoutes(r)
	s.pageRoutes(r)
	s.adminRoutes(r)
	s.opsRoutes(r)

	r.NoRoute(func(c *gin.Context) {
		err := directory.Errorf(directory.ENOTFOUND, "there is nothing at %s - check the address", c.Request.URL.Path)
		if wantsJSON(c) {
			apiError(c, err)
			return
		}
		s.renderError(c, err)
	})
	r.NoMethod(func(c *gin.Context) {
		c.Header("Allow", "GET, HEAD, POST")
		var body errorBody
		body.Error.Code, body.Error.Message = "method_not_allowed", "that method is not allowed here"
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, body)
	})
	return r, nil
}

// wantsJSON reports whether a request is for the API rather than a page.
func wantsJSON(c *gin.Context) bool {
	p := c.Request.URL.Path
	return len(p) >= 4 && (p[:4] == "/api" || (len(p) >= 5 && p[:5] == "/oruk"))
}
