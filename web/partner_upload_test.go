package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/importer"
)

// brokenCSV renames A1 (row 2) and adds A3 (row 3) with a bad postcode.
const brokenCSV = `ref,name,description,categories,postcode,phone,email,last_verified
A1,Alpha Garden Club (Saturdays),"Grow vegetables together on the estate allotment, tools provided.",community-gardens,SW9 8HE,020 7946 0001,garden@alpha.example.org,2026-01-10
A3,Alpha Book Group,"Read and talk about a book a month.",hobbies,SW9 8,020 7946 0003,,2026-03-01
`

// fixedCSV is brokenCSV with the postcode corrected.
var fixedCSV = strings.Replace(brokenCSV, ",SW9 8,", ",SW9 8LF,", 1)

var (
	startAlpha = "A1=Alpha Garden Club|A2=Alpha Walk and Talk"
	fixedAlpha = "A1=Alpha Garden Club (Saturdays)|A2=Alpha Walk and Talk|A3=Alpha Book Group"
)

// previewRowHTML returns the preview's block for a spreadsheet row.
func previewRowHTML(body string, row int) string {
	re := regexp.MustCompile(`(?s)<li class="preview-row[^"]*">\s*<h3>Row ` + strconv.Itoa(row) + `\b.*?</li>\s*(?:<li class="preview-row|</ol>)`)
	return re.FindString(body)
}

func TestUploadFlow(t *testing.T) {
	e := mustOpenServer(t, Config{})
	ck, csrf := e.session(alphaEmail)
	state := func(step, want string) {
		t.Helper()
		if got := strings.Join(e.listingNames("alpha"), "|"); got != want {
			t.Fatalf("%s: alpha has %s, want %s", step, got, want)
		}
		if got := strings.Join(e.listingNames("beta"), "|"); got != "B1=Beta Community Kitchen" {
			t.Fatalf("%s: beta changed to %s", step, got)
		}
	}
	imports := e.importCount("alpha")

	// 1. A file with an error: the preview shows the error at its row and
	// column, and the change on the good row field by field.
	broken := uploadID(t, e.postFile("/partner/upload?partner=alpha", ck, "listings.csv", []byte(brokenCSV), map[string]string{"csrf": csrf, "mode": "merge"}))
	state("after uploading the broken file", startAlpha)
	pv := e.get("/partner/upload/"+broken+"?partner=alpha", ck)
	if pv.Code != http.StatusOK {
		t.Fatalf("preview: %d\n%s", pv.Code, pv.Body.String())
	}
	body := pv.Body.String()
	row3 := previewRowHTML(body, 3)
	if !strings.Contains(row3, "<strong>postcode</strong>: &#39;SW9 8&#39; is not a full UK postcode or district") || !strings.Contains(row3, "not used") {
		t.Errorf("row 3's error is not shown at its row and column:\n%s", row3)
	}
	row2 := previewRowHTML(body, 2)
	for _, want := range []string{"changed", `<th scope="row">name</th><td><del>Alpha Garden Club</del></td><td><ins>Alpha Garden Club (Saturdays)</ins></td>`} {
		if !strings.Contains(row2, want) {
			t.Errorf("row 2's change lacks %s:\n%s", want, row2)
		}
	}
	if !strings.Contains(body, "Apply only the rows without errors") || strings.Contains(body, "Apply these changes") {
		t.Errorf("the preview of a file with errors should offer only the valid rows")
	}

	// 2. Confirming it without choosing "only the valid rows" is refused.
	res := e.postForm("/partner/upload/"+broken+"/confirm?partner=alpha", ck, url.Values{"csrf": {csrf}})
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(pageError(res.Body.String()), "Some rows have errors") {
		t.Fatalf("confirming a file with errors: %d %q", res.Code, pageError(res.Body.String()))
	}
	state("after the refused confirmation", startAlpha)
	if got := e.importCount("alpha"); got != imports {
		t.Fatalf("the refused confirmation was recorded: %d imports, want %d", got, imports)
	}

	// 3. The fixed file: no errors, and it can be applied.
	fixed := uploadID(t, e.postFile("/partner/upload?partner=alpha", ck, "listings-fixed.csv", []byte(fixedCSV), map[string]string{"csrf": csrf, "mode": "merge"}))
	pv = e.get("/partner/upload/"+fixed+"?partner=alpha", ck)
	if pv.Code != http.StatusOK || !strings.Contains(pv.Body.String(), "Apply these changes") || strings.Contains(pv.Body.String(), "tag--skip") {
		t.Fatalf("preview of the fixed file: %d\n%s", pv.Code, pv.Body.String())
	}
	state("after previewing the fixed file", startAlpha)

	// 4. Confirm: applied, and the history says so.
	res = e.postForm("/partner/upload/"+fixed+"/confirm?partner=alpha", ck, url.Values{"csrf": {csrf}})
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/partner/imports?partner=alpha&applied=alpha-") {
		t.Fatalf("confirm: %d to %q\n%s", res.Code, res.Header().Get("Location"), res.Body.String())
	}
	state("after confirming", fixedAlpha)
	hist := e.get(res.Header().Get("Location"), ck)
	if !strings.Contains(hist.Body.String(), "Your upload has been applied") || !strings.Contains(hist.Body.String(), "listings-fixed.csv") || !strings.Contains(hist.Body.String(), alphaEmail) {
		t.Errorf("the history does not show the applied upload:\n%s", hist.Body.String())
	}
	// The applied upload is gone: it cannot be applied twice.
	if res := e.postForm("/partner/upload/"+fixed+"/confirm?partner=alpha", ck, url.Values{"csrf": {csrf}}); res.Code != http.StatusNotFound {
		t.Errorf("confirming again: %d, want 404", res.Code)
	}
	state("after confirming again", fixedAlpha)

	// 5. Undo, after the confirmation page.
	recs, _ := e.dir.Imports(context.Background(), "alpha")
	latest := undoable(recs)
	form := e.get("/partner/imports/undo?partner=alpha", ck)
	if !strings.Contains(form.Body.String(), "listings-fixed.csv") || !strings.Contains(form.Body.String(), `name="import" value="`+latest.ID+`"`) {
		t.Fatalf("the undo page does not name the upload it undoes:\n%s", form.Body.String())
	}
	if res := e.postForm("/partner/imports/undo?partner=alpha", ck, url.Values{"csrf": {csrf}, "import": {"alpha-999"}}); res.Code != http.StatusConflict {
		t.Errorf("undo naming an import that is not the latest: %d, want 409", res.Code)
	}
	state("after the refused undo", fixedAlpha)
	res = e.postForm("/partner/imports/undo?partner=alpha", ck, url.Values{"csrf": {csrf}, "import": {latest.ID}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("undo: %d\n%s", res.Code, res.Body.String())
	}
	state("after undoing", startAlpha)
	hist = e.get(res.Header().Get("Location"), ck)
	if !strings.Contains(hist.Body.String(), "The upload has been undone") {
		t.Errorf("the history does not confirm the undo:\n%s", hist.Body.String())
	}
}

func TestUploadValidRowsOnly(t *testing.T) {
	e := mustOpenServer(t, Config{})
	ck, csrf := e.session(alphaEmail)
	id := uploadID(t, e.postFile("/partner/upload?partner=alpha", ck, "listings.csv", []byte(brokenCSV), map[string]string{"csrf": csrf}))
	res := e.postForm("/partner/upload/"+id+"/confirm?partner=alpha", ck, url.Values{"csrf": {csrf}, "valid_only": {"true"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("confirm valid rows only: %d\n%s", res.Code, res.Body.String())
	}
	if got := strings.Join(e.listingNames("alpha"), "|"); got != "A1=Alpha Garden Club (Saturdays)|A2=Alpha Walk and Talk" {
		t.Errorf("alpha has %s; want only the valid row applied", got)
	}
}

// TestConfirmReplansAgainstCurrentData checks that confirming measures the
// file against the listings as they are then: a listing added after the
// preview is removed by a replace upload that does not mention it.
func TestConfirmReplansAgainstCurrentData(t *testing.T) {
	e := mustOpenServer(t, Config{})
	ck, csrf := e.session(alphaEmail)
	id := uploadID(t, e.postFile("/partner/upload?partner=alpha", ck, "whole.csv", []byte(changedAlphaCSV), map[string]string{"csrf": csrf, "mode": "replace"}))
	if pv := e.get("/partner/upload/"+id+"?partner=alpha", ck); !strings.Contains(pv.Body.String(), "A2: Alpha Walk and Talk") {
		t.Fatalf("the preview does not list A2 for removal:\n%s", pv.Body.String())
	}
	extra := strings.Replace(fixedCSV, "A1,", "A9,", 1)
	plan, err := e.im.PlanFile(context.Background(), "alpha", importer.File{Name: "x.csv", R: strings.NewReader(extra), Size: int64(len(extra))}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.im.Apply(context.Background(), plan, "api", false); err != nil {
		t.Fatal(err)
	}
	if res := e.postForm("/partner/upload/"+id+"/confirm?partner=alpha", ck, url.Values{"csrf": {csrf}}); res.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", res.Code, res.Body.String())
	}
	if got := strings.Join(e.listingNames("alpha"), "|"); got != "A1=Alpha Garden Club (Saturdays)" {
		t.Errorf("alpha has %s; want only the file's listing", got)
	}
}

func TestUploadBadFiles(t *testing.T) {
	e := mustOpenServer(t, Config{MaxUploadBytes: 2048})
	ck, csrf := e.session(alphaEmail)
	tests := []struct {
		name       string
		file       string
		content    []byte
		fields     map[string]string
		wantStatus int
		wantText   string
	}{
		{"too large", "big.csv", []byte(alphaCSV + strings.Repeat("x", 3000)), map[string]string{"csrf": csrf}, http.StatusRequestEntityTooLarge, "larger than"},
		{"no file", "", nil, map[string]string{"csrf": csrf}, http.StatusBadRequest, "choose a file to upload"},
		{"empty file", "empty.csv", nil, map[string]string{"csrf": csrf}, http.StatusBadRequest, "choose a file to upload"},
		{"bad mode", "a.csv", []byte(alphaCSV), map[string]string{"csrf": csrf, "mode": "everything"}, http.StatusBadRequest, "should be merge or replace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadDir(e.srv.cfg.UploadDir)
			res := e.postFile("/partner/upload?partner=alpha", ck, tt.file, tt.content, tt.fields)
			if res.Code != tt.wantStatus || !strings.Contains(res.Body.String(), tt.wantText) {
				t.Fatalf("status %d, want %d with %q:\n%s", res.Code, tt.wantStatus, tt.wantText, res.Body.String())
			}
			if after, _ := os.ReadDir(e.srv.cfg.UploadDir); len(after) != len(before) {
				t.Errorf("a refused upload left a file: %d files, then %d", len(before), len(after))
			}
		})
	}
	t.Run("not a table", func(t *testing.T) {
		id := uploadID(t, e.postFile("/partner/upload?partner=alpha", ck, "listings.pdf", []byte("%PDF-1.4 not a spreadsheet"), map[string]string{"csrf": csrf}))
		res := e.get("/partner/upload/"+id+"?partner=alpha", ck)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(pageError(res.Body.String()), "this is a PDF") {
			t.Fatalf("preview of a PDF: %d %q", res.Code, pageError(res.Body.String()))
		}
		if res := e.postForm("/partner/upload/"+id+"/confirm?partner=alpha", ck, url.Values{"csrf": {csrf}, "valid_only": {"true"}}); res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("confirming a PDF: %d", res.Code)
		}
		if got := strings.Join(e.listingNames("alpha"), "|"); got != startAlpha {
			t.Errorf("alpha changed to %s", got)
		}
	})
}

func TestPartnerDashboard(t *testing.T) {
	e := mustOpenServer(t, Config{})
	ck, _ := e.session(alphaEmail)
	res := e.get("/partner", ck)
	body := res.Body.String()
	if res.Code != http.StatusOK {
		t.Fatalf("status %d", res.Code)
	}
	// A2 was last checked on 10 Jan 2025, more than six months before the
	// test clock's 2 Mar 2026; A1 on 10 Jan 2026.
	for _, want := range []string{"Alpha Garden Club", "10 Jan 2026", "Alpha Walk and Talk", "10 Jan 2025", "<strong>2</strong> listings", "<strong>1</strong> not checked for 6 months", "Need help now?"} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	if n := strings.Count(body, `<strong class="tag tag--stale">check</strong>`); n != 2 { // the explanation and A2
		t.Errorf("%d stale marks, want one for A2 and one in the explanation", n)
	}
	if strings.Contains(body, "Beta") && strings.Contains(body, "Kitchen") {
		t.Error("the dashboard shows another partner's listing")
	}
	csv := e.get("/partner/template.csv", ck)
	if csv.Code != http.StatusOK || !strings.HasPrefix(csv.Header().Get("Content-Type"), "text/csv") ||
		!strings.Contains(csv.Header().Get("Content-Disposition"), `filename="alpha-listings.csv"`) {
		t.Fatalf("template.csv: %d %v", csv.Code, csv.Header())
	}
	// The download reads back as an empty plan: it is the partner's
	// listings exactly.
	plan, err := e.im.PlanFile(context.Background(), "alpha", importer.File{Name: "t.csv", R: strings.NewReader(csv.Body.String()), Size: int64(csv.Body.Len())}, importer.Options{Mode: importer.ModeReplace})
	if err != nil || plan.Changes() || plan.HasErrors() || plan.Unchanged != 2 {
		t.Errorf("the CSV template does not read back unchanged: err %v, plan %+v", err, plan)
	}
	xlsx := e.get("/partner/template.xlsx", ck)
	f := importer.File{Name: "t.xlsx", R: strings.NewReader(xlsx.Body.String()), Size: int64(xlsx.Body.Len())}
	if kind, _ := importer.Sniff(f); kind != importer.KindXLSX {
		t.Fatalf("template.xlsx is not a workbook: %d, %d bytes", xlsx.Code, xlsx.Body.Len())
	}
	plan, err = e.im.PlanFile(context.Background(), "alpha", f, importer.Options{Mode: importer.ModeReplace})
	if err != nil || plan.Changes() || plan.Unchanged != 2 {
		t.Errorf("the Excel template does not read back unchanged: err %v, plan %+v", err, plan)
	}
}
