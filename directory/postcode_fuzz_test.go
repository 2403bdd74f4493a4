package directory_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// FuzzParsePostcode checks that any text is either a postcode, given back
// in its normal form (which parses to itself), or an invalid-input error
// that quotes what was typed; and that the gazetteer never panics on it.
// Seeds are below and in testdata/fuzz/FuzzParsePostcode.
func FuzzParsePostcode(f *testing.F) {
	for _, s := range []string{"SW9 8AB", "sw98ab", " Sw9  8aB ", "SW9", "EC1A 1BB", "W1", "SW9 8", "GIR 0AA", "", "  ", "SW9 8AB X", "ZZ99 9ZZ", "SW9\x008AB", "ＳＷ９", "sw9\t8ab", strings.Repeat("A", 100)} {
		f.Add(s)
	}
	v, err := data.LoadVocabulary()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := directory.ParsePostcode(s)
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID || directory.ErrorMessage(err) == "" {
				t.Fatalf("ParsePostcode(%q): %v is not a clear invalid-input error", s, err)
			}
			v.Gazetteer.Locate(s)
			return
		}
		norm := p.String()
		if norm == "" || strings.IndexFunc(norm, func(r rune) bool {
			return r > unicode.MaxASCII || (r != ' ' && !unicode.IsUpper(r) && !unicode.IsDigit(r))
		}) >= 0 {
			t.Fatalf("ParsePostcode(%q) = %q, not a normal postcode", s, norm)
		}
		again, err := directory.ParsePostcode(norm)
		if err != nil || again != p {
			t.Fatalf("ParsePostcode(%q) = %q, which parses to %q, %v", s, norm, again, err)
		}
		if _, _, err := v.Gazetteer.Locate(s); err != nil && directory.ErrorCode(err) == directory.EINTERNAL {
			t.Fatalf("Locate(%q): %v", s, err)
		}
	})
}
