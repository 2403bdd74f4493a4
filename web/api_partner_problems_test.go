package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestPartnerAPIProblemsNameTheRow checks, on the wire, that each error in
// an import answer keeps the row, column and message of the API contract
// and adds the listing's ref and name from that row, so a partner whose
// sheet is sorted another way can find it.
func TestPartnerAPIProblemsNameTheRow(t *testing.T) {
	tests := []struct {
		name       string
		csv        string
		wantStatus int
		want       map[string]any
	}{
		{
			name: "a row with a bad postcode", csv: brokenCSV, wantStatus: http.StatusUnprocessableEntity,
			want: map[string]any{"row": 3.0, "column": "postcode", "ref": "A3", "name": "Alpha Book Group",
				"message": "'SW9 8' is not a full UK postcode or district - check it"},
		},
		{
			name: "a row without a ref", csv: "ref,name,description,categories,postcode,phone\n,Alpha Quiz,A quiz night.,hobbies,SW9 8HE,020 7946 0004\n",
			wantStatus: http.StatusUnprocessableEntity,
			want: map[string]any{"row": 2.0, "column": "ref", "ref": "", "name": "Alpha Quiz",
				"message": "the reference is empty - give each listing your own reference, e.g. ALP-01, and keep it the same on every upload"},
		},
		{
			name: "the whole file", csv: "colour,size\nred,big\n", wantStatus: http.StatusUnprocessableEntity,
			want: map[string]any{"row": 1.0, "column": "ref", "ref": "", "name": "",
				"message": "the file has no ref column - the first row should be the template's header row (ref, name, description, categories, ...); is there a title row above it?"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustOpenServer(t, Config{})
			w := e.apiImport(e.token("alpha"), "", strings.NewReader(tt.csv), "text/csv")
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body.String())
			}
			var answer struct {
				Errors []map[string]any `json:"errors"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &answer); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, w.Body.String())
			}
			for _, got := range answer.Errors {
				if got["message"] != tt.want["message"] {
					continue
				}
				for k, v := range tt.want {
					if got[k] != v {
						t.Errorf("%s = %#v, want %#v (error %v)", k, got[k], v, got)
					}
				}
				return
			}
			t.Errorf("no error saying %q: %s", tt.want["message"], w.Body.String())
		})
	}
}
