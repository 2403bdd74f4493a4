package importer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/importer"
)

// TestProblemsNameTheRowsListing checks every problem with a row names the
// listing's reference and name from that row, so a partner whose sheet is
// sorted differently from the upload can still find the row; problems with
// the file as a whole name none.
func TestProblemsNameTheRowsListing(t *testing.T) {
	long := strings.Repeat("Long name ", 30) + "end" // 303 characters, over the limit
	tests := []struct {
		name     string
		csv      string
		warning  bool
		want     importer.Problem
		wantText string
	}{
		{
			name:     "a bad postcode on a row with a ref and a name",
			csv:      "ref,name,description,categories,postcode,phone\nBG-01,Good,Fine.,social-groups,SW9 8AB,020 7946 0000\nBG-02,Seed swap,Swap seeds.,social-groups,SW9 8,020 7946 0000\n",
			want:     importer.Problem{Row: 3, Ref: "BG-02", Name: "Seed swap", Column: "postcode", Message: "'SW9 8' is not a full UK postcode or district - check it"},
			wantText: "row 3 (ref BG-02), postcode: 'SW9 8' is not a full UK postcode or district - check it",
		},
		{
			name:     "a row without a name still names its ref",
			csv:      "ref,name,description,categories,postcode,phone\nBG-03,,No name.,social-groups,SW9 8AB,020 7946 0000\n",
			want:     importer.Problem{Row: 2, Ref: "BG-03", Column: "name", Message: "the name is empty - give the listing a name"},
			wantText: "row 2 (ref BG-03), name: the name is empty - give the listing a name",
		},
		{
			name:     "a row without a ref names the listing",
			csv:      "ref,name,description,categories,postcode,phone\n,Walk,A walk.,social-groups,SW9 8AB,020 7946 0000\n",
			want:     importer.Problem{Row: 2, Name: "Walk", Column: "ref", Message: "the reference is empty - give each listing your own reference, e.g. P-01, and keep it the same on every upload"},
			wantText: "row 2, ref: the reference is empty - give each listing your own reference, e.g. P-01, and keep it the same on every upload",
		},
		{
			name:     "a warning names the row's listing too",
			csv:      "ref,name,description,categories,postcode,phone,cost\nBG-04,Cheap,Fine.,social-groups,SW9 8AB,020 7946 0000,pay later\n",
			warning:  true,
			want:     importer.Problem{Row: 2, Ref: "BG-04", Name: "Cheap", Column: "cost", Message: "'pay later' gives no price - write free, or the price with £, e.g. £3 per session; it is shown as you wrote it"},
			wantText: "row 2 (ref BG-04), cost: 'pay later' gives no price - write free, or the price with £, e.g. £3 per session; it is shown as you wrote it",
		},
		{
			name:     "a name over the limit is cut short",
			csv:      "ref,name,description,categories,postcode,phone\nBG-05," + long + ",Fine.,social-groups,SW9 8AB,020 7946 0000\n",
			want:     importer.Problem{Row: 2, Ref: "BG-05", Name: long[:59] + "…", Column: "name", Message: "the name is 303 characters - keep it under 200"},
			wantText: "row 2 (ref BG-05), name: the name is 303 characters - keep it under 200",
		},
		{
			name:     "a missing column is about the whole file",
			csv:      "ref,name,description,postcode,phone\nBG-06,Walk,A walk.,SW9 8AB,020 7946 0000\n",
			want:     importer.Problem{Row: 1, Column: "categories", Message: "the file has no categories column - add one (taxonomy codes or labels, separated by ;); the template's header row shows them all"},
			wantText: "row 1, categories: the file has no categories column - add one (taxonomy codes or labels, separated by ;); the template's header row shows them all",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := MustOpenDir(t)
			MustAddPartner(t, dir, "p", "P")
			plan, err := importer.New(dir).PlanFile(context.Background(), "p", memFile("x.csv", []byte(tt.csv)), importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			list := plan.Errors
			if tt.warning {
				list = plan.Warnings
			}
			tt.want.Warning = tt.warning
			if len(list) != 1 || list[0] != tt.want {
				t.Fatalf("problems = %#v\nwant one: %#v", list, tt.want)
			}
			if got := list[0].String(); got != tt.wantText {
				t.Errorf("String() = %q\nwant       %q", got, tt.wantText)
			}
		})
	}
}
