package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestAccountCommands adds partners, users and tokens from the command
// line and checks what is printed and stored.
func TestAccountCommands(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if got := mustRunCLI(t, data, "", "partners", "add", "--name", "St Mark's Church").stdout; got != "st-marks-church\n" {
		t.Errorf("partners add printed %q, want the new id", got)
	}
	if got := mustRunCLI(t, data, "", "partners", "add", "--name", "St Mark's Church").stdout; got != "st-marks-church-2\n" {
		t.Errorf("a second partner of the same name got %q", got)
	}
	mustRunCLI(t, data, "", "partners", "add", "--name", "Other Group", "--id", "other")
	if r := runCLI(t, data, "", "partners", "add", "--name", "Again", "--id", "other"); r.code != 1 || !strings.Contains(r.stderr, "already a partner") {
		t.Errorf("a taken id: %+v", r)
	}
	list := mustRunCLI(t, data, "", "partners", "list").stdout
	for _, want := range []string{"st-marks-church ", "St Mark's Church", "other", "Other Group"} {
		if !strings.Contains(list, want) {
			t.Errorf("partners list lacks %q:\n%s", want, list)
		}
	}

	r := mustRunCLI(t, data, "a long enough password\n", "users", "add", "--role", "partner", "--partner", "st-marks-church", "Sam@Example.org")
	if !strings.Contains(r.stdout, "sam@example.org (partner for st-marks-church)") || strings.Contains(r.stdout, "Password") {
		t.Errorf("users add with a password on stdin printed %q", r.stdout)
	}
	r = mustRunCLI(t, data, "", "users", "add", "--role", "admin", "admin@example.org")
	m := regexp.MustCompile(`Password \(shown only now\): (\S{20})\n`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("users add without a password should print a generated one: %q", r.stdout)
	}
	for _, bad := range [][]string{
		{"users", "add", "--role", "partner", "nobody@example.org"},
		{"users", "add", "--role", "partner", "--partner", "ghost", "ghost@example.org"},
		{"users", "add", "--role", "king", "king@example.org"},
		{"users", "add", "--role", "admin", "not-an-email"},
		{"users", "add", "--role", "admin", "admin@example.org"},
	} {
		if r := runCLI(t, data, "a long enough password\n", bad...); r.code != 1 || r.stderr == "" {
			t.Errorf("%v: exit %d, %q; want a refusal saying why", bad, r.code, r.stderr)
		}
	}
	if r := runCLI(t, data, "short\n", "users", "add", "--role", "worker", "w@example.org"); r.code != 1 || !strings.Contains(r.stderr, "password") {
		t.Errorf("a short password: %+v", r)
	}
	users := mustRunCLI(t, data, "", "users", "list").stdout
	if !strings.Contains(users, "sam@example.org") || !strings.Contains(users, "admin@example.org") || strings.Contains(users, m[1]) {
		t.Errorf("users list:\n%s", users)
	}

	r = mustRunCLI(t, data, "", "tokens", "create", "--partner", "st-marks-church", "--name", "their CRM")
	token := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(token, "lw_") || len(token) < 40 {
		t.Fatalf("tokens create printed %q, want the token alone", r.stdout)
	}
	id := regexp.MustCompile(`Token (\S+) for st-marks-church`).FindStringSubmatch(r.stderr)
	if id == nil {
		t.Fatalf("tokens create should say the token's id on stderr: %q", r.stderr)
	}
	other := mustRunCLI(t, data, "", "tokens", "create", "--partner", "other")
	otherID := regexp.MustCompile(`Token (\S+) for other`).FindStringSubmatch(other.stderr)
	tokens := mustRunCLI(t, data, "", "tokens", "list").stdout
	if !strings.Contains(tokens, id[1]) || strings.Contains(tokens, token) || strings.Contains(tokens, strings.TrimSpace(other.stdout)) {
		t.Errorf("tokens list must show ids, never tokens:\n%s", tokens)
	}
	// A partner's tokens can be revoked only by naming that partner.
	if r := runCLI(t, data, "", "tokens", "revoke", "--partner", "st-marks-church", otherID[1]); r.code != 1 || !strings.Contains(r.stderr, "has no token") {
		t.Errorf("revoking another partner's token: %+v", r)
	}
	mustRunCLI(t, data, "", "tokens", "revoke", "--partner", "st-marks-church", id[1])
	tokens = mustRunCLI(t, data, "", "tokens", "list", "--partner", "st-marks-church").stdout
	if !strings.Contains(tokens, "revoked") || strings.Contains(tokens, otherID[1]) {
		t.Errorf("after revoking:\n%s", tokens)
	}
	if r := mustRunCLI(t, data, "", "tokens", "list", "--partner", "other").stdout; strings.Contains(r, "revoked") {
		t.Errorf("revoking one partner's token revoked another's:\n%s", r)
	}

	for _, usage := range [][]string{{"partners"}, {"partners", "remove"}, {"partners", "add"}, {"users", "add", "x@example.org"}, {"tokens", "create"}, {"tokens", "revoke", "--partner", "other"}} {
		if r := runCLI(t, data, "", usage...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 for a usage mistake", usage, r.code)
		}
	}
}

// TestSetUpByHandSkipsSample checks that a data directory set up from the
// command line is not filled with the sample network on the first run.
func TestSetUpByHandSkipsSample(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	mustRunCLI(t, data, "", "partners", "add", "--name", "Real Partner")
	if got := mustRunCLI(t, data, "", "search", "gardening").stdout; !strings.Contains(got, "0 of 0 results") {
		t.Errorf("a directory set up by hand got the sample network:\n%s", got)
	}
}
