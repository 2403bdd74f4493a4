package importer_test

import (
	"testing"

	"github.com/livingwell/livingwell/importer"
)

// TestColumnAliases checks that every column's name and other names lead
// back to it, however they are written: no header can mean two columns.
func TestColumnAliases(t *testing.T) {
	for _, c := range importer.Columns {
		for _, h := range append([]string{c.Name}, c.Aliases...) {
			for _, written := range []string{h, " " + h + " ", upper(h), h + " *", h + " (required)"} {
				got, ok := importer.ColumnFor(written)
				if !ok || got.Name != c.Name {
					t.Errorf("header %q is read as %q (%v), want %s", written, got.Name, ok, c.Name)
				}
			}
		}
	}
	for _, h := range []string{"Notes", "Internal ID", "", "*"} {
		if c, ok := importer.ColumnFor(h); ok {
			t.Errorf("header %q is read as %s, want no column", h, c.Name)
		}
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
