//go:build linux

package directory

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestReleaseMappedLetsGoOfTheStoresPages reads 32 MB of a store, which
// maps its pages into the process, and checks that releaseMapped takes
// them out of its resident memory again while the data reads the same.
func TestReleaseMappedLetsGoOfTheStoresPages(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n, size = 4096, 8192
	value := func(i int) []byte { return bytes.Repeat([]byte{byte(i), byte(i >> 8)}, size/2) }
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i := range n {
			if err := b.Put(fmt.Appendf(nil, "%06d", i), value(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(tx *bolt.Tx) {
		t.Helper()
		b := tx.Bucket([]byte("b"))
		for i := range n {
			if v := b.Get(fmt.Appendf(nil, "%06d", i)); !bytes.Equal(v, value(i)) {
				t.Fatalf("value %d reads back wrong", i)
			}
		}
	}
	err = db.View(func(tx *bolt.Tx) error {
		before := rssFileKB(t)
		read(tx)
		mapped := rssFileKB(t)
		if mapped-before < n*size/1024/2 {
			t.Skipf("reading 32 MB of the store took resident memory from %d to %d KB only: the pages are not counted here", before, mapped)
		}
		releaseMapped(tx)
		after := rssFileKB(t)
		if after-before > (mapped-before)/4 {
			t.Errorf("resident file memory %d KB before reading, %d KB after, %d KB after releaseMapped: want most of it let go", before, mapped, after)
		}
		read(tx)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rssFileKB returns the process's resident memory backed by files (RssFile
// in /proc/self/status), in KB.
func rssFileKB(t *testing.T) int {
	t.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "RssFile:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Skip("no RssFile in /proc/self/status")
	return 0
}
