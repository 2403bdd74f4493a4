package directory

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom" // Bleve's chain, to compare with
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// bothAnalyzers returns the analyzer of englishAnalyzerType and Bleve's
// chain it stands for (the mapping before lw-14), with or without the
// pairs filter.
func bothAnalyzers(tb testing.TB, pairs bool) (ours, bleves analysis.Analyzer) {
	tb.Helper()
	cache := registry.NewCache()
	filters := []any{en.PossessiveName, lowercase.Name, en.StopName, porter.Name}
	if pairs {
		filters = append(filters, pairsFilterType)
	}
	bleves, err := cache.DefineAnalyzer("bleves", map[string]any{
		"type": "custom", "char_filters": []any{asciifolding.Name}, "tokenizer": unicode.Name, "token_filters": filters,
	})
	if err != nil {
		tb.Fatal(err)
	}
	ours, err = cache.DefineAnalyzer("ours", map[string]any{"type": englishAnalyzerType, "pairs": pairs})
	if err != nil {
		tb.Fatal(err)
	}
	return ours, bleves
}

// sameTokens reports how the two analyzers' tokens of text differ, "" when
// they do not.
func sameTokens(ours, bleves analysis.Analyzer, text string) string {
	got, want := ours.Analyze([]byte(text)), bleves.Analyze([]byte(text))
	show := func(ts analysis.TokenStream) string {
		var b strings.Builder
		for _, t := range ts {
			fmt.Fprintf(&b, "[%q %d-%d @%d t%d k%v]", t.Term, t.Start, t.End, t.Position, t.Type, t.KeyWord)
		}
		return b.String()
	}
	if g, w := show(got), show(want); g != w {
		return fmt.Sprintf("%q:\n got %s\nwant %s", text, g, w)
	}
	return ""
}

// TestEnglishAnalyzerIsBleves compares the analyzer with Bleve's chain
// token by token on every text file the product ships (the sample
// network, the vocabulary, the partner test files), on hand-picked edge
// cases, and on 200,000 random strings of the characters that UAX #29
// treats specially.
func TestEnglishAnalyzerIsBleves(t *testing.T) {
	var texts []string
	for _, root := range []string{"../data", "../importer/testdata", "testdata"} {
		err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for line := range strings.Lines(string(raw)) {
				texts = append(texts, line)
				texts = append(texts, strings.Split(line, ",")...)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(texts) < 10_000 {
		t.Fatalf("only %d texts from the project's files", len(texts))
	}
	texts = append(texts,
		"", " ", "a", "_", "__", "a_", "_a", "1_", "_1", "9_9", "a_1", "1_a", "don't", "Don't", "can't",
		"a:b", "1:2", "10:30", "a.b", "a..b", "e.g.", "i.e. this", "1,000", "£1,000.50", "1;2", "a;b",
		"a'1", "1'a", "1.a", "a.1", "1.2.3", "a.b.c", "St. John's", "JOHN'S", "it's", "'s", "s'", "x's's",
		"walk-in", "drop-in\r\nclub", "tab\tsep", "a\x00b", "a\x7fb", "café", "naïve", "Zoë's", "日本語",
		"\xff\xfe", "a\xffb", "The the THE and AND", "running runs ran", "organisation's", "1st Sat 11:00-13:00",
		"50p", "3.50pm", "www.example.org", "me@example.org", "0207 123 4567", "(020) 7946-0000",
		"a:", ":a", "a.", ".a", "a'", "'a", "1,", ",1", "1.", ".1", "a:1", "1:a", "a::b", "1,,2", "1.,2",
	)
	alphabet := []byte("aAzZeEsS019_:.',;- \t\r\n!\"#$%&()*+/<=>?@[\\]^`{|}~\x00\x7f")
	r := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		b := make([]byte, r.IntN(16))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		texts = append(texts, string(b))
	}
	for _, pairs := range []bool{false, true} {
		ours, bleves := bothAnalyzers(t, pairs)
		bad := 0
		for _, text := range texts {
			if diff := sameTokens(ours, bleves, text); diff != "" {
				t.Errorf("pairs %v: %s", pairs, diff)
				if bad++; bad > 10 {
					t.FailNow()
				}
			}
		}
	}
}

// FuzzEnglishAnalyzer looks for text the analyzer and Bleve's chain
// analyse differently.
func FuzzEnglishAnalyzer(f *testing.F) {
	for _, s := range []string{"Walking group's 1,000 e.g. don't 10:30", "a_1.2:b", "café"} {
		f.Add(s)
	}
	ours, bleves := bothAnalyzers(f, false)
	oursPairs, blevesPairs := bothAnalyzers(f, true)
	f.Fuzz(func(t *testing.T, text string) {
		if diff := sameTokens(ours, bleves, text); diff != "" {
			t.Fatal(diff)
		}
		if diff := sameTokens(oursPairs, blevesPairs, text); diff != "" {
			t.Fatal(diff)
		}
	})
}

// TestWordCacheIsBounded checks that the cache stops growing at its
// bound and still answers beyond it.
func TestWordCacheIsBounded(t *testing.T) {
	ours, bleves := bothAnalyzers(t, false)
	for i := range maxCachedWords + 100 {
		text := fmt.Sprintf("Runnings%d", i)
		if diff := sameTokens(ours, bleves, text); diff != "" {
			t.Fatal(diff)
		}
	}
	c := ours.(*englishAnalyzer).words
	c.mu.RLock()
	n := len(c.words)
	c.mu.RUnlock()
	if n > maxCachedWords {
		t.Errorf("cache holds %d words, more than %d", n, maxCachedWords)
	}
}

// TestWordsAnalyzer checks the keyword-list analyzer gives each keyword
// as the keyword analyzer would, in order.
func TestWordsAnalyzer(t *testing.T) {
	for text, want := range map[string]string{
		"":                         "",
		"mo-1000":                  "[mo-1000 0-7 @1]",
		"mo-1000 mo-1015m-w2 c3:1": "[mo-1000 0-7 @1][mo-1015m-w2 8-19 @2][c3:1 20-24 @3]",
		" a  b ":                   "[a 1-2 @1][b 4-5 @2]",
	} {
		var b strings.Builder
		for _, tok := range (wordsAnalyzer{}).Analyze([]byte(text)) {
			fmt.Fprintf(&b, "[%s %d-%d @%d]", tok.Term, tok.Start, tok.End, tok.Position)
		}
		if b.String() != want {
			t.Errorf("%q: got %s, want %s", text, b.String(), want)
		}
	}
}
