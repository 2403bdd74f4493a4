package directory

import (
	"sort"
	"strings"
)

// languages maps ISO 639-1 codes to English names: the languages most
// spoken in London and the rest of the UK, after English. Listings store
// codes; people type either.
var languages = map[string]string{
	"ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "cy": "Welsh", "de": "German",
	"el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian (Farsi)", "fr": "French",
	"ga": "Irish", "gd": "Scottish Gaelic", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi",
	"hu": "Hungarian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "ku": "Kurdish",
	"lt": "Lithuanian", "lv": "Latvian", "ml": "Malayalam", "ne": "Nepali", "pa": "Punjabi",
	"pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
	"sk": "Slovak", "so": "Somali", "sq": "Albanian", "sw": "Swahili", "ta": "Tamil",
	"ti": "Tigrinya", "tl": "Tagalog", "tr": "Turkish", "tw": "Twi", "uk": "Ukrainian",
	"ur": "Urdu", "vi": "Vietnamese", "yo": "Yoruba", "zh": "Chinese", "am": "Amharic",
	"ig": "Igbo", "ln": "Lingala", "si": "Sinhala", "th": "Thai", "cs": "Czech",
}

var languageAliases = map[string]string{
	"farsi": "fa", "persian": "fa", "mandarin": "zh", "cantonese": "zh", "chinese": "zh",
	"punjabi": "pa", "panjabi": "pa", "filipino": "tl", "tagalog": "tl", "gaelic": "gd",
	"sylheti": "bn", "bangla": "bn", "kurdish": "ku", "sorani": "ku", "kurmanji": "ku",
	"akan": "tw", "twi": "tw", "brazilian portuguese": "pt",
}

// ParseLanguage returns the ISO 639-1 code for a language given by code
// ("pt") or English name ("Portuguese", "farsi"), and EINVALID naming what
// was typed for anything else.
func ParseLanguage(s string) (string, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	if _, ok := languages[k]; ok {
		return k, nil
	}
	if code, ok := languageAliases[k]; ok {
		return code, nil
	}
	for code, name := range languages {
		if strings.ToLower(name) == k {
			return code, nil
		}
	}
	return "", Errorf(EINVALID, "%q is not a language we know - write its English name, e.g. Portuguese, or its two-letter code, e.g. pt", s)
}

// LanguageName returns the English name of a language code, or the code
// itself when it is not known.
func LanguageName(code string) string {
	if n, ok := languages[code]; ok {
		return n
	}
	return code
}

// LanguageCodes returns every known language code, sorted by name.
func LanguageCodes() []string {
	out := make([]string, 0, len(languages))
	for c := range languages {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return languages[out[i]] < languages[out[j]] })
	return out
}
