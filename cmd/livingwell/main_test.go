package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// run runs a command in-process and returns its exit code and output.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string { return env[k] }}
	code = c.main(context.Background(), args)
	return code, out.String(), errOut.String()
}

// TestSearchAndReindex runs the commands on one data directory: the first
// search loads the sample network, the rest reuse it.
func TestSearchAndReindex(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	quiet := []string{"--data", data, "--log-level", "warn"}

	t.Run("first search loads the sample and prints a table", func(t *testing.T) {
		code, out, errOut := run(t, nil, append([]string{"search", "gardening"}, quiet...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 3 || !strings.HasPrefix(lines[0], "#") || !strings.Contains(lines[0], "NAME") || !strings.Contains(lines[0], "NEXT SESSION") {
			t.Fatalf("no table header:\n%s", out)
		}
		if !strings.Contains(out, "Growing Well") {
			t.Errorf("gardening does not find the Growing Well course:\n%s", out)
		}
		if last := lines[len(lines)-1]; !strings.Contains(last, "results") {
			t.Errorf("last line %q does not say how many results", last)
		}
	})

	t.Run("flags after the words", func(t *testing.T) {
		code, out, errOut := run(t, nil, append([]string{"search", "choir", "--postcode", "SW9", "--radius-km", "3", "--limit", "3"}, quiet...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !strings.Contains(out, "within 3 km of SW9") {
			t.Errorf("the postcode and radius after the words were not used:\n%s", out)
		}
		if rows := strings.Count(out, "\n") - 2; rows != 3 {
			t.Errorf("%d rows; want the 3 --limit asks for:\n%s", rows, out)
		}
		if !strings.Contains(out, " km ") {
			t.Errorf("no distances shown:\n%s", out)
		}
	})

	t.Run("flags before the words, data from the environment", func(t *testing.T) {
		code, out, errOut := run(t, map[string]string{"LIVINGWELL_DATA": data, "LIVINGWELL_LOG_LEVEL": "warn"},
			"search", "--free", "--day", "tue", "--sort", "soonest", "singing")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !strings.Contains(out, "Tue ") || strings.Contains(out, "£") {
			t.Errorf("want free listings meeting on Tuesday:\n%s", out)
		}
	})

	t.Run("a bad postcode is a clear error", func(t *testing.T) {
		code, _, errOut := run(t, nil, append([]string{"search", "choir", "--postcode", "12345"}, quiet...)...)
		if code != 1 || !strings.Contains(errOut, `"12345" is not a full UK postcode`) {
			t.Errorf("exit %d, stderr %q; want 1 and a message naming the postcode", code, errOut)
		}
	})

	t.Run("a bad limit is a clear error", func(t *testing.T) {
		code, _, errOut := run(t, nil, append([]string{"search", "choir", "--limit", "-4"}, quiet...)...)
		if code != 1 || !strings.Contains(errOut, "--limit") {
			t.Errorf("exit %d, stderr %q; want 1 and a message naming --limit", code, errOut)
		}
	})

	t.Run("reindex", func(t *testing.T) {
		code, out, errOut := run(t, nil, append([]string{"reindex"}, quiet...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !strings.HasPrefix(out, "Rebuilt the index: ") || !strings.Contains(out, " listings in ") {
			t.Errorf("reindex said %q", out)
		}
		code, out, _ = run(t, nil, append([]string{"search", "gardening"}, quiet...)...)
		if code != 0 || !strings.Contains(out, "Growing Well") {
			t.Errorf("search after reindex: exit %d\n%s", code, out)
		}
	})
}

func TestUsageErrorsExit2(t *testing.T) {
	data := t.TempDir()
	tests := [][]string{
		{"search", "--nope", "--data", data},
		{"search", "choir", "--radius-km", "far", "--data", data},
		{"reindex", "--bogus", "--data", data},
		{"serve", "--addr", "--data", data, "--secure-cookies=perhaps"},
		{"frobnicate"},
		{},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, _, errOut := run(t, nil, args...)
			if code != 2 {
				t.Errorf("exit %d; want 2", code)
			}
			if errOut == "" {
				t.Error("nothing said about what was wrong")
			}
		})
	}
	if code, _, errOut := run(t, map[string]string{"LIVINGWELL_RADIUS_KM": "far"}, "search", "choir", "--data", data); code != 2 || !strings.Contains(errOut, "LIVINGWELL_RADIUS_KM") {
		t.Errorf("bad environment variable: exit %d, %q; want 2 naming the variable", code, errOut)
	}
	if code, _, _ := run(t, nil, "help"); code != 0 {
		t.Errorf("help exits %d; want 0", code)
	}
}

// syncBuffer is a buffer that a server goroutine writes while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServe(t *testing.T) {
	data := t.TempDir()
	logs := &syncBuffer{}
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.MultiWriter(logs, pw), getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- c.main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--log-format", "json"})
		pw.Close()
	}()
	// Wait for the line that says where it listens.
	var url string
	sc := bufio.NewScanner(pr)
	for url == "" && sc.Scan() {
		var line struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
			url = line.URL
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" {
		t.Fatalf("serve never said where it listens; exit %v, logs:\n%s", <-done, logs.String())
	}
	resp, err := http.Get(url + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health struct {
		Status   string `json:"status"`
		Listings int    `json:"listings"`
	}
	json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || health.Status != "ok" || health.Listings < 300 {
		t.Errorf("/healthz: %d %+v; want ok with the sample network loaded", resp.StatusCode, health)
	}

	// A second process on the same data directory is told clearly.
	code, _, errOut := run(t, nil, "search", "choir", "--data", data)
	if code != 1 || !strings.Contains(errOut, "in use by another livingwell process") {
		t.Errorf("second open: exit %d, %q; want 1 saying the directory is in use", code, errOut)
	}

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d after a graceful stop; want 0. Logs:\n%s", code, logs.String())
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no word of shutting down in the logs:\n%s", logs.String())
	}
}
