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
// are those of Bleve's MapDocument analysed by Bleve: the same fields in
// the same order, with the same names, array positions, options, values,
// lengths and term frequencies, for listings with every property set,
// some empty, some not ASCII.
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
	}
}

// sameFields reports how two documents' fields differ, "" when they do
// not.
func sameFields(got, want *document.Document) string {
	show := func(f document.Field) string {
		freqs := map[string]string{}
		for k, tf := range f.AnalyzedTokenFrequencies() {
			freqs[k] = fmt.Sprintf("%s×%d", tf.Term, tf.Frequency())
		}
		return fmt.Sprintf("%s %#v %v %q plain %d type %c length %d %v", f.Name(), f.ArrayPositions(), f.Options(),
			f.Value(), f.NumPlainTextBytes(), f.EncodedFieldType(), f.AnalyzedLength(), freqs)
	}
	if got.Indexed() != want.Indexed() || len(got.CompositeFields) != len(want.CompositeFields) {
		return fmt.Sprintf("indexed %v, composite fields %d; want %v, %d", got.Indexed(), len(got.CompositeFields), want.Indexed(), len(want.CompositeFields))
	}
	for i := range max(len(got.Fields), len(want.Fields)) {
		var g, w string
		if i < len(got.Fields) {
			g = show(got.Fields[i])
		}
		if i < len(want.Fields) {
			w = show(want.Fields[i])
		}
		if g != w {
			return fmt.Sprintf("field %d:\n got %s\nwant %s", i, g, w)
		}
	}
	return ""
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
