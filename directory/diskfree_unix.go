//go:build unix

package directory

import "syscall"

// diskFree returns the bytes free to this process on the file system of
// path, or -1 when it cannot tell.
func diskFree(path string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}
