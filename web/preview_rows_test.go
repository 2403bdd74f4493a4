package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/importer"
)

// previewHeading returns the text of the preview's heading for a
// spreadsheet row, tags and whitespace folded, or "" when there is none.
func previewHeading(body string, row int) string {
	block := previewRowHTML(body, row)
	m := regexp.MustCompile(`(?s)<h3>(.*?)</h3>`).FindStringSubmatch(block)
	if m == nil {
		return ""
	}
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], " ")), " ")
}

// TestPreviewNamesRowsWithErrors checks that the preview's heading for a
// row that cannot be used names the listing on it, by ref and name, in
// plain text beside the row number (not only in colour), so a partner
// with a long sheet sorted another way can find the row.
func TestPreviewNamesRowsWithErrors(t *testing.T) {
	const header = "ref,name,description,categories,postcode,phone\n"
	tests := []struct {
		name string
		csv  string
		row  int
		want string // the heading's text
	}{
		{"a ref and a name", brokenCSV, 3, "Row 3: A3 - Alpha Book Group not used"},
		{"no ref", header + ",Alpha Quiz,A quiz night.,hobbies,SW9 8HE,020 7946 0004\n", 2, "Row 2 - Alpha Quiz not used"},
		{"no name", header + "A7,,A quiz night.,hobbies,SW9 8HE,020 7946 0004\n", 2, "Row 2: A7 not used"},
		{"a name that looks like markup", header + "A8,<b>Quiz</b>,A quiz night.,hobbies,SW9 8,020 7946 0004\n", 2, "Row 2: A8 - &lt;b&gt;Quiz&lt;/b&gt; not used"},
		{"a name too long to show whole", header + "A9," + strings.Repeat("Quiz ", 50) + "night,A quiz night.,hobbies,SW9 8HE,020 7946 0004\n", 2,
			"Row 2: A9 - " + strings.TrimSpace(strings.Repeat("Quiz ", 12)) + "… not used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustOpenServer(t, Config{})
			ck, csrf := e.session(alphaEmail)
			id := uploadID(t, e.postFile("/partner/upload?partner=alpha", ck, "listings.csv", []byte(tt.csv), map[string]string{"csrf": csrf, "mode": "merge"}))
			pv := e.get("/partner/upload/"+id+"?partner=alpha", ck)
			if pv.Code != http.StatusOK {
				t.Fatalf("preview: %d\n%s", pv.Code, pv.Body.String())
			}
			if got := previewHeading(pv.Body.String(), tt.row); got != tt.want {
				t.Errorf("row %d's heading is %q, want %q\n%s", tt.row, got, tt.want, previewRowHTML(pv.Body.String(), tt.row))
			}
		})
	}
}

// TestPreviewUnchangedRowWithWarning checks that a row which changes
// nothing but has a warning (as a sheet uploaded again each month keeps
// its warnings) is shown as unchanged, not as a row that will not be used.
func TestPreviewUnchangedRowWithWarning(t *testing.T) {
	e := mustOpenServer(t, Config{})
	withCost := strings.Replace(alphaCSV, "last_verified\n", "last_verified,cost\n", 1)
	withCost = strings.Replace(withCost, "2026-01-10\n", "2026-01-10,pay later\n", 1)
	withCost = strings.Replace(withCost, "2025-01-10\n", "2025-01-10,\n", 1)
	plan, err := e.im.PlanFile(context.Background(), "alpha", importer.File{Name: "x.csv", R: strings.NewReader(withCost), Size: int64(len(withCost))}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.im.Apply(context.Background(), plan, "test", false); err != nil {
		t.Fatal(err)
	}
	ck, csrf := e.session(alphaEmail)
	id := uploadID(t, e.postFile("/partner/upload?partner=alpha", ck, "again.csv", []byte(withCost), map[string]string{"csrf": csrf, "mode": "merge"}))
	body := e.get("/partner/upload/"+id+"?partner=alpha", ck).Body.String()
	if got, want := previewHeading(body, 2), "Row 2: A1 - Alpha Garden Club unchanged"; got != want {
		t.Errorf("row 2's heading is %q, want %q\n%s", got, want, previewRowHTML(body, 2))
	}
	if row := previewRowHTML(body, 2); !strings.Contains(row, "gives no price") {
		t.Errorf("row 2 does not show its warning:\n%s", row)
	}
}
