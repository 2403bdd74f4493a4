package directory

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// pairsFilterType names the token filter that turns words into the pairs
// of words next to each other, for the pairs fields (index.go). Bleve's
// shingle filter does much the same but pairs words with filler for the
// gaps stop words leave and allocates a few times a pair, which doubled
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
// next to each other ("walk" and "group": "walk group"). Two tokens with
// stop words between them make a pair too ("walk in the park": "walk
// park"), as they do in what people type, so that a phrase with stop
// words is found through its pairs like any other.
type pairsFilter struct{}

// Filter returns the pairs of input.
func (pairsFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	if len(input) < 2 {
		return nil
	}
	size, n := 0, len(input)-1
	for k := 1; k < len(input); k++ {
		size += len(input[k-1].Term) + 1 + len(input[k].Term)
	}
	buf := make([]byte, 0, size)
	toks := make([]analysis.Token, 0, n)
	out := make(analysis.TokenStream, 0, n)
	for k := 1; k < len(input); k++ {
		a, b := input[k-1], input[k]
		from := len(buf)
		buf = append(buf, a.Term...)
		buf = append(buf, ' ')
		buf = append(buf, b.Term...)
		toks = append(toks, analysis.Token{Term: buf[from:len(buf):len(buf)], Position: k, Start: a.Start, End: b.End, Type: analysis.Shingle})
		out = append(out, &toks[len(toks)-1])
	}
	return out
}
