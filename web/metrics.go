package web

import (
	"fmt"
	"io"
	"maps"
	"net/netip"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// Metrics are served at /metrics in the Prometheus text exposition format
// (version 0.0.4), written by hand: a few counters and histograms need
// about 200 lines, where github.com/prometheus/client_golang would bring
// a dozen modules (protobuf, common, procfs, ...) into a binary that
// otherwise depends only on what it must. The names follow Prometheus
// conventions, so a switch to client_golang later changes no dashboard.

// latencyBuckets are the upper bounds, in seconds, of the latency
// histograms: from a cached search to a large upload.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// histogram counts observations into latencyBuckets.
type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

func newHistogram() *histogram { return &histogram{counts: make([]uint64, len(latencyBuckets)+1)} }

func (h *histogram) observe(v float64) {
	i, _ := slices.BinarySearch(latencyBuckets, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

// write prints the histogram's series under name with labels.
func (h *histogram) write(w io.Writer, name, labels string) {
	var cum uint64
	sep := ""
	if labels != "" {
		sep = ","
	}
	for i, ub := range latencyBuckets {
		cum += h.counts[i]
		fmt.Fprintf(w, "%s_bucket{%s%sle=%q} %d\n", name, labels, sep, strconv.FormatFloat(ub, 'g', -1, 64), cum)
	}
	cum += h.counts[len(latencyBuckets)]
	fmt.Fprintf(w, "%s_bucket{%s%sle=\"+Inf\"} %d\n", name, labels, sep, cum)
	fmt.Fprintf(w, "%s_sum%s %s\n", name, braces(labels), strconv.FormatFloat(h.sum, 'g', -1, 64))
	fmt.Fprintf(w, "%s_count%s %d\n", name, braces(labels), h.n)
}

func braces(labels string) string {
	if labels == "" {
		return ""
	}
	return "{" + labels + "}"
}

// label renders name="value" with the value escaped as the format asks.
func label(name, value string) string {
	return name + `="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(value) + `"`
}

// metrics is the server's registry. It is safe for concurrent use.
type metrics struct {
	start time.Time

	mu       sync.Mutex
	requests map[string]uint64     // method, route, code labels -> count
	latency  map[string]*histogram // method, route labels -> latency
	search   *histogram
	match    *histogram
	imports  map[string]uint64 // route, outcome labels -> count
}

func newMetrics() *metrics {
	return &metrics{start: time.Now(), requests: map[string]uint64{}, latency: map[string]*histogram{},
		search: newHistogram(), match: newHistogram(), imports: map[string]uint64{}}
}

// searchRoutes are the routes whose work is a search of the index.
var searchRoutes = map[string]bool{
	"/api/v1/search": true, "/search": true, "/oruk/services": true, "/oruk/service_at_locations": true,
}

// importRoutes are the routes that plan and apply partner uploads.
var importRoutes = map[string]bool{
	"POST /api/v1/partner/imports": true, "POST /partner/upload": true, "POST /partner/upload/:id/confirm": true, "POST /partner/imports/undo": true,
}

// observe records a finished request.
func (m *metrics) observe(method, route string, code int, took time.Duration) {
	secs := took.Seconds()
	key := label("method", method) + "," + label("route", route)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[key+","+label("code", strconv.Itoa(code))]++
	h := m.latency[key]
	if h == nil {
		h = newHistogram()
		m.latency[key] = h
	}
	h.observe(secs)
	switch {
	case searchRoutes[route] && method == "GET":
		m.search.observe(secs)
	case strings.Contains(route, "/match"):
		m.match.observe(secs)
	}
	if importRoutes[method+" "+route] {
		outcome := "ok"
		switch {
		case code >= 500:
			outcome = "error"
		case code >= 400:
			outcome = "rejected"
		}
		m.imports[label("route", route)+","+label("outcome", outcome)]++
	}
}

// middleware times every request and records it under its route (the
// pattern, never the raw path, so the series stay few).
func (m *metrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.observe(c.Request.Method, route, c.Writer.Status(), time.Since(start))
	}
}

// write prints every metric, with the directory's health read now.
func (m *metrics) write(w io.Writer, h *directory.Health) {
	m.mu.Lock()
	counter := func(name, help string, series map[string]uint64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
		for _, k := range slices.Sorted(maps.Keys(series)) {
			fmt.Fprintf(w, "%s{%s} %d\n", name, k, series[k])
		}
	}
	counter("livingwell_http_requests_total", "HTTP requests answered, by method, route pattern and status code.", m.requests)
	fmt.Fprintf(w, "# HELP livingwell_http_request_duration_seconds Time to answer HTTP requests, by method and route pattern.\n# TYPE livingwell_http_request_duration_seconds histogram\n")
	for _, k := range slices.Sorted(maps.Keys(m.latency)) {
		m.latency[k].write(w, "livingwell_http_request_duration_seconds", k)
	}
	fmt.Fprintf(w, "# HELP livingwell_search_duration_seconds Time to answer searches (search API, search page, ORUK lists).\n# TYPE livingwell_search_duration_seconds histogram\n")
	m.search.write(w, "livingwell_search_duration_seconds", "")
	fmt.Fprintf(w, "# HELP livingwell_match_duration_seconds Time to answer match requests.\n# TYPE livingwell_match_duration_seconds histogram\n")
	m.match.write(w, "livingwell_match_duration_seconds", "")
	counter("livingwell_import_requests_total", "Partner upload requests, by route and outcome (ok, rejected: 4xx, error: 5xx).", m.imports)
	m.mu.Unlock()

	gauge := func(name, help string, v float64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", name, help, name, name, strconv.FormatFloat(v, 'f', -1, 64))
	}
	if h != nil {
		gauge("livingwell_listings", "Listings in the store.", float64(h.Listings))
		gauge("livingwell_index_documents", "Documents in the search index (listings and synonym definitions).", float64(h.Documents))
		gauge("livingwell_indexed_listings", "Listings in the search index; equal to livingwell_listings when the two agree.", float64(h.IndexedListings))
		gauge("livingwell_index_bytes", "Size of the search index on disk.", float64(h.IndexBytes))
		gauge("livingwell_store_bytes", "Size of the store.", float64(h.StoreBytes))
		gauge("livingwell_store_generation", "Listing generation of the store.", float64(h.StoreGeneration))
		gauge("livingwell_index_generation", "Store generation the search index has caught up with.", float64(h.IndexGeneration))
		gauge("livingwell_index_pending", "Listing changes the index has still to take in.", float64(h.Pending))
		gauge("livingwell_disk_free_bytes", "Free space on the data directory's file system (-1 when unknown).", float64(h.DiskFree))
		gauge("livingwell_read_only", "1 when the data directory cannot be written and changes are refused.", boolFloat(h.ReadOnly))
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge("go_goroutines", "Goroutines that currently exist.", float64(runtime.NumGoroutine()))
	gauge("go_memstats_heap_alloc_bytes", "Heap bytes allocated and still in use.", float64(ms.HeapAlloc))
	gauge("go_memstats_sys_bytes", "Bytes obtained from the system.", float64(ms.Sys))
	fmt.Fprintf(w, "# HELP go_gc_cycles_total Completed GC cycles.\n# TYPE go_gc_cycles_total counter\ngo_gc_cycles_total %d\n", ms.NumGC)
	gauge("process_start_time_seconds", "Start time of the process since the Unix epoch.", float64(m.start.Unix()))
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// DefaultMetricsFrom is who may read /metrics without signing in: the
// machine itself.
var DefaultMetricsFrom = []string{"127.0.0.0/8", "::1/128"}

// metricsAllowed reports whether a request may read /metrics: a direct
// (not forwarded) connection from one of the allowed networks, or a
// signed-in admin. A request a reverse proxy forwarded carries
// X-Forwarded-For or Forwarded and is refused, so a proxy on the same
// machine does not open the metrics to the world.
func (s *Server) metricsAllowed(c *gin.Context) bool {
	if u := currentUser(c); u != nil && u.Role == directory.RoleAdmin {
		return true
	}
	if c.GetHeader("X-Forwarded-For") != "" || c.GetHeader("Forwarded") != "" || c.GetHeader("X-Real-IP") != "" {
		return false
	}
	ip, err := netip.ParseAddr(c.RemoteIP())
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range s.ops.metricsFrom {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
