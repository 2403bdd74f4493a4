package directory

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom" // registers the "custom" analyzer type
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// mappingVersion names the index layout. Changing the mapping or what
// indexDoc holds means changing this, so existing indexes are rebuilt from
// the store on the next start.
const mappingVersion = "lw-12"

const (
	textAnalyzer      = "lw_en"
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
	fName        = "name"
	fSummary     = "summary"
	fDescription = "description"
	fOrg         = "org"
	fInterests   = "interests"
	fStrengths   = "strengths"
	fCatText     = "cat_text"
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
	fVerified    = "verified"
	fGeo         = "geo"
	fShape       = "shape"
	fSlots       = "slots"
	fPoints      = "pts"
	fSessions    = "sess"
)

// textFields are the analysed fields a text query searches, with the boost
// each gets: the name counts most, then what the listing is about.
var textFields = []struct {
	name  string
	boost float64
}{
	{fName, 3}, {fCatText, 2}, {fInterests, 2}, {fSummary, 1.5}, {fStrengths, 1.2}, {fOrg, 1}, {fDescription, 1},
}

// noAgeLimit stands in for "no upper age limit" in the index, so that an age
// filter is a plain range query.
const noAgeLimit = 200

// indexDoc is what the index holds for a listing: the text to search, the
// keywords to filter and facet on, and the few stored values search needs to
// rank by distance and time without reading the store.
type indexDoc struct {
	Name        string           `json:"name"`
	Summary     string           `json:"summary"`
	Description string           `json:"description"`
	Org         string           `json:"org"`
	Interests   string           `json:"interests"`
	Strengths   string           `json:"strengths"`
	CatText     string           `json:"cat_text"`
	Category    []string         `json:"category"`
	Stage       []string         `json:"stage"`
	Cost        string           `json:"cost"`
	Pence       float64          `json:"pence"`
	Day         []string         `json:"day"`
	Slot        []string         `json:"slot"`
	Format      []string         `json:"format"`
	Access      []string         `json:"access"`
	Lang        []string         `json:"lang"`
	Join        string           `json:"join"`
	Online      string           `json:"online"`
	OnlineOnly  string           `json:"online_only"`
	Status      string           `json:"status"`
	Partner     string           `json:"partner"`
	MinAge      float64          `json:"min_age"`
	MaxAge      float64          `json:"max_age"`
	Verified    string           `json:"verified,omitempty"`
	Geo         []map[string]any `json:"geo,omitempty"`
	// Slots hold a listing's locations one to a field (geo1, geo2, ...),
	// for radius filters: Bleve's geopoint filter looks at only one point
	// of a many-valued field, which would lose listings with several
	// locations. Shape holds, as one multipoint, the locations of the
	// rare listing with more than geoSlots of them.
	Slots    map[string]map[string]any `json:"slots,omitempty"`
	Shape    map[string]any            `json:"shape,omitempty"`
	Points   string                    `json:"pts"`
	Sessions string                    `json:"sess"`
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
		Name: l.Name, Summary: l.Summary, Description: l.Description, Org: l.Organisation.Name,
		Interests: strings.Join(l.Interests, "; "), Strengths: strings.Join(l.Strengths, "; "),
		Cost: "paid", Pence: float64(l.Cost.Pence), Join: string(l.HowToJoin),
		Online: yesNo(l.Online), OnlineOnly: yesNo(l.OnlineOnly()), Status: string(l.Status), Partner: l.PartnerID,
		MinAge: float64(l.MinAge), MaxAge: noAgeLimit, Sessions: FormatSessions(l.Sessions),
	}
	if l.Cost.Free {
		doc.Cost, doc.Pence = "free", 0
	}
	if l.MaxAge > 0 {
		doc.MaxAge = float64(l.MaxAge)
	}
	if !l.LastVerified.IsZero() {
		doc.Verified = l.LastVerified.UTC().Format("2006-01-02T15:04:05Z")
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
	doc.CatText = strings.Join(labels, "; ")
	for _, s := range l.Stages {
		doc.Stage = append(doc.Stage, string(s))
	}
	days := map[string]bool{}
	for _, s := range l.Sessions {
		if d := DayCode(s.Day); !days[d] {
			days[d] = true
			doc.Day = append(doc.Day, d)
		}
		doc.Slot = append(doc.Slot, s.Slots()...)
	}
	for _, f := range l.Formats {
		doc.Format = append(doc.Format, string(f))
	}
	for _, a := range l.Accessibility {
		doc.Access = append(doc.Access, string(a))
	}
	doc.Lang = append(doc.Lang, l.Languages...)
	var pts []string
	for _, p := range l.Points() {
		doc.Geo = append(doc.Geo, map[string]any{"lat": p.Lat, "lon": p.Lon})
		pts = append(pts, strconv.FormatFloat(p.Lat, 'f', 6, 64)+","+strconv.FormatFloat(p.Lon, 'f', 6, 64))
	}
	doc.Points = strings.Join(pts, "|")
	for i, p := range l.Points() {
		if i == geoSlots {
			// Bleve reads GeoJSON coordinates from generic slices only.
			coords := make([]any, 0, len(doc.Geo))
			for _, q := range l.Points() {
				coords = append(coords, []any{q.Lon, q.Lat})
			}
			doc.Shape = map[string]any{"type": "multipoint", "coordinates": coords}
			break
		}
		if doc.Slots == nil {
			doc.Slots = map[string]map[string]any{}
		}
		doc.Slots[slotField(i)] = map[string]any{"lat": p.Lat, "lon": p.Lon}
	}
	return doc
}

// parsePoints reads the stored "pts" field back.
func parsePoints(s string) []LatLon {
	var out []LatLon
	for _, p := range strings.Split(s, "|") {
		a, b, ok := strings.Cut(p, ",")
		if !ok {
			continue
		}
		lat, err1 := strconv.ParseFloat(a, 64)
		lon, err2 := strconv.ParseFloat(b, 64)
		if err1 == nil && err2 == nil {
			out = append(out, LatLon{Lat: lat, Lon: lon})
		}
	}
	return out
}

// newIndexMapping builds the static mapping: English-analysed text with the
// synonym source, keywords for filters and facets, numbers, a date and a
// geopoint per location. Nothing is indexed dynamically.
func newIndexMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	err := im.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":          "custom",
		"char_filters":  []any{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []any{en.PossessiveName, lowercase.Name, en.StopName, porter.Name},
	})
	if err != nil {
		return nil, fmt.Errorf("text analyzer: %w", err)
	}
	if err := im.AddSynonymSource(synonymSource, map[string]any{"collection": synonymCollection, "analyzer": textAnalyzer}); err != nil {
		return nil, fmt.Errorf("synonym source: %w", err)
	}
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range textFields {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = textAnalyzer
		fm.SynonymSource = synonymSource
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		doc.AddFieldMappingsAt(f.name, fm)
	}
	for _, name := range []string{fCategory, fStage, fCost, fDay, fSlot, fFormat, fAccess, fLang, fJoin, fOnline, fOnlineOnly, fStatus, fPartner} {
		fm := bleve.NewKeywordFieldMapping()
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = true
		doc.AddFieldMappingsAt(name, fm)
	}
	for _, name := range []string{fPence, fMinAge, fMaxAge} {
		fm := bleve.NewNumericFieldMapping()
		fm.Store = false
		fm.IncludeInAll = false
		doc.AddFieldMappingsAt(name, fm)
	}
	verified := bleve.NewDateTimeFieldMapping()
	verified.Store = false
	verified.IncludeInAll = false
	doc.AddFieldMappingsAt(fVerified, verified)
	geo := bleve.NewGeoPointFieldMapping()
	geo.Store = false
	geo.IncludeInAll = false
	doc.AddFieldMappingsAt(fGeo, geo)
	slots := bleve.NewDocumentStaticMapping()
	for i := range geoSlots {
		fm := bleve.NewGeoPointFieldMapping()
		fm.Store = false
		fm.IncludeInAll = false
		slots.AddFieldMappingsAt(slotField(i), fm)
	}
	doc.AddSubDocumentMapping(fSlots, slots)
	shape := bleve.NewGeoShapeFieldMapping()
	shape.Store = false
	shape.IncludeInAll = false
	doc.AddFieldMappingsAt(fShape, shape)
	for _, name := range []string{fPoints, fSessions} {
		fm := bleve.NewKeywordFieldMapping()
		fm.Index = false
		fm.Store = true
		fm.DocValues = false
		fm.IncludeInAll = false
		doc.AddFieldMappingsAt(name, fm)
	}
	im.DefaultMapping = doc
	im.DefaultAnalyzer = textAnalyzer
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

// bleveIndex is the derived search index of a data directory.
type bleveIndex struct {
	idx  bleve.Index
	path string
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
	// The s2 spatial plugin indexes the location multipoint (fShape).
	idx, err := bleve.NewUsing(path, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, map[string]any{"spatialPlugin": "s2"})
	if err != nil {
		return nil, false, "", Internal(err, "create the index")
	}
	if err := idx.SetInternal(internalMapping, []byte(mappingVersion)); err != nil {
		idx.Close()
		return nil, false, "", Internal(err, "mark the index")
	}
	return &bleveIndex{idx: idx, path: path}, true, reason, nil
}

func (ix *bleveIndex) close() error { return ix.idx.Close() }

// generation returns the store generation the index has caught up with.
func (ix *bleveIndex) generation() (uint64, error) {
	v, err := ix.idx.GetInternal(internalGeneration)
	if err != nil {
		return 0, Internal(err, "read index generation")
	}
	return readU64(v), nil
}

// ensureSynonyms (re)loads the synonym definitions when the thesaurus
// differs from the one the index holds.
func (ix *bleveIndex) ensureSynonyms(th *Thesaurus) (bool, error) {
	raw, _ := json.Marshal(th.Groups())
	sum := sha256.Sum256(raw)
	want := hex.EncodeToString(sum[:])
	have, err := ix.idx.GetInternal(internalSynonyms)
	if err != nil {
		return false, Internal(err, "read synonym marker")
	}
	if string(have) == want {
		return false, nil
	}
	b := ix.idx.NewBatch()
	for i, g := range th.Groups() {
		def := &bleve.SynonymDefinition{Input: g.Input, Synonyms: g.Synonyms}
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

func synonymDocID(i int) string { return fmt.Sprintf("_syn:%05d", i) }

// geoSlots is how many of a listing's locations get a geopoint field of
// their own; a listing with more is found by its multipoint shape.
const geoSlots = 8

// slotField names the field of a listing's i-th location (from 0) within
// the slots object, and slotPath its full path in the index.
func slotField(i int) string { return "geo" + strconv.Itoa(i+1) }

func slotPath(i int) string { return fSlots + "." + slotField(i) }
