//go:build !linux

package directory

import bolt "go.etcd.io/bbolt"

// releaseMapped does nothing here: only Linux's version (mapped_linux.go)
// lets go of the store's mapped pages.
func releaseMapped(*bolt.Tx) {}
