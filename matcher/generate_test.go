package matcher_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// The generated directory for benchmarks at scale is national: each
// listing is placed near a UK postcode district drawn at random, so that
// cities, whose districts are small, are dense (a short bus ride in south
// London reaches several hundred listings) and the country is not.
const (
	// genVersion names the generator; a cached directory built by another
	// version is built again.
	genVersion = "gen-4"
	// genJitterDeg is how far from its district's centre a listing may be,
	// in degrees (about 1.5 km).
	genJitterDeg = 0.015
)

// Word pools for generated listings, drawn from the vocabulary listings use.
var (
	genActivities = []string{"gardening", "walking", "football", "cooking", "singing", "choir", "painting", "drawing", "knitting", "chess",
		"board games", "yoga", "tai chi", "swimming", "cycling", "woodwork", "reading", "writing", "pottery", "dancing", "meditation",
		"running", "boxing", "bowls", "cricket", "netball", "photography", "sewing", "baking", "music"}
	genWords = []string{"friendly", "group", "support", "help", "advice", "weekly", "local", "community", "free", "welcome", "new",
		"people", "session", "volunteers", "learn", "meet", "together", "tea", "calm", "open", "everyone", "money", "benefits",
		"housing", "food", "work", "job", "course", "carers", "family", "health", "wellbeing", "mental", "peer", "drop-in",
		"confidence", "skills", "older", "young", "women", "men", "lunch", "breakfast", "park", "garden", "kitchen", "centre", "hall"}
	genOrgs = []string{"Trust", "Project", "Centre", "Collective", "Network", "Association", "Club", "Hub", "Society", "Partnership"}
)

// generateListing makes a plausible listing from the word pools.
func generateListing(r *rand.Rand, tax *directory.Taxonomy, districts []directory.District, i int) *directory.Listing {
	terms := tax.Terms()
	activity := genActivities[r.Intn(len(genActivities))]
	sentence := func(n int) string {
		w := make([]string, n)
		for j := range w {
			w[j] = genWords[r.Intn(len(genWords))]
		}
		return strings.Join(w, " ") + "."
	}
	partner := fmt.Sprintf("gen-partner-%d", i/25)
	ref := fmt.Sprintf("G-%06d", i)
	l := &directory.Listing{
		ID: directory.ListingID(partner, ref), PartnerID: partner, Ref: ref,
		Organisation: directory.Organisation{Name: capitalise(genWords[r.Intn(len(genWords))]) + " " + genOrgs[r.Intn(len(genOrgs))]},
		Name:         capitalise(activity) + " " + genWords[r.Intn(len(genWords))],
		Summary:      sentence(12),
		Description:  strings.Join([]string{sentence(15), "We do " + activity + " most weeks.", sentence(20), sentence(10)}, " "),
		Interests:    []string{activity, genActivities[r.Intn(len(genActivities))], genWords[r.Intn(len(genWords))]},
		Status:       directory.StatusActive, Contact: directory.Contact{Phone: "020 7946 0000"},
		LastVerified: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Intn(540)) * 24 * time.Hour),
		HowToJoin:    directory.JoinMethods[r.Intn(len(directory.JoinMethods))],
		Languages:    []string{"en"},
		Formats:      []directory.Format{directory.Formats[r.Intn(len(directory.Formats))]},
	}
	for len(l.Categories) < 1+r.Intn(3) {
		if c := terms[r.Intn(len(terms))].Code; !strings.Contains(strings.Join(l.Categories, ","), c) {
			l.Categories = append(l.Categories, c)
		}
	}
	l.Stages = tax.StagesOf(l.Categories)
	if r.Intn(4) == 0 {
		l.Strengths = []string{genActivities[r.Intn(len(genActivities))], "good listener"}
	}
	// One in twenty is online only; of the rest, one in ten can also be
	// joined online and one in twelve has a second location nearby.
	if r.Intn(20) == 0 {
		l.Online = true
	} else {
		d := districts[r.Intn(len(districts))]
		pt := directory.LatLon{Lat: d.Point.Lat + (r.Float64()*2-1)*genJitterDeg, Lon: d.Point.Lon + (r.Float64()*2-1)*genJitterDeg}
		l.Locations = append(l.Locations, directory.Location{Postcode: d.Code, Point: &pt})
		if r.Intn(12) == 0 {
			pt := directory.LatLon{Lat: d.Point.Lat + (r.Float64()*2-1)*4*genJitterDeg, Lon: d.Point.Lon + (r.Float64()*2-1)*4*genJitterDeg}
			l.Locations = append(l.Locations, directory.Location{Postcode: d.Code, Point: &pt})
		}
		l.Online = r.Intn(10) == 0
	}
	for n := r.Intn(3); n > 0; n-- {
		start := 8*60 + r.Intn(24)*30
		l.Sessions = append(l.Sessions, directory.Session{Day: time.Weekday(r.Intn(7)), Start: start, End: start + 60 + r.Intn(3)*30})
	}
	switch r.Intn(5) {
	case 0, 1, 2:
		l.Cost = directory.Cost{Free: true}
	default:
		l.Cost = directory.Cost{Pence: 100 * (1 + r.Intn(6)), Words: "a few pounds"}
	}
	switch r.Intn(6) {
	case 0:
		l.MinAge = 18
	case 1:
		l.MinAge, l.MaxAge = 16, 25
	case 2:
		l.MinAge = 60
	}
	for _, a := range directory.AccessFeatures {
		if r.Intn(3) == 0 {
			l.Accessibility = append(l.Accessibility, a)
		}
	}
	if r.Intn(5) == 0 {
		l.Languages = append(l.Languages, []string{"pt", "es", "pl", "so", "ar", "bn"}[r.Intn(6)])
	}
	return l
}

// capitalise upper-cases the first letter of a plain ASCII word.
func capitalise(w string) string { return strings.ToUpper(w[:1]) + w[1:] }

// generatedDirectory returns a directory of n generated listings (seed 1),
// built once in the system's temporary folder and reused by later runs,
// since indexing a hundred thousand listings takes minutes.
func generatedDirectory(tb testing.TB, n int) *directory.Directory {
	tb.Helper()
	v, err := data.LoadVocabulary()
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("livingwell-%s-%d", genVersion, n))
	done := filepath.Join(path, "generated")
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(path)
	}
	d, err := directory.Open(directory.Config{Dir: path, Taxonomy: v.Taxonomy, Thesaurus: v.Thesaurus, Gazetteer: v.Gazetteer, LockTimeout: time.Minute,
		Now: func() time.Time { return evalNow }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	if _, err := os.Stat(done); err == nil {
		return d
	}
	tb.Logf("generating %d listings in %s (once)", n, path)
	start := time.Now()
	districts, err := data.Districts()
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	const batch = 2000
	for i := 0; i < n; i += batch {
		ch := directory.Change{}
		for j := i; j < min(i+batch, n); j++ {
			ch.Put = append(ch.Put, generateListing(r, v.Taxonomy, districts, j))
		}
		if _, err := d.Apply(context.Background(), ch); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.WriteFile(done, []byte(genVersion), 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("generated in %s", time.Since(start).Round(time.Second))
	return d
}

// benchPostcodes are the places benchmark profiles start from: busy
// London districts, where the directory is densest, and a few elsewhere.
var benchPostcodes = []string{"SW9", "SE1", "N1", "E1", "W2", "NW1", "SE27", "SW16", "E17", "N17", "W12", "SE15", "SW19", "E14", "NW10", "CR0", "M1", "B5", "LS6", "BS3"}
