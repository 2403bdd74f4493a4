package browsertest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/livingwell/livingwell/directory"
)

// The users the browser tests sign in as, all with testPassword.
const (
	testPassword = "correct horse battery"
	adminEmail   = "coordinator@example.org"
	workerEmail  = "link.worker@example.org"
	partnerEmail = "grower@example.org"
	// partnerID is the sample partner the partner user works for.
	partnerID = "coldharbour-growing-yard"
)

// mustAddUsers adds an admin, a worker and a partner user for partnerID.
func mustAddUsers(t *testing.T, d *directory.Directory) {
	t.Helper()
	for _, u := range []directory.User{
		{Email: adminEmail, Role: directory.RoleAdmin},
		{Email: workerEmail, Role: directory.RoleWorker},
		{Email: partnerEmail, Role: directory.RolePartner, PartnerID: partnerID},
	} {
		if _, err := d.AddUser(context.Background(), u, testPassword); err != nil {
			t.Fatal(err)
		}
	}
}

// signedInTab opens a tab with cookies of its own and signs in as email
// through the sign-in form, which takes it to the user's first page.
func (s *suite) signedInTab(t *testing.T, email string) *tab {
	t.Helper()
	tb := s.newTab(t, chromedp.WithNewBrowserContext())
	tb.open("/login")
	tb.typeInto("#email", email)
	tb.typeInto("#password", testPassword)
	tb.follow(`form button[type=submit]`)
	if tb.count(`.account-bar`) == 0 {
		t.Fatalf("signing in as %s went to %s, not a signed-in page", email, tb.location())
	}
	return tb
}

// signedOutTab opens a tab with cookies of its own, as someone who has
// never signed in.
func (s *suite) signedOutTab(t *testing.T) *tab {
	t.Helper()
	return s.newTab(t, chromedp.WithNewBrowserContext())
}
