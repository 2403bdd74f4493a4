package web

import (
	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// ctxPartner is where withPartner keeps the partner a request acts for.
const ctxPartner = "lw.partner"

// actingPartner returns the partner whose listings a partner-area request
// is about. A partner user always acts for their own partner: a "partner"
// parameter naming any other is refused with EUNAUTHORIZED, never
// followed. An admin acts for the partner the "partner" parameter names
// (EINVALID without one, ENOTFOUND for an unknown one). Anyone else gets
// EUNAUTHORIZED.
func (s *Server) actingPartner(c *gin.Context) (*directory.Partner, error) {
	u := currentUser(c)
	asked := c.Query("partner")
	switch {
	case u == nil:
		return nil, errSignIn
	case u.Role == directory.RolePartner:
		if asked != "" && asked != u.PartnerID {
			return nil, directory.Errorf(directory.EUNAUTHORIZED, "you can only see and change your own organisation's listings")
		}
		return s.dir.Partner(c.Request.Context(), u.PartnerID)
	case u.Role == directory.RoleAdmin:
		if asked == "" {
			return nil, directory.Errorf(directory.EINVALID, "choose which partner's listings to work on from the partner list at /partner")
		}
		return s.dir.Partner(c.Request.Context(), asked)
	}
	return nil, directory.Errorf(directory.EUNAUTHORIZED, "your account cannot change partner listings")
}

// withPartner resolves the acting partner for the handlers after it, or
// answers the error as a page.
func (s *Server) withPartner() gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := s.actingPartner(c)
		if err != nil {
			s.renderError(c, err)
			return
		}
		c.Set(ctxPartner, p)
		c.Next()
	}
}

// partnerOf returns the partner withPartner resolved.
func partnerOf(c *gin.Context) *directory.Partner {
	return c.MustGet(ctxPartner).(*directory.Partner)
}
