package directory_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// openBackupDir opens the directory in dir with the embedded vocabulary,
// logging into log when it is not nil.
func openBackupDir(t *testing.T, dir string, log *bytes.Buffer) *directory.Directory {
	t.Helper()
	v, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	cfg := directory.Config{Dir: dir, Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer,
		Now: func() time.Time { return time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC) }}
	if log != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(log, nil))
	}
	d, err := directory.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// backupQueries are the searches a restore must answer exactly as before.
var backupQueries = []directory.Query{
	{},
	{Text: "gardening"},
	{Text: "councelling"},
	{Text: "food bank", Postcode: "SW9 8HE", RadiusKm: 3},
	{Categories: []string{"peer-support"}, FreeOnly: true},
	{Days: []time.Weekday{time.Tuesday}, Facets: true, PerPage: 100},
	{Postcode: "SE11", Sort: directory.SortDistance, PerPage: 50},
}

// searchPrint renders every query's total, hits in order and facets.
func searchPrint(t *testing.T, d *directory.Directory) string {
	t.Helper()
	var b strings.Builder
	for _, q := range backupQueries {
		res, err := d.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("search %+v: %v", q, err)
		}
		fmt.Fprintf(&b, "%+v: %d\n", q, res.Total)
		for _, h := range res.Hits {
			fmt.Fprintf(&b, "  %s %.4f\n", h.Listing.ID, h.Score)
		}
		fmt.Fprintf(&b, "  facets %v\n", res.Facets)
	}
	return b.String()
}

// TestBackupRestoreGivesIdenticalSearches backs up the sample network
// while listings are being written, restores the backup into another data
// directory, and checks that the restored directory (its index rebuilt
// from the store on open) answers every search exactly as the original did
// when the backup was taken, and holds the same accounts and history.
func TestBackupRestoreGivesIdenticalSearches(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the sample network; skipped with -short")
	}
	ctx := context.Background()
	srcDir := t.TempDir()
	src := openBackupDir(t, srcDir, nil)
	defer src.Close()
	if _, err := importer.New(src).LoadSample(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := src.AddUser(ctx, directory.User{Email: "admin@example.org", Role: directory.RoleAdmin}, "long enough password"); err != nil {
		t.Fatal(err)
	}
	want := searchPrint(t, src)
	wantCount, _ := src.Count(ctx)

	// Write to another partner while the backup runs: the backup is one
	// consistent snapshot whichever side of it each write lands.
	if _, err := src.AddPartner(ctx, directory.Partner{ID: "busy", Name: "Busy"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			l := auditListing("busy", fmt.Sprint("B", i))
			if _, err := src.Apply(ctx, directory.Change{PartnerID: "busy", Put: []*directory.Listing{l}}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var buf bytes.Buffer
	n, err := src.Backup(ctx, &buf)
	close(stop)
	wg.Wait()
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("backup wrote %d bytes (%d buffered): %v", n, buf.Len(), err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(backup, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := directory.CheckStore(backup)
	if err != nil {
		t.Fatal(err)
	}
	if info.Users != 1 || info.Partners != 43 || info.Listings < wantCount || info.Imports < 42 {
		t.Errorf("backup holds %+v", info)
	}

	// Restore into a data directory that already has a store: it is kept.
	dstDir := t.TempDir()
	openBackupDir(t, dstDir, nil).Close()
	restoredAt := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	got, err := directory.Restore(directory.WithActor(ctx, "cli:ops"), dstDir, backup, restoredAt)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *info {
		t.Errorf("restore reported %+v, the check %+v", got, info)
	}
	if _, err := os.Stat(directory.StorePath(dstDir) + ".before-restore-20261125T080000Z"); err != nil {
		t.Errorf("the replaced store was not kept: %v", err)
	}
	var log bytes.Buffer
	dst := openBackupDir(t, dstDir, &log)
	defer dst.Close()
	if !strings.Contains(log.String(), "rebuilding the search index from the store") {
		t.Errorf("the first start after a restore did not say it rebuilt the index; log:\n%s", log.String())
	}
	// The writer's listings are in the backup up to some point: drop them
	// and the searches must match the original's.
	busy, err := dst.PartnerListings(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range busy {
		ids = append(ids, l.ID)
	}
	if len(ids) > 0 {
		if _, err := dst.Apply(ctx, directory.Change{Delete: ids}); err != nil {
			t.Fatal(err)
		}
	}
	if got := searchPrint(t, dst); got != want {
		t.Errorf("searches after restore differ:\n got %s\nwant %s", got, want)
	}
	if u, err := dst.User(ctx, "admin@example.org"); err != nil || u.Role != directory.RoleAdmin {
		t.Errorf("the restored store lost the admin: %v", err)
	}
	entries, _ := dst.Audit(ctx, directory.AuditQuery{Since: restoredAt})
	if len(entries) == 0 || entries[0].Action != directory.AuditRestore || entries[0].Actor != "cli:ops" {
		t.Errorf("the restore is not in the audit log: %+v", entries)
	}
}

// TestBackupAndRestoreRefuseWhatTheyShould covers the errors: a store in
// use, a file that is not a store, and a data directory with no store.
func TestBackupAndRestoreRefuseWhatTheyShould(t *testing.T) {
	ctx := context.Background()
	busyDir := t.TempDir()
	busy := openBackupDir(t, busyDir, nil)
	defer busy.Close()
	var good bytes.Buffer
	if _, err := busy.Backup(ctx, &good); err != nil {
		t.Fatal(err)
	}
	goodFile := filepath.Join(t.TempDir(), "good.db")
	os.WriteFile(goodFile, good.Bytes(), 0o600)
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, bytes.Repeat([]byte("not a database "), 1000), 0o600)
	truncated := filepath.Join(t.TempDir(), "truncated.db")
	os.WriteFile(truncated, good.Bytes()[:good.Len()/2], 0o600)

	tests := []struct {
		name string
		do   func() error
		code string
		says string
	}{
		{"backup of a store in use", func() error {
			_, err := directory.BackupStore(ctx, busyDir, &bytes.Buffer{})
			return err
		}, directory.ECONFLICT, "in use by a running livingwell server"},
		{"backup of an empty folder", func() error {
			_, err := directory.BackupStore(ctx, t.TempDir(), &bytes.Buffer{})
			return err
		}, directory.ENOTFOUND, "there is no livingwell store"},
		{"restore into a store in use", func() error {
			_, err := directory.Restore(ctx, busyDir, goodFile, time.Now())
			return err
		}, directory.ECONFLICT, "stop it before restoring"},
		{"restore of a file that is not a store", func() error {
			_, err := directory.Restore(ctx, t.TempDir(), junk, time.Now())
			return err
		}, directory.EINVALID, "not a livingwell store"},
		{"restore of a cut-short backup", func() error {
			_, err := directory.Restore(ctx, t.TempDir(), truncated, time.Now())
			return err
		}, directory.EINVALID, "truncated.db"},
		{"restore of a missing file", func() error {
			_, err := directory.Restore(ctx, t.TempDir(), filepath.Join(t.TempDir(), "nope.db"), time.Now())
			return err
		}, directory.EINVALID, "cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if directory.ErrorCode(err) != tt.code || !strings.Contains(directory.ErrorMessage(err), tt.says) {
				t.Errorf("got %v (%s), want a %s error saying %q", err, directory.ErrorCode(err), tt.code, tt.says)
			}
		})
	}
	// The busy directory is untouched by the refused restore.
	if _, err := os.Stat(directory.StorePath(busyDir) + ".restoring"); err == nil {
		t.Error("a refused restore left a file behind")
	}
	if _, err := busy.Count(ctx); err != nil {
		t.Errorf("the store in use is damaged: %v", err)
	}
}

// TestBackupStoreOfStoppedDirectory copies a stopped data directory's
// store from another process's point of view.
func TestBackupStoreOfStoppedDirectory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := openBackupDir(t, dir, nil)
	if _, err := d.AddPartner(ctx, directory.Partner{ID: "alpha", Name: "Alpha"}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	var buf bytes.Buffer
	if _, err := directory.BackupStore(ctx, dir, &buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.db")
	os.WriteFile(path, buf.Bytes(), 0o600)
	info, err := directory.CheckStore(path)
	if err != nil || info.Partners != 1 {
		t.Errorf("backup of a stopped directory: %+v, %v", info, err)
	}
}

// TestHealthAndReady checks the state /readyz and /metrics report.
func TestHealthAndReady(t *testing.T) {
	ctx := context.Background()
	d := openBackupDir(t, t.TempDir(), nil)
	defer d.Close()
	if _, err := d.AddPartner(ctx, directory.Partner{ID: "alpha", Name: "Alpha"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Apply(ctx, directory.Change{Put: []*directory.Listing{auditListing("alpha", "A1"), auditListing("alpha", "A2")}}); err != nil {
		t.Fatal(err)
	}
	h, err := d.Health(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h.Listings != 2 || !h.InStep() || h.StoreGeneration != 1 || h.StoreBytes == 0 || h.IndexBytes == 0 || h.Documents < 2 || h.ReadOnly {
		t.Errorf("health %+v", h)
	}
	if err := d.Ready(ctx); err != nil {
		t.Errorf("not ready: %v", err)
	}
}
