package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/web"
)

// limitFlags are serve's flags for the public API's rate limit, the
// server's timeouts and who may read /metrics (docs/operations.md).
type limitFlags struct {
	apiBurst      *int
	apiPerSecond  *float64
	headerTimeout *time.Duration
	idleTimeout   *time.Duration
	metricsFrom   *string
}

func serveLimitFlags(fs *flag.FlagSet) *limitFlags {
	return &limitFlags{
		apiBurst:      fs.Int("api-burst", web.DefaultPublicRate.Burst, "public API (search, match, Open Referral UK): requests a client may make at once"),
		apiPerSecond:  fs.Float64("api-per-second", float64(time.Second)/float64(web.DefaultPublicRate.Per), "public API: requests a second a client may make after the burst"),
		headerTimeout: fs.Duration("read-header-timeout", web.DefaultTimeouts.ReadHeader, "how long a client may take to send a request's headers"),
		idleTimeout:   fs.Duration("idle-timeout", web.DefaultTimeouts.Idle, "how long an idle kept-alive connection is held open"),
		metricsFrom:   fs.String("metrics-from", "", "comma-separated addresses or CIDR ranges that may read /metrics without signing in (default this machine only)"),
	}
}

// apply checks the flags and puts them into cfg. A data directory opened
// read-only cannot hold uploads, so they go to the system's temporary
// folder.
func (l *limitFlags) apply(cfg *web.Config, dir *directory.Directory) error {
	if *l.apiBurst < 1 || *l.apiPerSecond <= 0 {
		return fmt.Errorf("--api-burst %d, --api-per-second %g: give at least 1 and more than 0", *l.apiBurst, *l.apiPerSecond)
	}
	if *l.headerTimeout <= 0 || *l.idleTimeout <= 0 {
		return fmt.Errorf("--read-header-timeout and --idle-timeout must be above zero")
	}
	cfg.Limits.PublicAPI = web.Rate{Burst: *l.apiBurst, Per: time.Duration(float64(time.Second) / *l.apiPerSecond)}
	cfg.Timeouts.ReadHeader, cfg.Timeouts.Idle = *l.headerTimeout, *l.idleTimeout
	cfg.MetricsFrom = splitList(*l.metricsFrom)
	if dir.ReadOnly() {
		cfg.UploadDir = os.TempDir()
	}
	return nil
}
