//go:build linux

package directory

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped lets go of the store's pages that reading it has brought
// into this process's memory, leaving them to the kernel's page cache.
//
// bbolt reads the store through a memory-mapped file, so every page a
// read touches counts in the process's resident memory until the mapping
// goes: reading back 100,000 listings after a large import, for the
// index, touched 180 MB of it, which took the import's peak over 500 MB
// (558 to 576 MB). madvise(MADV_DONTNEED) on the mapping drops the pages
// from the process at once; a later read of them maps them again from
// the page cache, as a minor fault.
//
// It is safe only inside a transaction (tx is open): bbolt moves the
// mapping only under its lock, which waits for every open transaction, so
// the address and size read here stay the mapping's own until tx ends,
// and the size (the pages tx can see) is never more than what is mapped.
// The mapping is read-only and shared, bbolt writes through the file, so
// no page dropped holds anything the file does not.
func releaseMapped(tx *bolt.Tx) {
	size := tx.Size()
	if size <= 0 {
		return
	}
	// Errors are ignored: it is advice, and the store reads the same
	// without it.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, tx.DB().Info().Data, uintptr(size), syscall.MADV_DONTNEED)
}
