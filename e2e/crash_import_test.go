package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	// beforeRows are the bulk partner's listings before the large import;
	// afterRows after it (the first beforeRows changed, the rest new).
	beforeRows = 500
	afterRows  = 10000
)

// TestKillDuringLargeImport kills the server (SIGKILL) at several points
// of a large import: while the file is still arriving, and at fractions of
// the time the same import takes uninterrupted, so that kills land while
// it is planned, while it is written and while the index takes it in.
// After each restart the store holds either everything from before the
// import or everything from after it, the index agrees with the store, and
// the server answers.
func TestKillDuringLargeImport(t *testing.T) {
	needBinary(t)
	base := t.TempDir()
	fx := prepare(t, base, "bulk")
	// The state before: beforeRows listings described as "quokka".
	s := start(t, base)
	resp, err := s.importCSV(context.Background(), fx.tokens["bulk"], bytes.NewReader(listingsCSV("R", "quokka", beforeRows)), "mode=merge")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the first import failed: %v %v", err, resp)
	}
	resp.Body.Close()
	s.stop()

	// The large import changes those to "zephyr" and adds the rest.
	big := listingsCSV("R", "zephyr", afterRows)

	// Uninterrupted, to know how long it takes and what "after" is.
	full := t.TempDir()
	copyDir(t, base, full)
	s = start(t, full)
	began := time.Now()
	resp, err = s.importCSV(context.Background(), fx.tokens["bulk"], bytes.NewReader(big), "mode=merge")
	took := time.Since(began)
	if err != nil || resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("the large import failed: %v %s", err, body)
	}
	resp.Body.Close()
	checkAllOrNothing(t, s, "uninterrupted")
	s.stop()
	t.Logf("the %d-row import took %s uninterrupted", afterRows, took.Round(time.Millisecond))

	// Planning and writing take well under a second; the index then takes
	// most of the time. The kill points are spread over both.
	points := []struct {
		name string
		// sent is how much of the body is sent before the kill (all of it
		// when 1); then the kill comes wait, plus the fraction after of
		// the uninterrupted time, later.
		sent  float64
		wait  time.Duration
		after float64
	}{
		{"half the file sent", 0.5, 0, 0},
		{"just after the file", 1, 20 * time.Millisecond, 0},
		{"while planning", 1, 150 * time.Millisecond, 0},
		{"while writing", 1, 400 * time.Millisecond, 0},
		{"while indexing", 1, 0, 0.3},
		{"near the end", 1, 0, 0.8},
	}
	for _, pt := range points {
		t.Run(pt.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, base, dir)
			s := start(t, dir)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pr, pw := io.Pipe()
			answered := make(chan int, 1)
			go func() {
				resp, err := s.importCSV(ctx, fx.tokens["bulk"], pr, "mode=merge")
				if err != nil {
					answered <- 0
					return
				}
				resp.Body.Close()
				answered <- resp.StatusCode
			}()
			cut := int(float64(len(big)) * pt.sent)
			if _, err := pw.Write(big[:cut]); err != nil {
				t.Fatal(err)
			}
			if pt.sent == 1 {
				pw.Close()
				time.Sleep(pt.wait + time.Duration(float64(took)*pt.after))
			}
			s.kill()
			pw.CloseWithError(io.ErrClosedPipe)
			code := <-answered
			applied := inLog(s.log.String(), "import applied")

			s = start(t, dir)
			caughtUp := inLog(s.log.String(), "brought the search index back in step") || inLog(s.log.String(), "rebuilding the search index")
			state := checkAllOrNothing(t, s, pt.name)
			t.Logf("killed %s: the client got %d; logged applied: %v; index repaired on start: %v; the store holds %s", pt.name, code, applied, caughtUp, state)
			if code == http.StatusOK && state != "after" {
				t.Errorf("the import was acknowledged but the store holds %s", state)
			}
			s.stop()
			// The audit log agrees: one import before, two after.
			want := map[string]int{"before": 1, "after": 2}[state]
			if got := importHistoryLen(t, dir); got != want {
				t.Errorf("the audit log records %d imports; the store holds %s", got, state)
			}
		})
	}
}

// checkAllOrNothing checks that the bulk partner's listings are all from
// before the import or all from after it, that the index agrees with the
// store, and that the server answers; it returns "before" or "after".
func checkAllOrNothing(t *testing.T, s *server, when string) string {
	t.Helper()
	var r readyz
	if code := s.getJSON("/readyz", &r); code != http.StatusOK || !r.Ready {
		t.Fatalf("%s: /readyz answered %d: %+v", when, code, r)
	}
	h := r.Health
	if h.Listings != h.IndexedListings || !h.InStep() {
		t.Errorf("%s: the index disagrees with the store: %+v", when, h)
	}
	old, new := s.searchTotal("q=quokka"), s.searchTotal("q=zephyr")
	all := s.searchTotal("")
	var state string
	switch {
	case h.Listings == beforeRows && old == beforeRows && new == 0:
		state = "before"
	case h.Listings == afterRows && old == 0 && new == afterRows:
		state = "after"
	default:
		t.Errorf("%s: half an import: %d listings in the store, %d found as before, %d as after", when, h.Listings, old, new)
		state = fmt.Sprintf("%d/%d/%d", h.Listings, old, new)
	}
	if all != h.Listings {
		t.Errorf("%s: a search for everything finds %d, the store holds %d", when, all, h.Listings)
	}
	return state
}

// importHistoryLen counts the bulk partner's applied imports from the
// audit log printed by the binary.
func importHistoryLen(t *testing.T, dir string) int {
	t.Helper()
	out, err := runCLI(t, "audit", "--data", dir, "--json")
	if err != nil {
		t.Fatalf("audit: %v\n%s", err, out)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e struct {
			Action string `json:"action"`
		}
		if json.Unmarshal([]byte(line), &e) == nil && e.Action == "import" {
			n++
		}
	}
	return n
}
