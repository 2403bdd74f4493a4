package directory

import (
	"errors"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// Index documents are turned into Bleve's fields here, analysed, rather
// than by Bleve's MapDocument, which finds a document's fields by
// reflection and builds a TextField, a token stream and a map of
// term frequencies (a TokenFreq allocated per term) for each: for a large
// import about a tenth of the CPU that the goroutine filling the next
// index batch spends, on a machine whose two cores are both busy while the
// index is built. The fields are the mapping's own (names, options,
// analyzers, read from it); TestIndexFieldsAreMapDocuments checks that
// they come to what MapDocument's do in the index, field name by field
// name, term by term.

// fieldSpec is one field a document property is indexed as.
type fieldSpec struct {
	name     string
	options  index.FieldIndexingOptions
	analyzer analysis.Analyzer
	// keyword is set for Bleve's keyword analyzer, whose one token is
	// the whole value: the field's term is made without running it.
	keyword bool
}

// docFields maps an index document's properties to fields.
type docFields struct {
	byProperty map[string][]fieldSpec
	// shared holds keyword fields of one value, made once (keywordField);
	// mu guards it.
	mu     sync.Mutex
	shared map[sharedKey]*analysedText
}

// newDocFields reads the fields of each property from m.
func newDocFields(m mapping.IndexMapping) (*docFields, error) {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok || im.DefaultMapping == nil {
		return nil, errors.New("index fields: not the mapping newIndexMapping makes")
	}
	df := &docFields{byProperty: map[string][]fieldSpec{}, shared: map[sharedKey]*analysedText{}}
	madeBy := map[string]string{} // field name -> the property making it
	for prop, dm := range im.DefaultMapping.Properties {
		for _, fm := range dm.Fields {
			if fm.Type != "text" || fm.IncludeTermVectors {
				return nil, fmt.Errorf("index fields: %s is a %s field with term vectors %v, which only MapDocument indexes", prop, fm.Type, fm.IncludeTermVectors)
			}
			name, analyzerName := fm.Name, fm.Analyzer
			if name == "" {
				name = prop
			}
			if analyzerName == "" {
				analyzerName = im.DefaultAnalyzer
			}
			a := im.AnalyzerNamed(analyzerName)
			if a == nil {
				return nil, fmt.Errorf("index fields: no analyzer %q for %s", analyzerName, prop)
			}
			if other, ok := madeBy[name]; ok {
				return nil, fmt.Errorf("index fields: both %s and %s make the field %s", other, prop, name)
			}
			madeBy[name] = prop
			df.byProperty[prop] = append(df.byProperty[prop], fieldSpec{name: name, options: fm.Options(), analyzer: a, keyword: analyzerName == keyword.Name})
		}
	}
	return df, nil
}

// properties calls fn with each property of d in the struct's order, its
// values, and whether it is a list (whose values MapDocument numbers by
// their array position). TestIndexFieldsAreMapDocuments checks it names
// every property.
func (d *indexDoc) properties(fn func(prop string, list bool, values ...string)) {
	fn("name", false, d.Name)
	fn("about", true, d.About...)
	fn("description", true, d.Description...)
	fn("interests", true, d.Interests...)
	fn("strengths", true, d.Strengths...)
	fn("category", true, d.Category...)
	fn("stage", true, d.Stage...)
	fn("cost", false, d.Cost)
	fn("pence", false, d.Pence)
	fn("day", true, d.Day...)
	fn("format", true, d.Format...)
	fn("access", true, d.Access...)
	fn("lang", true, d.Lang...)
	fn("join", false, d.Join)
	fn("online", false, d.Online)
	fn("online_only", false, d.OnlineOnly)
	fn("status", false, d.Status)
	fn("partner", false, d.Partner)
	fn("min_age", false, d.MinAge)
	fn("max_age", false, d.MaxAge)
	fn("updated", true, d.Updated...)
	fn("updated_day", true, d.UpdatedDay...)
	fn("pts", true, d.Points...)
	fn("sess", true, d.Sessions...)
	fn("slot", true, d.Slot...)
	fn("cell", true, d.Cell...)
	fn("about_p", true, d.AboutPairs...)
}

// document returns listing id's Bleve document, its fields analysed.
//
// The values of a keyword property (the categories, the days, the places)
// are one field, not one each as MapDocument makes them: zap adds up a
// document's fields of one name in any case (their lengths, and their
// terms' frequencies, into the first one's map), and with no term vectors
// nothing keeps the array positions that set them apart, so the index is
// the same, for a tenth fewer fields to make and for zap to go through.
// A keyword field of one value that many listings share (a status, a
// cost, an age) is made once and shared by every document that has it
// (keywordField).
func (df *docFields) document(id string, d *indexDoc) *document.Document {
	doc := document.NewDocument(id)
	d.properties(func(prop string, list bool, values ...string) {
		for _, spec := range df.byProperty[prop] {
			if spec.keyword {
				if len(values) > 0 {
					doc.AddField(df.keywordField(spec, list, values))
				}
				continue
			}
			for i, v := range values {
				positions := arrayPosition(-1)
				if list {
					positions = arrayPosition(i)
				}
				doc.AddField(newAnalysedText(spec, positions, []byte(v)))
			}
		}
	})
	doc.SetIndexed()
	return doc
}

// keywordField returns the one field of a keyword property's values, with
// the array positions of the first.
//
// A field of one value is shared, unless it is of a property whose values
// are mostly each listing's own (the places and sessions). Sharing is
// safe because nothing changes a field once made: zap adds a second field
// of the same name into the first one's term frequencies, but a document
// has one field of each keyword name (newDocFields checks that no two
// properties make one). At most maxSharedFields are kept, so values that
// come and go (the time of each import) cannot fill memory.
func (df *docFields) keywordField(spec fieldSpec, list bool, values []string) *analysedText {
	if len(values) > 1 || ownValues[spec.name] {
		return newKeywordField(spec, list, values)
	}
	key := sharedKey{spec.name, values[0]}
	df.mu.Lock()
	defer df.mu.Unlock()
	f, ok := df.shared[key]
	if !ok {
		if len(df.shared) >= maxSharedFields {
			clear(df.shared)
		}
		f = newKeywordField(spec, list, values)
		df.shared[key] = f
	}
	return f
}

// newKeywordField returns the field of a keyword property's values: each
// value is a term, as Bleve's keyword analyzer makes it, without running
// the analyzer.
func newKeywordField(spec fieldSpec, list bool, values []string) *analysedText {
	positions := arrayPosition(-1)
	if list {
		positions = arrayPosition(0)
	}
	terms := make([][]byte, len(values))
	plain := 0
	for i, v := range values {
		terms[i] = []byte(v)
		plain += len(v)
	}
	return &analysedText{name: spec.name, positions: positions, value: terms[0], options: spec.options,
		length: len(terms), plain: plain, freqs: tokenFreqs(terms, spec.options)}
}

// ownValues are the keyword fields whose values are mostly each listing's
// own, not worth sharing.
var ownValues = map[string]bool{fPoints: true, fSessions: true}

// maxSharedFields is how many shared keyword fields docFields keeps.
const maxSharedFields = 4096

// sharedKey names a shared keyword field: its name and value.
type sharedKey struct{ field, value string }

// arrayPositions are the array positions of the first elements of a
// list, shared: nothing writes to a field's array positions.
var arrayPositions = func() (out [][]uint64) {
	all := make([]uint64, 64)
	for i := range all {
		all[i] = uint64(i)
		out = append(out, all[i:i+1:i+1])
	}
	return out
}()

// arrayPosition returns the array positions of element i of a list, or
// of a value that is not in a list when i is -1 (as MapDocument gives
// them: none, but not nil).
func arrayPosition(i int) []uint64 {
	switch {
	case i < 0:
		return arrayPositions[0][:0]
	case i < len(arrayPositions):
		return arrayPositions[i]
	}
	return []uint64{uint64(i)}
}

// analysedText is a text field analysed when made; Bleve's batch finds
// nothing left to do in Analyze.
type analysedText struct {
	name      string
	positions []uint64
	value     []byte
	options   index.FieldIndexingOptions
	length    int
	// plain is the length of the field's values (the statistics' plain
	// text bytes).
	plain int
	freqs index.TokenFrequencies
}

// analysedText is one of Bleve's document fields.
var _ document.Field = (*analysedText)(nil)

// newAnalysedText returns the field of a text value, analysed by spec's
// analyzer (keyword fields are newKeywordField's).
func newAnalysedText(spec fieldSpec, positions []uint64, value []byte) *analysedText {
	scratch := termScratch.Get().(*[][]byte)
	terms := analysedTerms((*scratch)[:0], spec.analyzer, value)
	f := &analysedText{name: spec.name, positions: positions, value: value, options: spec.options,
		length: len(terms), plain: len(value), freqs: tokenFreqs(terms, spec.options)}
	clear(terms)
	*scratch = terms[:0]
	termScratch.Put(scratch)
	return f
}

// tokenFreqs returns the frequencies of terms: analysis.TokenFrequency
// without term vectors, the TokenFreqs in one allocation.
func tokenFreqs(terms [][]byte, options index.FieldIndexingOptions) index.TokenFrequencies {
	freqs := make(index.TokenFrequencies, len(terms))
	slab := make([]index.TokenFreq, 0, len(terms))
	for _, term := range terms {
		tf, ok := freqs[string(term)]
		if !ok {
			slab = append(slab, index.TokenFreq{Term: term})
			tf = &slab[len(slab)-1]
			freqs[string(term)] = tf
		}
		if !options.SkipFreqNorm() {
			tf.SetFrequency(tf.Frequency() + 1)
		}
	}
	return freqs
}

// termScratch holds lists of terms for newAnalysedText to reuse.
var termScratch = sync.Pool{New: func() any { return new([][]byte) }}

// analysedTerms appends the terms analyzer makes of value to terms, in
// order. Our English analyzer gives them without making Bleve's tokens
// (englishAnalyzer.eachTerm), which were a tenth of what an import
// allocates: only the terms are needed here.
func analysedTerms(terms [][]byte, analyzer analysis.Analyzer, value []byte) [][]byte {
	if ea, ok := analyzer.(*englishAnalyzer); ok {
		if ea.eachTerm(value, func(term []byte) { terms = append(terms, term) }) {
			return terms
		}
	}
	for _, t := range analyzer.Analyze(value) {
		terms = append(terms, t.Term)
	}
	return terms
}

func (f *analysedText) Name() string                                     { return f.name }
func (f *analysedText) ArrayPositions() []uint64                         { return f.positions }
func (f *analysedText) Options() index.FieldIndexingOptions              { return f.options }
func (f *analysedText) Analyze()                                         {}
func (f *analysedText) Value() []byte                                    { return f.value }
func (f *analysedText) NumPlainTextBytes() uint64                        { return uint64(f.plain) }
func (f *analysedText) EncodedFieldType() byte                           { return 't' }
func (f *analysedText) AnalyzedLength() int                              { return f.length }
func (f *analysedText) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// Size is about what the field takes in memory, which Bleve only adds up
// for its statistics: a TextField's Size walks every term's frequency to
// be exact, which Bleve does for every field of every listing.
func (f *analysedText) Size() int {
	const perTerm = 64 // a map entry and a TokenFreq
	return 96 + len(f.name) + 8*len(f.positions) + len(f.value) + perTerm*len(f.freqs)
}
