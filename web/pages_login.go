package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// maxFormBody is the largest URL-encoded form body accepted.
const maxFormBody = 64 << 10

// loginPage is the data of the sign-in page.
type loginPage struct {
	Crisis    bool
	Email     string
	Next      string
	Error     string
	SignedOut bool
}

// loginForm shows the sign-in form, or sends someone already signed in
// on to where they were going.
func (s *Server) loginForm(c *gin.Context) {
	next := safeNext(c.Query("next"))
	if u := currentUser(c); u != nil {
		c.Redirect(http.StatusSeeOther, firstNonEmpty(next, landing(u)))
		return
	}
	s.render(c, http.StatusOK, "login", loginPage{Next: next, SignedOut: c.Query("signed_out") == "1"})
}

// loginSubmit checks an email and password and signs in. Every failure
// (unknown email, wrong password, disabled account) answers the same
// message, so the form cannot be used to find out who has an account.
// Attempts are rate-limited per client IP before any password is checked.
func (s *Server) loginSubmit(c *gin.Context) {
	pg := loginPage{Email: strings.TrimSpace(c.PostForm("email")), Next: safeNext(c.PostForm("next"))}
	if ok, wait := s.acct.signIn.allow(clientIP(c)); !ok {
		c.Header("Retry-After", retryAfter(wait))
		pg.Error = "There have been too many attempts to sign in from here. Wait a minute and try again."
		s.render(c, http.StatusTooManyRequests, "login", pg)
		return
	}
	user, err := s.dir.Authenticate(c.Request.Context(), pg.Email, c.PostForm("password"))
	if err != nil {
		if directory.ErrorCode(err) != directory.EUNAUTHORIZED {
			s.renderError(c, err)
			return
		}
		logger(c).Info("sign-in refused", "client", c.ClientIP())
		pg.Error = directory.ErrorMessage(err)
		s.render(c, http.StatusUnauthorized, "login", pg)
		return
	}
	if err := s.startSession(c, user); err != nil {
		s.renderError(c, err)
		return
	}
	logger(c).Info("signed in", "user", user.Email, "role", user.Role)
	c.Redirect(http.StatusSeeOther, firstNonEmpty(pg.Next, landing(user)))
}

// logout ends the session in the store (so the cookie is worthless even if
// copied) and clears the cookie. Signed in, the form token must match;
// signed out, there is nothing to end and it just clears the cookie.
func (s *Server) logout(c *gin.Context) {
	if token := sessionToken(c); token != "" {
		if !csrfOK(c, c.PostForm(csrfField)) {
			s.forbidForm(c, "This form has expired or was not sent from this website, so you are still signed in. Go back, reload the page and try again.")
			return
		}
		if err := s.dir.EndSession(c.Request.Context(), token); err != nil {
			s.renderError(c, err)
			return
		}
		s.shortlists.drop(token)
	}
	s.clearSessionCookie(c)
	c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
}

// accountPage is the data of the account page.
type accountPage struct {
	signedIn
	Expires string
}

// account shows who is signed in, until when, and where they can go.
func (s *Server) account(c *gin.Context) {
	pg := accountPage{signedIn: signedInAs(c)}
	if l := currentLogin(c); l != nil {
		pg.Expires = l.Expires.In(directory.London()).Format("15:04 on Monday 2 January")
	}
	s.render(c, http.StatusOK, "account", pg)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
