package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGen writes generated files twice with the same seed and once with
// another, checks they are what was asked for, and imports one.
func TestGen(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	a, b, c := filepath.Join(tmp, "a.csv"), filepath.Join(tmp, "b.csv"), filepath.Join(tmp, "c.csv")
	mustRunCLI(t, data, "", "gen", "--listings", "200", "--seed", "9", "--out", a)
	mustRunCLI(t, data, "", "gen", "--listings", "200", "--seed", "9", "--out", b)
	mustRunCLI(t, data, "", "gen", "--listings", "200", "--seed", "10", "--out", c)
	ra, _ := os.ReadFile(a)
	rb, _ := os.ReadFile(b)
	rc, _ := os.ReadFile(c)
	if string(ra) != string(rb) {
		t.Error("the same seed gave two different files")
	}
	if string(ra) == string(rc) {
		t.Error("two seeds gave the same file")
	}
	if lines := strings.Count(string(ra), "\nGEN-"); lines != 200 {
		t.Errorf("%d listings written, want 200", lines)
	}
	if out := mustRunCLI(t, data, "", "gen", "--listings", "3").stdout; !strings.HasPrefix(out, "ref,name,") || strings.Count(out, "\nGEN-00000") != 3 {
		t.Errorf("to standard output:\n%.300s", out)
	}
	mustRunCLI(t, data, "", "partners", "add", "--name", "Hub", "--id", "hub")
	r := mustRunCLI(t, data, "", "import", a, "--partner", "hub")
	if !strings.Contains(r.stdout, "created          200") || !strings.Contains(r.stdout, "errors             0") {
		t.Errorf("import of a generated file:\n%s", r.stdout)
	}
	for _, bad := range [][]string{{"gen", "--listings", "0"}, {"gen", "--listings", "x"}, {"gen", "extra"}} {
		if r := runCLI(t, data, "", bad...); r.code == 0 {
			t.Errorf("%v: exit 0, want a refusal", bad)
		}
	}
}
