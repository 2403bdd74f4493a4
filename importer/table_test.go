package importer_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

type tableRow struct {
	row   int
	cells []string
}

// readAll reads a table to the end.
func readAll(t *testing.T, tab importer.Table) []tableRow {
	t.Helper()
	var out []tableRow
	for {
		row, cells, err := tab.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("after %d rows: %v", len(out), err)
		}
		out = append(out, tableRow{row, cells})
	}
}

func utf16le(s string, bom bool) []byte {
	enc := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	if bom {
		enc = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	}
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

func utf16be(s string) []byte {
	b, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

func cp1252(s string) []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// TestCSVEncodings reads the same sheet saved every way partners save it
// and expects the same cells: £, é, curly quotes and dashes intact.
func TestCSVEncodings(t *testing.T) {
	const text = "ref,name,cost\r\nA1,Café “social”,£3 – £5\r\n"
	semi := strings.ReplaceAll(text, ",", ";")
	tab := strings.ReplaceAll(text, ",", "\t")
	tests := []struct {
		name string
		raw  []byte
	}{
		{"utf-8", []byte(text)},
		{"utf-8 with BOM", append([]byte("\uFEFF"), text...)},
		{"utf-8 LF only", []byte(strings.ReplaceAll(text, "\r\n", "\n"))},
		{"old Mac CR only", []byte(strings.ReplaceAll(text, "\r\n", "\r"))},
		{"windows-1252", cp1252(text)},
		{"windows-1252 semicolons", cp1252(semi)},
		{"semicolons", []byte(semi)},
		{"tabs", []byte(tab)},
		{"UTF-16 little-endian with BOM (Excel Unicode text)", utf16le(tab, true)},
		{"UTF-16 little-endian without BOM", utf16le(tab, false)},
		{"UTF-16 big-endian with BOM", utf16be(tab)},
		{"Excel sep= line", []byte("sep=;\r\n" + semi)},
		{"trailing empty columns", []byte("ref,name,cost,,,\r\nA1,Café “social”,£3 – £5,,,\r\n")},
		{"blank lines first", []byte("\r\n\r\n" + semi)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := importer.NewCSVTable(bytes.NewReader(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := tab.Header(); !slices.Equal(got, []string{"ref", "name", "cost"}) {
				t.Errorf("header = %q", got)
			}
			rows := readAll(t, tab)
			if len(rows) != 1 || !slices.Equal(rows[0].cells, []string{"A1", "Café “social”", "£3 – £5"}) {
				t.Errorf("rows = %+v", rows)
			}
		})
	}
}

// TestCSVRowNumbers checks that row numbers are the ones Excel shows:
// the header is row 1, a cell with new lines is one row, and blank rows
// (empty lines or rows of separators) still count.
func TestCSVRowNumbers(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want []int
	}{
		{"plain", "h\nA\nB\n", []int{2, 3}},
		{"quoted new lines", "h,x\nA,\"one\ntwo\nthree\"\nB,x\n", []int{2, 3}},
		{"quoted CRLF", "h,x\r\nA,\"one\r\ntwo\"\r\nB,x\r\n", []int{2, 3}},
		{"blank lines", "h\n\nA\n\n\nB\n", []int{3, 6}},
		{"rows of separators", "h,x\n,\nA,x\n , \nB,x\n", []int{3, 5}},
		{"blank line before the header", "\nh\nA\n", []int{3}},
		{"sep= line", "sep=,\nh\nA\n", []int{2}},
		{"new lines in a blank row", "h,x\n\"\n\n\",\nA,x\n", []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := importer.NewCSVTable(strings.NewReader(tt.csv))
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, r := range readAll(t, tab) {
				got = append(got, r.row)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("rows %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRowNumbersInMessages checks a problem names the row a partner sees
// in Excel, after quoted new lines and blank rows.
func TestRowNumbersInMessages(t *testing.T) {
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "p", "P")
	im := importer.New(dir)
	csv := "ref,name,description,categories,postcode,phone\n" +
		"A,One,\"Line one.\nLine two.\nLine three.\",social-groups,SW9,020 7946 0000\n" + // row 2
		"\n" + // row 3
		",,,,,\n" + // row 4
		"B,Two,Bad postcode.,social-groups,SW9 8,020 7946 0000\n" // row 5
	plan, err := im.PlanFile(context.Background(), "p", memFile("x.csv", []byte(csv)), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Errors) != 1 || plan.Errors[0].String() != "row 5 (ref B), postcode: 'SW9 8' is not a full UK postcode or district - check it" {
		t.Errorf("errors = %v", plan.Errors)
	}
}

// TestNotATable checks that files that are not tables are refused with a
// message saying what to do, never a panic or an internal error.
func TestNotATable(t *testing.T) {
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "p", "P")
	im := importer.New(dir)
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"spaces", []byte("  \r\n\r\n  "), "empty"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "not a CSV or Excel file"},
		{"old xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), ".xls"},
		{"pdf", []byte("%PDF-1.7\n..."), "PDF"},
		{"ods", mustZip(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), ".ods"},
		{"broken xlsx", mustZip(t, map[string]string{"xl/workbook.xml": "not xml", "[Content_Types].xml": "x"}), "Excel"},
		{"open quote", []byte("ref,name,description,categories\nA,\"never closed" + strings.Repeat(strings.Repeat("x", 99)+"\n", 2*importer.MaxRowBytes/100)), "quote"},
		{"huge cell", []byte("ref,name,description,categories\nA,B," + strings.Repeat("x", importer.MaxCellBytes+1) + ",social-groups\n"), "KB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := im.PlanFile(context.Background(), "p", memFile(tt.name, tt.raw), importer.Options{})
			if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(directory.ErrorMessage(err), tt.want) {
				t.Errorf("err = %v, want EINVALID mentioning %q", err, tt.want)
			}
		})
	}
	t.Run("header only", func(t *testing.T) {
		plan, err := im.PlanFile(context.Background(), "p", memFile("h.csv", []byte("ref,name,description,categories\n")), importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Fatal || len(plan.Errors) != 1 || !strings.Contains(plan.Errors[0].Message, "no listings") {
			t.Errorf("plan = %+v", plan.Summary(false, 5))
		}
		if _, err := im.Apply(context.Background(), plan, "test", true); directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("applying a plan for an unusable file: %v, want EINVALID even with valid-only", err)
		}
	})
}

// TestUploadLimits checks the configurable limits on size and rows.
func TestUploadLimits(t *testing.T) {
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "p", "P")
	im := importer.New(dir)
	var buf bytes.Buffer
	if err := importer.Generate(&buf, importer.GenerateOptions{Rows: 1000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	// Rows as long as the sample network's, with room to spare.
	if perRow := buf.Len() / 1000; im.MaxBytes < int64(200_000*perRow*5/4) || im.MaxRows < 200_000 {
		t.Errorf("default limits %d bytes, %d rows: too small for a 200,000-row file of %d-byte rows", im.MaxBytes, im.MaxRows, perRow)
	}
	buf.Reset()
	if err := importer.Generate(&buf, importer.GenerateOptions{Rows: 30, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	small := *im
	small.MaxBytes = int64(buf.Len() - 1)
	_, err := small.PlanFile(context.Background(), "p", memFile("big.csv", buf.Bytes()), importer.Options{})
	if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(err.Error(), "bigger than") {
		t.Errorf("over MaxBytes: %v", err)
	}
	few := *im
	few.MaxRows = 29
	_, err = few.PlanFile(context.Background(), "p", memFile("long.csv", buf.Bytes()), importer.Options{})
	if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(err.Error(), "more than 29 rows") {
		t.Errorf("over MaxRows: %v", err)
	}
	plan, err := im.PlanFile(context.Background(), "p", memFile("ok.csv", buf.Bytes()), importer.Options{})
	if err != nil || plan.HasErrors() || len(plan.Create) != 30 {
		t.Errorf("within the limits: %v, %+v", err, plan.Summary(false, 3))
	}
}

// rowsReader produces a CSV of n rows on the fly, so a test can read a
// long file without holding it.
type rowsReader struct {
	n, i int
	buf  []byte
}

func (r *rowsReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		switch {
		case r.i == 0:
			r.buf = []byte("ref,name,description,categories,postcode,phone\r\n")
		case r.i > r.n:
			return 0, io.EOF
		default:
			r.buf = fmt.Appendf(r.buf, "R%06d,Listing %d,\"A description,\nover two lines\",social-groups,SW9 8AB,020 7946 0123\r\n", r.i, r.i)
		}
		r.i++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// TestCSVReaderMemory reads a 200,000-row file through the CSV reader and
// checks that the heap never holds more than a few megabytes: the reader
// streams and does not keep the file.
func TestCSVReaderMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 200,000 rows")
	}
	const rows = 200_000
	peak := func(n int) (uint64, int) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		src := &rowsReader{n: n}
		tab, err := importer.NewCSVTable(src)
		if err != nil {
			t.Fatal(err)
		}
		var most uint64
		count, last := 0, 0
		for {
			row, _, err := tab.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			count, last = count+1, row
			if count%5000 == 0 {
				runtime.ReadMemStats(&ms)
				most = max(most, ms.HeapAlloc-min(base, ms.HeapAlloc))
			}
		}
		if count != n || last != n+1 {
			t.Fatalf("read %d rows, the last numbered %d; want %d, the last %d", count, last, n, n+1)
		}
		return most, count
	}
	small, _ := peak(rows / 10)
	big, _ := peak(rows)
	const limit = 16 << 20
	t.Logf("heap above the start: %.1f MB reading %d rows, %.1f MB reading %d rows", float64(small)/(1<<20), rows/10, float64(big)/(1<<20), rows)
	if big > limit {
		t.Errorf("reading %d rows took the heap %d MB above where it started; the reader should stream in a few MB", rows, big>>20)
	}
}

// TestXLSX reads a workbook as Excel saves it: the first sheet only, rows
// numbered as Excel shows them even when some are missing, dates in the
// computer's short-date format read the UK way, and formula cells read as
// the value Excel shows.
func TestXLSX(t *testing.T) {
	im, ctx := mustMessyDir(t)
	plan, err := im.PlanFile(ctx, "brixton-growers", memFile("workbook.xlsx", mustReadFile(t, "messy/workbook.xlsx")), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	byRef := map[string]*directory.Listing{}
	rows := map[string]int{}
	for i, l := range plan.Create {
		byRef[l.Ref], rows[l.Ref] = l, plan.CreateRow[i]
	}
	if got := byRef["BG-201"]; got == nil || !got.LastVerified.Equal(time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)) || got.Cost.Pence != 350 {
		t.Errorf("BG-201 = %+v, want last verified 5 March 2026 and £3.50", got)
	}
	if got := byRef["BG-203"]; got == nil || len(got.Locations) != 1 || got.Locations[0].Postcode != "SW9 8AB" {
		t.Errorf("BG-203 (postcode from a formula) = %+v", got)
	}
	if rows["BG-201"] != 5 || rows["BG-203"] != 7 {
		t.Errorf("rows = %v, want BG-201 on 5 and BG-203 on 7 as Excel numbers them", rows)
	}
	if len(plan.Errors) != 1 || plan.Errors[0].Row != 6 || plan.Errors[0].Column != "phone" {
		t.Errorf("errors = %v, want one on row 6, phone", plan.Errors)
	}
}

// mustZip builds a zip file from names and contents.
func mustZip(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
