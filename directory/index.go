package directory

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// mappingVersion names the index layout. Changing the mapping or what
// indexDoc holds means changing this, so existing indexes are rebuilt from
// the store on the next start.
const mappingVersion = "lw-15"

const (
	textAnalyzer      = "lw_en"
	pairsAnalyzer     = "lw_en_pairs"
	keywordAnalyzer   = keyword.Name
	wordListAnalyzer  = "lw_words"
	synonymCollection = "living-well"
	synonymSource     = "living-well-synonyms"
)

var (
	internalGeneration = []byte("lw:generation")
	internalMapping    = []byte("lw:mapping")
	internalSynonyms   = []byte("lw:synonyms")
)

// Index field names.
const (
	// The text a search looks in, in five fields: what the listing is
	// called; what it is about (its summary and category names); the
	// interests and strengths it names, which the matcher weighs on
	// their own (boost.go); and the long description, with the
	// organisation's name. Seven fields searched one by one made a
	// search of a common word read and score a listing up to seven times
	// over, and each field is more work for an import (README,
	// "Benchmarks at scale", has the figures).
	fName        = "name"
	fAbout       = "about"
	fInterests   = "interests"
	fStrengths   = "strengths"
	fDescription = "description"
	fCategory    = "category"
	fStage       = "stage"
	fCost        = "cost"
	fPence       = "pence"
	fDay         = "day"
	fSlot        = "slot"
	fFormat      = "format"
	fAccess      = "access"
	fLang        = "lang"
	fJoin        = "join"
	fOnline      = "online"
	fOnlineOnly  = "online_only"
	fStatus      = "status"
	fPartner     = "partner"
	fMinAge      = "min_age"
	fMaxAge      = "max_age"
	// fUpdated and fUpdatedDay are when the listing last changed, to
	// the nanosecond and the day (numkeys.go).
	fUpdated    = "updated"
	fUpdatedDay = "updated_day"
	// fPoints and fSessions hold each location and session as a doc
	// value, from which search computes distances, next sessions and
	// time windows; fCell files each location under grid cells (see
	// nearby.go).
	fPoints   = "pts"
	fSessions = "sess"
	fCell     = "cell"
	// fNamePairs and fAboutPairs index the name, and the summary,
	// category names, interests and strengths, as the pairs of words
	// next to each other ("walk group"), one term a pair (pairs.go).
	// Phrases are found through them (textquery.go): no field keeps word
	// positions, which cost an import much of its time and a phrase
	// search a walk through every listing having the phrase's words.
	fNamePairs  = "name_2"
	fAboutPairs = "about_2"
)

// textFields are the analysed fields a text query searches, with the boost
// each gets: the name counts most, then what the listing is about.
var textFields = []struct {
	name  string
	boost float64
}{
	{fName, 3}, {fInterests, 2}, {fAbout, 1.75}, {fStrengths, 1.2}, {fDescription, 1},
}

// noAgeLimit stands in for "no upper age limit" in the index, so that an age
// filter is a plain range query.
const noAgeLimit = 200

// indexDoc is what the index holds for a listing: the text to search, the
// keywords to filter and facet on, and the locations and sessions as doc
// values, so search can order by distance and time without reading the
// store.
type indexDoc struct {
	Name        string   `json:"name"`
	About       []string `json:"about"`
	Description []string `json:"description"`
	Interests   []string `json:"interests"`
	Strengths   []string `json:"strengths"`
	Category    []string `json:"category"`
	Stage       []string `json:"stage"`
	Cost        string   `json:"cost"`
	Pence       string   `json:"pence"`
	Day         []string `json:"day"`
	Format      []string `json:"format"`
	Access      []string `json:"access"`
	Lang        []string `json:"lang"`
	Join        string   `json:"join"`
	Online      string   `json:"online"`
	OnlineOnly  string   `json:"online_only"`
	Status      string   `json:"status"`
	Partner     string   `json:"partner"`
	MinAge      string   `json:"min_age"`
	MaxAge      string   `json:"max_age"`
	// Updated and UpdatedDay are nil or hold one key (as Slot and Cell).
	Updated    []string `json:"updated,omitempty"`
	UpdatedDay []string `json:"updated_day,omitempty"`
	Points     []string `json:"pts,omitempty"`
	Sessions   []string `json:"sess,omitempty"`
	// Slot and Cell are lists of keywords in one string, a space between
	// each (wordsAnalyzerType): twelve slots and four cells a listing as
	// sixteen fields were sixteen of Bleve's field objects to build,
	// analyse and merge for sixteen terms. Each is nil or holds the one
	// string: Bleve would make a field of an empty string.
	Slot       []string `json:"slot,omitempty"`
	Cell       []string `json:"cell,omitempty"`
	AboutPairs []string `json:"about_p"`
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// newIndexDoc turns a listing into its index document. Categories are
// indexed with their ancestors, so filtering on "food" finds food banks.
func newIndexDoc(l *Listing, tax *Taxonomy) indexDoc {
	doc := indexDoc{
		Name: l.Name, Description: joinParts(l.Description, l.Organisation.Name),
		Interests: joinParts(l.Interests...), Strengths: joinParts(l.Strengths...),
		Cost: "paid", Pence: penceKey(l.Cost.Pence), Join: string(l.HowToJoin),
		Online: yesNo(l.Online), OnlineOnly: yesNo(l.OnlineOnly()), Status: string(l.Status), Partner: l.PartnerID,
		MinAge: ageKey(l.MinAge), MaxAge: ageKey(noAgeLimit),
	}
	if l.Cost.Free {
		doc.Cost, doc.Pence = "free", penceKey(0)
	}
	if l.MaxAge > 0 {
		doc.MaxAge = ageKey(l.MaxAge)
	}
	if !l.Updated.IsZero() {
		day, stamp := changeKeys(l.Updated)
		doc.UpdatedDay, doc.Updated = []string{day}, []string{stamp}
	}
	seen := map[string]bool{}
	var labels []string
	for _, c := range l.Categories {
		for _, code := range append([]string{c}, tax.Ancestors(c)...) {
			if !seen[code] {
				seen[code] = true
				doc.Category = append(doc.Category, code)
			}
		}
		labels = append(labels, tax.Label(c))
	}
	// Each part apart (joinParts), so no phrase spans two of them.
	about := append([]string{l.Summary}, labels...)
	doc.About = joinParts(about...)
	doc.AboutPairs = joinParts(append(append(about, l.Interests...), l.Strengths...)...)
	for _, s := range l.Stages {
		doc.Stage = append(doc.Stage, string(s))
	}
	days := map[string]bool{}
	var slots, cells []string
	for _, s := range l.Sessions {
		if d := DayCode(s.Day); !days[d] {
			days[d] = true
			doc.Day = append(doc.Day, d)
		}
		slots = append(slots, s.Slots()...)
		doc.Sessions = append(doc.Sessions, encodeSession(s))
	}
	doc.Slot = wordList(slots)
	for _, f := range l.Formats {
		doc.Format = append(doc.Format, string(f))
	}
	for _, a := range l.Accessibility {
		doc.Access = append(doc.Access, string(a))
	}
	doc.Lang = append(doc.Lang, l.Languages...)
	for _, p := range l.Points() {
		doc.Points = append(doc.Points, encodePoint(p))
		cells = append(cells, cellTerms(p)...)
	}
	doc.Cell = wordList(cells)
	return doc
}

// partSeparator separates the parts of a text field's one string
// (joinParts).
const partSeparator = '\x1f'

// joinParts returns the parts of a text field (a summary and category
// names; interests) as one string, the parts separated by partSeparator,
// or nil when there are none. As one field each listing's text makes a
// third fewer of Bleve's field objects, each analysed, counted and merged
// on its own. The index holds the same terms, with the same frequencies
// and field length, so scores are the same: the separator ends a word
// (it is not a letter, digit or joiner to UAX #29), and the pairs
// analyzer pairs words within a part only, as it did with each part a
// field of its own (englishAnalyzer). A separator inside a part becomes a
// space, which also ends a word and, unlike a separator, makes no break
// between pairs.
func joinParts(parts ...string) []string {
	if len(parts) == 0 {
		return nil
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(partSeparator)
		}
		if strings.IndexByte(p, partSeparator) >= 0 {
			p = strings.ReplaceAll(p, string(partSeparator), " ")
		}
		b.WriteString(p)
	}
	return []string{b.String()}
}

// wordList returns keywords as the one string of a words field.
func wordList(words []string) []string {
	if len(words) == 0 {
		return nil
	}
	return []string{strings.Join(words, " ")}
}

// newIndexMapping builds the static mapping: English-analysed text with the
// synonym source; keywords for filters and facets, amounts, ages and dates
// (fixed-width keywords) and lists of keywords; and locations and sessions
// as doc values. Nothing is indexed dynamically.
func newIndexMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	// Bleve's English chain, quicker (analyzer.go); the pairs analyzer
	// adds the pairs of neighbouring words (pairs.go).
	if err := im.AddCustomAnalyzer(textAnalyzer, map[string]any{"type": englishAnalyzerType}); err != nil {
		return nil, fmt.Errorf("text analyzer: %w", err)
	}
	if err := im.AddCustomAnalyzer(pairsAnalyzer, map[string]any{"type": englishAnalyzerType, "pairs": true}); err != nil {
		return nil, fmt.Errorf("pairs analyzer: %w", err)
	}
	if err := im.AddCustomAnalyzer(wordListAnalyzer, map[string]any{"type": wordsAnalyzerType}); err != nil {
		return nil, fmt.Errorf("words analyzer: %w", err)
	}
	if err := im.AddSynonymSource(synonymSource, map[string]any{"collection": synonymCollection, "analyzer": textAnalyzer}); err != nil {
		return nil, fmt.Errorf("synonym source: %w", err)
	}
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range textFields {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = textAnalyzer
		if f.name != fDescription {
			// In the long description synonyms find mostly noise
			// ("work" in "we work with" for "job").
			fm.SynonymSource = synonymSource
		}
		fm.Store = false
		fm.IncludeInAll = false
		// No positions: phrases are found through the pairs fields.
		fm.IncludeTermVectors = false
		// Doc values are for sorting and facets, which no text field is
		// used for; building them for every word of every listing took
		// much of an import's time.
		fm.DocValues = false
		ms := []*mapping.FieldMapping{fm}
		if f.name == fName {
			ms = append(ms, pairsMapping(fNamePairs))
		}
		doc.AddFieldMappingsAt(f.name, ms...)
	}
	doc.AddFieldMappingsAt(aboutPairsSource, pairsMapping(fAboutPairs))
	// Pence, ages and the date a listing changed are keywords of fixed
	// width (numkeys.go): one term each, where Bleve's numbers and dates
	// index sixteen. No doc values: facets are counted from the posting
	// lists (facet_tally.go), and nothing sorts on these.
	keywords := func(analyzer string, names ...string) {
		for _, name := range names {
			fm := bleve.NewKeywordFieldMapping()
			fm.Analyzer = analyzer
			fm.Store = false
			fm.IncludeInAll = false
			fm.IncludeTermVectors = false
			fm.DocValues = false
			doc.AddFieldMappingsAt(name, fm)
		}
	}
	keywords(keywordAnalyzer, fCategory, fStage, fCost, fDay, fFormat, fAccess, fLang, fJoin, fOnline, fOnlineOnly,
		fStatus, fPartner, fPence, fMinAge, fMaxAge, fUpdated, fUpdatedDay)
	keywords(wordListAnalyzer, fSlot, fCell)
	// Places and sessions are read as doc values, by the distance and
	// time checks and orders.
	for _, name := range []string{fPoints, fSessions} {
		fm := bleve.NewKeywordFieldMapping()
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		doc.AddFieldMappingsAt(name, fm)
	}
	// No "_all" field: every query names its fields, and Bleve would
	// otherwise build an empty composite field for every listing.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = doc
	im.DefaultAnalyzer = textAnalyzer
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

// aboutPairsSource is the document field the about pairs are made from:
// the about text with the interests and strengths, each part its own
// array element, so that no pair spans two of them.
const aboutPairsSource = "about_p"

// pairsMapping indexes a text as its pairs of words, under name.
func pairsMapping(name string) *mapping.FieldMapping {
	pm := bleve.NewTextFieldMapping()
	pm.Name = name
	pm.Analyzer = pairsAnalyzer
	pm.Store = false
	pm.IncludeInAll = false
	pm.IncludeTermVectors = false
	pm.DocValues = false
	return pm
}

// bleveIndex is the derived search index of a data directory.
type bleveIndex struct {
	idx  bleve.Index
	path string
	// closeOnce makes close safe to call twice: Bleve panics on a second
	// Close, and a failed rebuild can leave the directory holding an
	// index it has already closed.
	closeOnce sync.Once
	closeErr  error
	// fields maps index documents to Bleve's fields (indexfields.go),
	// read from the mapping when first needed.
	fieldsOnce sync.Once
	fields     *docFields
	fieldsErr  error
}

// docFields returns how the index's documents map to fields.
func (ix *bleveIndex) docFields() (*docFields, error) {
	ix.fieldsOnce.Do(func() { ix.fields, ix.fieldsErr = newDocFields(ix.idx.Mapping()) })
	return ix.fields, ix.fieldsErr
}

// openIndex opens the index at path, or creates it when it does not exist.
// fresh reports whether it was created (and so needs filling from the
// store). An index written with another mapping version, or one that will
// not open, is removed and created afresh; reason says why.
func openIndex(path string) (ix *bleveIndex, fresh bool, reason string, err error) {
	if _, statErr := os.Stat(path); statErr == nil {
		idx, openErr := bleve.Open(path)
		if openErr == nil {
			v, _ := idx.GetInternal(internalMapping)
			if string(v) == mappingVersion {
				return &bleveIndex{idx: idx, path: path}, false, "", nil
			}
			idx.Close()
			reason = fmt.Sprintf("the index layout changed (%q, now %q)", v, mappingVersion)
		} else {
			reason = fmt.Sprintf("the index would not open (%v)", openErr)
		}
		if err := os.RemoveAll(path); err != nil {
			return nil, false, "", Internal(err, "remove the old index")
		}
	} else {
		reason = "there was no index"
	}
	m, err := newIndexMapping()
	if err != nil {
		return nil, false, "", Internal(err, "build the index mapping")
	}
	idx, err := bleve.New(path, m)
	if err != nil {
		return nil, false, "", Internal(err, "create the index")
	}
	if err := idx.SetInternal(internalMapping, []byte(mappingVersion)); err != nil {
		idx.Close()
		return nil, false, "", Internal(err, "mark the index")
	}
	return &bleveIndex{idx: idx, path: path}, true, reason, nil
}

func (ix *bleveIndex) close() error {
	ix.closeOnce.Do(func() { ix.closeErr = ix.idx.Close() })
	return ix.closeErr
}

// generation returns the store generation the index has caught up with.
func (ix *bleveIndex) generation() (uint64, error) {
	v, err := ix.idx.GetInternal(internalGeneration)
	if err != nil {
		return 0, Internal(err, "read index generation")
	}
	return readU64(v), nil
}

// synonymLoader names how ensureSynonyms turns groups into Bleve
// definitions; changing that means changing this, so indexes reload them.
const synonymLoader = "single-words-2"

// ensureSynonyms (re)loads the synonym definitions when the thesaurus
// differs from the one the index holds.
func (ix *bleveIndex) ensureSynonyms(th *Thesaurus) (bool, error) {
	raw, _ := json.Marshal(th.Groups())
	sum := sha256.Sum256(append([]byte(synonymLoader), raw...))
	want := hex.EncodeToString(sum[:])
	have, err := ix.idx.GetInternal(internalSynonyms)
	if err != nil {
		return false, Internal(err, "read synonym marker")
	}
	if string(have) == want {
		return false, nil
	}
	b := ix.idx.NewBatch()
	analyzer := ix.idx.Mapping().AnalyzerNamed(textAnalyzer)
	for i, g := range th.Groups() {
		def := singleWordDefinition(g, analyzer)
		if def == nil {
			b.Delete(synonymDocID(i))
			continue
		}
		if err := b.IndexSynonym(synonymDocID(i), synonymCollection, def); err != nil {
			return false, Internal(err, "index synonyms")
		}
	}
	// Remove definitions left over from a longer, older thesaurus.
	for i := len(th.Groups()); ; i++ {
		d, err := ix.idx.Document(synonymDocID(i))
		if err != nil || d == nil {
			break
		}
		b.Delete(synonymDocID(i))
	}
	b.SetInternal(internalSynonyms, []byte(want))
	if err := ix.idx.Batch(b); err != nil {
		return false, Internal(err, "index synonyms")
	}
	return true, nil
}

// singleWordDefinition returns the part of a synonym group Bleve's synonym
// source can use: the phrases that analyse to one word. Bleve drops the
// others itself, but a group whose inputs are all phrases ("community
// garden" leading to "volunteering") would then lose its inputs and become
// a group in which every synonym stands for every other ("gardening" for
// "volunteering"). Such groups are left to the thesaurus's phrase search.
// It returns nil when nothing usable is left.
func singleWordDefinition(g SynonymGroup, analyzer analysis.Analyzer) *bleve.SynonymDefinition {
	single := func(phrases []string) []string {
		var out []string
		for _, p := range phrases {
			if len(analyzer.Analyze([]byte(p))) == 1 {
				out = append(out, p)
			}
		}
		return out
	}
	def := &bleve.SynonymDefinition{Input: single(g.Input), Synonyms: single(g.Synonyms)}
	switch {
	case len(g.Input) > 0 && (len(def.Input) == 0 || len(def.Synonyms) == 0):
		return nil
	case len(g.Input) == 0 && len(def.Synonyms) < 2:
		return nil
	}
	return def
}

func synonymDocID(i int) string { return fmt.Sprintf("_syn:%05d", i) }

// hasTerm reports whether any text field of the index holds the analysed
// term. It answers false when the index cannot be read, which at worst
// lets a correctly spelt word also match near misses.
func (ix *bleveIndex) hasTerm(term string) bool {
	for _, f := range textFields {
		dict, err := ix.idx.FieldDictRange(f.name, []byte(term), []byte(term))
		if err != nil {
			return false
		}
		e, err := dict.Next()
		dict.Close()
		if err == nil && e != nil && e.Term == term {
			return true
		}
	}
	return false
}
