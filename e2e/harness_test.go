package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// binary is the livingwell binary TestMain built, "" under -short.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	tmp, err := os.MkdirTemp("", "livingwell-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(tmp, "livingwell")
	build := exec.Command("go", "build", "-o", binary, "github.com/livingwell/livingwell/cmd/livingwell")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build livingwell:", err)
		os.RemoveAll(tmp)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// needBinary skips the test under -short.
func needBinary(t *testing.T) {
	t.Helper()
	if testing.Short() || binary == "" {
		t.Skip("runs the real binary (builds it, starts servers, kills them); skipped with -short")
	}
}

// adminPassword is the password of every account the fixtures make.
const adminPassword = "correct horse battery"

// fixture is a prepared data directory: partners, each with an API token,
// and an admin, made in-process before any server starts.
type fixture struct {
	dir    string
	tokens map[string]string // partner id -> API token
	admin  string
}

// prepare makes a data directory in dir with the given partners, a token
// for each and an admin, marked as set up (so serve does not load the
// sample network).
func prepare(t *testing.T, dir string, partners ...string) *fixture {
	t.Helper()
	v, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	d, err := directory.Open(directory.Config{Dir: dir, Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := directory.WithActor(context.Background(), "cli:test")
	f := &fixture{dir: dir, tokens: map[string]string{}, admin: "admin@example.org"}
	for _, p := range partners {
		if _, err := d.AddPartner(ctx, directory.Partner{ID: p, Name: "Partner " + p}); err != nil {
			t.Fatal(err)
		}
		tok, _, err := d.CreateToken(ctx, p, "e2e")
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[p] = tok
	}
	if _, err := d.AddUser(ctx, directory.User{Email: f.admin, Role: directory.RoleAdmin}, adminPassword); err != nil {
		t.Fatal(err)
	}
	if err := d.MarkInitialised(); err != nil {
		t.Fatal(err)
	}
	return f
}

// logBuffer collects a process's output; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// server is a running "livingwell serve".
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string
	log  *logBuffer
	done chan struct{}
	err  error
}

var servingRE = regexp.MustCompile(`msg=serving url=(http://[0-9.:]+)/`)

// startupWait bounds how long a server may take to start: opening a large
// store and rebuilding its index takes a while on a small machine. It
// guards against a hang; no test measures it.
const startupWait = 3 * time.Minute

// start runs "livingwell serve" on dataDir at a free loopback port with
// extra flags, and waits until it says where it is serving. wrap, when
// set, turns the command line into another (to run it under a shell).
func start(t *testing.T, dataDir string, extra ...string) *server {
	t.Helper()
	return startWith(t, nil, dataDir, extra...)
}

func startWith(t *testing.T, wrap func([]string) []string, dataDir string, extra ...string) *server {
	t.Helper()
	args := append([]string{binary, "serve", "--data", dataDir, "--addr", "127.0.0.1:0", "--api-burst", "100000", "--api-per-second", "100000"}, extra...)
	if wrap != nil {
		args = wrap(args)
	}
	s := &server{t: t, log: &logBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(args[0], args[1:]...)
	s.cmd.Env = append(os.Environ(), "LIVINGWELL_LOG_LEVEL=info")
	pr, pw := io.Pipe()
	s.cmd.Stdout = s.log
	s.cmd.Stderr = io.MultiWriter(s.log, pw)
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = s.cmd.Wait()
		pw.Close()
		close(s.done)
	}()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
	}()
	t.Cleanup(func() { s.kill() })
	select {
	case s.url = <-found:
	case <-s.done:
		t.Fatalf("the server stopped before serving (%v):\n%s", s.err, s.log.String())
	case <-time.After(startupWait):
		s.kill()
		t.Fatalf("the server did not start within %s:\n%s", startupWait, s.log.String())
	}
	return s
}

// kill sends SIGKILL and waits for the process to go.
func (s *server) kill() {
	if s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// stop sends SIGTERM and waits for a graceful exit.
func (s *server) stop() {
	s.t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		s.kill()
		s.t.Fatalf("the server did not stop on SIGTERM:\n%s", s.log.String())
	}
}

// client is the HTTP client of the tests: no redirects followed, and a
// timeout as a guard against hangs.
var client = &http.Client{Timeout: 5 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// getJSON fetches path and decodes its JSON answer into v, returning the
// status.
func (s *server) getJSON(path string, v any) int {
	s.t.Helper()
	resp, err := client.Get(s.url + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v\n%s", path, err, s.log.String())
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			s.t.Fatalf("GET %s: %v", path, err)
		}
	}
	return resp.StatusCode
}

// readyz is what /readyz answers.
type readyz struct {
	Ready  bool             `json:"ready"`
	Reason string           `json:"reason"`
	Health directory.Health `json:"health"`
}

// searchTotal returns the search API's total for a query string.
func (s *server) searchTotal(query string) int {
	s.t.Helper()
	var body struct {
		Total int `json:"total"`
	}
	if code := s.getJSON("/api/v1/search?per_page=1&facets=false&"+query, &body); code != http.StatusOK {
		time.Sleep(100 * time.Millisecond) // the access log line follows the answer
		s.t.Fatalf("search %q answered %d; the server's log:\n%s", query, code, tail(s.log.String(), 6000))
	}
	return body.Total
}

// importCSV posts a CSV body to the partner API with a token.
func (s *server) importCSV(ctx context.Context, token string, body io.Reader, query string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/api/v1/partner/imports?"+query, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	return client.Do(req)
}

// listingsCSV writes n listing rows of a partner file: refs PREFIX-0 to
// PREFIX-(n-1), each described with word so a search can find them.
func listingsCSV(prefix, word string, n int) []byte {
	var b bytes.Buffer
	b.WriteString("ref,name,description,categories,postcode,phone,email,last_verified\n")
	for i := range n {
		fmt.Fprintf(&b, "%s-%d,Group %s %d,\"A friendly %s group that meets every week, number %d.\",walking-groups,SW9 8HE,020 7946 %04d,,2026-01-10\n", prefix, i, word, i, word, i, i%10000)
	}
	return b.Bytes()
}

// openStopped opens a stopped server's data directory in-process.
func openStopped(t *testing.T, dir string) *directory.Directory {
	t.Helper()
	v, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	d, err := directory.Open(directory.Config{Dir: dir, Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// copyDir copies a data directory (files only, as a stopped server left
// it).
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if e.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// inLog reports whether the server's log has a line containing every one
// of parts.
func inLog(log string, parts ...string) bool {
	for _, line := range strings.Split(log, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// cliWait bounds a command of the binary; a guard against hangs.
const cliWait = 2 * time.Minute

// runCLI runs the binary with args and returns what it printed.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("livingwell %s did not finish within %s", strings.Join(args, " "), cliWait)
	}
	return string(out), err
}

// tail returns the last n bytes of s, for logs in failure messages.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
