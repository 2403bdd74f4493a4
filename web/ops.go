package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// ops is the operations side of the server: metrics, the readiness
// check, and the public API's rate limit.
type ops struct {
	metrics     *metrics
	metricsFrom []netip.Prefix
	public      *rateLimiter

	readyMu  sync.Mutex
	readyAt  time.Time
	readyErr error
}

// readyFor is how long a readiness answer is reused: the check writes to
// the store, and probes may come every second.
const readyFor = 2 * time.Second

// setupOps builds the operations state. It returns an error when a
// MetricsFrom entry is not a CIDR range or address.
func (s *Server) setupOps() error {
	o := &ops{metrics: newMetrics(), public: newRateLimiter(s.cfg.Limits.PublicAPI, DefaultPublicRate, s.now)}
	from := s.cfg.MetricsFrom
	if len(from) == 0 {
		from = DefaultMetricsFrom
	}
	for _, f := range from {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return fmt.Errorf("metrics-from %q: give an address or CIDR range such as 10.0.0.0/8", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		o.metricsFrom = append(o.metricsFrom, p)
	}
	s.ops = o
	return nil
}

// opsRoutes registers the health, readiness and metrics endpoints and the
// admin's audit log and backup.
func (s *Server) opsRoutes(r *gin.Engine) {
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metricsPage)
	admin := r.Group("/admin", s.requireRole(directory.RoleAdmin))
	admin.GET("/audit", s.auditPage)
	admin.GET("/audit.json", s.auditJSON)
	admin.GET("/backup", s.longRequest(), s.adminBackup)
}

// isPublicAPI reports whether a path is part of the public API: the JSON
// API other than the partner API (token-limited by its own rules), and
// the Open Referral UK API.
func isPublicAPI(path string) bool {
	return (strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/api/v1/partner/")) ||
		path == "/oruk" || strings.HasPrefix(path, "/oruk/")
}

// publicLimit rate-limits the public API per client: a signed-in user by
// their account, anyone else by their IP (the peer address, or with
// trusted proxies the address they forwarded for).
func (s *Server) publicLimit() gin.HandlerFunc {
	return s.limit(s.ops.public, func(c *gin.Context) string {
		if !isPublicAPI(c.Request.URL.Path) {
			return ""
		}
		if u := currentUser(c); u != nil {
			return "user:" + u.Email
		}
		return "ip:" + clientIP(c)
	})
}

// readyz answers 200 when the server can serve and take changes (the index
// is in step with the store, the store accepts writes, the disk has room)
// and 503 saying what is wrong otherwise. /healthz answers whether the
// process is up at all.
func (s *Server) readyz(c *gin.Context) {
	o := s.ops
	o.readyMu.Lock()
	if time.Since(o.readyAt) > readyFor {
		o.readyErr, o.readyAt = s.dir.Ready(c.Request.Context()), time.Now()
	}
	err := o.readyErr
	o.readyMu.Unlock()
	h, herr := s.dir.Health(c.Request.Context())
	if herr != nil {
		apiError(c, herr)
		return
	}
	c.Header("Cache-Control", "no-store")
	if err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"ready": false, "reason": directory.ErrorMessage(err), "health": h})
		return
	}
	c.JSON(http.StatusOK, gin.H{"ready": true, "health": h})
}

// metricsPage answers the metrics in the Prometheus text format, to this
// machine (or MetricsFrom) and to signed-in admins; 404 to anyone else, as
// if there were nothing there.
func (s *Server) metricsPage(c *gin.Context) {
	if !s.metricsAllowed(c) {
		apiError(c, directory.Errorf(directory.ENOTFOUND, "there is nothing at %s - check the address", c.Request.URL.Path))
		return
	}
	h, err := s.dir.Health(c.Request.Context())
	if err != nil {
		logger(c).Error("read health for metrics", "err", err)
		h = nil
	}
	var buf bytes.Buffer
	s.ops.metrics.write(&buf, h)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", buf.Bytes())
}

// adminBackup answers a consistent copy of the store. The copy is taken in
// one read transaction into a file in the upload folder and sent from
// there, so a slow download never holds the transaction open (which would
// stop the store from growing under the writes going on meanwhile). The
// backup is recorded in the audit log.
func (s *Server) adminBackup(c *gin.Context) {
	ctx := c.Request.Context()
	f, err := os.CreateTemp(s.cfg.UploadDir, uploadFilePrefix+"backup-*")
	if err != nil {
		apiError(c, directory.Internal(err, "make room for the backup"))
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := s.dir.Backup(ctx, f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		apiError(c, err)
		return
	}
	if err := s.dir.RecordAudit(ctx, directory.AuditBackup, "", fmt.Sprintf("%d bytes, to %s", n, c.ClientIP())); err != nil {
		// A backup is most wanted when the disk is in trouble: send it
		// even when the record of it cannot be written.
		logger(c).Error("record the backup in the audit log", "err", err)
	}
	name := "livingwell-" + s.now().UTC().Format("20060102T150405Z") + ".db"
	logger(c).Info("backup taken", "bytes", n, "user", currentUser(c).Email)
	c.Header("Cache-Control", "no-store")
	c.DataFromReader(http.StatusOK, n, "application/octet-stream", f, map[string]string{
		"Content-Disposition": `attachment; filename="` + name + `"`,
	})
}
