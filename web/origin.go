package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// maxFormBody is the largest public form accepted.
const maxFormBody = 64 << 10

// crossOriginGuard refuses form posts sent from other sites (cross-site
// request forgery) with the standard library's CrossOriginProtection:
// browsers say where a request comes from in Sec-Fetch-Site or Origin, and
// a cross-origin POST is refused. It needs no token and sets no cookie,
// which suits public forms. The accounts area protects every form the same
// way; wrapping the router in that too leaves this check harmless.
func (s *Server) crossOriginGuard() gin.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	return func(c *gin.Context) {
		if err := cop.Check(c.Request); err != nil {
			s.renderError(c, directory.Errorf(directory.EUNAUTHORIZED, "This form was sent from another website, so we did not accept it. Go back to the page on this site and send it again."))
			return
		}
		c.Next()
	}
}
