package matcher

import (
	"unicode"
	"unicode/utf8"
)

// scanWords walks text word by word. For each word it calls word with the
// word lower-cased, accent-folded and stemmed (in a buffer reused between
// calls) and its byte offsets in text; at punctuation that ends a phrase
// (full stop, comma, semicolon, brackets, quotes, slash, new line) it calls
// brk, so that phrases are never matched across it.
func scanWords(text string, buf []byte, word func(stem []byte, start, end int), brk func()) []byte {
	start := -1
	flush := func(end int) {
		if start >= 0 {
			word(stemBytes(buf), start, end)
		}
		start, buf = -1, buf[:0]
	}
	for i, r := range text {
		switch {
		case r < utf8.RuneSelf && (('a' <= r && r <= 'z') || ('0' <= r && r <= '9')):
			if start < 0 {
				start = i
			}
			buf = append(buf, byte(r))
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			if start < 0 {
				start = i
			}
			buf = append(buf, byte(r+'a'-'A'))
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if start < 0 {
				start = i
			}
			buf = utf8.AppendRune(buf, fold(r))
		case r == '\'' || r == '’':
			// Inside a word ("carer's", "don't"): drop the mark, keep going.
		case r == '.' || r == ',' || r == ';' || r == ':' || r == '!' || r == '?' || r == '(' || r == ')' || r == '\n' || r == '"' || r == '/' || r == '“' || r == '”':
			flush(i)
			brk()
		default:
			// Spaces, hyphens ("one-to-one"), "&" and the like separate
			// words within a phrase.
			flush(i)
		}
	}
	flush(len(text))
	return buf
}

// fold lower-cases a letter and takes the accent off the common accented
// Latin letters, so "Café" and "cafe" are the same word.
func fold(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return 'a'
	case 'ç':
		return 'c'
	case 'è', 'é', 'ê', 'ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ñ':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		return 'o'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	}
	return r
}

// stems returns the stems of the words of a phrase, ignoring punctuation.
func stems(phrase string) []string {
	var out []string
	scanWords(phrase, nil, func(s []byte, _, _ int) { out = append(out, string(s)) }, func() {})
	return out
}

// minStem is the shortest stem a suffix may be taken off to leave, so that
// short words keep their meaning ("caring" does not become "car").
const minStem = 4

// stemBytes takes common English endings off a lower-case word, in place,
// so that "gardens", "gardening" and "garden", or "speaks" and "speaking",
// are the same word. It returns the stem (a prefix of w, or w with "ies"
// rewritten to "y"). It is deliberately light: a wrong merge costs more
// than a missed one, because every match is shown to the person as a
// reason. So a final "e" stays ("housing" is not "house", "caring" not
// "care"), "-ed" stays ("a cooked breakfast" is not cooking), and the
// vocabulary lists both forms where both matter ("dance", "dancing").
func stemBytes(w []byte) []byte {
	has := func(suf string) bool { return len(w) >= len(suf) && string(w[len(w)-len(suf):]) == suf }
	if has("s") && len(w) > 3 {
		switch {
		case has("ies") && len(w) > 4:
			w = append(w[:len(w)-3], 'y')
		case has("sses"), has("ches"), has("shes"), has("xes"), has("zes"):
			w = w[:len(w)-2]
		case has("ss"), has("us"), has("is"):
		default:
			w = w[:len(w)-1]
		}
	}
	if has("ing") && len(w)-3 >= minStem {
		w = w[:len(w)-3]
		if n := len(w); w[n-1] == w[n-2] && !isVowel(w[n-1]) && w[n-1] != 'l' && w[n-1] != 's' && w[n-1] != 'z' {
			w = w[:n-1]
		}
	}
	return w
}

func isVowel(b byte) bool { return b == 'a' || b == 'e' || b == 'i' || b == 'o' || b == 'u' }

// normalise lower-cases a phrase and reduces its punctuation and spacing to
// single spaces, for looking it up in the vocabulary.
func normalise(s string) string {
	out := make([]byte, 0, len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+':
			if space && len(out) > 0 {
				out = append(out, ' ')
			}
			space = false
			out = utf8.AppendRune(out, unicode.ToLower(r))
		case r == '\'' || r == '’':
			if len(out) > 0 && !space {
				out = append(out, '\'')
			}
		default:
			space = true
		}
	}
	return string(out)
}
