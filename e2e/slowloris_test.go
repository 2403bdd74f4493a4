package e2e

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// stalled is how many stalled connections the test holds open: well past
// what a server with a connection pool of a few hundred would survive,
// within the test process's open-file limit.
const stalled = 600

// TestStalledClientsDoNotExhaustTheServer opens many connections that
// send part of a request and then stall (slowloris): some never finish
// their headers, some promise a body on the sign-in form and never send
// it, some send an upload to the partner API a byte at a time. Normal
// requests are still answered, the connections that stalled in their
// headers are closed by the server once the read-header timeout passes,
// and the server's memory stays small.
func TestStalledClientsDoNotExhaustTheServer(t *testing.T) {
	needBinary(t)
	dir := t.TempDir()
	fx := prepare(t, dir, "alpha")
	s := start(t, dir, "--read-header-timeout", "2s", "--idle-timeout", "2s")
	addr := strings.TrimPrefix(s.url, "http://")

	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	open := func(first string) net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("connection %d: %v", len(conns), err)
		}
		if _, err := io.WriteString(c, first); err != nil {
			t.Fatalf("connection %d: %v", len(conns), err)
		}
		conns = append(conns, c)
		return c
	}
	var headerStalls []net.Conn
	for i := range stalled {
		switch i % 3 {
		case 0: // headers never finished
			headerStalls = append(headerStalls, open("GET /search?q=walk HTTP/1.1\r\nHost: x\r\nX-Slow: "))
		case 1: // a form body promised and never sent
			open("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\nemail=")
		case 2: // an upload trickling in, with a real token
			open("POST /api/v1/partner/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + fx.tokens["alpha"] + "\r\nContent-Type: text/csv\r\nContent-Length: 10000000\r\n\r\nref,name\n")
		}
	}

	// Normal requests are answered while all of those hang on.
	for _, path := range []string{"/healthz", "/api/v1/search?q=walk", "/search?q=garden", "/oruk/services"} {
		resp, err := client.Get(s.url + path)
		if err != nil {
			t.Fatalf("GET %s with %d stalled connections: %v", path, stalled, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s with %d stalled connections answered %d", path, stalled, resp.StatusCode)
		}
	}

	// The header stalls are closed by the server (the deadline is a guard
	// against a hang: the server's timeout is 2 s).
	closed := 0
	for _, c := range headerStalls {
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, err := io.ReadAll(c)
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			closed++
		}
	}
	if closed != len(headerStalls) {
		t.Errorf("the server closed %d of %d connections stalled in their headers", closed, len(headerStalls))
	}

	m := s.metrics()
	t.Logf("with %d stalled connections: %v goroutines, heap %.1f MB", stalled, m["go_goroutines"], m["go_memstats_heap_alloc_bytes"]/(1<<20))
	if heap := m["go_memstats_heap_alloc_bytes"]; heap > 256<<20 {
		t.Errorf("the server holds %.0f MB of heap with stalled clients", heap/(1<<20))
	}
	if inLog(s.log.String(), "panic") {
		t.Errorf("the server panicked:\n%s", s.log.String())
	}
}

// metrics reads /metrics (the test runs on the same machine) into name ->
// value, for the series without labels.
func (s *server) metrics() map[string]float64 {
	s.t.Helper()
	resp, err := client.Get(s.url + "/metrics")
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]float64{}
	for _, line := range strings.Split(string(raw), "\n") {
		var name string
		var v float64
		if strings.HasPrefix(line, "#") || strings.Contains(line, "{") {
			continue
		}
		if _, err := fmt.Sscanf(line, "%s %g", &name, &v); err == nil {
			out[name] = v
		}
	}
	return out
}
