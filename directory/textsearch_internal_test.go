package directory

import (
	"math/rand/v2"
	"slices"
	"testing"
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
