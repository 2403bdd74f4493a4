package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// Context keys set by loadUser.
const (
	ctxUser    = "lw.user"
	ctxLogin   = "lw.login"
	ctxSession = "lw.session_token"
)

// loadUser finds the signed-in user from the session cookie. Without a
// cookie it does nothing; with a cookie that no longer names a live
// session (expired, signed out, user disabled) it clears the cookie and
// carries on as signed out. A store failure is logged and also treated as
// signed out, so it never lets anyone in.
func (s *Server) loadUser() gin.HandlerFunc {
	return func(c *gin.Context) {
		// Until a session says otherwise, changes are made by the public.
		c.Request = c.Request.WithContext(directory.WithActor(c.Request.Context(), directory.ActorPublic))
		ck, err := c.Request.Cookie(s.acct.cookie)
		if err != nil || ck.Value == "" {
			c.Next()
			return
		}
		login, user, err := s.dir.SessionUser(c.Request.Context(), ck.Value)
		if err != nil {
			if directory.ErrorCode(err) == directory.EINTERNAL {
				logger(c).Error("load session", "err", err)
			}
			s.clearSessionCookie(c)
			c.Next()
			return
		}
		c.Set(ctxUser, user)
		c.Set(ctxLogin, login)
		c.Set(ctxSession, ck.Value)
		// Changes made in this request are recorded under the user's name
		// in the audit log.
		c.Request = c.Request.WithContext(directory.WithActor(c.Request.Context(), user.Email))
		c.Next()
	}
}

// currentUser returns the signed-in user, or nil.
func currentUser(c *gin.Context) *directory.User {
	if v, ok := c.Get(ctxUser); ok {
		return v.(*directory.User)
	}
	return nil
}

// currentLogin returns the signed-in session, or nil.
func currentLogin(c *gin.Context) *directory.Login {
	if v, ok := c.Get(ctxLogin); ok {
		return v.(*directory.Login)
	}
	return nil
}

// sessionToken returns the session cookie's token when it names a live
// session, or "".
func sessionToken(c *gin.Context) string {
	return c.GetString(ctxSession)
}

// startSession signs user in: it ends the session the browser had (so a
// token planted before sign-in is worthless), creates a new one and sets
// its cookie.
func (s *Server) startSession(c *gin.Context, user *directory.User) error {
	ctx := c.Request.Context()
	if ck, err := c.Request.Cookie(s.acct.cookie); err == nil && ck.Value != "" {
		if err := s.dir.EndSession(ctx, ck.Value); err != nil {
			return err
		}
	}
	token, _, err := s.dir.CreateSession(ctx, user.Email, s.acct.ttl)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token, int(s.acct.ttl.Seconds()))
	s.pruneSessions(ctx)
	return nil
}

// pruneSessions sweeps expired sessions from the store at most once per
// pruneEvery. Failures are logged: an expired session is refused anyway.
func (s *Server) pruneSessions(ctx context.Context) {
	a := s.acct
	a.pruneMu.Lock()
	due := s.now().Sub(a.lastPrune) >= pruneEvery
	if due {
		a.lastPrune = s.now()
	}
	a.pruneMu.Unlock()
	if !due {
		return
	}
	if _, err := s.dir.PruneSessions(ctx); err != nil {
		s.log.Error("prune expired sessions", "err", err)
	}
}

// setSessionCookie writes the session cookie: HttpOnly (no script can read
// it), SameSite=Lax (not sent on cross-site form posts or sub-requests),
// Secure behind HTTPS, for the whole site, lasting maxAge seconds (a
// negative maxAge deletes it).
func (s *Server) setSessionCookie(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     s.acct.cookie,
		Value:    token,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.acct.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(c *gin.Context) { s.setSessionCookie(c, "", -1) }

// requireRole lets a request through only for a signed-in user with one
// of roles. For pages, anyone signed out is sent to sign in and brought
// back afterwards, and a user with another role gets a 403 page; for the
// API (paths under /api) they get 401 and 403 JSON.
func (s *Server) requireRole(roles ...directory.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			if wantsJSON(c) {
				apiError(c, errSignIn)
				return
			}
			c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		if !slices.Contains(roles, u.Role) {
			err := directory.Errorf(directory.EUNAUTHORIZED, "your account cannot use this - it is for %s accounts", roleList(roles))
			if wantsJSON(c) {
				apiError(c, err)
				return
			}
			s.renderError(c, err)
			return
		}
		// Signed-in pages may be on a shared computer: never keep them.
		c.Header("Cache-Control", "no-store")
		c.Next()
	}
}

// errSignIn is answered to API calls that need a signed-in user.
var errSignIn = &directory.Error{Code: codeUnauthenticated, Message: "please sign in"}

func roleList(roles []directory.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, " or ")
}

// safeNext returns next when it is a path on this site, and "" otherwise,
// so that sign-in can never be used to send someone to another site
// ("//evil.example", "https://...", "/\evil.example" and control
// characters are all refused).
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return ""
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return next
}

// landing is where a user goes after signing in when nothing else was
// asked for.
func landing(u *directory.User) string {
	switch u.Role {
	case directory.RolePartner:
		return "/partner"
	case directory.RoleAdmin:
		return "/admin"
	case directory.RoleWorker:
		return "/worker/match"
	}
	return "/account"
}
