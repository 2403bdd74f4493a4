package directory

import (
	"fmt"
	"io/fs"
	"maps"
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
	if pairs {
		return ours, eachPart{bleves}
	}
	return ours, bleves
}

// eachPart analyses each part of a text (joinParts) on its own, as the
// pairs analyzer does.
type eachPart struct{ analysis.Analyzer }

func (a eachPart) Analyze(input []byte) analysis.TokenStream {
	var out analysis.TokenStream
	offset := 0
	for _, part := range strings.Split(string(input), string(partSeparator)) {
		for _, t := range a.Analyzer.Analyze([]byte(part)) {
			t.Start += offset
			t.End += offset
			out = append(out, t)
		}
		offset += len(part) + 1
	}
	return out
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
	// The terms alone, as newAnalysedText takes them.
	if ea, ok := ours.(*englishAnalyzer); ok {
		var terms [][]byte
		if ea.eachTerm([]byte(text), func(term []byte) { terms = append(terms, term) }) {
			var w [][]byte
			for _, t := range want {
				w = append(w, t.Term)
			}
			if fmt.Sprintf("%q", terms) != fmt.Sprintf("%q", w) {
				return fmt.Sprintf("%q: eachTerm gives %q; want %q", text, terms, w)
			}
		}
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
	alphabet := []byte("aAzZeEsS019_:.',;- \t\r\n!\"#$%&()*+/<=>?@[\\]^`{|}~\x00\x1f\x7f")
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
	for _, s := range []string{"Walking group's 1,000 e.g. don't 10:30", "a_1.2:b", "café", "walk\x1fgroup\x1f\x1fcafé club"} {
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

// TestJoinedPartsIndexAsParts checks that a text field's parts joined
// into one string (joinParts) give the index what the parts gave as
// fields of their own: the same terms with the same frequencies, and the
// same field length, so that scores are the same. Parts are drawn from
// the project's text, with non-ASCII and separators inside parts.
func TestJoinedPartsIndexAsParts(t *testing.T) {
	corpus := []string{"", "Walking group", "Walk in the park, every Tuesday", "café culture", "Men's shed",
		"1,000 steps: e.g. 10:30", "the and of", "a\x1fb", "walk\x1f\x1fgroup", "Zoë's knitting", "drop-in",
		"Gardening club for older people", "help with CVs", "British Sign Language", "日本語 class"}
	r := rand.New(rand.NewPCG(3, 4))
	for _, pairs := range []bool{false, true} {
		ours, _ := bothAnalyzers(t, pairs)
		for range 2000 {
			parts := make([]string, 1+r.IntN(5))
			for i := range parts {
				parts[i] = corpus[r.IntN(len(corpus))]
				if r.IntN(3) == 0 {
					parts[i] += " " + corpus[r.IntN(len(corpus))]
				}
			}
			want, wantLen := map[string]int{}, 0
			for _, p := range parts {
				// What the field of its own held: the separator in a part
				// is a space (joinParts).
				toks := ours.Analyze([]byte(strings.ReplaceAll(p, "\x1f", " ")))
				wantLen += len(toks)
				for _, tok := range toks {
					want[string(tok.Term)]++
				}
			}
			toks := ours.Analyze([]byte(joinParts(parts...)[0]))
			got := map[string]int{}
			for _, tok := range toks {
				got[string(tok.Term)]++
			}
			if len(toks) != wantLen || !maps.Equal(got, want) {
				t.Fatalf("pairs %v, parts %q:\njoined %v (length %d)\n parts %v (length %d)", pairs, parts, got, len(toks), want, wantLen)
			}
		}
	}
	if joinParts() != nil {
		t.Error("no parts should be no field")
	}
}
