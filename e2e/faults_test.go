package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestIndexDeletedOrDamaged stops a server, deletes or damages its index
// in several ways, and starts it again: the server rebuilds the index from
// the store, says so in the log, and answers every search as before.
func TestIndexDeletedOrDamaged(t *testing.T) {
	needBinary(t)
	base := t.TempDir()
	fx := prepare(t, base, "alpha")
	s := start(t, base)
	resp, err := s.importCSV(context.Background(), fx.tokens["alpha"], bytes.NewReader(listingsCSV("A", "marmot", 200)), "")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("import: %v %v", err, resp)
	}
	resp.Body.Close()
	wantAll, wantMarmot := s.searchTotal(""), s.searchTotal("q=marmot")
	s.stop()

	index := func(dir string) string { return filepath.Join(dir, "index.bleve") }
	damage := []struct {
		name string
		do   func(t *testing.T, dir string)
	}{
		{"deleted", func(t *testing.T, dir string) { os.RemoveAll(index(dir)) }},
		{"emptied", func(t *testing.T, dir string) {
			os.RemoveAll(index(dir))
			os.Mkdir(index(dir), 0o755)
		}},
		{"every file overwritten with junk", func(t *testing.T, dir string) {
			filepath.WalkDir(index(dir), func(p string, e os.DirEntry, err error) error {
				if err == nil && !e.IsDir() {
					os.WriteFile(p, bytes.Repeat([]byte("junk"), 100), 0o600)
				}
				return nil
			})
		}},
		{"metadata truncated", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(index(dir), "index_meta.json"), []byte(`{"storage":`), 0o600)
		}},
		{"replaced by a file", func(t *testing.T, dir string) {
			os.RemoveAll(index(dir))
			os.WriteFile(index(dir), []byte("not a folder"), 0o600)
		}},
	}
	for _, d := range damage {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, base, dir)
			d.do(t, dir)
			s := start(t, dir)
			if !inLog(s.log.String(), "rebuilding the search index from the store") || !inLog(s.log.String(), "search index rebuilt", "listings=200") {
				t.Errorf("the log does not say the index was rebuilt:\n%s", s.log.String())
			}
			var r readyz
			if code := s.getJSON("/readyz", &r); code != http.StatusOK || r.Health.IndexedListings != 200 || r.Health.Listings != 200 {
				t.Errorf("after the rebuild /readyz answered %d: %+v", code, r)
			}
			if all, marmot := s.searchTotal(""), s.searchTotal("q=marmot"); all != wantAll || marmot != wantMarmot {
				t.Errorf("searches find %d and %d, before the damage %d and %d", all, marmot, wantAll, wantMarmot)
			}
			s.stop()
		})
	}
}

// TestSecondProcessOnTheSameDataDirectory starts a server and then other
// commands on its data directory: each stops at once with a clear error
// (the store's lock is held), and the first server keeps serving.
func TestSecondProcessOnTheSameDataDirectory(t *testing.T) {
	needBinary(t)
	dir := t.TempDir()
	prepare(t, dir, "alpha")
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out, err := runCLI(t, "backup", "--data", dir, backup); err != nil {
		t.Fatalf("backup of the stopped directory: %v\n%s", err, out)
	}
	s := start(t, dir)
	for _, args := range [][]string{
		{"serve", "--data", dir, "--addr", "127.0.0.1:0"},
		{"reindex", "--data", dir},
		{"search", "--data", dir, "walk"},
		{"backup", "--data", dir, filepath.Join(t.TempDir(), "b.db")},
		{"audit", "--data", dir},
		{"restore", "--data", dir, backup},
	} {
		t.Run(args[0], func(t *testing.T) {
			out, err := runCLI(t, args...)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Errorf("livingwell %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			if !strings.Contains(out, "in use by") || strings.Contains(out, "panic") {
				t.Errorf("livingwell %s said:\n%s", args[0], out)
			}
		})
	}
	var r readyz
	if code := s.getJSON("/readyz", &r); code != http.StatusOK {
		t.Errorf("the first server stopped answering: %d", code)
	}
	if strings.Contains(s.log.String(), "level=ERROR") {
		t.Errorf("the first server logged errors:\n%s", s.log.String())
	}
}

// canMount reports whether this process may mount a tmpfs (root with the
// capability to, as on the project's machines); the disk tests use one
// for a real full or read-only file system.
func canMount(t *testing.T) bool {
	t.Helper()
	if os.Geteuid() != 0 {
		return false
	}
	dir := t.TempDir()
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).Run(); err != nil {
		return false
	}
	exec.Command("umount", dir).Run()
	return true
}

// smallDisk mounts a tmpfs of size bytes at a new folder, unmounted when
// the test ends.
func smallDisk(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.FormatInt(size, 10), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// dirBytes is the size of the files under dir.
func dirBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// signIn posts the sign-in form and returns the status and the session
// cookie, if one was set.
func (s *server) signIn(email string) (int, *http.Cookie) {
	s.t.Helper()
	resp, err := client.PostForm(s.url+"/login", url.Values{"email": {email}, "password": {adminPassword}})
	if err != nil {
		s.t.Fatalf("sign in: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "lw_session" && c.Value != "" {
			return resp.StatusCode, c
		}
	}
	return resp.StatusCode, nil
}

// TestDiskFull fills the data directory's disk while the server runs:
// each write is refused with a clear 503 that says nothing changed,
// searches keep working, /readyz says what is wrong, and the store is
// intact afterwards.
//
// The disk is a real tmpfs sized just above the data directory where the
// test may mount one (root, as on the project's machines and CI). Where it
// may not, the server runs under a file-size limit (RLIMIT_FSIZE, "ulimit
// -f"), which fails writes past the limit with EFBIG: a stand-in for
// ENOSPC that exercises the same paths.
func TestDiskFull(t *testing.T) {
	needBinary(t)
	base := t.TempDir()
	fx := prepare(t, base, "alpha")
	s := start(t, base)
	resp, err := s.importCSV(context.Background(), fx.tokens["alpha"], bytes.NewReader(listingsCSV("A", "marmot", 100)), "")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("import: %v", err)
	}
	resp.Body.Close()
	s.stop()

	var dir string
	var wrap func([]string) []string
	if canMount(t) {
		used := dirBytes(base)
		dir = filepath.Join(smallDisk(t, used+(2<<20)), "data")
		t.Logf("simulated with a %d KB tmpfs (the data directory takes %d KB)", (used+(2<<20))>>10, used>>10)
	} else {
		dir = t.TempDir()
		blocks := dirBytes(base)/1024 + 1024
		wrap = func(args []string) []string {
			return append([]string{"/bin/sh", "-c", "ulimit -f " + strconv.FormatInt(blocks, 10) + " && exec \"$@\"", "sh"}, args...)
		}
		t.Logf("no tmpfs here: simulated with a file-size limit of %d KB (EFBIG)", blocks)
	}
	copyDir(t, base, dir)
	s = startWith(t, wrap, dir)
	// Fill the room left but 1 MB with a file beside the data directory:
	// room for the upload to be saved, none for the store to take it.
	if wrap == nil {
		var st syscall.Statfs_t
		if err := syscall.Statfs(dir, &st); err != nil {
			t.Fatal(err)
		}
		f, _ := os.Create(filepath.Join(filepath.Dir(dir), "filler"))
		io.Copy(f, io.LimitReader(zeroReader{}, int64(st.Bavail)*st.Bsize-(1<<20)))
		f.Close()
	}
	wantAll := s.searchTotal("")

	resp, err = s.importCSV(context.Background(), fx.tokens["alpha"], bytes.NewReader(listingsCSV("B", "ibex", 3000)), "")
	if err != nil {
		t.Fatalf("import on a full disk: %v\n%s", err, tail(s.log.String(), 4000))
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The import is either refused, changing nothing, or it lands in the
	// store (bbolt can reuse free pages inside its file) while the index,
	// which needs new files, cannot take it. Either way searches keep
	// answering from the index's last good state, and after a restart with
	// room the index catches up with the store.
	wantAfter := wantAll
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(string(body), "disk is full or read-only, so nothing was changed"):
		t.Log("the import was refused: the store could not take it")
	case resp.StatusCode == http.StatusOK:
		t.Log("the import landed in the store; the index could not take it")
		wantAfter = wantAll + 3000
	default:
		t.Errorf("an import on a full disk answered %d: %s", resp.StatusCode, tail(string(body), 2000))
	}
	if code, _ := s.signIn(fx.admin); code != http.StatusServiceUnavailable && code != http.StatusSeeOther {
		t.Errorf("a sign-in on a full disk answered %d", code)
	}
	// The index catches up batch by batch: it may have taken a batch or
	// two of the new rows, which the store holds, before the disk filled,
	// never more than the store holds and never a part of a batch.
	if all, ibex := s.searchTotal(""), s.searchTotal("q=ibex"); all < wantAll || all > wantAfter || all-wantAll != ibex || ibex%1000 != 0 {
		t.Errorf("searches on a full disk find %d (want %d, the index's last good state, to %d) and %d of the new rows (want whole batches of 1,000)", all, wantAll, wantAfter, ibex)
	}
	var r readyz
	if code := s.getJSON("/readyz", &r); code != http.StatusServiceUnavailable || r.Ready {
		t.Errorf("/readyz on a full disk answered %d: %+v", code, r)
	} else {
		t.Logf("/readyz said: %s", r.Reason)
	}
	s.kill()
	// Restarted on the full disk, the server still serves what it has:
	// its catch-up may fit a batch or two of the new rows before the disk
	// fills again, never more than the store holds.
	s = startWith(t, wrap, dir)
	if all := s.searchTotal(""); all < wantAll || all > wantAfter {
		t.Errorf("restarted on the full disk, searches find %d, want %d to %d", all, wantAll, wantAfter)
	}
	s.kill()
	// Given room (the data directory moved to a roomy disk), the index
	// catches up with the store.
	roomy := t.TempDir()
	copyDir(t, dir, roomy)
	s = start(t, roomy)
	all, ibex := s.searchTotal(""), s.searchTotal("q=ibex")
	if all != wantAfter || (ibex != 0 && ibex != 3000) || all-wantAll != ibex {
		t.Errorf("after a restart searches find %d (want %d) and %d of the 3000 new rows: the index does not agree with the store", all, wantAfter, ibex)
	}
	if code := s.getJSON("/readyz", &r); code != http.StatusOK || !r.Ready {
		t.Errorf("/readyz after a restart with room answered %d: %+v", code, r)
	}
	s.stop()
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestReadOnlyDataDirectory starts the server on a data directory it
// cannot write: it serves searches from the store (read-only), and every
// write (a sign-in, an import) is refused with a clear 503.
//
// The directory is made read-only with a read-only tmpfs mount where the
// test may mount one, or else with file permissions (which root ignores,
// so as root without mounts the test is skipped).
func TestReadOnlyDataDirectory(t *testing.T) {
	needBinary(t)
	base := t.TempDir()
	fx := prepare(t, base, "alpha")
	s := start(t, base)
	resp, err := s.importCSV(context.Background(), fx.tokens["alpha"], bytes.NewReader(listingsCSV("A", "marmot", 50)), "")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("import: %v", err)
	}
	resp.Body.Close()
	wantAll := s.searchTotal("")
	s.stop()

	var dir string
	switch {
	case canMount(t):
		mnt := smallDisk(t, 64<<20)
		dir = filepath.Join(mnt, "data")
		copyDir(t, base, dir)
		if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
			t.Fatalf("remount read-only: %v %s", err, out)
		}
	case os.Geteuid() != 0:
		dir = t.TempDir()
		copyDir(t, base, dir)
		filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err == nil {
				os.Chmod(p, map[bool]os.FileMode{true: 0o555, false: 0o444}[e.IsDir()])
			}
			return nil
		})
		t.Cleanup(func() {
			filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error { os.Chmod(p, 0o755); return nil })
		})
	default:
		t.Skip("running as root without permission to mount: no way to make a directory read-only here")
	}
	s = start(t, dir)
	if !inLog(s.log.String(), "the data directory cannot be written, so the directory is open read-only") {
		t.Errorf("the log does not say the directory is read-only:\n%s", s.log.String())
	}
	if code := s.getJSON("/api/v1/search", nil); code != http.StatusOK {
		t.Fatalf("a read-only search answered %d:\n%s", code, s.log.String())
	}
	if all, marmot := s.searchTotal(""), s.searchTotal("q=marmot"); all != wantAll || marmot != 50 {
		t.Errorf("read-only searches find %d and %d, want %d and 50", all, marmot, wantAll)
	}
	resp, err = s.importCSV(context.Background(), fx.tokens["alpha"], bytes.NewReader(listingsCSV("B", "ibex", 10)), "")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "nothing was changed") {
		t.Errorf("a read-only import answered %d: %s", resp.StatusCode, body)
	}
	if code, _ := s.signIn(fx.admin); code != http.StatusServiceUnavailable {
		t.Errorf("a read-only sign-in answered %d", code)
	}
	var r readyz
	if code := s.getJSON("/readyz", &r); code != http.StatusServiceUnavailable || !strings.Contains(r.Reason, "read-only") {
		t.Errorf("read-only /readyz answered %d: %+v", code, r)
	}
	s.stop()
}
