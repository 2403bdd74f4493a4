package web

import (
	"crypto/subtle"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// Forms are protected against cross-site request forgery twice, on
// purpose:
//
//  1. crossOrigin (Go's http.CrossOriginProtection, for every route)
//     refuses a POST that the browser says came from another site
//     (Sec-Fetch-Site) or whose Origin is not this host. It needs no state
//     and also covers the sign-in form, which has no session yet.
//  2. requireCSRF checks a per-session token, kept in the session record
//     and put in a hidden field of every signed-in form. It holds where the
//     header check cannot: requests that carry neither Sec-Fetch-Site nor
//     Origin are let through by (1) as non-browser traffic, and older
//     browsers, some embedded web views and privacy proxies send neither;
//     a proxy that rewrites Host can also blur the Origin comparison. The
//     token also ties each form to the session that showed it, so a form
//     left open across a sign-out and sign-in as someone else is refused.
//
// Either check alone refuses the common attack; together, a forged request
// has to defeat both. API calls with a bearer token carry no ambient
// credential and need neither, but (1) runs on them too, harmlessly:
// non-browser clients send neither header.

// csrfField is the hidden form field that carries the session's token.
const csrfField = "csrf"

// crossOrigin refuses cross-origin, state-changing browser requests with
// a 403 before any handler reads the body.
func (s *Server) crossOrigin() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.acct.cop.Check(c.Request); err != nil {
			s.forbidForm(c, "This form was sent from another website, so it has not been accepted. If you meant to do this, go back to the Living Well page, reload it and try again.")
			return
		}
		c.Next()
	}
}

// csrfOK reports whether token is the signed-in session's form token,
// compared in constant time.
func csrfOK(c *gin.Context, token string) bool {
	l := currentLogin(c)
	return l != nil && token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(l.CSRF)) == 1
}

// requireCSRF checks the form token of a signed-in, URL-encoded form
// (multipart uploads check it themselves after streaming the file).
func (s *Server) requireCSRF() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !csrfOK(c, c.PostForm(csrfField)) {
			s.forbidForm(c, "This form has expired or was not sent from this website, so it has not been accepted. Go back, reload the page and try again.")
			return
		}
		c.Next()
	}
}

// forbidForm answers a refused form: 403 with a page saying what to do, or
// JSON for the API.
func (s *Server) forbidForm(c *gin.Context, msg string) {
	if wantsJSON(c) {
		apiError(c, directory.Errorf(directory.EUNAUTHORIZED, "%s", msg))
		return
	}
	s.render(c, http.StatusForbidden, "error", errorPage{Title: "Your form was not accepted", Message: msg})
	c.Abort()
}
