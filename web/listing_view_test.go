package web

import (
	"testing"

	"github.com/livingwell/livingwell/directory"
)

func TestTelDigits(t *testing.T) {
	tests := map[string]string{
		"020 7946 0412":            "02079460412",
		"+44 (0)20 7946-0412":      "+4402079460412",
		"07700 900763":             "07700900763",
		"116 123":                  "116123",
		"020 7946 0412 (Mon-Fri)":  "", // words: no link rather than a wrong one
		"020 7946 0412 or 0412 55": "",
		"12":                       "",
		"":                         "",
		"javascript:alert(1)":      "",
		"0800+123":                 "",
	}
	for in, want := range tests {
		if got := telDigits(in); got != want {
			t.Errorf("telDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewContactView(t *testing.T) {
	v := newContactView(directory.Contact{Phone: "020 7946 0412", Email: "Sam <sam@example.org>"})
	if v.PhoneURL != "tel:02079460412" || v.EmailURL != "" || v.Email != "Sam <sam@example.org>" {
		t.Errorf("newContactView = %+v; want a tel link, and no mailto link for an address with a name", v)
	}
	v = newContactView(directory.Contact{Email: "sam@example.org"})
	if v.EmailURL != "mailto:sam@example.org" {
		t.Errorf("EmailURL = %q", v.EmailURL)
	}
}

func TestListingWords(t *testing.T) {
	tests := []struct{ got, want string }{
		{costWords(directory.Cost{Free: true}), "Free"},
		{costWords(directory.Cost{Free: true, Words: "free, donations welcome"}), "Free, donations welcome"},
		{costWords(directory.Cost{Free: true, Words: "tea and cake provided"}), "Free. Tea and cake provided"},
		{costWords(directory.Cost{Pence: 250}), "£2.50"},
		{costWords(directory.Cost{Pence: 300, Words: "£3, free for carers"}), "£3, free for carers"},
		{costWords(directory.Cost{}), "Ask about cost"},
		{ageWords(18, 25), "Ages 18 to 25"},
		{ageWords(50, 0), "Ages 50 and over"},
		{ageWords(0, 16), "Up to age 16"},
		{ageWords(0, 0), "All ages"},
		{formatKm(0.05), "under 0.1 km"},
		{formatKm(2.345), "2.3 km"},
		{formatKm(12.6), "13 km"},
		{oneLine("A  short\nsummary.", 180), "A short summary."},
		{oneLine("Cook a two-course lunch together in a small group, then sit down and eat it.", 40), "Cook a two-course lunch together in a…"},
		{sentence("we do not know the postcode district XX99 - check the postcode"), "We do not know the postcode district XX99 - check the postcode."},
		{sentence("Ça va?"), "Ça va?"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
