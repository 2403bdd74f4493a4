package directory

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"
)

// TestIndexFieldsAreMapDocuments checks that the fields docFields makes
// come to those of Bleve's MapDocument analysed by Bleve, in what zap
// keeps of them: for each field name the same options, lengths and term
// frequencies, for listings with every property set, some empty, some not
// ASCII. The listings share many keyword values, so shared fields are
// checked again and again.
func TestIndexFieldsAreMapDocuments(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	ix := d.ix()
	fields, err := ix.docFields()
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"walk", "Walking", "group's", "café", "1,000", "e.g.", "in", "the", "Zoë", "drop-in", "10:30", "日本", "\x1f", "a\x1fb", ""}
	text := func(r *rand.Rand, n int) string {
		var ws []string
		for range r.IntN(n + 1) {
			ws = append(ws, words[r.IntN(len(words))])
		}
		return strings.Join(ws, " ")
	}
	texts := func(r *rand.Rand) []string {
		var out []string
		for range r.IntN(4) {
			out = append(out, text(r, 3))
		}
		return out
	}
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 300 {
		l := gardenListing("p1", fmt.Sprintf("r%d", i), text(r, 4))
		l.Summary, l.Description, l.Organisation.Name = text(r, 6), text(r, 30), text(r, 3)
		l.Interests, l.Strengths, l.Languages = texts(r), texts(r), []string{"en", "cy", "pl"}[:r.IntN(4)]
		l.Categories = []string{"community-gardens", "community", "Food Pantries"}[:r.IntN(4)]
		l.Stages = []Stage{StageWellbeing, StageRelationships}[:r.IntN(3)]
		l.Formats = []Format{FormatGroup, FormatDropIn}[:r.IntN(3)]
		l.Accessibility = []Access{AccessStepFree, AccessBSL}[:r.IntN(3)]
		l.HowToJoin = []JoinMethod{"", JoinDropIn, JoinReferral}[r.IntN(3)]
		l.Online = r.IntN(2) == 0
		l.Cost = Cost{Free: r.IntN(2) == 0, Pence: r.IntN(1000)}
		l.MinAge, l.MaxAge = r.IntN(30), []int{0, 65, 120}[r.IntN(3)]
		if r.IntN(4) > 0 {
			l.Updated = time.Date(2026, 11, 22, 10, 0, 0, r.IntN(1e9), time.UTC)
		}
		for range r.IntN(3) {
			l.Sessions = append(l.Sessions, Session{Day: time.Weekday(r.IntN(7)), Start: 60 * r.IntN(20), End: 60*r.IntN(3) + 1260, Week: r.IntN(6) - 1})
		}
		for range r.IntN(3) {
			l.Locations = append(l.Locations, Location{Point: &LatLon{Lat: 50 + r.Float64()*5, Lon: -5 + r.Float64()*6}})
		}
		data := newIndexDoc(l, d.tax)
		want := document.NewDocument(l.ID)
		if err := ix.idx.Mapping().MapDocument(want, data); err != nil {
			t.Fatal(err)
		}
		for _, f := range want.Fields {
			f.Analyze()
		}
		got := fields.document(l.ID, &data)
		if diff := sameFields(got, want); diff != "" {
			t.Fatalf("listing %d: %s", i, diff)
		}
		// Zap adds a second field of a name into the first one's term
		// frequencies, which must not happen to a shared field.
		seen := map[string]bool{}
		for _, f := range got.Fields {
			if seen[f.Name()] {
				t.Fatalf("listing %d has two fields %s", i, f.Name())
			}
			seen[f.Name()] = true
		}
	}
}

// sameFields reports how two documents' fields differ in what zap makes
// of them, "" when they do not.
func sameFields(got, want *document.Document) string {
	if got.Indexed() != want.Indexed() || len(got.CompositeFields) != len(want.CompositeFields) {
		return fmt.Sprintf("indexed %v, composite fields %d; want %v, %d", got.Indexed(), len(got.CompositeFields), want.Indexed(), len(want.CompositeFields))
	}
	g, w := zapView(got), zapView(want)
	for name := range w {
		if g[name] != w[name] {
			return fmt.Sprintf("field %s:\n got %s\nwant %s", name, g[name], w[name])
		}
	}
	for name := range g {
		if _, ok := w[name]; !ok {
			return fmt.Sprintf("field %s, which MapDocument does not make: %s", name, g[name])
		}
	}
	return ""
}

// zapView is what zap takes from a document's fields: for each field
// name, its options and type, and its fields' lengths, plain text bytes
// and term frequencies added up (zap adds a document's fields of one name
// together; with no term vectors it keeps neither their array positions
// nor their values).
func zapView(doc *document.Document) map[string]string {
	type field struct {
		options       string
		length, plain int
		freqs         map[string]int
	}
	fields := map[string]*field{}
	for _, f := range doc.Fields {
		v := fields[f.Name()]
		if v == nil {
			v = &field{options: fmt.Sprintf("%v %c", f.Options(), f.EncodedFieldType()), freqs: map[string]int{}}
			fields[f.Name()] = v
		} else if o := fmt.Sprintf("%v %c", f.Options(), f.EncodedFieldType()); o != v.options {
			v.options += " / " + o
		}
		v.length += f.AnalyzedLength()
		v.plain += int(f.NumPlainTextBytes())
		for k, tf := range f.AnalyzedTokenFrequencies() {
			if k != string(tf.Term) {
				v.freqs["term "+string(tf.Term)+" under key "+k]++
			}
			v.freqs[k] += tf.Frequency()
		}
	}
	out := map[string]string{}
	for name, v := range fields {
		out[name] = fmt.Sprintf("%s length %d plain %d %v", v.options, v.length, v.plain, v.freqs)
	}
	return out
}

// TestIndexDocPropertiesAreItsFields checks that indexDoc.properties
// names every field of the struct, by its JSON name, in order, so that a
// field added to indexDoc is not left out of the index.
func TestIndexDocPropertiesAreItsFields(t *testing.T) {
	var want, got []string
	typ := reflect.TypeFor[indexDoc]()
	for i := range typ.NumField() {
		want = append(want, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
	}
	(&indexDoc{}).properties(func(prop string, _ bool, _ ...string) { got = append(got, prop) })
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("properties %v\n    fields %v", got, want)
	}
}
