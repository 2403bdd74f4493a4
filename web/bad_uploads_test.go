package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf16"
)

// badUploads are files no partner should be able to store anything with.
func badUploads() []struct {
	name string
	body []byte
	says string
} {
	utf16le := func(s string) []byte {
		var b bytes.Buffer
		for _, u := range utf16.Encode([]rune(s)) {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
		return b.Bytes()
	}
	longLine := append([]byte("ref,name,description,categories,postcode,phone,email,last_verified\nA9,Long,\""), bytes.Repeat([]byte("x"), 10<<20)...)
	longLine = append(longLine, []byte("\",walking-groups,SW9 8HE,020 7946 0001,,2026-01-10\n")...)
	binary := make([]byte, 64<<10)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	return []struct {
		name string
		body []byte
		says string
	}{
		{"empty", nil, ""},
		{"only a header", []byte("ref,name,description,categories,postcode\n"), ""},
		{"binary", binary, ""},
		{"a PDF", append([]byte("%PDF-1.7\n"), binary...), ""},
		{"an old .xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, binary...), ""},
		{"a 10 MB line", longLine, ""},
		{"UTF-16 without a header row", utf16le("hello,world\n"), ""},
		{"not a zip but says so", append([]byte("PK\x03\x04"), binary[:100]...), ""},
	}
}

// TestBadUploadsAreRefusedAndStoreNothing sends each bad file to the
// partner API and through the upload form (to its preview and
// confirmation): each answer is a 4xx with a message, and nothing is
// stored.
func TestBadUploadsAreRefusedAndStoreNothing(t *testing.T) {
	e := mustOpenServer(t, Config{MaxUploadBytes: 16 << 20, Limits: fuzzLimits})
	token, _, err := e.dir.CreateToken(context.Background(), "alpha", "test")
	if err != nil {
		t.Fatal(err)
	}
	alpha, csrf := e.session(alphaEmail)
	before := e.snapshot()
	for _, up := range badUploads() {
		t.Run(up.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/partner/imports?valid_only=true", bytes.NewReader(up.body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "text/csv")
			w := e.do(req)
			if w.Code/100 != 4 || !strings.Contains(w.Body.String(), `"message"`) {
				t.Errorf("API: answered %d: %.300s", w.Code, w.Body.String())
			}
			w = e.postFile("/partner/upload", alpha, "listings.csv", up.body, map[string]string{"csrf": csrf, "mode": "replace"})
			if w.Code == http.StatusSeeOther {
				id := uploadID(t, w)
				// The preview may show the problems (or, for a file of no
				// rows in replace mode, that everything would go); only
				// confirming could store anything.
				if p := e.get("/partner/upload/"+id, alpha); p.Code >= 500 {
					t.Errorf("preview: answered %d", p.Code)
				}
				c := e.postForm("/partner/upload/"+id+"/confirm", alpha, map[string][]string{"csrf": {csrf}, "valid_only": {"true"}})
				if c.Code/100 != 4 {
					t.Errorf("confirm: answered %d", c.Code)
				}
			} else if w.Code/100 != 4 {
				t.Errorf("form: answered %d", w.Code)
			}
			if after := e.snapshot(); after != before {
				t.Errorf("a bad file changed things: %s -> %s", before, after)
			}
		})
	}
	t.Run("over the size limit", func(t *testing.T) {
		big := bytes.Repeat([]byte("A1,x,y,walking-groups,SW9 8HE\n"), (17<<20)/30)
		req := httptest.NewRequest(http.MethodPost, "/api/v1/partner/imports", bytes.NewReader(big))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "text/csv")
		w := e.do(req)
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "larger than 16 MB") {
			t.Errorf("API: answered %d: %s", w.Code, w.Body.String())
		}
		req = httptest.NewRequest(http.MethodPost, "/api/v1/partner/imports", bytes.NewReader(big))
		req.ContentLength = -1 // chunked: the limit is found while reading
		req.Header.Set("Authorization", "Bearer "+token)
		w = e.do(req)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("API, chunked: answered %d: %s", w.Code, w.Body.String())
		}
		if w := e.postFile("/partner/upload", alpha, "big.csv", big, map[string]string{"csrf": csrf}); w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("form: answered %d", w.Code)
		}
		if after := e.snapshot(); after != before {
			t.Errorf("a file over the limit changed things")
		}
	})
}
