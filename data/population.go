package data

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DistrictPopulation is a postcode district with how many people and
// households it has, for spreading generated listings as people are
// spread.
type DistrictPopulation struct {
	Code string
	// Area is the first town or area the district's row names
	// ("Stockwell" for "Stockwell, Brixton, Clapham").
	Area string
	// Region is the local authority or town ("Lambeth").
	Region     string
	Population int
	Households int
	Lat, Lon   float64
	// Nearby are the neighbouring districts, nearest first.
	Nearby []string
}

// DistrictPopulations returns the districts with a population and a
// centroid in the embedded table, in file order. It returns an error only
// when the embedded file cannot be read.
func DistrictPopulations() ([]DistrictPopulation, error) {
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
	for _, need := range []string{"Postcode", "Latitude", "Longitude", "Town/Area", "Region", "Population", "Households", "Nearby districts"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("postcode-districts.csv: no %q column", need)
		}
	}
	var out []DistrictPopulation
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("postcode-districts.csv: %w", err)
		}
		pop, err1 := strconv.Atoi(rec[col["Population"]])
		hh, _ := strconv.Atoi(rec[col["Households"]])
		lat, err2 := strconv.ParseFloat(rec[col["Latitude"]], 64)
		lon, err3 := strconv.ParseFloat(rec[col["Longitude"]], 64)
		if err1 != nil || err2 != nil || err3 != nil || pop <= 0 {
			continue
		}
		area, _, _ := strings.Cut(rec[col["Town/Area"]], ",")
		var nearby []string
		for _, n := range strings.Split(rec[col["Nearby districts"]], ",") {
			if n = strings.TrimSpace(n); n != "" {
				nearby = append(nearby, n)
			}
		}
		out = append(out, DistrictPopulation{
			Code: rec[col["Postcode"]], Area: strings.TrimSpace(area), Region: rec[col["Region"]],
			Population: pop, Households: hh, Lat: lat, Lon: lon, Nearby: nearby,
		})
	}
}
