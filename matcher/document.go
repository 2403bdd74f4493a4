package matcher

import (
	"strings"

	"github.com/livingwell/livingwell/directory"
)

// field is a part of a listing whose words are matched.
type field int

// The fields, in the order a match in them is preferred as evidence.
const (
	fieldName field = iota
	fieldInterests
	fieldStrengths
	fieldSummary
	fieldDescription
	numFields
)

// fieldText returns the text of one field of a listing; list fields are
// joined with semicolons, which end phrases.
func fieldText(l *directory.Listing, f field) string {
	switch f {
	case fieldName:
		return l.Name
	case fieldInterests:
		return strings.Join(l.Interests, "; ")
	case fieldStrengths:
		return strings.Join(l.Strengths, "; ")
	case fieldSummary:
		return l.Summary
	}
	return l.Description
}

// Token ids for words no phrase of the profile uses, and for phrase breaks.
const (
	idOther int32 = -1
	idBreak int32 = -2
)

// tok is one word of a listing field: its id in the prepared profile and
// its byte offsets in the field's text.
type tok struct {
	id, start, end int32
}

// document is a listing's fields read into word ids. Only the words the
// profile's phrases use get an id, so reading a listing allocates nothing
// once the buffers have grown; a document is reused from listing to
// listing within one match.
type document struct {
	l       *directory.Listing
	text    [numFields]string
	toks    [numFields][]tok
	present [numFields][]uint64 // bit set of the ids in each field
	buf     []byte
}

// read fills the document from l, using ids for the words that matter.
func (d *document) read(l *directory.Listing, ids map[string]int32) {
	d.l = l
	words := (len(ids) + 63) / 64
	for f := field(0); f < numFields; f++ {
		d.text[f] = fieldText(l, f)
		d.toks[f] = d.toks[f][:0]
		if cap(d.present[f]) < words {
			d.present[f] = make([]uint64, words)
		}
		d.present[f] = d.present[f][:words]
		clear(d.present[f])
		toks, present := d.toks[f], d.present[f]
		d.buf = scanWords(d.text[f], d.buf,
			func(st []byte, start, end int) {
				id, ok := ids[string(st)]
				if !ok {
					id = idOther
				} else {
					present[id/64] |= 1 << (id % 64)
				}
				toks = append(toks, tok{id: id, start: int32(start), end: int32(end)})
			},
			func() {
				if n := len(toks); n > 0 && toks[n-1].id != idBreak {
					toks = append(toks, tok{id: idBreak})
				}
			})
		d.toks[f] = toks
	}
}

// find looks for a phrase (its word ids in order) in a field and returns
// the listing's own words where it first occurs.
func (d *document) find(f field, ids []int32) (string, bool) {
	for _, id := range ids {
		if id < 0 || d.present[f][id/64]&(1<<(id%64)) == 0 {
			return "", false
		}
	}
	toks := d.toks[f]
	for i := 0; i+len(ids) <= len(toks); i++ {
		j := 0
		for j < len(ids) && toks[i+j].id == ids[j] {
			j++
		}
		if j == len(ids) {
			return d.text[f][toks[i].start:toks[i+len(ids)-1].end], true
		}
	}
	return "", false
}

// has reports whether a field has a word.
func (d *document) has(f field, id int32) bool {
	return id >= 0 && d.present[f][id/64]&(1<<(id%64)) != 0
}
