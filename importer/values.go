package importer

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/livingwell/livingwell/directory"
)

// splitList splits a ;-separated cell (or new-line separated, as some
// people type in Excel), trimming and dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitPositional splits a ;-separated cell keeping empty items, for
// columns whose items line up with other columns (venue, address, ...).
func splitPositional(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// parseYesNo reads yes/no in the usual spellings; blank is no.
func parseYesNo(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "no", "n", "false", "0", "in person", "in-person", "not online":
		return false, nil
	case "yes", "y", "true", "1", "online", "online only", "both", "yes - online", "also online":
		return true, nil
	}
	return false, fmt.Errorf("'%s' should be yes or no", clip(s))
}

var (
	amountRE = regexp.MustCompile(`£\s*(\d{1,5}(?:\.\d{1,2})?)|\b(\d{1,5}(?:\.\d{2})?)\s*(?:pounds?|gbp)\b|\b(\d{1,3})\s*p\b`)
	// freeRE finds words that say something costs nothing. A "free for
	// carers" or "free to members" is a concession, not the usual price,
	// unless it is free for everyone.
	freeRE = regexp.MustCompile(`\b(?:free|no charge|no cost|nothing to pay|no fee)\b(\s+(?:for|to|if|with|when|under|over|on|at)\b(\s+\w+)?)?`)
	// payAsYouFeelRE finds words that mean nobody is turned away for
	// money, which count as free when no price is given.
	payAsYouFeelRE = regexp.MustCompile(`\b(?:pay as you feel|pay what you can|by donation|donations?|nothing|no charge|no cost)\b`)
	everyoneRE     = regexp.MustCompile(`^\s+\w+\s+(?:all|everyone|everybody|anyone|anybody|you)$`)
	zeroAmountRE   = regexp.MustCompile(`^£\s*0(?:\.0{1,2})?$`)
)

// parseCost reads what a listing costs as partners write it: "free", "£3",
// "£3 per session, free for carers" (£3: the free part is a concession),
// "Free, donations welcome (£2 suggested)" (free: it says so first),
// "3 pounds", "50p", "pay as you feel" (free: nobody is turned away). The
// usual price is whichever comes first, free or an amount; without an
// amount, any word saying free or pay-as-you-feel makes it free. The
// partner's words are kept unless they say no more than the price. It
// returns the cost and an error, for a warning, when the words give no
// price at all.
func parseCost(s string) (directory.Cost, error) {
	s = strings.Join(strings.Fields(s), " ")
	c := directory.Cost{Words: s}
	lower := strings.ToLower(s)
	amountAt, freeAt := -1, -1
	m := amountRE.FindStringSubmatchIndex(lower)
	if m != nil {
		amountAt = m[0]
	}
	anyFree := false
	for _, f := range freeRE.FindAllStringSubmatchIndex(lower, -1) {
		anyFree = true
		concession := f[2] >= 0 && !everyoneRE.MatchString(lower[f[2]:f[1]])
		if !concession {
			freeAt = f[0]
			break
		}
	}
	switch {
	case freeAt >= 0 && (amountAt < 0 || freeAt < amountAt):
		c.Free = true
	case amountAt < 0 && (anyFree || payAsYouFeelRE.MatchString(lower)):
		c.Free = true
	case amountAt >= 0:
		var v float64
		switch {
		case m[2] >= 0:
			v, _ = strconv.ParseFloat(lower[m[2]:m[3]], 64)
		case m[4] >= 0:
			v, _ = strconv.ParseFloat(lower[m[4]:m[5]], 64)
		default:
			p, _ := strconv.Atoi(lower[m[6]:m[7]])
			v = float64(p) / 100
		}
		c.Pence = int(math.Round(v * 100))
		c.Free = c.Pence == 0
	default:
		return c, fmt.Errorf("'%s' gives no price - write free, or the price with £, e.g. £3 per session", clip(s))
	}
	switch {
	case lower == "free" || zeroAmountRE.MatchString(lower):
		c.Words = ""
	case !c.Free && s == FormatCost(directory.Cost{Pence: c.Pence}):
		c.Words = ""
	}
	return c, nil
}

// FormatCost writes a cost the way parseCost reads it.
func FormatCost(c directory.Cost) string {
	switch {
	case c.Words != "":
		return c.Words
	case c.Free:
		return "free"
	case c.Pence > 0:
		return fmt.Sprintf("£%d.%02d", c.Pence/100, c.Pence%100)
	}
	return ""
}

var joinWords = map[string]directory.JoinMethod{
	"drop in": directory.JoinDropIn, "dropin": directory.JoinDropIn, "just turn up": directory.JoinDropIn,
	"turn up": directory.JoinDropIn, "walk in": directory.JoinDropIn, "open to all": directory.JoinDropIn,
	"self refer": directory.JoinSelfRefer, "self referral": directory.JoinSelfRefer, "self introduce": directory.JoinSelfRefer,
	"self introduction": directory.JoinSelfRefer, "get in touch": directory.JoinSelfRefer, "contact us": directory.JoinSelfRefer,
	"book": directory.JoinSelfRefer, "booking": directory.JoinSelfRefer, "book a place": directory.JoinSelfRefer,
	"referral": directory.JoinReferral, "referral needed": directory.JoinReferral, "referral only": directory.JoinReferral,
	"refer": directory.JoinReferral, "gp referral": directory.JoinReferral, "professional referral": directory.JoinReferral,
	"by referral": directory.JoinReferral, "referred": directory.JoinReferral,
	// Answers to "Referral needed?", a column partners often have.
	"yes": directory.JoinReferral, "y": directory.JoinReferral, "required": directory.JoinReferral,
	"no": directory.JoinSelfRefer, "n": directory.JoinSelfRefer, "not needed": directory.JoinSelfRefer,
	"no referral needed": directory.JoinSelfRefer, "no referral": directory.JoinSelfRefer,
}

// wordKey is how a value is looked up in a table of words: lower case,
// with hyphens and underscores as spaces and spacing tidied.
func wordKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, s))), " ")
}

// parseJoin reads how to join; blank is unknown.
func parseJoin(s string) (directory.JoinMethod, error) {
	k := wordKey(s)
	if k == "" {
		return "", nil
	}
	if j, ok := joinWords[k]; ok {
		return j, nil
	}
	return "", fmt.Errorf("'%s' should be drop-in, self-refer or referral", clip(s))
}

var ageSuffixes = []string{"years old", "years", "year", "yrs", "yr", "y/o", "+", "and over", "and above", "or over", "plus"}

// parseAge reads a whole number of years ("18", "18+", "18 years",
// "16yrs"); blank, "any" and "none" mean no limit.
func parseAge(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "", "any", "all", "all ages", "none", "no limit", "n/a", "na", "-":
		return 0, nil
	}
	for _, suf := range ageSuffixes {
		t = strings.TrimSpace(strings.TrimSuffix(t, suf))
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > 120 {
		return 0, fmt.Errorf("'%s' should be a whole number of years from 0 to 120, or blank for no limit", clip(s))
	}
	return n, nil
}

var accessWords = map[string]directory.Access{
	"step free": directory.AccessStepFree, "stepfree": directory.AccessStepFree, "step free access": directory.AccessStepFree,
	"wheelchair": directory.AccessStepFree, "wheelchair accessible": directory.AccessStepFree, "wheelchair access": directory.AccessStepFree,
	"level access": directory.AccessStepFree, "ramp": directory.AccessStepFree, "lift": directory.AccessStepFree,
	"accessible toilet": directory.AccessToilet, "disabled toilet": directory.AccessToilet, "accessible toilets": directory.AccessToilet,
	"hearing loop": directory.AccessHearing, "induction loop": directory.AccessHearing, "loop": directory.AccessHearing,
	"bsl": directory.AccessBSL, "british sign language": directory.AccessBSL, "sign language": directory.AccessBSL, "bsl interpreter": directory.AccessBSL,
	"quiet space": directory.AccessQuiet, "quiet room": directory.AccessQuiet, "quiet area": directory.AccessQuiet,
	"large print": directory.AccessLargePrint, "easy read": directory.AccessLargePrint, "large print materials": directory.AccessLargePrint,
}

// parseAccess reads one accessibility feature by code or in common words.
func parseAccess(s string) (directory.Access, bool) {
	if a := directory.Access(strings.ToLower(strings.TrimSpace(s))); a.Valid() {
		return a, true
	}
	a, ok := accessWords[wordKey(s)]
	return a, ok
}

var formatWords = map[string]directory.Format{
	"group": directory.FormatGroup, "groups": directory.FormatGroup, "group session": directory.FormatGroup, "class": directory.FormatGroup,
	"one to one": directory.FormatOneToOne, "1:1": directory.FormatOneToOne, "1 to 1": directory.FormatOneToOne, "121": directory.FormatOneToOne,
	"individual": directory.FormatOneToOne, "one on one": directory.FormatOneToOne, "1 2 1": directory.FormatOneToOne,
	"drop in": directory.FormatDropIn, "dropin": directory.FormatDropIn,
}

// parseFormat reads one format.
func parseFormat(s string) (directory.Format, bool) {
	f, ok := formatWords[wordKey(s)]
	return f, ok
}

var statusWords = map[string]directory.Status{
	"": directory.StatusActive, "active": directory.StatusActive, "running": directory.StatusActive, "open": directory.StatusActive, "yes": directory.StatusActive, "live": directory.StatusActive,
	"temporarily closed": directory.StatusTempClosed, "temporarily-closed": directory.StatusTempClosed, "paused": directory.StatusTempClosed,
	"on hold": directory.StatusTempClosed, "closed for now": directory.StatusTempClosed, "suspended": directory.StatusTempClosed, "temp closed": directory.StatusTempClosed,
	"inactive": directory.StatusInactive, "closed": directory.StatusInactive, "ended": directory.StatusInactive, "stopped": directory.StatusInactive,
	"no": directory.StatusInactive, "finished": directory.StatusInactive, "not running": directory.StatusInactive,
}

// parseStatus reads a status; blank is active.
func parseStatus(s string) (directory.Status, error) {
	if st, ok := statusWords[strings.Join(strings.Fields(strings.ToLower(s)), " ")]; ok {
		return st, nil
	}
	return "", fmt.Errorf("'%s' should be active, temporarily closed or inactive", clip(s))
}

var (
	// phoneRE is a UK number: 0 and 9 or 10 digits, or fewer for a few
	// freephone lines such as Childline's 0800 1111.
	phoneRE = regexp.MustCompile(`^(?:\+44|0044|0)\d{7,10}$`)
	// shortCodeRE is a short number: three digits (111, 999), a 116 helpline
	// (116 123) or a five-digit text number (85258).
	shortCodeRE = regexp.MustCompile(`^(?:[1-9]\d{2}|116\d{3}|[6-8]\d{4})$`)
)

// parsePhone checks a UK phone number's shape ("020 7946 0123", "+44 (0)20
// 7946 0123", "07700 900123", "0800 1111", "116 123", "020 7946 0123 ext
// 4") and returns it as written with its spacing tidied.
func parsePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	// "+44 (0)20 7946 0123": the (0) is dialled only from inside the UK.
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r == '+':
			return r
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
			return -1
		}
		return 'x'
	}, strings.Replace(s, "(0)", "", 1))
	// Extensions ("ext 12") and notes after the number are not part of it.
	if i := strings.IndexByte(digits, 'x'); i >= 0 {
		digits = digits[:i]
	}
	switch {
	case phoneRE.MatchString(digits):
		return strings.Join(strings.Fields(s), " "), nil
	case shortCodeRE.MatchString(digits):
		return strings.Join(strings.Fields(s), " "), nil // short codes: 111, 116 123
	case len(digits) >= 9 && len(digits) <= 10 && digits[0] != '0' && digits[0] != '+':
		return "", fmt.Errorf("'%s' is not a UK phone number - did the spreadsheet drop the 0 at the start? Format the column as text and write it like 0%s", clip(s), digits)
	}
	return "", fmt.Errorf("'%s' is not a UK phone number - write it like 020 7946 0123", clip(s))
}

// parseEmail checks an email address.
func parseEmail(s string) (string, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "mailto:"))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", fmt.Errorf("'%s' is not an email address - write it like name@example.org", clip(s))
	}
	return s, nil
}

// parseWebsite checks a web address, adding https:// when it is missing.
func parseWebsite(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") || strings.ContainsAny(u.Host, " @") {
		return "", fmt.Errorf("'%s' is not a web address - write it like https://example.org", clip(strings.TrimPrefix(s, "https://")))
	}
	return s, nil
}

var dateLayouts = []string{
	"2006-01-02", "2/1/2006", "2/1/06", "2-1-2006", "2-1-06", "2.1.2006", "2.1.06", "2006/1/2",
	"2 Jan 2006", "2 January 2006", "2 Jan 06", "2-Jan-2006", "2-Jan-06", "2 January 06",
	"Monday 2 January 2006", "Mon 2 Jan 2006", "January 2 2006", "Jan 2 2006",
	"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"2/1/2006 15:04:05", "2/1/2006 15:04",
}

// monthLayouts are dates that give only a month, read as its first day.
var monthLayouts = []string{"January 2006", "Jan 2006", "1/2006", "2006-01"}

var ordinalRE = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)\b`)

// parseDate reads a date in the usual UK ways (day before month: 21/11/2026,
// 21 Nov 2026, 21st November 2026, 21-Nov-26), ISO (2026-11-21), a month
// (November 2026, the 1st), or an Excel day number. Blank returns the zero
// time.
func parseDate(s string) (time.Time, error) {
	t := strings.Join(strings.Fields(strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(s, ",", " "), "Sept", "Sep"), "sept", "sep")), " ")
	t = ordinalRE.ReplaceAllString(t, "$1")
	if t == "" {
		return time.Time{}, nil
	}
	for _, layout := range dateLayouts {
		if d, err := time.Parse(layout, t); err == nil {
			return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	for _, layout := range monthLayouts {
		if d, err := time.Parse(layout, t); err == nil {
			return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC), nil
		}
	}
	if n, err := strconv.ParseFloat(t, 64); err == nil && n > 20000 && n < 80000 {
		// Excel counts days from 30 December 1899.
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)), nil
	}
	return time.Time{}, fmt.Errorf("'%s' is not a date - write it like 21/11/2026 or 2026-11-21", clip(s))
}

// formulaStart reports whether a spreadsheet would run s as a formula
// (it starts with =, +, -, @, a tab or a carriage return), or s starts with
// the apostrophe that Neutralise adds before such a value.
func formulaStart(s string) bool {
	switch {
	case s == "":
		return false
	case strings.ContainsRune("=+-@\t\r", rune(s[0])):
		return true
	case s[0] == '\'':
		return formulaStart(s[1:])
	}
	return false
}

// Neutralise protects a cell that a spreadsheet would run as a formula by
// putting an apostrophe before it, so an exported file opened in Excel
// runs nothing. A value that already starts with an apostrophe before a
// formula character gets another, so that unformula gives back exactly
// what was exported.
func Neutralise(s string) string {
	if formulaStart(s) {
		return "'" + s
	}
	return s
}

// unformula undoes Neutralise, so a downloaded file uploads unchanged: it
// drops an apostrophe that stands before a formula character.
func unformula(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaStart(s[1:]) {
		return s[1:]
	}
	return s
}

// clip shortens what a partner typed for quoting in a message.
func clip(s string) string {
	const most = 60
	if utf8.RuneCountInString(s) <= most {
		return s
	}
	return string([]rune(s)[:most-1]) + "…"
}
