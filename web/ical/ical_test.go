package ical_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/web/ical"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// now is when the test files are made: Tuesday 24 November 2026, 10:30 UK time.
var now = time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)

// sessionEvent is the event of a session as the listing page makes it:
// starting at the session's next occurrence.
func sessionEvent(t *testing.T, uid, spec string, at time.Time) ical.Event {
	t.Helper()
	ss, err := directory.ParseSessions(spec)
	if err != nil || len(ss) != 1 {
		t.Fatalf("ParseSessions(%q) = %v, %v", spec, ss, err)
	}
	start, end, ok := ss[0].Next(at)
	if !ok {
		t.Fatalf("session %q has no next occurrence", spec)
	}
	return ical.Event{UID: uid, Start: start, End: end, Rule: ical.SessionRule(ss[0]), Summary: "Allotment Saturdays", URL: "http://example.org/listings/abc"}
}

func TestWriteGolden(t *testing.T) {
	summer := time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		cal  func(t *testing.T) ical.Calendar
	}{
		{"weekly", func(t *testing.T) ical.Calendar {
			e := sessionEvent(t, "abc-1@livingwell", "Tue 10:00-12:00", now)
			e.Summary = "Cook, eat; talk"
			e.Location = "St Mark's Hall, 12 Vassall Road, London SW9 6HY"
			e.Description = "Cook a lunch together.\n\nHow to join: Just turn up.\nCost: £2, or free"
			return ical.Calendar{Name: "Cook, eat; talk", Stamp: now, Events: []ical.Event{e}}
		}},
		{"monthly", func(t *testing.T) ical.Calendar {
			first := sessionEvent(t, "abc-1@livingwell", "1st Sat 11:00-13:00", now)
			last := sessionEvent(t, "abc-2@livingwell", "Last Fri 19:00-21:00", now)
			return ical.Calendar{Name: "Allotment Saturdays", Stamp: now, Events: []ical.Event{first, last}}
		}},
		{"midnight-and-tentative", func(t *testing.T) ical.Calendar {
			e := sessionEvent(t, "abc-1@livingwell", "Sat 22:00-24:00", now)
			e.Tentative = true
			return ical.Calendar{Name: "Late café", Stamp: now, Events: []ical.Event{e}}
		}},
		{"summer-time", func(t *testing.T) ical.Calendar {
			e := sessionEvent(t, "abc-1@livingwell", "Wed 18:30-20:00", summer)
			return ical.Calendar{Stamp: summer, Events: []ical.Event{e}}
		}},
		{"long-unicode", func(t *testing.T) ical.Calendar {
			e := sessionEvent(t, "abc-1@livingwell", "Thu 14:00-16:00", now)
			e.Summary = "Café conversación: português, español, Ελληνικά and 中文 speakers welcome 🌱"
			e.Description = strings.Repeat("Ça va? Ünïcödé text with commas, semicolons; and a back\\slash. ", 4)
			return ical.Calendar{Name: e.Summary, Stamp: now, Events: []ical.Event{e}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := ical.Write(&buf, tt.cal(t)); err != nil {
				t.Fatal(err)
			}
			checkContentLines(t, buf.Bytes())
			golden := filepath.Join("testdata", tt.name+".ics")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./web/ical -update to write it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("calendar differs from %s (-update rewrites it):\n got:\n%s\nwant:\n%s", golden, buf.Bytes(), want)
			}
		})
	}
}

// checkContentLines checks RFC 5545 section 3.1: every line ends in CRLF,
// holds at most 75 octets, and (folded lines included) no UTF-8 character
// is split.
func checkContentLines(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("the file does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d has %d octets, more than 75: %q", i+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, line)
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d holds a bare line break: %q", i+1, line)
		}
	}
}

// unfold joins folded lines (RFC 5545 section 3.1) and returns the
// content lines.
func unfold(b []byte) []string {
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n ", ""), "\r\n"), "\r\n")
}

// unescape reverses Escape.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestSessionRule(t *testing.T) {
	tests := map[string]string{
		"Tue 10:00-12:00":      "FREQ=WEEKLY;BYDAY=TU",
		"Sun 10:00-12:00":      "FREQ=WEEKLY;BYDAY=SU",
		"1st Sat 11:00-13:00":  "FREQ=MONTHLY;BYDAY=1SA",
		"3rd Wed 14:00-16:00":  "FREQ=MONTHLY;BYDAY=3WE",
		"Last Fri 19:00-21:00": "FREQ=MONTHLY;BYDAY=-1FR",
	}
	for spec, want := range tests {
		t.Run(spec, func(t *testing.T) {
			ss, err := directory.ParseSessions(spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := ical.SessionRule(ss[0]); got != want {
				t.Errorf("SessionRule(%s) = %s, want %s", spec, got, want)
			}
		})
	}
}

// FuzzWrite checks that any summary and description come back unchanged
// (less control characters) after folding and escaping, in lines of at most
// 75 octets.
func FuzzWrite(f *testing.F) {
	f.Add("Cook, eat; talk", "line one\nline two\\ end")
	f.Add(strings.Repeat("é", 80), strings.Repeat("🌱,", 40))
	f.Add("", "\r\n\t\x00\x7f")
	f.Fuzz(func(t *testing.T, summary, description string) {
		if !utf8.ValidString(summary) || !utf8.ValidString(description) {
			t.Skip()
		}
		cal := ical.Calendar{Stamp: now, Events: []ical.Event{{UID: "x@livingwell", Start: now, End: now.Add(time.Hour), Summary: summary, Description: description}}}
		var buf bytes.Buffer
		if err := ical.Write(&buf, cal); err != nil {
			t.Fatal(err)
		}
		checkContentLines(t, buf.Bytes())
		got := map[string]string{}
		for _, line := range unfold(buf.Bytes()) {
			if name, value, ok := strings.Cut(line, ":"); ok {
				got[name] = value
			}
		}
		clean := func(s string) string {
			s = strings.ReplaceAll(s, "\r\n", "\n")
			s = strings.ReplaceAll(s, "\r", "\n")
			return strings.Map(func(r rune) rune {
				if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f {
					return -1
				}
				return r
			}, s)
		}
		if u := unescape(got["SUMMARY"]); u != clean(summary) {
			t.Errorf("SUMMARY came back as %q, want %q", u, clean(summary))
		}
		if description != "" {
			if u := unescape(got["DESCRIPTION"]); u != clean(description) {
				t.Errorf("DESCRIPTION came back as %q, want %q", u, clean(description))
			}
		}
	})
}
