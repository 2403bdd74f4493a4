package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/importer"
)

// TestSoakSearchAndMatchDuringLargeImport is the load test, run on demand
// (it takes a few minutes and all of a small machine):
//
//	LIVINGWELL_SOAK=1 go test ./e2e -run Soak -v -timeout 30m
//
// On the sample network, 16 clients search and match (one request in four)
// without pause for LIVINGWELL_SOAK_SECONDS (default 60)
// while one partner uploads 50,000 listings through the partner API. Every
// answer must be a 200; the test prints the latency percentiles and the
// server's heap and resident memory, sampled every five seconds. Traffic
// goes to 127.0.0.1 only and stops by itself.
func TestSoakSearchAndMatchDuringLargeImport(t *testing.T) {
	if os.Getenv("LIVINGWELL_SOAK") == "" {
		t.Skip("the load test runs on demand: LIVINGWELL_SOAK=1 go test ./e2e -run Soak -v -timeout 30m")
	}
	needBinary(t)
	duration := 60 * time.Second
	if v := os.Getenv("LIVINGWELL_SOAK_SECONDS"); v != "" {
		d, err := time.ParseDuration(v + "s")
		if err != nil {
			t.Fatal(err)
		}
		duration = d
	}
	const clients, importRows = 16, 50000
	dir := t.TempDir()
	fx := prepare(t, dir, "bulk")
	// The sample network too, so searches have something to find.
	d := openStopped(t, dir)
	if _, err := importer.New(d).LoadSample(context.Background()); err != nil {
		t.Fatal(err)
	}
	d.Close()
	s := start(t, dir, "--max-upload-mb", "64")
	big := listingsCSV("S", "heron", importRows)

	// The match API is for workers and admins: the clients match as the
	// fixture's admin, signed in once.
	code, session := s.signIn(fx.admin)
	if session == nil {
		t.Fatalf("signing in for the match API answered %d", code)
	}
	matchBody := []byte(`{"interests":["gardening","cooking"],"goals":["wellbeing"],"postcode":"SW9 8HE","max_distance_km":5}`)
	probe, _ := http.NewRequest(http.MethodPost, s.url+"/api/v1/match", bytes.NewReader(matchBody))
	probe.Header.Set("Content-Type", "application/json")
	probe.AddCookie(session)
	resp, err := client.Do(probe)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the match API answered %d before the load: %s", resp.StatusCode, body)
	}
	queries := []string{"q=gardening", "q=councelling&postcode=SW9", "q=food+bank", "postcode=SE11&sort=distance", "q=walk&day=sat", "category=peer-support&free=true", "q=heron", "q=choir&open_now=true"}

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var mu sync.Mutex
	lat := map[string][]time.Duration{}
	errs := map[string]int{}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; ctx.Err() == nil; i++ {
				kind, req := "search", (*http.Request)(nil)
				if i%4 == 0 {
					kind = "match"
					req, _ = http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/api/v1/match", bytes.NewReader(matchBody))
					req.Header.Set("Content-Type", "application/json")
					req.AddCookie(session)
				} else {
					req, _ = http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/api/v1/search?"+queries[i%len(queries)], nil)
				}
				began := time.Now()
				resp, err := client.Do(req)
				took := time.Since(began)
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				if err != nil {
					errs[kind+": "+err.Error()]++
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						errs[fmt.Sprintf("%s: HTTP %d", kind, resp.StatusCode)]++
					}
					lat[kind] = append(lat[kind], took)
				}
				mu.Unlock()
			}
		}()
	}
	// The large import, started once the load is on.
	importDone := make(chan string, 1)
	go func() {
		time.Sleep(2 * time.Second)
		began := time.Now()
		resp, err := s.importCSV(context.Background(), fx.tokens["bulk"], bytes.NewReader(big), "mode=merge")
		if err != nil {
			importDone <- "failed: " + err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		importDone <- fmt.Sprintf("HTTP %d after %s: %.120s", resp.StatusCode, time.Since(began).Round(time.Millisecond), body)
	}()
	// Memory every five seconds.
	var heaps, rss []float64
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
sample:
	for {
		m := s.metrics()
		heaps = append(heaps, m["go_memstats_heap_alloc_bytes"]/(1<<20))
		rss = append(rss, residentMB(s.cmd.Process.Pid))
		select {
		case <-ctx.Done():
			break sample
		case <-tick.C:
		}
	}
	wg.Wait()
	imp := <-importDone
	var r readyz
	s.getJSON("/readyz", &r)

	t.Logf("%d clients for %s against %s; import of %d rows: %s", clients, duration, s.url, importRows, imp)
	for _, kind := range []string{"search", "match"} {
		ls := lat[kind]
		if len(ls) == 0 {
			continue
		}
		slices.Sort(ls)
		pct := func(p float64) time.Duration {
			return ls[min(len(ls)-1, int(float64(len(ls))*p))].Round(100 * time.Microsecond)
		}
		t.Logf("%s: %d answered (%.0f/s), p50 %s, p95 %s, p99 %s, max %s", kind, len(ls), float64(len(ls))/duration.Seconds(), pct(0.50), pct(0.95), pct(0.99), ls[len(ls)-1].Round(time.Millisecond))
	}
	t.Logf("heap MB every 5 s: %s", floats(heaps))
	t.Logf("resident MB every 5 s: %s", floats(rss))
	t.Logf("after: %d listings in the store, %d in the index", r.Health.Listings, r.Health.IndexedListings)
	if len(errs) > 0 {
		t.Errorf("errors under load: %v", errs)
	}
	if !strings.HasPrefix(imp, "HTTP 200") {
		t.Errorf("the import: %s", imp)
	}
	if r.Health.Listings != r.Health.IndexedListings {
		t.Errorf("after the load the index (%d) disagrees with the store (%d)", r.Health.IndexedListings, r.Health.Listings)
	}
}

// residentMB reads a process's resident memory from /proc, 0 when it
// cannot.
func residentMB(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		var kb float64
		if _, err := fmt.Sscanf(line, "VmRSS: %g kB", &kb); err == nil {
			return kb / 1024
		}
	}
	return 0
}

func floats(vs []float64) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%.0f", v)
	}
	return strings.Join(parts, " ")
}
