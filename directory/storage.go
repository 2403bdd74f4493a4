package directory

import (
	"errors"
	"syscall"

	bolterrors "go.etcd.io/bbolt/errors"
)

// Unwritable reports whether err comes from the data directory refusing a
// write: its disk or quota is full, a file is over the size limit, the
// file system is read-only, the files cannot be written by this process,
// or the store was opened read-only. Nothing of such a write is kept (bbolt
// rolls the transaction back), so it is safe to try again once the disk
// has room.
func Unwritable(err error) bool {
	if err == nil {
		return false
	}
	for _, e := range []error{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG, syscall.EROFS, syscall.EACCES, syscall.EPERM, bolterrors.ErrDatabaseReadOnly} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
