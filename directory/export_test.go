package directory

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// HitsOf lists a page's listings with their scores (hitsOf).
var HitsOf = hitsOf

// TextScoresBothWays returns every listing a search for text matches, with
// its score, as Bleve's searchers score it and as wordsQuery does.
func TextScoresBothWays(d *Directory, text string) (bleves, words map[string]float64, err error) {
	scoring, _ := d.textQuery(text)
	if bleves, err = allScores(d, scoring); err != nil {
		return nil, nil, err
	}
	words, err = allScores(d, wordsQuery{q: scoring})
	return bleves, words, err
}

func allScores(d *Directory, q query.Query) (map[string]float64, error) {
	n, err := d.ix().idx.DocCount()
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(q, int(n)+1, 0, false)
	req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, &search.SortDocID{}})
	res, err := d.searchIndex(context.Background(), req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out, nil
}
