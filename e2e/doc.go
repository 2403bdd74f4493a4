// Package e2e holds tests that run the real livingwell binary: crashes
// (kill -9) during imports and during normal serving, a damaged or missing
// index, a second process on the same data directory, a full or read-only
// disk, and slow or stalled clients. TestMain builds the binary once into a
// temporary folder. The tests are skipped with -short.
//
// The load test (soak_test.go) runs only on demand: LIVINGWELL_SOAK=1
// go test ./e2e -run Soak -v -timeout 30m.
package e2e
