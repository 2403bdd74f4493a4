package importer

import (
	"testing"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

func testTaxonomy(t *testing.T) *directory.Taxonomy {
	t.Helper()
	tax, err := data.Taxonomy()
	if err != nil {
		t.Fatal(err)
	}
	return tax
}
