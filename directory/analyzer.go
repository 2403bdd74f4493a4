package directory

import (
	"bytes"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// englishAnalyzerType names the analyzer the text and pairs fields use
// (index.go). It gives exactly the tokens of Bleve's chain
//
//	ASCII folding, Unicode (UAX #29) words, possessives, lower case,
//	English stop words, Porter stems
//
// (with the pairs filter after it for the pairs fields), which was the
// mapping until lw-14, and is that chain for any text with a byte outside
// ASCII. Most listings are plain ASCII, and for them it is about four
// times cheaper: the folding is a copy of ASCII, so it is skipped; words
// are found by the UAX #29 rules as they apply to ASCII (asciiWords); and
// each distinct word's end result (possessive, lower case, stop word,
// stem) is worked out once by Bleve's own filters and remembered
// (wordCache), where Bleve's chain allocated a copy of the text, a rune
// slice and a stemmed copy for every word of every listing. Analysis was
// about a fifth of an import's CPU (README, "Benchmarks at scale").
// TestEnglishAnalyzerIsBleves and FuzzEnglishAnalyzer compare the two
// token by token (term, offsets, position and type). The one difference is
// by design: the pairs analyzer pairs the words of each part of a field
// (joinParts) on its own, as Bleve's chain did with each part a field.
const englishAnalyzerType = "lw_english"

// wordsAnalyzerType names the analyzer of the fields that hold a list of
// keywords in one string, a space between each (index.go).
const wordsAnalyzerType = "lw_words"

func init() {
	if err := registry.RegisterAnalyzer(englishAnalyzerType, newEnglishAnalyzer); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(wordsAnalyzerType, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return wordsAnalyzer{}, nil
	}); err != nil {
		panic(err)
	}
}

// wordsAnalyzer makes a token of each word of a list of keywords with a
// space between each; it is the keyword analyzer for each of them.
type wordsAnalyzer struct{}

// Analyze returns the words of input.
func (wordsAnalyzer) Analyze(input []byte) analysis.TokenStream {
	n := bytes.Count(input, []byte{' '}) + 1
	toks := make([]analysis.Token, 0, n)
	out := make(analysis.TokenStream, 0, n)
	start := 0
	for i := 0; i <= len(input); i++ {
		if i < len(input) && input[i] != ' ' {
			continue
		}
		if i > start {
			toks = append(toks, analysis.Token{Term: input[start:i:i], Start: start, End: i, Position: len(toks) + 1, Type: analysis.AlphaNumeric})
			out = append(out, &toks[len(toks)-1])
		}
		start = i + 1
	}
	return out
}

// newEnglishAnalyzer builds the analyzer from its mapping entry; "pairs":
// true adds the pairs filter (pairs.go).
func newEnglishAnalyzer(config map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
	var filters []analysis.TokenFilter
	for _, name := range []string{en.PossessiveName, lowercase.Name, en.StopName, porter.Name} {
		f, err := cache.TokenFilterNamed(name)
		if err != nil {
			return nil, err
		}
		filters = append(filters, f)
	}
	folding, err := cache.CharFilterNamed(asciifolding.Name)
	if err != nil {
		return nil, err
	}
	tokenizer, err := cache.TokenizerNamed(unicode.Name)
	if err != nil {
		return nil, err
	}
	pairs, _ := config["pairs"].(bool)
	a := &englishAnalyzer{
		words: sharedWords(filters),
		whole: &analysis.DefaultAnalyzer{CharFilters: []analysis.CharFilter{folding}, Tokenizer: tokenizer, TokenFilters: filters},
	}
	if pairs {
		a.after = pairsFilter{}
		a.whole.TokenFilters = append(slices.Clip(filters), pairsFilter{})
	}
	return a, nil
}

// englishAnalyzer is the analyzer described at englishAnalyzerType.
type englishAnalyzer struct {
	words *wordCache
	// whole is Bleve's chain, for text that is not all ASCII.
	whole *analysis.DefaultAnalyzer
	// after is applied to the words when set (the pairs filter).
	after analysis.TokenFilter
}

// Analyze returns the tokens of input. The pairs analyzer pairs the words
// of each part of input (joinParts) on their own.
func (a *englishAnalyzer) Analyze(input []byte) analysis.TokenStream {
	if a.after == nil || bytes.IndexByte(input, partSeparator) < 0 {
		return a.analyze(input)
	}
	var out analysis.TokenStream
	offset := 0
	for part := range bytes.SplitSeq(input, []byte{partSeparator}) {
		for _, t := range a.analyze(part) {
			t.Start += offset
			t.End += offset
			out = append(out, t)
		}
		offset += len(part) + 1
	}
	return out
}

// analyze returns the tokens of input, one part.
func (a *englishAnalyzer) analyze(input []byte) analysis.TokenStream {
	if !isASCII(input) {
		return a.whole.Analyze(input)
	}
	spans := asciiWords(nil, input)
	toks := make([]analysis.Token, 0, len(spans))
	out := make(analysis.TokenStream, 0, len(spans))
	for i, s := range spans {
		w := a.words.word(input[s.start:s.end])
		if w.stop {
			continue
		}
		toks = append(toks, analysis.Token{Term: w.term, Start: s.start, End: s.end, Position: i + 1, Type: s.typ})
		out = append(out, &toks[len(toks)-1])
	}
	if a.after != nil {
		return a.after.Filter(out)
	}
	return out
}

// eachTerm calls fn with the term of each token Analyze would make of
// input, in order, without making the tokens, and reports true; or, for
// text that is not all ASCII and for the pairs analyzer, calls nothing and
// reports false, and the tokens are Analyze's to make.
func (a *englishAnalyzer) eachTerm(input []byte, fn func(term []byte)) bool {
	if a.after != nil || !isASCII(input) {
		return false
	}
	scratch := spanScratch.Get().(*[]wordSpan)
	spans := asciiWords((*scratch)[:0], input)
	for _, s := range spans {
		if w := a.words.word(input[s.start:s.end]); !w.stop {
			fn(w.term)
		}
	}
	*scratch = spans[:0]
	spanScratch.Put(scratch)
	return true
}

// spanScratch holds lists of word spans for eachTerm to reuse.
var spanScratch = sync.Pool{New: func() any { return new([]wordSpan) }}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// wordSpan is a word found in ASCII text: its byte offsets and its type as
// Bleve's Unicode tokenizer gives it.
type wordSpan struct {
	start, end int
	typ        analysis.TokenType
}

// ASCII character classes of UAX #29's word boundary rules.
const (
	wbOther = iota
	wbLetter
	wbNumeric
	wbExtendNumLet // "_"
	wbMidLetter    // ":"
	wbMidNumLet    // "." and "'"
	wbMidNum       // "," and ";"
)

var wbClass = func() (c [128]uint8) {
	for b := 'a'; b <= 'z'; b++ {
		c[b], c[b-'a'+'A'] = wbLetter, wbLetter
	}
	for b := '0'; b <= '9'; b++ {
		c[b] = wbNumeric
	}
	c['_'] = wbExtendNumLet
	c[':'] = wbMidLetter
	c['.'], c['\''] = wbMidNumLet, wbMidNumLet
	c[','], c[';'] = wbMidNum, wbMidNum
	return c
}()

// asciiWords returns the words of ASCII text by the rules of UAX #29 that
// apply to ASCII, as github.com/blevesearch/segment (Bleve's Unicode
// tokenizer) finds them: letters, digits and "_" run together (WB5, WB8
// to WB10, WB13a and b); a letter, one of ":", "." or "'", and a letter
// are one word ("e.g", "don't": WB6 and WB7); a digit, one of ",", ";",
// "." or "'", and a digit are one number ("1,000", "3.50": WB11 and
// WB12); anything else ends a word. A word with a letter is AlphaNumeric;
// one with a digit and no letter Numeric; one of "_" alone AlphaNumeric.
// The spans are appended to spans.
func asciiWords(spans []wordSpan, text []byte) []wordSpan {
	if spans == nil {
		spans = make([]wordSpan, 0, len(text)/6+1)
	}
	for i := 0; i < len(text); {
		if k := wbClass[text[i]]; k != wbLetter && k != wbNumeric && k != wbExtendNumLet {
			i++
			continue
		}
		start := i
		letter, digit := false, false
		for i < len(text) {
			k := wbClass[text[i]]
			switch k {
			case wbLetter:
				letter = true
				i++
				continue
			case wbNumeric:
				digit = true
				i++
				continue
			case wbExtendNumLet:
				i++
				continue
			}
			if i+1 >= len(text) {
				break
			}
			prev, next := wbClass[text[i-1]], wbClass[text[i+1]]
			if prev == wbLetter && next == wbLetter && (k == wbMidLetter || k == wbMidNumLet) ||
				prev == wbNumeric && next == wbNumeric && (k == wbMidNum || k == wbMidNumLet) {
				i += 2
				continue
			}
			break
		}
		typ := analysis.AlphaNumeric
		if digit && !letter {
			typ = analysis.Numeric
		}
		spans = append(spans, wordSpan{start: start, end: i, typ: typ})
	}
	return spans
}

// maxCachedWords bounds the word cache: the sample network and a
// generated 100,000-listing directory use a few thousand distinct words,
// a national one perhaps some tens of thousands; text full of distinct
// strings (codes, typing) fills it once and is then worked out word by
// word, as Bleve's chain does. At about 80 bytes a word it is at most
// some 8 MB.
const maxCachedWords = 100_000

// wordCache remembers what the possessive, lower-case, stop-word and stem
// filters make of a word. Those filters look at nothing but the word, so
// running them once for each distinct word gives what running them on
// every token gives. The terms it hands out are shared between tokens and
// must not be written to; nothing after the analyzer writes to a term
// (the index copies them, the pairs filter copies them into its pairs).
type wordCache struct {
	filters []analysis.TokenFilter
	mu      sync.RWMutex
	words   map[string]cachedWord
}

type cachedWord struct {
	term []byte
	stop bool
}

// One cache serves every analyzer built (text, pairs, each index opened),
// since the filters are the same: Bleve's registry builds its filters
// from fixed configurations.
var (
	wordCacheOnce sync.Once
	theWordCache  *wordCache
)

func sharedWords(filters []analysis.TokenFilter) *wordCache {
	wordCacheOnce.Do(func() {
		theWordCache = &wordCache{filters: filters, words: make(map[string]cachedWord, 4096)}
	})
	return theWordCache
}

// word returns what the filters make of raw.
func (c *wordCache) word(raw []byte) cachedWord {
	c.mu.RLock()
	w, ok := c.words[string(raw)]
	c.mu.RUnlock()
	if ok {
		return w
	}
	w = c.filter(raw)
	c.mu.Lock()
	if len(c.words) < maxCachedWords {
		c.words[string(raw)] = w
	}
	c.mu.Unlock()
	return w
}

// filter runs the filters on raw alone.
func (c *wordCache) filter(raw []byte) cachedWord {
	tok := &analysis.Token{Term: append([]byte(nil), raw...), Position: 1, End: len(raw)}
	ts := analysis.TokenStream{tok}
	for _, f := range c.filters {
		ts = f.Filter(ts)
	}
	if len(ts) == 0 {
		return cachedWord{stop: true}
	}
	return cachedWord{term: ts[0].Term[:len(ts[0].Term):len(ts[0].Term)]}
}
