package main

import (
	"strings"
	"testing"

	"github.com/livingwell/livingwell/importer"
)

// TestPrintProblemsNamesRows checks the import summary's problem table
// names each row's listing by ref and name, so a coordinator can find the
// row in a sheet sorted another way, and leaves those columns out when no
// problem is on a listing's row.
func TestPrintProblemsNamesRows(t *testing.T) {
	tests := []struct {
		name     string
		problems []importer.Problem
		want     []string // lines, trailing spaces trimmed
	}{
		{
			name: "rows with a ref, a name or both",
			problems: []importer.Problem{
				{Row: 14, Ref: "BG-02", Name: "Seed swap", Column: "postcode", Message: "'SW9 8' is not a full UK postcode or district - check it"},
				{Row: 15, Name: "Compost club", Column: "ref", Message: "the reference is empty"},
				{Row: 16, Ref: "BG-04", Column: "name", Message: "the name is empty"},
			},
			want: []string{
				"Errors:",
				"  row  ref    name          column    problem",
				"  14   BG-02  Seed swap     postcode  'SW9 8' is not a full UK postcode or district - check it",
				"  15          Compost club  ref       the reference is empty",
				"  16   BG-04                name      the name is empty",
			},
		},
		{
			name: "a long name is cut",
			problems: []importer.Problem{
				{Row: 2, Ref: "BG-05", Name: "The Brixton community seed swap and garden open day", Column: "phone", Message: "no way to get in touch"},
			},
			want: []string{
				"Errors:",
				"  row  ref    name                            column  problem",
				"  2    BG-05  The Brixton community seed sw…  phone   no way to get in touch",
			},
		},
		{
			name: "problems with the whole file",
			problems: []importer.Problem{
				{Row: 1, Column: "categories", Message: "the file has no categories column"},
				{Column: "partner", Message: "every row of this file is for another partner"},
			},
			want: []string{
				"Errors:",
				"  row   column      problem",
				"  1     categories  the file has no categories column",
				"  file  partner     every row of this file is for another partner",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			printProblems(&b, "Errors", tt.problems, len(tt.problems))
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
				got = append(got, strings.TrimRight(l, " "))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
