package directory

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Backups copy the store only: the index is derived from it and is rebuilt
// on the first start after a restore.
//
// Locking decides how a backup is taken. bbolt takes an exclusive flock on
// the store file for a writer and a shared one for a read-only open, so
// while "serve" runs no other process can open the store, not even
// read-only. A backup of a running server is therefore taken by the server
// itself (Backup, behind the admin-only GET /admin/backup), inside one read
// transaction, which sees a consistent snapshot while writes go on. With
// the server stopped, BackupStore opens the file read-only and does the
// same.

// StoreInfo describes a store file: what a backup holds.
type StoreInfo struct {
	Schema     int    `json:"schema"`
	Generation uint64 `json:"generation"`
	Listings   int    `json:"listings"`
	Partners   int    `json:"partners"`
	Users      int    `json:"users"`
	Imports    int    `json:"imports"`
	Audit      int    `json:"audit"`
	Bytes      int64  `json:"bytes"`
}

// Backup writes a consistent copy of the store to w, taken in one read
// transaction, and returns how many bytes it wrote. Writes are not blocked,
// but a read transaction held open stops the store file from growing, so
// callers copy to local disk first rather than to a slow network client.
func (d *Directory) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := d.store.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	if err != nil {
		return n, Internal(err, "copy the store")
	}
	return n, nil
}

// ctxWriter stops a copy when its context ends.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// StorePath returns the path of the store file in a data directory.
func StorePath(dataDir string) string { return filepath.Join(dataDir, storeFile) }

// BackupStore copies the store of a data directory that no server is
// using to w. It returns ECONFLICT when the store is in use (take the
// backup through the running server instead) and ENOTFOUND when the data
// directory has no store.
func BackupStore(ctx context.Context, dataDir string, w io.Writer) (int64, error) {
	path := StorePath(dataDir)
	if _, err := os.Stat(path); err != nil {
		return 0, Errorf(ENOTFOUND, "there is no livingwell store in %s - check --data", dataDir)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return 0, Errorf(ECONFLICT, "the data directory %s is in use by a running livingwell server - back it up through the server: livingwell backup --from http://ADDRESS --email ADMIN OUT", dataDir)
	}
	if err != nil {
		return 0, Internal(err, "open the store "+path)
	}
	defer db.Close()
	var n int64
	err = db.View(func(tx *bolt.Tx) error {
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	if err != nil {
		return n, Internal(err, "copy the store")
	}
	return n, nil
}

// CheckStore opens a store file read-only, checks every page of it and
// that it is a livingwell store this version can read, and returns what it
// holds. It returns EINVALID for a file that is not such a store.
func CheckStore(path string) (*StoreInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, Errorf(EINVALID, "cannot read %s: %v", path, err)
	}
	if err := checkStoreLength(path, fi.Size()); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, Errorf(EINVALID, "%s is the store of a running livingwell server, not a backup - take a backup with livingwell backup", path)
	}
	if err != nil {
		return nil, Errorf(EINVALID, "%s is not a livingwell store or backup (%v)", path, err)
	}
	defer db.Close()
	info := &StoreInfo{Bytes: fi.Size()}
	err = db.View(func(tx *bolt.Tx) error {
		// Drain every finding: the checker stops only when read to the end.
		var damage error
		for cerr := range tx.Check() {
			if damage == nil {
				damage = Errorf(EINVALID, "%s is damaged: %v", path, cerr)
			}
		}
		if damage != nil {
			return damage
		}
		meta, listings := tx.Bucket(bucketMeta), tx.Bucket(bucketListings)
		if meta == nil || listings == nil {
			return Errorf(EINVALID, "%s is a bbolt file but not a livingwell store: it has no listings", path)
		}
		info.Schema = int(readU64(meta.Get([]byte("schema"))))
		if info.Schema > storeSchema {
			return Errorf(EINVALID, "%s was written by a newer livingwell (store schema %d, this one knows %d) - restore it with that version", path, info.Schema, storeSchema)
		}
		info.Generation = readU64(meta.Get(keyGeneration))
		count := func(name []byte) int {
			if b := tx.Bucket(name); b != nil {
				return b.Stats().KeyN
			}
			return 0
		}
		info.Listings, info.Partners, info.Users = count(bucketListings), count(bucketPartners), count(bucketUsers)
		info.Imports, info.Audit = count(bucketImports), count(bucketAudit)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return info, nil
}

// Restore replaces the store of a stopped data directory with the backup
// at from, after checking the backup. The store it replaces is kept beside
// it as livingwell.db.before-restore-TIME, the index is removed so the next
// start rebuilds it from the restored store, and the restore is recorded in
// the restored store's audit log under ctx's actor. It returns ECONFLICT
// when a server is using the data directory and EINVALID when from is not
// a usable backup.
func Restore(ctx context.Context, dataDir, from string, now time.Time) (*StoreInfo, error) {
	info, err := CheckStore(from)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, Errorf(EINVALID, "cannot create the data directory %s: %v", dataDir, err)
	}
	path := StorePath(dataDir)
	// Hold the lock of the store being replaced, so no server starts on it
	// half-way.
	if _, err := os.Stat(path); err == nil {
		old, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, Errorf(ECONFLICT, "the data directory %s is in use by a running livingwell server - stop it before restoring", dataDir)
		}
		if err == nil {
			defer old.Close()
		}
	}
	tmp := path + ".restoring"
	if err := copyFileSync(from, tmp); err != nil {
		os.Remove(tmp)
		return nil, Internal(err, "copy the backup into the data directory")
	}
	if _, err := os.Stat(path); err == nil {
		kept := fmt.Sprintf("%s.before-restore-%s", path, now.UTC().Format("20060102T150405Z"))
		if err := os.Rename(path, kept); err != nil {
			os.Remove(tmp)
			return nil, Internal(err, "set aside the current store")
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, Internal(err, "put the restored store in place")
	}
	if err := syncDir(dataDir); err != nil {
		return nil, Internal(err, "sync the data directory")
	}
	for _, p := range []string{filepath.Join(dataDir, indexDir), filepath.Join(dataDir, indexDir) + ".tmp"} {
		if err := os.RemoveAll(p); err != nil {
			return nil, Internal(err, "remove the old index")
		}
	}
	st, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, Internal(err, "open the restored store")
	}
	defer st.Close()
	err = st.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketAudit) == nil {
			if _, err := tx.CreateBucket(bucketAudit); err != nil {
				return err
			}
		}
		return appendAudit(tx, now, AuditEntry{Actor: ActorFrom(ctx), Action: AuditRestore, Detail: fmt.Sprintf("from %s: %d listings, %d partners, %d users", filepath.Base(from), info.Listings, info.Partners, info.Users)})
	})
	if err != nil {
		return nil, Internal(err, "record the restore")
	}
	return info, nil
}

// copyFileSync copies src to a new file dst and syncs it to disk.
func copyFileSync(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncDir flushes a directory's entries (renames) to disk.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// checkStoreLength refuses a bbolt file shorter than its own meta page says
// it is, as a backup cut short in copying is: bbolt maps the file into
// memory and reading a page past its end would crash the process (SIGBUS)
// rather than return an error.
//
// A bbolt file starts with two meta pages; each holds, after the 16-byte
// page header, the magic number, version, page size and flags (4 bytes
// each), the root bucket (16), the freelist page (8), the high-water page
// id (8) and the transaction id (8), little-endian. The valid meta page
// with the higher transaction id is the current one.
func checkStoreLength(path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return Errorf(EINVALID, "cannot read %s: %v", path, err)
	}
	defer f.Close()
	const magic = 0xED0CDAED
	var best struct{ txid, pages, pageSize uint64 }
	found := false
	read := func(off int64) (pageSize uint64, ok bool) {
		head := make([]byte, 72)
		if _, err := f.ReadAt(head, off); err != nil || binary.LittleEndian.Uint32(head[16:]) != magic {
			return 0, false
		}
		pageSize = uint64(binary.LittleEndian.Uint32(head[24:]))
		pages, txid := binary.LittleEndian.Uint64(head[56:]), binary.LittleEndian.Uint64(head[64:])
		if !found || txid > best.txid {
			best.txid, best.pages, best.pageSize, found = txid, pages, pageSize, true
		}
		return pageSize, true
	}
	// The second meta page is one page in; its size is in the first, or,
	// when the first is damaged, one of the usual page sizes.
	if ps, ok := read(0); ok {
		read(int64(ps))
	} else {
		for _, ps := range []int64{4096, 8192, 16384, 65536} {
			if _, ok := read(ps); ok {
				break
			}
		}
	}
	if !found || best.pageSize == 0 {
		return Errorf(EINVALID, "%s is not a livingwell store or backup: it does not start like a bbolt file", path)
	}
	if need := best.pages * best.pageSize; uint64(size) < need {
		return Errorf(EINVALID, "%s is cut short: it is %d bytes, and the store it holds needs %d - copy the backup again", path, size, need)
	}
	return nil
}
