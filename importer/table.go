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
	"golang.org/x/text/encoding"
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

// headerRower is a Table that knows which row its header is on, when blank
// rows come before it.
type headerRower interface {
	HeaderRow() int
}

// Limits on what a table may hold.
const (
	MaxCellBytes = 64 << 10 // one cell
	MaxColumns   = 200
	// MaxRowBytes bounds one row of a CSV file, new lines inside quotes
	// included, so that a stray quote cannot make the reader hold the rest
	// of the file as one cell.
	MaxRowBytes = 4 << 20
)

// csvTable reads CSV as partners really save it: UTF-8 with or without a
// byte-order mark, UTF-16 (Excel's "Unicode text"), Windows-1252 (£, é and
// curly quotes from older Excel), comma, semicolon or tab separated, an
// Excel "sep=;" first line, CRLF or old Mac CR line ends, quoted new lines
// and blank lines.
type csvTable struct {
	r      *csv.Reader
	lim    *rowLimiter
	header []string
	// headerRow is the row the header is on.
	headerRow int
	// legacy is true when the bytes are not UTF-8 and each cell is decoded
	// from Windows-1252.
	legacy bool
	// skew is how far line numbers run ahead of spreadsheet rows: the new
	// lines inside quoted cells so far, and an Excel "sep=" line.
	skew int
	// lastRow is the row last read, for messages about unreadable input.
	lastRow int
}

// sniffSize is how much of a file is looked at to decide its encoding and
// separator.
const sniffSize = 64 << 10

// NewCSVTable starts reading a CSV file. It returns EINVALID when the file
// is empty, is not text, or its header row cannot be read.
func NewCSVTable(r io.Reader) (Table, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, directory.Errorf(directory.EINVALID, "could not read the file: %v", err)
	}
	var src io.Reader = br
	switch enc := utf16Encoding(head); {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		head = head[3:]
	case enc != nil:
		src = transform.NewReader(br, enc.NewDecoder())
		head = decodeHead(enc, head)
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, directory.Errorf(directory.EINVALID, "the file is empty - upload the template with a header row and one row per listing")
	}
	if looksBinary(head) {
		return nil, directory.Errorf(directory.EINVALID, "this file is not a CSV or Excel file - save it from your spreadsheet as CSV (comma separated) or .xlsx and upload that")
	}
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		// Old Mac Excel ends lines with a lone carriage return.
		src = crToLF{src}
		head = bytes.ReplaceAll(head, []byte{'\r'}, []byte{'\n'})
	}
	t := &csvTable{legacy: !validUTF8Prefix(head)}
	t.lim = &rowLimiter{r: src}
	t.r = csv.NewReader(t.lim)
	if sep, ok := sepLine(head); ok {
		// Excel writes "sep=;" as a first line it hides when it opens the
		// file, so rows are numbered as if it were not there.
		t.r.Comma = sep
		if _, err := t.r.Read(); err != nil {
			return nil, directory.Errorf(directory.EINVALID, "the file has no rows - upload the template with a header row and one row per listing")
		}
		t.skew = 1
	} else {
		t.r.Comma = sniffDelimiter(head)
	}
	t.r.FieldsPerRecord = -1
	t.r.LazyQuotes = true
	row, header, err := t.Next()
	if err == io.EOF {
		return nil, directory.Errorf(directory.EINVALID, "the file has no rows - upload the template with a header row and one row per listing")
	}
	if err != nil {
		return nil, err
	}
	t.header, t.headerRow = header, row
	return t, nil
}

// utf16Encoding returns the UTF-16 encoding of a file that has a UTF-16
// byte-order mark, or looks like UTF-16 without one (every other byte nil),
// and nil otherwise.
func utf16Encoding(head []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case len(head) >= 8 && head[0] != 0 && head[1] == 0 && head[3] == 0 && head[5] == 0 && head[7] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case len(head) >= 8 && head[0] == 0 && head[2] == 0 && head[4] == 0 && head[6] == 0 && head[1] != 0:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	return nil
}

// decodeHead decodes the first bytes of a UTF-16 file for sniffing, cut to
// whole code units; undecodable units become U+FFFD.
func decodeHead(enc encoding.Encoding, head []byte) []byte {
	out, _, _ := transform.Bytes(enc.NewDecoder(), head[:len(head)&^3])
	return out
}

// crToLF turns lone carriage returns into new lines.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// errRowTooLong is what rowLimiter returns when one row runs past MaxRowBytes.
var errRowTooLong = errors.New("row too long")

// rowLimiter passes bytes to the CSV reader but refuses to go more than
// MaxRowBytes (and the CSV reader's small buffer) past the end of the last
// row read, so that memory stays bounded whatever the file holds.
type rowLimiter struct {
	r io.Reader
	// read is how many bytes have been passed on; rowEnd is the offset of
	// the end of the last complete row.
	read, rowEnd int64
}

func (l *rowLimiter) Read(p []byte) (int, error) {
	room := l.rowEnd + MaxRowBytes + 64<<10 - l.read
	if room <= 0 {
		return 0, errRowTooLong
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}

// looksBinary reports whether b holds bytes no text file has: a nil byte,
// or more than a few control characters.
func looksBinary(b []byte) bool {
	if len(b) > 4096 {
		b = b[:4096]
	}
	controls := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1a:
			controls++
		}
	}
	return controls > len(b)/100+1
}

// validUTF8Prefix reports whether b is UTF-8, allowing a rune cut off at the end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// sepLine reads an Excel "sep=;" first line and returns the separator.
func sepLine(head []byte) (rune, bool) {
	line, _, _ := bytes.Cut(head, []byte{'\n'})
	line = bytes.TrimRight(line, "\r")
	if len(line) != 5 || !bytes.EqualFold(line[:4], []byte("sep=")) {
		return 0, false
	}
	switch line[4] {
	case ',', ';', '\t', '|':
		return rune(line[4]), true
	}
	return 0, false
}

// sniffDelimiter picks the separator used most on the first line that is
// not blank, outside quotes: comma, semicolon (European Excel) or tab.
func sniffDelimiter(head []byte) rune {
	counts := map[rune]int{}
	inQuote, seen := false, false
	for _, r := range string(head) {
		if r == '"' {
			inQuote = !inQuote
		}
		if !inQuote && (r == '\n' || r == '\r') {
			if seen {
				break
			}
			continue
		}
		if r != ' ' {
			seen = true
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

func (t *csvTable) HeaderRow() int { return t.headerRow }

func (t *csvTable) Next() (int, []string, error) {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			switch {
			case errors.Is(err, errRowTooLong):
				return 0, nil, directory.Errorf(directory.EINVALID, "the row after row %d is longer than %d MB - is a quote (\") left open? Check that every quoted cell ends with a quote", t.lastRow, MaxRowBytes>>20)
			case errors.As(err, &pe):
				return 0, nil, directory.Errorf(directory.EINVALID, "row %d of the file cannot be read as CSV (%v) - check its quotes", pe.StartLine-t.skew, pe.Err)
			}
			return 0, nil, directory.Errorf(directory.EINVALID, "could not read the file after row %d (%v) - save it again as CSV and upload that", t.lastRow, err)
		}
		line, _ := t.r.FieldPos(0)
		row := line - t.skew
		t.lim.rowEnd = t.r.InputOffset()
		for _, c := range rec {
			t.skew += strings.Count(c, "\n")
		}
		t.lastRow = row
		if blank(rec) {
			continue
		}
		rec = trimTrailing(rec)
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

// trimTrailing drops empty cells from the end of a row, as spreadsheets
// leave them after the last column used.
func trimTrailing(rec []string) []string {
	n := len(rec)
	for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
		n--
	}
	return rec[:n]
}

// cleanCell turns a cell into tidy UTF-8: Windows-1252 decoded when the
// file is not UTF-8 (or the cell is not), non-breaking spaces made plain,
// tabs made spaces and other control characters dropped, and new lines
// made "\n".
func cleanCell(c string, legacy bool) string {
	if legacy || !utf8.ValidString(c) {
		if s, err := charmap.Windows1252.NewDecoder().String(c); err == nil {
			c = s
		} else {
			c = strings.ToValidUTF8(c, "\uFFFD")
		}
	}
	c = strings.ReplaceAll(c, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u00a0' || r == '\t':
			return ' '
		case r == '\n':
			return r
		case r == '\r':
			return '\n'
		case r < 0x20 || r == 0x7f || r == '\ufeff':
			return -1
		}
		return r
	}, c)
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
