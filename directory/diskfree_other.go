//go:build !unix

package directory

// diskFree cannot tell the free space on this system and returns -1.
func diskFree(string) int64 { return -1 }
