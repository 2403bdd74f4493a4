package web

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/livingwell/livingwell/directory"
)

// resultView is one listing in a list of results, as the pages show it.
type resultView struct {
	ID, URL, Name, Organisation, Summary string
	// Distance and Next are empty when unknown.
	Distance, Next string
	Badges         []string
	// Closed says the listing is temporarily closed.
	Closed bool
}

// resultViews describes hits for a page; postcode, when set, is carried
// into each listing's address so its page can show the distance.
func (s *Server) resultViews(hits []directory.Hit, postcode string, now time.Time) []resultView {
	out := make([]resultView, 0, len(hits))
	for _, h := range hits {
		l := h.Listing
		rv := resultView{
			ID: l.ID, URL: listingURL(l.ID, postcode), Name: l.Name, Organisation: l.Organisation.Name,
			Summary: oneLine(firstNonEmpty(l.Summary, l.Description), summaryChars),
			Badges:  badges(l), Closed: l.Status == directory.StatusTempClosed,
		}
		if h.DistanceKm != nil {
			rv.Distance = formatKm(*h.DistanceKm)
		}
		if h.Next != nil && l.Status == directory.StatusActive {
			rv.Next = occurrenceText(*h.Next, now)
		}
		out = append(out, rv)
	}
	return out
}

// summaryChars is the longest summary line a result shows.
const summaryChars = 180

// listingURL is the address of a listing's page, with the postcode searched
// around when there was one.
func listingURL(id, postcode string) string {
	u := "/listings/" + url.PathEscape(id)
	if postcode != "" {
		u += "?postcode=" + url.QueryEscape(postcode)
	}
	return u
}

// badges are the short labels a result shows.
func badges(l *directory.Listing) []string {
	var b []string
	if l.Cost.Free {
		b = append(b, "Free")
	}
	if l.HowToJoin == directory.JoinDropIn {
		b = append(b, "Drop-in")
	}
	if l.HasAccess(directory.AccessStepFree) {
		b = append(b, "Step-free")
	}
	if l.Online {
		b = append(b, "Online")
	}
	return b
}

// formatKm says a distance in kilometres for people.
func formatKm(km float64) string {
	if km < 0.1 {
		return "under 0.1 km"
	}
	if km < 10 {
		return fmt.Sprintf("%.1f km", km)
	}
	return fmt.Sprintf("%.0f km", km)
}

// oneLine returns the first line of s, cut at a word to at most n
// characters with an ellipsis when shortened.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:-") + "…"
}

// sentence makes an error message read as a sentence on a page: a capital
// letter first and a full stop at the end ("we do not know the postcode
// district XX99 - check the postcode" becomes "We do not know ... postcode.").
func sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return msg
	}
	msg = upperFirst(msg)
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}

// upperFirst returns s with its first letter in upper case.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
