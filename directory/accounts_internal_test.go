package directory

import (
	"regexp"
	"testing"
)

// TestTokenIDsAreHex checks that a token's id is hex: never a "-" first,
// which the command line would take for a flag ("tokens revoke").
func TestTokenIDsAreHex(t *testing.T) {
	hex12 := regexp.MustCompile(`^[0-9a-f]{12}$`)
	for range 2000 {
		if id := newTokenID(); !hex12.MatchString(id) {
			t.Fatalf("token id %q", id)
		}
	}
}
