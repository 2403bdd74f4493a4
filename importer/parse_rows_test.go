package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// TestPlanKeepsTheFilesOrder checks that rows parsed on several cores
// make the plan one goroutine would: listings in the file's order, and
// duplicates named against the first row wherever in the file the two
// rows are (several parsers' chunks apart).
func TestPlanKeepsTheFilesOrder(t *testing.T) {
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "p", "P")
	im := importer.New(dir)
	records, err := csv.NewReader(bytes.NewReader(generated(t, 3000, 11))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Record i is on row i+1 (the header is row 1).
	dups := map[int]int{2900: 3, 1500: 700, 1501: 3}
	for at, of := range dups {
		records[at][0] = records[of][0]
	}
	var file bytes.Buffer
	w := csv.NewWriter(&file)
	if err := w.WriteAll(records); err != nil {
		t.Fatal(err)
	}
	plan, err := im.PlanFile(context.Background(), "p", memFile("order.csv", file.Bytes()), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, rec := range records[1:] {
		if _, dup := dups[i+1]; !dup {
			want = append(want, rec[0])
		}
	}
	var got []string
	for _, l := range plan.Create {
		got = append(got, l.Ref)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%d listings to create, not in the file's order (first %v)", len(got), got[:min(5, len(got))])
	}
	var msgs []string
	for _, p := range plan.Errors {
		msgs = append(msgs, fmt.Sprintf("row %d: %s", p.Row, p.Message))
	}
	wantMsgs := []string{
		fmt.Sprintf("row 1501: the reference '%s' is also on row 701 - each listing needs its own reference", records[700][0]),
		fmt.Sprintf("row 1502: the reference '%s' is also on row 4 - each listing needs its own reference", records[3][0]),
		fmt.Sprintf("row 2901: the reference '%s' is also on row 4 - each listing needs its own reference", records[3][0]),
	}
	if strings.Join(msgs, "\n") != strings.Join(wantMsgs, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(wantMsgs, "\n"))
	}
}

// failingReader gives its bytes and then fails.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

// TestPlanStopsCleanly checks that a table failing part-way, or a
// cancelled upload, ends the plan with its error and leaves nothing
// running.
func TestPlanStopsCleanly(t *testing.T) {
	dir := MustOpenDir(t)
	MustAddPartner(t, dir, "p", "P")
	im := importer.New(dir)
	file := generated(t, 2000, 5)
	broken := errors.New("the disk went away")
	table, err := importer.NewCSVTable(&failingReader{r: bytes.NewReader(file[:len(file)/2]), err: broken})
	if err != nil {
		t.Fatal(err)
	}
	_, err = im.PlanTable(context.Background(), "p", table, importer.Options{})
	if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(fmt.Sprint(err), broken.Error()) {
		t.Errorf("a table failing half-way: %v, want EINVALID saying %q", err, broken)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	table, err = importer.NewCSVTable(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.PlanTable(ctx, "p", table, importer.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled upload: %v", err)
	}
}
