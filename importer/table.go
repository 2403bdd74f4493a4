package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/livingwell/livingwell/directory"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Table is a spreadsheet read one row at a time, so that a file of any
// length is read in bounded memory.
type Table interface {
	// Header returns the first non-blank row.
	Header() []string
	// Next returns the next row that is not blank, with its row number as a
	// spreadsheet shows it (the header is row 1). It returns io.EOF at the
	// end and EINVALID when the file cannot be read further.
	Next() (row int, cells []string, err error)
}

// Limits on what a table may hold.
const (
	MaxCellBytes = 64 << 10 // one cell
	MaxColumns   = 200
)

// csvTable reads CSV as partners really save it: UTF-8 with or without a
// byte-order mark, UTF-16 (Excel's "Unicode text"), Windows-1252 (£, é and
// curly quotes from older Excel), comma, semicolon or tab separated, CRLF
// line ends, quoted new lines and blank lines.
type csvTable struct {
	r      *csv.Reader
	header []string
	// legacy is true when the bytes are not UTF-8 and each cell is decoded
	// from Windows-1252.
	legacy bool
	// extra counts the new lines inside quoted cells so far, which make
	// line numbers run ahead of spreadsheet row numbers.
	extra int
}

// sniffSize is how much of a file is looked at to decide its encoding and
// separator.
const sniffSize = 64 << 10

// NewCSVTable starts reading a CSV file. It returns EINVALID when the file
// is empty or is not text.
func NewCSVTable(r io.Reader) (Table, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, directory.Errorf(directory.EINVALID, "could not read the file: %v", err)
	}
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		head = head[3:]
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		src = transform.NewReader(br, dec)
		head, _, _ = transform.Bytes(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder(), head)
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, directory.Errorf(directory.EINVALID, "the file is empty - upload the template with a header row and one row per listing")
	}
	if looksBinary(head) {
		return nil, directory.Errorf(directory.EINVALID, "this file is not a CSV or Excel file - save it from your spreadsheet as CSV (comma separated) or .xlsx and upload that")
	}
	t := &csvTable{legacy: !validUTF8Prefix(head)}
	t.r = csv.NewReader(src)
	t.r.Comma = sniffDelimiter(head)
	t.r.FieldsPerRecord = -1
	t.r.LazyQuotes = true
	t.r.ReuseRecord = false
	_, header, err := t.Next()
	if err == io.EOF {
		return nil, directory.Errorf(directory.EINVALID, "the file has no rows - upload the template with a header row and one row per listing")
	}
	if err != nil {
		return nil, err
	}
	t.header = header
	return t, nil
}

// looksBinary reports whether b holds bytes no text file has.
func looksBinary(b []byte) bool {
	if len(b) > 4096 {
		b = b[:4096]
	}
	for _, c := range b {
		if c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
			return true
		}
	}
	return false
}

// validUTF8Prefix reports whether b is UTF-8, allowing a rune cut off at the end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// sniffDelimiter picks the separator used most on the first line, outside
// quotes: comma, semicolon (European Excel) or tab.
func sniffDelimiter(head []byte) rune {
	counts := map[rune]int{}
	inQuote := false
	for _, r := range string(head) {
		if r == '"' {
			inQuote = !inQuote
		}
		if !inQuote && (r == '\n' || r == '\r') {
			break
		}
		if !inQuote && (r == ',' || r == ';' || r == '\t') {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func (t *csvTable) Header() []string { return t.header }

func (t *csvTable) Next() (int, []string, error) {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		line, _ := t.r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return 0, nil, directory.Errorf(directory.EINVALID, "line %d of the file cannot be read as CSV (%v) - check its quotes", pe.Line, pe.Err)
			}
			if errors.Is(err, bufio.ErrTooLong) {
				return 0, nil, directory.Errorf(directory.EINVALID, "line %d of the file is too long - is it really a CSV file?", line)
			}
			return 0, nil, directory.Errorf(directory.EINVALID, "could not read the file after line %d: %v", line, err)
		}
		row := line - t.extra
		for _, c := range rec {
			t.extra += strings.Count(c, "\n")
		}
		if blank(rec) {
			continue
		}
		if len(rec) > MaxColumns {
			return 0, nil, directory.Errorf(directory.EINVALID, "row %d has %d columns; the template has %d - is this the right file?", row, len(rec), len(Columns))
		}
		for i, c := range rec {
			if len(c) > MaxCellBytes {
				return 0, nil, directory.Errorf(directory.EINVALID, "row %d has a cell of %d KB; the most a cell may hold is %d KB", row, len(c)>>10, MaxCellBytes>>10)
			}
			rec[i] = cleanCell(c, t.legacy)
		}
		return row, rec, nil
	}
}

// cleanCell turns a cell into tidy UTF-8: Windows-1252 decoded when the
// file is not UTF-8 (or the cell is not), non-breaking spaces made plain.
func cleanCell(c string, legacy bool) string {
	if legacy || !utf8.ValidString(c) {
		if s, err := charmap.Windows1252.NewDecoder().String(c); err == nil {
			c = s
		} else {
			c = strings.ToValidUTF8(c, "\uFFFD")
		}
	}
	c = strings.ReplaceAll(c, "\u00a0", " ")
	return strings.ReplaceAll(c, "\r\n", "\n")
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
