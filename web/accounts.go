package web

import (
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"
)

// Defaults for the account and upload settings in Config.
const (
	// DefaultSessionTTL is how long a sign-in lasts: a working day.
	DefaultSessionTTL = 12 * time.Hour
	// DefaultMaxUploadBytes is the largest upload: room for a
	// 200,000-row partner CSV (about 1 KB a row) with margin.
	DefaultMaxUploadBytes = 256 << 20
)

// pruneEvery is how often expired sessions are swept from the store (on
// the next sign-in after it has passed).
const pruneEvery = time.Hour

// accounts is the server's sign-in state: settings, the cross-origin
// check and the rate limiters.
type accounts struct {
	ttl     time.Duration
	cookie  string
	secure  bool
	cop     *http.CrossOriginProtection
	signIn  *rateLimiter
	imports *rateLimiter

	pruneMu   sync.Mutex
	lastPrune time.Time
}

// setupAccounts fills in the defaults and builds the sign-in and upload
// state. It returns an error when the upload folder cannot be made.
func (s *Server) setupAccounts() error {
	if s.cfg.SessionTTL <= 0 {
		s.cfg.SessionTTL = DefaultSessionTTL
	}
	if s.cfg.MaxUploadBytes <= 0 {
		s.cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if s.cfg.UploadDir == "" {
		s.cfg.UploadDir = os.TempDir()
	}
	a := &accounts{
		ttl:     s.cfg.SessionTTL,
		secure:  s.cfg.SecureCookies,
		cookie:  "lw_session",
		cop:     http.NewCrossOriginProtection(),
		signIn:  newRateLimiter(s.cfg.Limits.SignIn, DefaultSignInRate, s.now),
		imports: newRateLimiter(s.cfg.Limits.Imports, DefaultImportsRate, s.now),
	}
	if a.secure {
		// The __Host- prefix makes browsers refuse the cookie unless it is
		// Secure, host-only and for Path=/, so a sibling subdomain cannot
		// plant or overwrite it.
		a.cookie = "__Host-lw_session"
	}
	s.acct = a
	up, err := newUploadStore(s.cfg.UploadDir, s.now)
	if err != nil {
		return fmt.Errorf("upload folder: %w", err)
	}
	s.uploads = up
	return nil
}
