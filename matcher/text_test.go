package matcher

import (
	"slices"
	"strings"
	"testing"
)

func TestStems(t *testing.T) {
	tests := []struct {
		words string
		same  bool
	}{
		{"gardening gardens", true},
		{"speaks speaking", true},
		{"swimming swim", true},
		{"churches church", true},
		{"classes class", true},
		{"activities activity", true},
		{"carer's carers", true},
		{"Café cafe", true},
		// A wrong merge would make a false reason.
		{"housing house", false},
		{"caring car", false},
		{"caring care", false},
		{"cooked cooking", false},
	}
	for _, tt := range tests {
		t.Run(tt.words, func(t *testing.T) {
			w := strings.Fields(tt.words)
			a, b := stems(w[0]), stems(w[1])
			if slices.Equal(a, b) != tt.same {
				t.Errorf("stems(%q)=%v, stems(%q)=%v: same should be %v", w[0], a, w[1], b, tt.same)
			}
		})
	}
}

// TestDocumentFind checks that phrases are found in order, quoted in the
// listing's own words, and never across punctuation or list items.
func TestDocumentFind(t *testing.T) {
	ids := map[string]int32{}
	id := func(s string) int32 {
		if v, ok := ids[s]; ok {
			return v
		}
		ids[s] = int32(len(ids))
		return ids[s]
	}
	phrase := func(p string) []int32 {
		var out []int32
		for _, s := range stems(p) {
			out = append(out, id(s))
		}
		return out
	}
	walkingFootball, footballWalking, gardenParty := phrase("walking football"), phrase("football walking"), phrase("garden party")
	d := &document{}
	l := listingWith("Walking Football, for over-50s", "We love the garden. Party on Fridays.", []string{"garden", "party games"})
	d.read(l, ids)
	if got, ok := d.find(fieldName, walkingFootball); !ok || got != "Walking Football" {
		t.Errorf("find walking football = %q, %v; want the listing's own words", got, ok)
	}
	if _, ok := d.find(fieldName, footballWalking); ok {
		t.Error("found words out of order")
	}
	if _, ok := d.find(fieldDescription, gardenParty); ok {
		t.Error("found a phrase across a full stop")
	}
	if _, ok := d.find(fieldInterests, gardenParty); ok {
		t.Error("found a phrase across two list items")
	}
}
