package directory

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestIndexBatches hands an on-disk index many batches, as an import's
// catch-up does, and checks what a user would see: every listing is in
// the index once it returns, a batch that cannot be prepared stops the
// run with its error (the batches before it are in), and an index closed
// under the run (a shutdown) ends it with an error rather than leaving
// the import waiting forever.
func TestIndexBatches(t *testing.T) {
	const n, per = 12, 25
	tax := testConfig(t, t.TempDir()).Taxonomy
	fillBatch := func(i int, b *bleve.Batch) error {
		for j := range per {
			l := gardenListing("p", fmt.Sprintf("%d-%d", i, j), "Plot")
			if err := b.Index(l.ID, newIndexDoc(l, tax)); err != nil {
				return err
			}
		}
		return nil
	}
	errBroken := errors.New("listing 7 will not decode")
	tests := []struct {
		name string
		// fill prepares batch i; ix is the index being filled.
		fill func(ix *bleveIndex, i int, b *bleve.Batch) error
		// want is the error expected (nil for none); found how many
		// listings the index holds after the run (-1: the index is closed;
		// after a batch fails, all those before it are in).
		want  error
		found int
	}{
		{"all batches", func(_ *bleveIndex, i int, b *bleve.Batch) error { return fillBatch(i, b) }, nil, n * per},
		{"a batch that cannot be prepared", func(_ *bleveIndex, i int, b *bleve.Batch) error {
			if i == 7 {
				return errBroken
			}
			return fillBatch(i, b)
		}, errBroken, 7 * per},
		{"the index closed part-way", func(ix *bleveIndex, i int, b *bleve.Batch) error {
			if i == 5 {
				ix.close()
			}
			return fillBatch(i, b)
		}, bleve.ErrorIndexClosed, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix, _, _, err := openIndex(filepath.Join(t.TempDir(), "index"))
			if err != nil {
				t.Fatal(err)
			}
			defer ix.close()
			filled := 0
			err = ix.indexBatches(n, func(i int, b *bleve.Batch) error {
				filled++
				return tc.fill(ix, i, b)
			})
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("indexBatches: %v", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("indexBatches returned %v, want %v", err, tc.want)
			}
			if tc.want == errBroken {
				var be batchErr
				if !errors.As(err, &be) || filled != 8 {
					t.Errorf("after a batch could not be prepared: error %v (a batchErr: %v), %d batches prepared, want 8", err, errors.As(err, &be), filled)
				}
			}
			if tc.found >= 0 {
				got, err := ix.idx.DocCount()
				if err != nil || int(got) != tc.found {
					t.Errorf("the index holds %d listings (%v), want %d", got, err, tc.found)
				}
			}
		})
	}
}

// TestIndexBatchesSurviveAPanic checks that a panic while a batch is
// prepared (in a goroutine of its own, which no caller could recover)
// ends the run with an error, the batches before it in the index.
func TestIndexBatchesSurviveAPanic(t *testing.T) {
	ix, _, _, err := openIndex(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.close()
	tax := testConfig(t, t.TempDir()).Taxonomy
	err = ix.indexBatches(5, func(i int, b *bleve.Batch) error {
		if i == 3 {
			var l *Listing
			_ = l.Name // a nil listing, as a decoding bug might leave
		}
		l := gardenListing("p", fmt.Sprintf("%d", i), "Plot")
		return ix.addAnalysed(b, l.ID, newIndexDoc(l, tax))
	})
	var be batchErr
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "filling an index batch") {
		t.Fatalf("indexBatches returned %v, want the panic as a batch error", err)
	}
	if got, err := ix.idx.DocCount(); err != nil || got != 3 {
		t.Errorf("the index holds %d listings (%v), want the 3 before the panic", got, err)
	}
}
