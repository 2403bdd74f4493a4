// Package data holds the embedded defaults: the Living Well taxonomy, the
// synonym vocabulary, the OpenActive activity list, UK postcode-district
// centroids and the sample network of partners and listings. Everything is
// read from files compiled into the binary, so a fresh machine needs nothing
// else. See ATTRIBUTION.md for where each file comes from and its licence.
package data

import (
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/livingwell/livingwell/directory"
)

//go:embed taxonomy.json synonyms.json activities.json postcode-districts.csv sample ATTRIBUTION.md
var files embed.FS

// Taxonomy returns the Living Well taxonomy.
func Taxonomy() (*directory.Taxonomy, error) {
	var doc struct {
		Terms []directory.Term `json:"terms"`
	}
	if err := readJSON("taxonomy.json", &doc); err != nil {
		return nil, err
	}
	return directory.NewTaxonomy(doc.Terms)
}

// Thesaurus returns the synonym vocabulary.
func Thesaurus() (*directory.Thesaurus, error) {
	var doc struct {
		Groups []directory.SynonymGroup `json:"groups"`
	}
	if err := readJSON("synonyms.json", &doc); err != nil {
		return nil, err
	}
	return directory.NewThesaurus(doc.Groups), nil
}

// Activity is one entry of the OpenActive activity list.
type Activity struct {
	ID         string   `json:"id"`
	Label      string   `json:"label"`
	Alt        []string `json:"alt,omitempty"`
	Broader    []string `json:"broader,omitempty"`
	Definition string   `json:"definition,omitempty"`
}

// Activities returns the OpenActive activity list (CC-BY-4.0, OpenActive).
func Activities() ([]Activity, error) {
	var doc struct {
		Activities []Activity `json:"activities"`
	}
	if err := readJSON("activities.json", &doc); err != nil {
		return nil, err
	}
	return doc.Activities, nil
}

// Districts returns the UK postcode districts with their centroids, skipping
// the few the source gives no point for.
func Districts() ([]directory.District, error) {
	f, err := files.Open("postcode-districts.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("postcode-districts.csv: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"Postcode", "Latitude", "Longitude", "Town/Area", "Region", "Nearby districts"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("postcode-districts.csv: no %q column", need)
		}
	}
	var out []directory.District
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("postcode-districts.csv: %w", err)
		}
		lat, err1 := strconv.ParseFloat(rec[col["Latitude"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["Longitude"]], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		var nearby []string
		for _, n := range strings.Split(rec[col["Nearby districts"]], ",") {
			if n = strings.TrimSpace(n); n != "" {
				nearby = append(nearby, n)
			}
		}
		out = append(out, directory.District{
			Code: rec[col["Postcode"]], Point: directory.LatLon{Lat: lat, Lon: lon},
			Area: rec[col["Town/Area"]], Authority: rec[col["Region"]], Nearby: nearby,
		})
	}
}

// Gazetteer returns a gazetteer over the embedded district table.
func Gazetteer() (*directory.Gazetteer, error) {
	ds, err := Districts()
	if err != nil {
		return nil, err
	}
	return directory.NewGazetteer(ds, nil), nil
}

// Vocabulary is the taxonomy, thesaurus and gazetteer together.
type Vocabulary struct {
	Taxonomy  *directory.Taxonomy
	Thesaurus *directory.Thesaurus
	Gazetteer *directory.Gazetteer
}

// LoadVocabulary reads all three.
func LoadVocabulary() (*Vocabulary, error) {
	tax, err := Taxonomy()
	if err != nil {
		return nil, fmt.Errorf("taxonomy: %w", err)
	}
	th, err := Thesaurus()
	if err != nil {
		return nil, fmt.Errorf("synonyms: %w", err)
	}
	gaz, err := Gazetteer()
	if err != nil {
		return nil, fmt.Errorf("postcodes: %w", err)
	}
	return &Vocabulary{Taxonomy: tax, Thesaurus: th, Gazetteer: gaz}, nil
}

// SamplePartner is one partner of the sample network.
type SamplePartner struct {
	ID          string
	Name        string
	Kind        string
	Website     string
	Borough     string
	Description string
}

// SamplePartners returns the partners of the sample network, in file order.
func SamplePartners() ([]SamplePartner, error) {
	matches, err := fs.Glob(files, "sample/partners-*.csv")
	if err != nil {
		return nil, err
	}
	var out []SamplePartner
	for _, name := range matches {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for i, rec := range recs {
			if i == 0 {
				continue
			}
			if len(rec) < 6 {
				return nil, fmt.Errorf("%s row %d: want 6 columns", name, i+1)
			}
			out = append(out, SamplePartner{ID: rec[0], Name: rec[1], Kind: rec[2], Website: rec[3], Borough: rec[4], Description: rec[5]})
		}
	}
	return out, nil
}

// SampleListings opens the listings file of a sample partner: a partner CSV
// as the importer reads it.
func SampleListings(partnerID string) (fs.File, error) {
	return files.Open("sample/listings/" + partnerID + ".csv")
}

// Attribution returns the text of ATTRIBUTION.md.
func Attribution() string {
	b, _ := files.ReadFile("ATTRIBUTION.md")
	return string(b)
}

func readJSON(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
