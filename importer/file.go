package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"sync/atomic"

	"github.com/livingwell/livingwell/directory"
)

// File is an uploaded file: its name (for messages and history), its bytes
// (random access, since workbooks and zips need it) and size.
type File struct {
	Name string
	R    io.ReaderAt
	Size int64
}

// Kind is what sort of file an upload is.
type Kind string

// The kinds of file the importer reads.
const (
	KindCSV  Kind = "csv"
	KindXLSX Kind = "xlsx"
	KindZip  Kind = "zip" // an HSDS datapackage
)

// Sniff decides what kind of file f is from its first bytes, not its name.
// It returns EINVALID, saying what to do instead, for an empty file and for
// spreadsheets the importer cannot read (old .xls, OpenDocument, PDF).
func Sniff(f File) (Kind, error) {
	if f.Size == 0 {
		return "", directory.Errorf(directory.EINVALID, "the file is empty - upload the template with a header row and one row per listing")
	}
	head := make([]byte, 4)
	n, _ := f.R.ReadAt(head, 0)
	switch {
	case n == 4 && bytes.Equal(head, []byte("PK\x03\x04")):
		switch zipKind(f) {
		case "xlsx":
			return KindXLSX, nil
		case "ods":
			return "", directory.Errorf(directory.EINVALID, "this is an OpenDocument spreadsheet (.ods) - choose File, Save As and pick Excel (.xlsx) or CSV, then upload that")
		case "numbers":
			return "", directory.Errorf(directory.EINVALID, "this is an Apple Numbers file - choose File, Export To and pick Excel or CSV, then upload that")
		}
		return KindZip, nil
	case n == 4 && bytes.Equal(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "", directory.Errorf(directory.EINVALID, "this is an old Excel .xls file (or a password-protected workbook) - in Excel choose Save As and pick .xlsx or CSV, without a password, then upload that")
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "", directory.Errorf(directory.EINVALID, "this is a PDF - upload the listings as a spreadsheet (CSV or .xlsx) using the template")
	}
	return KindCSV, nil
}

// zipKind says which sort of zip file f is: "xlsx", "ods", "numbers" or
// "" for any other (such as an HSDS datapackage).
func zipKind(f File) string {
	zr, err := zip.NewReader(f.R, f.Size)
	if err != nil {
		return ""
	}
	for _, zf := range zr.File {
		switch {
		case zf.Name == "xl/workbook.xml":
			return "xlsx"
		case zf.Name == "mimetype" || zf.Name == "content.xml":
			return "ods"
		case strings.HasPrefix(zf.Name, "Index/") && strings.HasSuffix(zf.Name, ".iwa"):
			return "numbers"
		}
	}
	return ""
}

// PlanFile reads an uploaded file of any kind the importer knows and works
// out the plan for a partner. It returns EINVALID, saying what to do, for a
// file bigger than MaxBytes or that is not a readable table; ENOTFOUND for
// an unknown partner.
func (im *Importer) PlanFile(ctx context.Context, partnerID string, f File, opts Options) (*Plan, error) {
	if im.MaxBytes > 0 && f.Size > im.MaxBytes {
		return nil, TooBig(im.MaxBytes)
	}
	kind, err := Sniff(f)
	if err != nil {
		return nil, err
	}
	// The file's hash (for the import's record) is worked out while the
	// file is read and checked: reading a 100,000-row file is about 0.2 s
	// on one core, at a time when the other is not always busy. Reads at
	// an offset may go on at once (io.ReaderAt).
	type hashed struct {
		sum string
		err error
	}
	hashing := make(chan hashed, 1)
	go func() {
		sum, err := hashReader(io.NewSectionReader(f.R, 0, f.Size))
		hashing <- hashed{sum, err}
	}()
	plan, err := im.planKind(ctx, partnerID, f, kind, opts)
	// Wait for the hash even when the plan failed: the caller may close
	// the file once PlanFile returns.
	h := <-hashing
	if err != nil {
		return nil, err
	}
	if h.err != nil {
		return nil, directory.Internal(h.err, "read the upload")
	}
	plan.SHA256 = h.sum
	return plan, nil
}

// planKind plans f, a file of the given kind.
func (im *Importer) planKind(ctx context.Context, partnerID string, f File, kind Kind, opts Options) (*Plan, error) {
	if opts.FileName == "" {
		opts.FileName = f.Name
	}
	var plan *Plan
	var err error
	switch kind {
	case KindXLSX:
		t, err := NewXLSXTable(f)
		if err != nil {
			return nil, err
		}
		defer t.(io.Closer).Close()
		plan, err = im.PlanTable(ctx, partnerID, t, opts)
		if err != nil {
			return nil, err
		}
	case KindZip:
		plan, err = im.PlanHSDS(ctx, partnerID, f, opts)
		if err != nil {
			return nil, err
		}
	default:
		cr := &countingReader{r: io.NewSectionReader(f.R, 0, f.Size)}
		opts.position = func() (int64, int64) { return cr.n.Load(), f.Size }
		t, err := NewCSVTable(cr)
		if err != nil {
			return nil, err
		}
		plan, err = im.PlanTable(ctx, partnerID, t, opts)
		if err != nil {
			return nil, err
		}
	}
	return plan, nil
}

// TooBig returns the EINVALID error for an upload over limit bytes, for
// the importer and for the doors that stop a body before it is all read.
func TooBig(limit int64) error {
	return directory.Errorf(directory.EINVALID, "the file is bigger than %d MB, the most one upload may be - split it into smaller files and upload them in merge mode", limit>>20)
}

// countingReader counts the bytes read through it; the count may be read
// from another goroutine (the table is read in one, parseRows).
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
