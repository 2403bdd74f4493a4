package directory

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// TestKeepBest checks that keepBest keeps, in order, exactly the matches
// whose rounded score is at least the nth best, ties included.
func TestKeepBest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		size := r.IntN(300)
		n := r.IntN(40)
		l := &scoredList{}
		for i := range size {
			l.docs = append(l.docs, uint32(i*3))
			// Few distinct values, so that ties are common, and
			// some differing only below steadyScore's precision.
			s := float64(1+r.IntN(20)) / 7
			if r.IntN(4) == 0 {
				s *= 1 + 1e-13
			}
			l.scores = append(l.scores, s)
		}
		want := &scoredList{docs: slices.Clone(l.docs), scores: slices.Clone(l.scores)}
		if n > 0 && size > n {
			sorted := make([]float64, size)
			for i, s := range l.scores {
				sorted[i] = steadyScore(s)
			}
			slices.Sort(sorted)
			nth := sorted[size-n]
			want.docs, want.scores = nil, nil
			for i, s := range l.scores {
				if steadyScore(s) >= nth {
					want.docs = append(want.docs, l.docs[i])
					want.scores = append(want.scores, s)
				}
			}
		}
		left := keepBest(l, n)
		if !slices.Equal(l.docs, want.docs) || !slices.Equal(l.scores, want.scores) || left != size-len(want.docs) {
			t.Fatalf("trial %d (%d matches, n %d): kept %v, want %v; left out %d", trial, size, n, l.docs, want.docs, left)
		}
	}
}

// TestNormsByLengthAreZaps checks the table of norms against zap's own,
// on a posting of every length the table holds.
func TestNormsByLengthAreZaps(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	// Descriptions of every length from 1 to len(normsByLength)+5 words.
	var puts []*Listing
	for n := 1; n <= len(normsByLength)+5; n++ {
		l := gardenListing("p1", fmt.Sprintf("r%04d", n), "Garden")
		l.Description = strings.Repeat("garden ", n)
		puts = append(puts, l)
	}
	if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
		t.Fatal(err)
	}
	idx, err := d.ix().idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := idx.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatalf("the index reader is a %T", r)
	}
	lengths := map[uint64]bool{}
	for _, s := range snap.Segments() {
		dict, err := s.Segment().Dictionary(fDescription)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := dict.PostingsList([]byte("garden"), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		it := pl.Iterator(true, true, false, nil)
		for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
			if err != nil {
				t.Fatal(err)
			}
			if got, want := postingNorm(p), p.Norm(); got != want {
				t.Fatalf("norm of posting %d: %v, zap's %v", p.Number(), got, want)
			}
			if z, ok := p.(interface{ NormUint64() uint64 }); ok {
				lengths[z.NormUint64()] = true
			}
		}
	}
	if len(lengths) < len(normsByLength) {
		t.Errorf("postings of %d lengths, want every one of %d", len(lengths), len(normsByLength))
	}
}

// FuzzWordsQuery checks that any text scored a word at a time finds the
// matches Bleve's searchers find, with their scores, on an index of
// several segments with deleted listings and a thesaurus.
//
//	go test ./directory -run '^$' -fuzz FuzzWordsQuery -fuzztime 60s
func FuzzWordsQuery(f *testing.F) {
	for _, s := range []string{"garden", "allotment walk", "gardening club week 3", "the", "Gärten ünd", "walk-in", "", "\x00\xff"} {
		f.Add(s)
	}
	cfg := testConfig(f, f.TempDir())
	d, err := Open(cfg)
	if err != nil {
		f.Fatal(err)
	}
	defer d.Close()
	names := []string{"Gardening club", "Allotment garden walk", "Community gardens", "Garden", "Walk and talk"}
	for batch := range 3 {
		var puts []*Listing
		for i := range 300 {
			l := gardenListing("p1", fmt.Sprintf("r%03d", (batch*200+i)%700), names[(i+batch)%len(names)])
			l.Description = fmt.Sprintf("%s, week %d: garden, walk and talk, %s club.", l.Name, i, names[(i/3)%len(names)])
			puts = append(puts, l)
		}
		if _, err := d.Apply(context.Background(), Change{Put: puts}); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 200 {
			return
		}
		bleves, words, err := TextScoresBothWays(d, text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if len(words) != len(bleves) {
			t.Fatalf("%q: %d matches a word at a time, %d by Bleve", text, len(words), len(bleves))
		}
		for id, want := range bleves {
			got, ok := words[id]
			if !ok || math.Abs(got-want) > 1e-14*math.Abs(want) {
				t.Fatalf("%q: %s scores %v, Bleve %v", text, id, got, want)
			}
		}
	})
}
