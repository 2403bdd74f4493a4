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
}

// Server is the HTTP side of the directory.
type Server struct {
	cfg    Config
	dir    *directory.Directory
	log    *slog.Logger
	now    func() time.Time
	pages  pageSet
	engine *gin.Engine
}

// New builds the server and its routes. It returns an error only when the
// embedded templates do not parse, which tests catch.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = cfg.Dir.Now
	}
	s := &Server{cfg: cfg, dir: cfg.Dir, log: cfg.Logger, now: cfg.Now}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	s.engine = s.routes()
	return s, nil
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// Timeouts for the HTTP server: enough for a slow phone on a poor
// connection to send a form, short enough that stalled clients cannot hold
// connections for long.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 5 * time.Minute // large uploads
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 90 * time.Second
	shutdownGrace     = 20 * time.Second
)

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully, letting requests in flight finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.engine,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
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
