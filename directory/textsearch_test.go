package directory_test

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// TestWordsQueryScoresAsBleve checks that scoring words a word at a time
// finds exactly the listings Bleve's searchers find, each with Bleve's
// score, on an index of several segments with listings changed since
// (deleted in the older segments): common and rare words, synonyms,
// phrases, misspellings, categories named, crisis words, stop words and
// punctuation, and random words of the listings.
// generatedDirectory returns a directory of 3,000 generated listings
// imported in three uploads, the last changing 600 of the first's (so the
// older segments have deleted listings), and the text of the files.
func generatedDirectory(t *testing.T) (*directory.Directory, string) {
	t.Helper()
	d := MustOpenDirectory(t, directory.Config{})
	ctx := context.Background()
	if _, err := d.AddPartner(ctx, directory.Partner{ID: "gen", Name: "Generated"}); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, batch := range []struct {
		rows int
		seed uint64
		ref  string
	}{{1500, 1, "A"}, {1500, 2, "B"}, {600, 3, "A"}} {
		var buf bytes.Buffer
		if err := importer.Generate(&buf, importer.GenerateOptions{Rows: batch.rows, Seed: batch.seed, RefPrefix: batch.ref}); err != nil {
			t.Fatal(err)
		}
		text.Write(buf.Bytes())
		im := importer.New(d)
		plan, err := im.PlanFile(ctx, "gen", importer.File{Name: "gen.csv", R: bytes.NewReader(buf.Bytes()), Size: int64(buf.Len())}, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := im.Apply(ctx, plan, "test", true); err != nil {
			t.Fatal(err)
		}
	}
	return d, text.String()
}

// TestPageOnlyIsTheWholeSearch checks that a search of words alone in
// order of score, which passes on only the matches that can make its page,
// finds the same page with the same scores and the same total as the same
// search counting facets, which passes on every match.
func TestPageOnlyIsTheWholeSearch(t *testing.T) {
	d, _ := generatedDirectory(t)
	ctx := context.Background()
	for _, q := range []directory.Query{
		{Text: "support"},
		{Text: "support", Page: 7, PerPage: 13},
		{Text: "walking group", Page: 3},
		{Text: "lonely", PerPage: directory.MaxPerPage},
		{Text: "computer help", Page: 40, PerPage: 25},
		{Text: "councelling"},
		{Text: "zzqx"},
		{Text: "food bank", Page: 500},
	} {
		paged, err := d.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		q.Facets = true
		whole, err := d.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if paged.Total != whole.Total || !slices.Equal(directory.HitsOf(paged), directory.HitsOf(whole)) {
			t.Errorf("%q page %d: total %d, %v; with every match passed on, total %d, %v", q.Text, q.Page, paged.Total, directory.HitsOf(paged), whole.Total, directory.HitsOf(whole))
		}
	}
}

func TestWordsQueryScoresAsBleve(t *testing.T) {
	d, text := generatedDirectory(t)
	searches := []string{
		"support", "lonely", "walking group", "food bank", "foodbank", "computer help",
		"councelling", "befrending", "mental health crisis", "suicidal", "job", "men's shed",
		"universal credit", "drop in", "the", "!!", "a b c", "peer support group for young carers",
		"zzqx", "gardening", "walk in the park", "debt advice", "english classes", "choir singing",
		"café", "naïve art", "£5 yoga", "Ça va", "日本語", "🙂 walking", "\"drop-in\" -support",
		"men's mental-health (peer) support: walking/running", "AND OR NOT", "*", "a",
		strings.Repeat("lonely support walking group food bank ", 12),
	}
	words := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\n' || r == '"' })
	r := rand.New(rand.NewPCG(7, 7))
	for range 60 {
		n := 1 + r.IntN(3)
		var q []string
		for range n {
			q = append(q, words[r.IntN(len(words))])
		}
		searches = append(searches, strings.Join(q, " "))
	}
	for _, s := range searches {
		bleves, ours, err := directory.TextScoresBothWays(d, s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if len(ours) != len(bleves) {
			t.Errorf("%q: %d matches a word at a time, %d by Bleve", s, len(ours), len(bleves))
		}
		worst := 0.0
		for id, want := range bleves {
			got, ok := ours[id]
			if !ok {
				t.Errorf("%q: %s missing", s, id)
				continue
			}
			worst = max(worst, math.Abs(got-want)/want)
		}
		// Bleve adds up the clauses of a large disjunction in the order
		// its heap gives them, which may differ in the last bit.
		if worst > 1e-14 {
			t.Errorf("%q: scores differ by up to %.3g of Bleve's", s, worst)
		}
	}
}
