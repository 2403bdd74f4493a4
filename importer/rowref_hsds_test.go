package importer

import (
	"context"
	"strings"
	"testing"
)

// TestHSDSProblemsNameTheService checks a problem with a service in an
// Open Referral package names the listing it would make, by reference
// (the service's id) and name, as the template's row problems do.
func TestHSDSProblemsNameTheService(t *testing.T) {
	services := "id,name,description,status,email\n" +
		"s1,Walk,A walk.,open,a@example.org\n" +
		"s2,Talk,A talk.,active,\n"
	tests := []struct {
		name         string
		row          int
		ref, itsName string
		message      string
	}{
		{"a bad status", 2, "s1", "Walk", "\"open\" is not an HSDS status"},
		{"no way to get in touch", 3, "s2", "Talk", "no phone number, email address or website"},
	}
	raw := zipFiles(t, map[string][]byte{"services.csv": []byte(services)})
	plan, err := New(openHSDSTestDir(t)).PlanHSDS(context.Background(), "p1", zipFile("x.zip", raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range plan.Errors {
				if p.Row == tt.row && p.Ref == tt.ref && p.Name == tt.itsName && strings.Contains(p.Message, tt.message) {
					return
				}
			}
			t.Errorf("no error on row %d naming %s (%s) saying %q; errors %#v", tt.row, tt.ref, tt.itsName, tt.message, plan.Errors)
		})
	}
}
