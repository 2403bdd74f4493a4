package main

import (
	"context"
	"fmt"
	"net"

	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/web"
)

// runServe runs the web server until interrupted.
func runServe(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("serve", "[flags]")
	addr := fs.String("addr", "127.0.0.1:8080", "the address to listen on")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (set this when served over HTTPS)")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	log := env.logger(common)
	dir, err := env.openDirectory(ctx, common, log, true)
	if err != nil {
		return err
	}
	defer dir.Close()
	m, err := newMatcher(dir)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{Dir: dir, Importer: importer.New(dir), Matcher: m, Logger: log, SecureCookies: *secure})
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
