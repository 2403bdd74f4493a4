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
	return false, fmt.Errorf("%q should be yes or no", s)
}

var amountRE = regexp.MustCompile(`£\s*(\d{1,5}(?:\.\d{1,2})?)|(\d{1,5}(?:\.\d{2})?)\s*(?:pounds|gbp)\b|\b(\d{1,3})\s*p\b`)

// parseCost reads "free", "£3", "£3 per session, free for carers",
// "3 pounds", "50p". The first amount is the usual price; with no amount,
// words saying free make it free.
func parseCost(s string) (directory.Cost, error) {
	s = strings.TrimSpace(s)
	c := directory.Cost{Words: s}
	lower := strings.ToLower(s)
	if m := amountRE.FindStringSubmatch(lower); m != nil {
		switch {
		case m[1] != "" || m[2] != "":
			v, _ := strconv.ParseFloat(m[1]+m[2], 64)
			c.Pence = int(math.Round(v * 100))
		default:
			c.Pence, _ = strconv.Atoi(m[3])
		}
		if c.Pence == 0 {
			c.Free = true
		}
		if lower == "£0" || lower == "£0.00" {
			c.Words = ""
		}
		return c, nil
	}
	for _, w := range []string{"free", "no charge", "no cost", "nothing", "none", "£0"} {
		if strings.Contains(lower, w) {
			c.Free = true
			if lower == "free" {
				c.Words = ""
			}
			return c, nil
		}
	}
	return c, fmt.Errorf("%q has no amount - write free, or the price with £, e.g. £3 per session", s)
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
}

// parseJoin reads how to join; blank is unknown.
func parseJoin(s string) (directory.JoinMethod, error) {
	k := strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(s))), " ")
	if k == "" {
		return "", nil
	}
	if j, ok := joinWords[k]; ok {
		return j, nil
	}
	return "", fmt.Errorf("%q should be drop-in, self-refer or referral", s)
}

// parseAge reads a whole number of years ("18", "18+", "18 years").
func parseAge(s string) (int, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "years"), "+"))
	if t == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(t))
	if err != nil || n < 0 || n > 120 {
		return 0, fmt.Errorf("%q should be a whole number of years from 0 to 120", s)
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
	a, ok := accessWords[strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(s))), " ")]
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
	f, ok := formatWords[strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(s))), " ")]
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
	return "", fmt.Errorf("%q should be active, temporarily closed or inactive", s)
}

var phoneRE = regexp.MustCompile(`^(?:\+44|0044|0)\d{9,10}$`)

// parsePhone checks a UK phone number's shape ("020 7946 0123", "+44 20
// 7946 0123", "07700 900123", "0800 123 4567", "116 123") and returns it
// tidied but as written.
func parsePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r == '+':
			return r
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
			return -1
		}
		return 'x'
	}, s)
	// Extensions ("ext 12") and notes after the number are not part of it.
	if i := strings.IndexByte(digits, 'x'); i >= 0 {
		digits = digits[:i]
	}
	switch {
	case phoneRE.MatchString(digits):
		return strings.Join(strings.Fields(s), " "), nil
	case len(digits) >= 3 && len(digits) <= 6 && !strings.HasPrefix(digits, "0"):
		return s, nil // short codes: 111, 116 123
	}
	return "", fmt.Errorf("%q is not a UK phone number - write it like 020 7946 0123", s)
}

// parseEmail checks an email address.
func parseEmail(s string) (string, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "mailto:"))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", fmt.Errorf("%q is not an email address - write it like name@example.org", s)
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
		return "", fmt.Errorf("%q is not a web address - write it like https://example.org", strings.TrimPrefix(s, "https://"))
	}
	return s, nil
}

var dateLayouts = []string{
	"2006-01-02", "02/01/2006", "2/1/2006", "02/01/06", "2/1/06", "02-01-2006", "2-1-2006", "02.01.2006", "2.1.2006",
	"2 Jan 2006", "2 January 2006", "02 Jan 2006", "02 January 2006", "Jan 2 2006", "January 2 2006", "2 Jan 06",
	"2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05", "2006/01/02", "02/01/2006 15:04", "2/1/2006 15:04",
}

// parseDate reads a date in the usual UK ways (day before month), ISO, or
// as an Excel day number. Blank returns the zero time.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(strings.NewReplacer(",", "", "  ", " ").Replace(s))
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 20000 && n < 80000 {
		// Excel counts days from 30 December 1899.
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date - write it like 21/11/2026 or 2026-11-21", s)
}

// unformula undoes the protection the exporter adds to cells that begin
// with a formula character, so a downloaded file uploads unchanged.
func unformula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

// Neutralise protects a cell that a spreadsheet would run as a formula
// (starting with =, +, -, @, tab or carriage return) by putting an
// apostrophe before it, so an exported file opened in Excel runs nothing.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
