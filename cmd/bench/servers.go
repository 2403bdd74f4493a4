package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/matcher"
	"github.com/livingwell/livingwell/web"
)

// server is an HTTP server the harness runs on a loopback port.
type server struct {
	base string
	stop func()
}

// serve answers on a free loopback port with h until stop is called.
func serve(h http.Handler) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return &server{base: "http://" + ln.Addr().String(), stop: func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}}, nil
}

// serveDirectory runs the product's own router (every middleware, the
// access log written and thrown away) over dir and the matcher, with the
// public API's rate limit lifted so that it measures the search, not the
// limit. Every request it is sent carries a signed-in worker's session, as
// the match API asks (searches need none and pay only the session's
// lookup).
func serveDirectory(dir *directory.Directory, m *matcher.Matcher, uploads string) (*server, error) {
	s, err := web.New(web.Config{
		Dir: dir, Importer: importer.New(dir), Matcher: m, UploadDir: uploads,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: web.Limits{PublicAPI: web.Rate{Burst: 1 << 30, Per: time.Nanosecond}},
	})
	if err != nil {
		return nil, fmt.Errorf("build the web server: %w", err)
	}
	session, err := workerSession(dir)
	if err != nil {
		return nil, err
	}
	h := s.Handler()
	return serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.AddCookie(session)
		h.ServeHTTP(w, r)
	}))
}

// workerSession adds a worker to dir (once) and signs them in for a day.
func workerSession(dir *directory.Directory) (*http.Cookie, error) {
	ctx := context.Background()
	const email = "bench-worker@livingwell.invalid"
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	_, err := dir.AddUser(ctx, directory.User{Email: email, Role: directory.RoleWorker}, hex.EncodeToString(secret))
	if err != nil && directory.ErrorCode(err) != directory.ECONFLICT {
		return nil, fmt.Errorf("add the worker the match API is called as: %w", err)
	}
	token, _, err := dir.CreateSession(ctx, email, 24*time.Hour)
	if err != nil {
		return nil, fmt.Errorf("sign in the worker the match API is called as: %w", err)
	}
	return &http.Cookie{Name: "lw_session", Value: token}, nil
}

// serveFloor answers every request at once with an empty 200: the
// fastest any handler could be, for the same client over the same
// loopback.
func serveFloor() (*server, error) {
	return serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
}

// newClient returns the HTTP client every measurement uses: kept-alive
// connections, enough for 8 workers.
func newClient() *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, DisableCompression: true}}
}

// get fetches url, reads the whole body and checks the status.
func get(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, res.Status)
	}
	return nil
}
