package importer

import (
	"archive/zip"
	"io"
	"strings"

	"github.com/livingwell/livingwell/directory"
	"github.com/xuri/excelize/v2"
)

// maxXLSXUnpacked bounds how much a workbook may unpack to, so a small
// file that unpacks to gigabytes (a zip bomb) is refused.
const maxXLSXUnpacked = 1 << 30

// xlsxTable reads the first sheet of an Excel workbook row by row, with
// excelize's streaming reader.
type xlsxTable struct {
	file      *excelize.File
	rows      *excelize.Rows
	header    []string
	headerRow int
	row       int
	closed    bool
}

// xlsxOptions are how workbooks are opened: dates in Excel's built-in
// short and long formats (which follow the computer's region) come out as
// 2026-11-21, so a UK date is never read the American way round; sheets
// bigger than 16 MB unpacked are read from a temporary file, not memory.
var xlsxOptions = excelize.Options{
	UnzipSizeLimit:    maxXLSXUnpacked,
	UnzipXMLSizeLimit: maxWorkbookPart,
	ShortDatePattern:  "yyyy-mm-dd",
	LongDatePattern:   "yyyy-mm-dd",
}

// NewXLSXTable opens the first sheet of a workbook. It returns EINVALID for
// a damaged or password-protected workbook or one without rows.
func NewXLSXTable(f File) (_ Table, err error) {
	defer recoverUnreadable(&err)
	if err := checkZipSize(f, maxXLSXUnpacked); err != nil {
		return nil, err
	}
	if err := checkWorkbookParts(f); err != nil {
		return nil, err
	}
	xf, err := excelize.OpenReader(io.NewSectionReader(f.R, 0, f.Size), xlsxOptions)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "this Excel file cannot be opened (%v) - is it password-protected or damaged? Save it again from Excel, or as CSV", err)
	}
	sheets := xf.GetSheetList()
	if len(sheets) == 0 {
		xf.Close()
		return nil, directory.Errorf(directory.EINVALID, "this Excel file has no sheets")
	}
	rows, err := xf.Rows(sheets[0])
	if err != nil {
		xf.Close()
		return nil, directory.Errorf(directory.EINVALID, "the first sheet of this Excel file cannot be read: %v", err)
	}
	t := &xlsxTable{file: xf, rows: rows}
	row, header, err := t.Next()
	if err == io.EOF {
		return nil, directory.Errorf(directory.EINVALID, "the first sheet of this Excel file is empty - put the header row and one row per listing on the first sheet")
	}
	if err != nil {
		t.Close()
		return nil, err
	}
	t.header, t.headerRow = header, row
	return t, nil
}

func (t *xlsxTable) Header() []string { return t.header }

func (t *xlsxTable) HeaderRow() int { return t.headerRow }

// Close releases the workbook and any temporary files it unpacked to.
func (t *xlsxTable) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	t.rows.Close()
	return t.file.Close()
}

func (t *xlsxTable) Next() (_ int, _ []string, err error) {
	defer recoverUnreadable(&err)
	for t.rows.Next() {
		t.row++
		cells, err := t.rows.Columns()
		if err != nil {
			t.Close()
			return 0, nil, directory.Errorf(directory.EINVALID, "row %d of the sheet cannot be read: %v", t.row, err)
		}
		if blank(cells) {
			continue
		}
		cells = trimTrailing(cells)
		if len(cells) > MaxColumns {
			t.Close()
			return 0, nil, directory.Errorf(directory.EINVALID, "row %d has %d columns; the template has %d - is this the right file?", t.row, len(cells), len(Columns))
		}
		for i, c := range cells {
			if len(c) > MaxCellBytes {
				t.Close()
				return 0, nil, directory.Errorf(directory.EINVALID, "row %d has a cell of %d KB; the most a cell may hold is %d KB", t.row, len(c)>>10, MaxCellBytes>>10)
			}
			cells[i] = cleanCell(c, false)
		}
		return t.row, cells, nil
	}
	t.Close()
	if err := t.rows.Error(); err != nil {
		return 0, nil, directory.Errorf(directory.EINVALID, "the sheet cannot be read after row %d: %v", t.row, err)
	}
	return 0, nil, io.EOF
}

// recoverUnreadable turns a panic inside the Excel library, on a workbook
// damaged in a way it does not expect, into the EINVALID error any other
// unreadable workbook gets, so no upload can crash the server.
func recoverUnreadable(err *error) {
	if r := recover(); r != nil {
		*err = directory.Errorf(directory.EINVALID, "this Excel file cannot be read (%v) - save it again from Excel, or as CSV", r)
	}
}

// maxWorkbookPart bounds the unpacked size of each part of a workbook but
// its sheets and shared strings. Excel's library sets aside memory for a
// part as big as the zip says it is, so a small, doctored file could
// otherwise ask for gigabytes; sheets and shared strings bigger than this
// are unpacked to a temporary file instead.
const maxWorkbookPart = 16 << 20

// checkWorkbookParts refuses a workbook with a part other than a sheet or
// the shared strings that claims to unpack to more than maxWorkbookPart.
func checkWorkbookParts(f File) error {
	zr, err := zip.NewReader(f.R, f.Size)
	if err != nil {
		return directory.Errorf(directory.EINVALID, "this file is not a readable Excel file: %v", err)
	}
	for _, zf := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		big := strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
		if !big && zf.UncompressedSize64 > maxWorkbookPart {
			return directory.Errorf(directory.EINVALID, "this Excel file has a part (%s) of more than %d MB, which a spreadsheet of listings does not need - save it again from Excel, or as CSV", clip(zf.Name), maxWorkbookPart>>20)
		}
	}
	return nil
}

// checkZipSize refuses a zip whose entries claim to unpack to more than
// limit bytes in all, or that nests zips, before anything is unpacked.
func checkZipSize(f File, limit uint64) error {
	zr, err := zip.NewReader(f.R, f.Size)
	if err != nil {
		return directory.Errorf(directory.EINVALID, "this file is not a readable zip or Excel file: %v", err)
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > limit {
			return directory.Errorf(directory.EINVALID, "this file unpacks to more than %d MB - it is too big to import", limit>>20)
		}
		if strings.HasSuffix(strings.ToLower(zf.Name), ".zip") {
			return directory.Errorf(directory.EINVALID, "this zip holds another zip (%s) - unpack it and upload the inner file", zf.Name)
		}
	}
	return nil
}
