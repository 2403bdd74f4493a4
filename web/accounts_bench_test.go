package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkSessionLookup measures what loadUser adds to a request: nothing
// without a cookie, one store read with one.
func BenchmarkSessionLookup(b *testing.B) {
	e := mustOpenServer(b, Config{})
	ck, _ := e.session(alphaEmail)
	for _, bc := range []struct {
		name string
		ck   *http.Cookie
	}{{"no cookie", nil}, {"signed in", ck}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
				if bc.ck != nil {
					req.AddCookie(bc.ck)
				}
				e.do(req)
			}
		})
	}
}

// BenchmarkPartnerAPIImport sends a partner CSV of LIVINGWELL_BENCH_ROWS
// rows (default 2,000) through POST /api/v1/partner/imports: received to a
// temporary file, validated, applied in one transaction and indexed. It
// reports rows per second and the process's peak resident memory.
//
//	LIVINGWELL_BENCH_ROWS=100000 go test ./web -run '^$' -bench PartnerAPIImport -benchtime 1x
func BenchmarkPartnerAPIImport(b *testing.B) {
	rows := 2000
	if v, err := strconv.Atoi(os.Getenv("LIVINGWELL_BENCH_ROWS")); err == nil && v > 0 {
		rows = v
	}
	var buf bytes.Buffer
	buf.WriteString("ref,name,description,categories,postcode,sessions,cost,phone,email,last_verified\n")
	for i := range rows {
		fmt.Fprintf(&buf, "R%06d,Group number %d,\"A friendly group that meets every week, number %d, with tea.\",community-groups;walking-groups,SW9 8HE,Tue 10:00-12:00,free,020 7946 %04d,group%d@alpha.example.org,2026-02-01\n", i, i, i, i%10000, i)
	}
	file := buf.Bytes()
	for b.Loop() {
		b.StopTimer()
		e := mustOpenServer(b, Config{})
		token := e.token("alpha")
		b.StartTimer()
		w := e.apiImport(token, "?mode=replace", bytes.NewReader(file), "text/csv")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"applied":true`) {
			b.Fatalf("status %d: %.500s", w.Code, w.Body.String())
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(len(file))/(1<<20), "file-MB")
	if kb, ok := peakRSSKB(); ok {
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
	}
}

// peakRSSKB reads the process's peak resident memory from /proc (Linux).
func peakRSSKB() (int, bool) {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n, err == nil
		}
	}
	return 0, false
}
