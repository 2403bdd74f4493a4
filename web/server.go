package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/matcher"
)

// Config is what the web server needs.
type Config struct {
	Dir      *directory.Directory
	Importer *importer.Importer
	// Matcher ranks listings for a person; the match API is off without it.
	Matcher *matcher.Matcher
	Logger  *slog.Logger
	// Now is the clock; the directory's when nil.
	Now func() time.Time
	// SecureCookies marks cookies Secure (set when served over HTTPS).
	SecureCookies bool
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies
	// whose X-Forwarded-For is believed; none by default, so the client IP
	// is the peer address.
	TrustedProxies []string
	// SessionTTL is how long a sign-in lasts; DefaultSessionTTL when zero.
	SessionTTL time.Duration
	// MaxUploadBytes is the largest partner upload accepted;
	// DefaultMaxUploadBytes when zero.
	MaxUploadBytes int64
	// UploadDir holds uploads while they are checked and until a partner
	// confirms them (serve uses the data directory's "uploads" folder);
	// the system temporary directory when empty.
	UploadDir string
	// Limits are the rate limits; each zero field takes its default.
	Limits Limits
	// Timeouts are the HTTP server's timeouts; each zero field takes its
	// default.
	Timeouts Timeouts
	// MetricsFrom are the networks (CIDR ranges) that may read /metrics
	// without signing in; DefaultMetricsFrom (this machine) when empty.
	MetricsFrom []string
}

// Server is the HTTP side of the directory.
type Server struct {
	cfg    Config
	dir    *directory.Directory
	log    *slog.Logger
	now    func() time.Time
	pages  pageSet
	engine *gin.Engine
	// acct is sign-in, sessions and CSRF state (accounts.go).
	acct *accounts
	// uploads are the partner uploads waiting for confirmation.
	uploads *uploadStore
	// ops is the operations side: metrics, readiness, the public API's
	// rate limit (ops.go).
	ops *ops
	// shortlists are the workers' shortlists, one per session
	// (shortlist.go); terms is the vocabulary for type-ahead (api_terms.go).
	shortlists *shortlists
	terms      *termIndex
}

// New builds the server and its routes. It returns an error when the
// embedded templates do not parse (which tests catch), a trusted proxy is
// not an address or CIDR range, or the upload folder cannot be made.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = cfg.Dir.Now
	}
	s := &Server{cfg: cfg, dir: cfg.Dir, log: cfg.Logger, now: cfg.Now, shortlists: newShortlists(cfg.Now)}
	if cfg.Matcher != nil {
		s.terms = &termIndex{terms: cfg.Matcher.Terms()}
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	if err := s.setupAccounts(); err != nil {
		return nil, err
	}
	if err := s.setupOps(); err != nil {
		return nil, err
	}
	s.engine, err = s.routes()
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// Timeouts are the HTTP server's timeouts.
type Timeouts struct {
	// ReadHeader bounds reading a request's headers; Read the whole
	// request, Write the answer, Idle how long a kept-alive connection may
	// wait for its next request. Upload routes lift Read and Write for the
	// callers they know (longRequest).
	ReadHeader, Read, Write, Idle time.Duration
}

// DefaultTimeouts are enough for a slow phone on a poor connection to send
// a form, and short enough that stalled clients cannot hold connections
// for long.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 5 * time.Minute, Write: 2 * time.Minute, Idle: 90 * time.Second}

const shutdownGrace = 20 * time.Second

// timeouts returns the configured timeouts with defaults filled in.
func (s *Server) timeouts() Timeouts {
	t, d := s.cfg.Timeouts, DefaultTimeouts
	for _, f := range []struct{ v, def *time.Duration }{{&t.ReadHeader, &d.ReadHeader}, {&t.Read, &d.Read}, {&t.Write, &d.Write}, {&t.Idle, &d.Idle}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return t
}

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully, letting requests in flight finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	t := s.timeouts()
	srv := &http.Server{
		Handler:           s.engine,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down; finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
