package directory

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// pairsFilterType names the token filter that turns words into the pairs
// of words next to each other, for the pairs fields (index.go). Bleve's
// shingle filter does much the same but also pairs every word with the
// gap a stop word leaves and allocates a few times a pair, which doubled
// the cost of indexing the text it was given.
const pairsFilterType = "lw_neighbour_pairs"

// Bleve builds an index's analyzers from its registry of filter types
// when it opens the index, so the type is registered once, as Bleve's own
// filters are.
func init() {
	if err := registry.RegisterTokenFilter(pairsFilterType, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return pairsFilter{}, nil
	}); err != nil {
		panic(err)
	}
}

// pairsFilter turns a token stream into one token for each two tokens
// next to each other ("walk" at 4, "group" at 5: "walk group"); tokens
// with a gap between them (a stop word taken out) make no pair.
type pairsFilter struct{}

// Filter returns the pairs of input.
func (pairsFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	size, n := 0, 0
	for k := 1; k < len(input); k++ {
		if input[k].Position == input[k-1].Position+1 {
			size += len(input[k-1].Term) + 1 + len(input[k].Term)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	buf := make([]byte, 0, size)
	toks := make([]analysis.Token, 0, n)
	out := make(analysis.TokenStream, 0, n)
	for k := 1; k < len(input); k++ {
		a, b := input[k-1], input[k]
		if b.Position != a.Position+1 {
			continue
		}
		from := len(buf)
		buf = append(buf, a.Term...)
		buf = append(buf, ' ')
		buf = append(buf, b.Term...)
		toks = append(toks, analysis.Token{Term: buf[from:len(buf):len(buf)], Position: a.Position, Start: a.Start, End: b.End, Type: analysis.Shingle})
		out = append(out, &toks[len(toks)-1])
	}
	return out
}
