package importer_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// addMessySeeds adds the messy partner files in testdata as seeds.
func addMessySeeds(f *testing.F, pattern string) {
	paths, err := filepath.Glob(filepath.Join("testdata", "messy", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
}

// drain reads a table to its end and checks what it gives: rows numbered
// upwards after the header, and at most an EINVALID error.
func drain(t *testing.T, tab importer.Table) {
	last := 0
	for {
		row, cells, err := tab.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("reading rows: %v, want an EINVALID error", err)
			}
			return
		}
		if row <= last || row < 2 {
			t.Fatalf("row %d after row %d", row, last)
		}
		if len(cells) > importer.MaxColumns || slices.ContainsFunc(cells, func(c string) bool { return len(c) > importer.MaxCellBytes }) {
			t.Fatalf("row %d breaks the limits", row)
		}
		last = row
	}
}

// FuzzCSVTable feeds the CSV reader anything: it must give a table or an
// EINVALID error, never panic or hang.
func FuzzCSVTable(f *testing.F) {
	addMessySeeds(f, "*.csv")
	addMessySeeds(f, "*.txt")
	f.Add([]byte("ref,name\n\"open quote\n,x"))
	f.Add([]byte("\xff\xfe"))
	f.Add([]byte("sep=\t\nref\tname\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		tab, err := importer.NewCSVTable(bytes.NewReader(raw))
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("NewCSVTable: %v, want an EINVALID error", err)
			}
			return
		}
		drain(t, tab)
	})
}

// FuzzXLSXTable feeds the Excel reader anything: it must give a table or an
// EINVALID error, never panic.
func FuzzXLSXTable(f *testing.F) {
	addMessySeeds(f, "*.xlsx")
	var buf bytes.Buffer
	if err := (importer.Exporter{}).WriteXLSX(&buf, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		tab, err := importer.NewXLSXTable(importer.File{Name: "fuzz.xlsx", R: bytes.NewReader(raw), Size: int64(len(raw))})
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("NewXLSXTable: %v, want an EINVALID error", err)
			}
			return
		}
		defer tab.(io.Closer).Close()
		drain(t, tab)
	})
}

// FuzzParseSessions feeds the sessions parser anything: it must give
// valid sessions or an EINVALID error, never panic, and the sessions it
// gives must read back the same when written out.
func FuzzParseSessions(f *testing.F) {
	for _, s := range []string{
		"Tue 10:00-12:00; Thu 18:30-20:00; 1st Sat 11:00-13:00", "Last Fri 19:00-21:00",
		"Tuesdays 10am-12pm", "Mon-Fri 9-5", "1st and 3rd Wed 2pm to 4pm", "weekdays 09.00–17.00",
		"Sat noon-midnight", "daily 6-8pm", "Sun 23:00-24:00", "tue 25:00-26:00", "every other thursday",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ss, err := directory.ParseSessions(text)
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("ParseSessions(%q): %v, want an EINVALID error", text, err)
			}
			return
		}
		back, err := directory.ParseSessions(directory.FormatSessions(ss))
		if err != nil || !slices.Equal(back, ss) {
			t.Fatalf("ParseSessions(%q) = %v, written %q, read back %v, %v", text, ss, directory.FormatSessions(ss), back, err)
		}
	})
}
