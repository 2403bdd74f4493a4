package importer

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"

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
func Sniff(f File) (Kind, error) {
	if f.Size == 0 {
		return "", directory.Errorf(directory.EINVALID, "the file is empty - upload the template with a header row and one row per listing")
	}
	head := make([]byte, 4)
	n, _ := f.R.ReadAt(head, 0)
	if n == 4 && bytes.Equal(head, []byte("PK\x03\x04")) {
		if isWorkbook(f) {
			return KindXLSX, nil
		}
		return KindZip, nil
	}
	if n >= 4 && (bytes.Equal(head, []byte{0xD0, 0xCF, 0x11, 0xE0})) {
		return "", directory.Errorf(directory.EINVALID, "this is an old Excel .xls file - in Excel choose Save As and pick .xlsx or CSV, then upload that")
	}
	if strings.EqualFold(filepath.Ext(f.Name), ".pdf") || bytes.HasPrefix(head, []byte("%PDF")) {
		return "", directory.Errorf(directory.EINVALID, "this is a PDF - upload the listings as a spreadsheet (CSV or .xlsx) using the template")
	}
	return KindCSV, nil
}

// PlanFile reads an uploaded file of any kind the importer knows and works
// out the plan for a partner. It returns EINVALID, saying what to do, for a
// file that is not a readable table.
func (im *Importer) PlanFile(ctx context.Context, partnerID string, f File, opts Options) (*Plan, error) {
	kind, err := Sniff(f)
	if err != nil {
		return nil, err
	}
	sum, err := hashReader(io.NewSectionReader(f.R, 0, f.Size))
	if err != nil {
		return nil, directory.Internal(err, "read the upload")
	}
	if opts.FileName == "" {
		opts.FileName = f.Name
	}
	var plan *Plan
	switch kind {
	case KindXLSX:
		t, err := NewXLSXTable(f)
		if err != nil {
			return nil, err
		}
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
		t, err := NewCSVTable(io.NewSectionReader(f.R, 0, f.Size))
		if err != nil {
			return nil, err
		}
		plan, err = im.PlanTable(ctx, partnerID, t, opts)
		if err != nil {
			return nil, err
		}
	}
	plan.SHA256 = sum
	return plan, nil
}
