package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// result is what one run of the command line gave.
type result struct {
	code           int
	stdout, stderr string
}

// run runs livingwell in-process on the data directory data, with stdin,
// and returns what it printed and its exit code. The environment is empty
// but for what env gives.
func runCLI(t *testing.T, data, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cli{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	full := append(append([]string{}, args...), "--data", data, "--log-level", "warn")
	code := env.main(context.Background(), full)
	return result{code, out.String(), errOut.String()}
}

// mustRun runs livingwell and fails the test unless it exits 0.
func mustRunCLI(t *testing.T, data, stdin string, args ...string) result {
	t.Helper()
	r := runCLI(t, data, stdin, args...)
	if r.code != 0 {
		t.Fatalf("livingwell %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}
