package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// The admin's partners, users and API tokens pages. Each list comes with a
// form to add; a form that fails comes back with what was typed and the
// error; adding and every other change are recorded in the audit log by
// the directory (directory/audit.go). Passwords and tokens made here are
// shown once, on the answer to the form, and kept only as hashes.

// adminPartnersPage is the data of the partners page.
type adminPartnersPage struct {
	signedIn
	Partners []adminPartnerRow
	Form     partnerForm
	Error    string
	Added    string
}

type adminPartnerRow struct {
	ID, Name, Kind, Borough string
	Listings                int
}

type partnerForm struct {
	Name, ID, Kind, Website, Borough string
}

// adminPartners answers GET /admin/partners; ?added=ID says that partner
// was just added (when it exists).
func (s *Server) adminPartners(c *gin.Context) {
	s.renderPartners(c, http.StatusOK, adminPartnersPage{Added: c.Query("added")})
}

func (s *Server) renderPartners(c *gin.Context, status int, pg adminPartnersPage) {
	pg.signedIn = signedInAs(c)
	ctx := c.Request.Context()
	ps, err := s.dir.Partners(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	counts := map[string]int{}
	err = s.dir.ForEachListing(ctx, func(l *directory.Listing) error {
		counts[l.PartnerID]++
		return nil
	})
	if err != nil {
		s.renderError(c, err)
		return
	}
	added := pg.Added
	pg.Added = ""
	for _, p := range ps {
		if p.ID == added {
			pg.Added = p.Name
		}
		pg.Partners = append(pg.Partners, adminPartnerRow{ID: p.ID, Name: p.Name, Kind: p.Kind, Borough: p.Borough, Listings: counts[p.ID]})
	}
	s.render(c, status, "admin_partners", pg)
}

// adminPartnerAdd answers POST /admin/partners: it adds a partner and goes
// back to the list, or shows what to fix.
func (s *Server) adminPartnerAdd(c *gin.Context) {
	f := partnerForm{Name: c.PostForm("name"), ID: strings.TrimSpace(c.PostForm("id")), Kind: strings.TrimSpace(c.PostForm("kind")),
		Website: strings.TrimSpace(c.PostForm("website")), Borough: strings.TrimSpace(c.PostForm("borough"))}
	p, err := s.dir.AddPartner(c.Request.Context(), directory.Partner{Name: f.Name, ID: f.ID, Kind: f.Kind, Website: f.Website, Borough: f.Borough})
	if err != nil {
		if !formError(err) {
			s.renderError(c, err)
			return
		}
		s.renderPartners(c, http.StatusBadRequest, adminPartnersPage{Form: f, Error: sentence(directory.ErrorMessage(err))})
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/partners?added="+url.QueryEscape(p.ID))
}

// formError reports whether err is the form's fault (to show on the form)
// rather than the server's.
func formError(err error) bool {
	code := directory.ErrorCode(err)
	return code == directory.EINVALID || code == directory.ECONFLICT || code == directory.ENOTFOUND
}

// adminUsersPage is the data of the users page.
type adminUsersPage struct {
	signedIn
	Users    []adminUserRow
	Partners []selectOption
	Roles    []selectOption
	Form     userForm
	Error    string
	// Done says what the last action did; NewPassword is the password of
	// a user just added, shown once.
	Done, NewUser, NewPassword string
}

type adminUserRow struct {
	Email, Name, Role, Partner, Created string
	Disabled, You                       bool
}

type userForm struct {
	Email, Name string
}

// userDone are the messages after a change to a user, by the done=
// parameter the change redirects with; the message names the user only
// when they exist, so the address cannot be used to put words on the page.
var userDone = map[string]string{"disabled": "%s can no longer sign in, and has been signed out.", "enabled": "%s can sign in again.", "signed-out": "%s has been signed out everywhere."}

// adminUsers answers GET /admin/users.
func (s *Server) adminUsers(c *gin.Context) {
	pg := adminUsersPage{}
	if msg, ok := userDone[c.Query("done")]; ok {
		if u, err := s.dir.User(c.Request.Context(), c.Query("user")); err == nil {
			pg.Done = fmt.Sprintf(msg, u.Email)
		}
	}
	s.renderUsers(c, http.StatusOK, pg)
}

func (s *Server) renderUsers(c *gin.Context, status int, pg adminUsersPage) {
	pg.signedIn = signedInAs(c)
	ctx := c.Request.Context()
	us, err := s.dir.Users(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	ps, err := s.dir.Partners(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	names := map[string]string{}
	opts := [][2]string{{"", "None (admins and workers)"}}
	for _, p := range ps {
		names[p.ID] = p.Name
		opts = append(opts, [2]string{p.ID, p.Name})
	}
	if pg.Partners == nil {
		pg.Partners = selectOptions(opts, "")
	}
	if pg.Roles == nil {
		pg.Roles = selectOptions(roleOptions, string(directory.RoleWorker))
	}
	for _, u := range us {
		pg.Users = append(pg.Users, adminUserRow{Email: u.Email, Name: u.Name, Role: string(u.Role), Partner: names[u.PartnerID],
			Created: u.Created.In(directory.London()).Format(dateFormat), Disabled: u.Disabled, You: u.Email == pg.Email})
	}
	s.render(c, status, "admin_users", pg)
}

// roleOptions are the roles a new user may have.
var roleOptions = [][2]string{
	{string(directory.RoleWorker), "Worker: the match screen and shortlists"},
	{string(directory.RolePartner), "Partner: their own organisation's listings"},
	{string(directory.RoleAdmin), "Admin: everything"},
}

// adminUserAdd answers POST /admin/users: it adds a user with a new
// password and shows the password once.
func (s *Server) adminUserAdd(c *gin.Context) {
	f := userForm{Email: strings.TrimSpace(c.PostForm("email")), Name: strings.TrimSpace(c.PostForm("name"))}
	role, partner := c.PostForm("role"), c.PostForm("partner")
	if directory.Role(role) != directory.RolePartner {
		partner = ""
	}
	password := directory.NewSecret()[:generatedPasswordLen]
	u, err := s.dir.AddUser(c.Request.Context(), directory.User{Email: f.Email, Name: f.Name, Role: directory.Role(role), PartnerID: partner}, password)
	if err != nil {
		if !formError(err) {
			s.renderError(c, err)
			return
		}
		pg := adminUsersPage{Form: f, Error: sentence(directory.ErrorMessage(err)), Roles: selectOptions(roleOptions, role)}
		ps, perr := s.dir.Partners(c.Request.Context())
		if perr != nil {
			s.renderError(c, perr)
			return
		}
		opts := [][2]string{{"", "None (admins and workers)"}}
		for _, p := range ps {
			opts = append(opts, [2]string{p.ID, p.Name})
		}
		pg.Partners = selectOptions(opts, partner)
		s.renderUsers(c, http.StatusBadRequest, pg)
		return
	}
	s.renderUsers(c, http.StatusOK, adminUsersPage{NewUser: u.Email, NewPassword: password})
}

// generatedPasswordLen is the length of a password made for a new user:
// 20 characters of a URL-safe random secret, about 120 bits.
const generatedPasswordLen = 20

// adminUserDisable answers POST /admin/users/disable: the user can no
// longer sign in, and their sessions end at once.
func (s *Server) adminUserDisable(c *gin.Context) {
	s.userAction(c, "disabled", func(email string) error { return s.dir.SetUserDisabled(c.Request.Context(), email, true) })
}

// adminUserEnable answers POST /admin/users/enable.
func (s *Server) adminUserEnable(c *gin.Context) {
	s.userAction(c, "enabled", func(email string) error { return s.dir.SetUserDisabled(c.Request.Context(), email, false) })
}

// adminUserEndSessions answers POST /admin/users/end-sessions: every
// browser the user is signed in on is signed out.
func (s *Server) adminUserEndSessions(c *gin.Context) {
	s.userAction(c, "signed-out", func(email string) error { return s.dir.EndSessionsOf(c.Request.Context(), email) })
}

// userAction does something to the user named by the form's email and
// goes back to the list saying so. An admin cannot do it to themselves:
// they would lock themselves out (signing out is on every page).
func (s *Server) userAction(c *gin.Context, done string, act func(email string) error) {
	email := strings.ToLower(strings.TrimSpace(c.PostForm("email")))
	if email == strings.ToLower(currentUser(c).Email) {
		s.renderUsers(c, http.StatusBadRequest, adminUsersPage{Error: "You cannot do that to your own account. To sign out, use Sign out."})
		return
	}
	if err := act(email); err != nil {
		if !formError(err) {
			s.renderError(c, err)
			return
		}
		s.renderUsers(c, http.StatusBadRequest, adminUsersPage{Error: sentence(directory.ErrorMessage(err))})
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/users?done="+done+"&user="+url.QueryEscape(email))
}

// adminTokensPage is the data of the API tokens page.
type adminTokensPage struct {
	signedIn
	Tokens   []adminTokenRow
	Partners []selectOption
	Name     string
	Error    string
	// NewToken is a token just made, shown once; Done is the id of a token
	// just revoked.
	NewToken, NewTokenPartner, Done string
}

type adminTokenRow struct {
	ID, PartnerID, Partner, Name, Created, Revoked string
}

// adminTokens answers GET /admin/tokens; ?revoked=ID says that token was
// revoked (when it was).
func (s *Server) adminTokens(c *gin.Context) {
	s.renderTokens(c, http.StatusOK, adminTokensPage{Done: c.Query("revoked")}, "")
}

func (s *Server) renderTokens(c *gin.Context, status int, pg adminTokensPage, partner string) {
	pg.signedIn = signedInAs(c)
	ctx := c.Request.Context()
	ts, err := s.dir.Tokens(ctx, "")
	if err != nil {
		s.renderError(c, err)
		return
	}
	ps, err := s.dir.Partners(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	names := map[string]string{}
	var opts [][2]string
	for _, p := range ps {
		names[p.ID] = p.Name
		opts = append(opts, [2]string{p.ID, p.Name})
	}
	pg.Partners = selectOptions(opts, partner)
	slices.SortFunc(ts, func(a, b directory.APIToken) int { return b.Created.Compare(a.Created) })
	revoked := pg.Done
	pg.Done = ""
	for _, t := range ts {
		if t.ID == revoked && t.Revoked != nil {
			pg.Done = "Token " + t.ID + " has been revoked: it no longer works."
		}
		row := adminTokenRow{ID: t.ID, PartnerID: t.PartnerID, Partner: firstNonEmpty(names[t.PartnerID], t.PartnerID), Name: t.Name,
			Created: t.Created.In(directory.London()).Format(dateFormat)}
		if t.Revoked != nil {
			row.Revoked = t.Revoked.In(directory.London()).Format(dateFormat)
		}
		pg.Tokens = append(pg.Tokens, row)
	}
	s.render(c, status, "admin_tokens", pg)
}

// adminTokenCreate answers POST /admin/tokens: it makes a partner API
// token and shows it once.
func (s *Server) adminTokenCreate(c *gin.Context) {
	partner, name := c.PostForm("partner"), strings.TrimSpace(c.PostForm("name"))
	token, t, err := s.dir.CreateToken(c.Request.Context(), partner, name)
	if err != nil {
		if !formError(err) {
			s.renderError(c, err)
			return
		}
		s.renderTokens(c, http.StatusBadRequest, adminTokensPage{Name: name, Error: sentence(directory.ErrorMessage(err))}, partner)
		return
	}
	s.renderTokens(c, http.StatusOK, adminTokensPage{NewToken: token, NewTokenPartner: t.PartnerID}, "")
}

// adminTokenRevoke answers POST /admin/tokens/revoke: the token stops
// working at once.
func (s *Server) adminTokenRevoke(c *gin.Context) {
	id := c.PostForm("id")
	if err := s.dir.RevokeToken(c.Request.Context(), c.PostForm("partner"), id); err != nil {
		if !formError(err) {
			s.renderError(c, err)
			return
		}
		s.renderTokens(c, http.StatusBadRequest, adminTokensPage{Error: sentence(directory.ErrorMessage(err))}, "")
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/tokens?revoked="+url.QueryEscape(id))
}
