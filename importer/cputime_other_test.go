//go:build !unix

package importer_test

import "time"

// cpuTime returns 0: the process's CPU time is read only on Unix.
func cpuTime() time.Duration { return 0 }
