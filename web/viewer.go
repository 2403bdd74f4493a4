package web

import (
	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// signedIn is what every signed-in page receives (embedded in its own
// data): who is signed in, for the account bar, and the form token that
// every form on the page carries.
type signedIn struct {
	// Crisis makes the urgent help panel stand out (never, on these pages).
	Crisis bool
	Email  string
	Role   directory.Role
	CSRF   string
	// Path is the page's path, so navigation can mark where you are.
	Path string
}

// signedInAs returns the signedIn data for the current request; empty when
// nobody is signed in.
func signedInAs(c *gin.Context) signedIn {
	u, l := currentUser(c), currentLogin(c)
	if u == nil || l == nil {
		return signedIn{}
	}
	return signedIn{Email: u.Email, Role: u.Role, CSRF: l.CSRF, Path: c.Request.URL.Path}
}
