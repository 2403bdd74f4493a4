package importer

import (
	"strings"
	"testing"
)

// TestParseChunkPanicIsAnError checks that a row the parser panics on (a
// bug) is an error for the upload, naming the row, not a crash: rows are
// parsed in goroutines the server cannot recover.
func TestParseChunkPanicIsAnError(t *testing.T) {
	res := parseChunk(nil, []int{2, 3}, [][]string{{"a"}, {"b"}})
	if res.err == nil || !strings.Contains(res.err.Error(), "row 2") {
		t.Fatalf("parsing with a broken parser: %+v", res)
	}
}
