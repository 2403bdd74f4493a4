package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/livingwell/livingwell/data"
)

// GenerateOptions say what Generate writes.
type GenerateOptions struct {
	// Rows is how many listings to write.
	Rows int
	// Seed makes the output repeatable: the same seed and rows give the
	// same file.
	Seed uint64
	// RefPrefix starts every reference ("GEN" when empty).
	RefPrefix string
}

// genDistricts are the postcode districts generated listings are spread
// over: inner and south London, where the sample network is.
var genDistricts = []string{
	"SW2", "SW4", "SW8", "SW9", "SW16", "SE1", "SE5", "SE11", "SE24", "SE27",
	"SE15", "SE22", "SE17", "SW11", "SW12", "SW17", "SE21", "SE19", "SE25", "CR7",
}

var genDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// Generate writes a partner template CSV of realistic listings for load
// tests and benchmarks: each row is one of the embedded sample listings
// with a new reference, a numbered name, and its place, sessions and
// last-checked date varied at random from the seed. Every row imports
// without errors. It returns an error only when w fails or the sample
// network cannot be read.
func Generate(w io.Writer, opts GenerateOptions) error {
	base, err := sampleRows()
	if err != nil {
		return err
	}
	prefix := opts.RefPrefix
	if prefix == "" {
		prefix = "GEN"
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5eed))
	cw := csv.NewWriter(w)
	if err := cw.Write(Header()); err != nil {
		return err
	}
	col := map[string]int{}
	for i, c := range Columns {
		col[c.Name] = i
	}
	rec := make([]string, len(Columns))
	for i := range opts.Rows {
		copy(rec, base[rng.IntN(len(base))])
		rec[col["ref"]] = fmt.Sprintf("%s-%06d", prefix, i+1)
		rec[col["name"]] = fmt.Sprintf("%s (%d)", rec[col["name"]], i+1)
		if !strings.EqualFold(rec[col["online"]], "yes") || rng.IntN(2) == 0 {
			d := genDistricts[rng.IntN(len(genDistricts))]
			rec[col["postcode"]] = fmt.Sprintf("%s %d%c%c", d, rng.IntN(10), 'A'+rune(rng.IntN(26)), 'A'+rune(rng.IntN(26)))
			rec[col["venue"]], rec[col["address"]] = firstItem(rec[col["venue"]]), firstItem(rec[col["address"]])
			rec[col["latitude"]], rec[col["longitude"]] = "", ""
		}
		if rng.IntN(3) > 0 {
			start := 9 + rng.IntN(10)
			rec[col["sessions"]] = fmt.Sprintf("%s %02d:00-%02d:30", genDays[rng.IntN(7)], start, start+1+rng.IntN(3))
		}
		rec[col["last_verified"]] = fmt.Sprintf("2026-%02d-%02d", 1+rng.IntN(10), 1+rng.IntN(28))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// firstItem returns the first of a ;-separated list.
func firstItem(s string) string {
	first, _, _ := strings.Cut(s, ";")
	return strings.TrimSpace(first)
}

// sampleRows reads every embedded sample listing as a template record.
func sampleRows() ([][]string, error) {
	partners, err := data.SamplePartners()
	if err != nil {
		return nil, fmt.Errorf("read sample partners: %w", err)
	}
	var out [][]string
	for _, sp := range partners {
		f, err := data.SampleListings(sp.ID)
		if err != nil {
			return nil, fmt.Errorf("sample partner %s: %w", sp.ID, err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("sample partner %s: %w", sp.ID, err)
		}
		idx := make([]int, len(Columns))
		for i, c := range Columns {
			idx[i] = slices.Index(recs[0], c.Name)
		}
		for _, r := range recs[1:] {
			rec := make([]string, len(Columns))
			for i, j := range idx {
				if j >= 0 && j < len(r) {
					rec[i] = r[j]
				}
			}
			out = append(out, rec)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the sample network has no listings")
	}
	return out, nil
}
