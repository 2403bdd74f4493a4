package e2e

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupWhileServingAndRestore takes a backup through a running server
// with "livingwell backup --from" (the directory test backs up while
// writes go on), restores
// it into a new data directory with "livingwell restore", starts a server
// there, and checks that it answers every search as the first did when the
// backup was taken, and that the audit log, read through the server with
// "livingwell audit --from", records the backup.
func TestBackupWhileServingAndRestore(t *testing.T) {
	needBinary(t)
	dir := t.TempDir()
	fx := prepare(t, dir, "alpha", "beta")
	s := start(t, dir)
	for _, p := range []string{"alpha", "beta"} {
		resp, err := s.importCSV(context.Background(), fx.tokens[p], bytes.NewReader(listingsCSV(p, "badger", 300)), "")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("import: %v", err)
		}
		resp.Body.Close()
	}
	queries := []string{"", "q=badger", "q=badgers+group", "postcode=SW9&sort=distance", "q=number+7"}
	want := map[string]int{}
	for _, q := range queries {
		want[q] = s.searchTotal(q)
	}

	out := filepath.Join(t.TempDir(), "backup.db")
	cmd := exec.Command(binary, "backup", "--from", s.url, "--email", fx.admin, out)
	cmd.Env = append(os.Environ(), "LIVINGWELL_PASSWORD="+adminPassword)
	said, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(said), "Backed up 600 listings, 2 partners, 1 users") {
		t.Fatalf("backup --from: %v\n%s", err, said)
	}
	bad := exec.Command(binary, "backup", "--from", s.url, "--email", fx.admin, filepath.Join(t.TempDir(), "no.db"))
	bad.Env = append(os.Environ(), "LIVINGWELL_PASSWORD=wrong password")
	if said, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(said), "were not accepted") {
		t.Errorf("backup with a wrong password: %v\n%s", err, said)
	}

	audit := exec.Command(binary, "audit", "--from", s.url, "--email", fx.admin, "--json")
	audit.Stdin = strings.NewReader(adminPassword + "\n")
	said, err = audit.CombinedOutput()
	if err != nil || !strings.Contains(string(said), `"action":"backup","detail":`) || !strings.Contains(string(said), `"actor":"admin@example.org"`) {
		t.Errorf("audit --from: %v\n%s", err, said)
	}
	s.stop()

	restored := t.TempDir()
	if said, err := runCLI(t, "restore", "--data", restored, out); err != nil || !strings.Contains(said, "Restored 600 listings") {
		t.Fatalf("restore: %v\n%s", err, said)
	}
	r := start(t, restored)
	if !inLog(r.log.String(), "rebuilding the search index from the store") {
		t.Errorf("the first start after a restore did not rebuild the index:\n%s", r.log.String())
	}
	for _, q := range queries {
		if got := r.searchTotal(q); got != want[q] {
			t.Errorf("search %q finds %d after the restore, %d before", q, got, want[q])
		}
	}
	if code, ck := r.signIn(fx.admin); code != http.StatusSeeOther || ck == nil {
		t.Errorf("the admin cannot sign in to the restored directory: %d", code)
	}
	r.stop()
	said2, err := runCLI(t, "audit", "--data", restored)
	if err != nil || !strings.Contains(said2, "restore") {
		t.Errorf("the restore is not in the audit log: %v\n%s", err, said2)
	}
}
