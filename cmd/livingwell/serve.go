package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"

	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/web"
)

// runServe runs the web server until interrupted.
func runServe(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("serve", "[flags]")
	addr := fs.String("addr", "127.0.0.1:8080", "the address to listen on")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (set this when served over HTTPS)")
	proxies := fs.String("trusted-proxies", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (none by default)")
	maxUpload := fs.Int64("max-upload-mb", web.DefaultMaxUploadBytes>>20, "the largest partner upload accepted, in megabytes")
	lim := serveLimitFlags(fs)
	if err := env.parse(fs, args); err != nil {
		return err
	}
	log := env.logger(common)
	dir, err := env.openDirectory(ctx, common, log, true)
	if err != nil {
		return err
	}
	defer dir.Close()
	// A long-running server keeps its index compact (directory/compact.go).
	dir.CompactInBackground()
	if *maxUpload < 1 {
		return fmt.Errorf("--max-upload-mb %d: give at least 1", *maxUpload)
	}
	m, err := newMatcher(dir)
	if err != nil {
		return err
	}
	cfg := web.Config{Dir: dir, Importer: importer.New(dir), Matcher: m, Logger: log, SecureCookies: *secure,
		TrustedProxies: splitList(*proxies), MaxUploadBytes: *maxUpload << 20, UploadDir: filepath.Join(common.dataDir, "uploads")}
	if err := lim.apply(&cfg, dir); err != nil {
		return err
	}
	srv, err := web.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "data", common.dataDir)
	return srv.Serve(ctx, ln)
}

// splitList splits a comma-separated flag value, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
