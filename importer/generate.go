package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
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

// Generate writes a partner template CSV of realistic listings for load
// tests and benchmarks. Listings are spread over the UK's postcode
// districts in proportion to their population (so cities get most of
// them), each placed a short way from its district's centre; their names,
// summaries and descriptions are put together from the taxonomy's labels
// and descriptions, the synonym vocabulary, the OpenActive activity list
// and sentence templates, so that the words are spread as in real text (a
// few very common, most rare); sessions, genCosts, ages, accessibility,
// languages, formats and how to join vary as partners' do. Every row
// imports without errors. The same options give the same bytes. It
// returns an error only when w fails or the embedded vocabulary cannot be
// read.
func Generate(w io.Writer, opts GenerateOptions) error {
	g, err := newGenerator(opts.Seed)
	if err != nil {
		return err
	}
	prefix := opts.RefPrefix
	if prefix == "" {
		prefix = "GEN"
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Header()); err != nil {
		return err
	}
	rec := make([]string, len(Columns))
	for i := range opts.Rows {
		g.row(rec, fmt.Sprintf("%s-%06d", prefix, i+1))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// generator holds the vocabulary rows are drawn from and the random
// source, which is the only state that changes from row to row.
type generator struct {
	rng *rand.Rand
	col map[string]int
	// districts and their cumulative population, for weighted picks.
	districts []data.DistrictPopulation
	cumPop    []float64
	byCode    map[string]int
	terms     []directory.Term
	// termWeight makes some categories far commoner than others, as in a
	// real network (many social groups, few law centres).
	cumTerm    []float64
	activities []data.Activity
	synonyms   [][]string
	orgs       []string
}

func newGenerator(seed uint64) (*generator, error) {
	ds, err := data.DistrictPopulations()
	if err != nil {
		return nil, fmt.Errorf("read postcode districts: %w", err)
	}
	tax, err := data.Taxonomy()
	if err != nil {
		return nil, fmt.Errorf("read the taxonomy: %w", err)
	}
	th, err := data.Thesaurus()
	if err != nil {
		return nil, fmt.Errorf("read the synonyms: %w", err)
	}
	acts, err := data.Activities()
	if err != nil {
		return nil, fmt.Errorf("read the activity list: %w", err)
	}
	g := &generator{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), col: map[string]int{}, districts: ds, byCode: map[string]int{}, terms: tax.Terms(), activities: acts}
	for i, c := range Columns {
		g.col[c.Name] = i
	}
	total := 0.0
	for i, d := range ds {
		total += float64(d.Population)
		g.cumPop = append(g.cumPop, total)
		g.byCode[d.Code] = i
	}
	total = 0
	for i := range g.terms {
		// Zipf-like: the k-th category in a shuffled order is 1/k as
		// common as the first.
		total += 1 / float64(1+(i*37)%len(g.terms))
		g.cumTerm = append(g.cumTerm, total)
	}
	for _, grp := range th.Groups() {
		words := append(slices.Clone(grp.Input), grp.Synonyms...)
		if len(words) > 0 {
			g.synonyms = append(g.synonyms, words)
		}
	}
	for _, n := range genOrgNames {
		for _, k := range genOrgKinds {
			g.orgs = append(g.orgs, n+" "+k)
		}
	}
	return g, nil
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// weighted returns the index a uniform draw falls in, given cumulative
// weights.
func (g *generator) weighted(cum []float64) int {
	x := g.rng.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, x)
	return min(i, len(cum)-1)
}

// row fills rec with one listing.
func (g *generator) row(rec []string, ref string) {
	clear(rec)
	set := func(col, v string) { rec[g.col[col]] = v }
	d := g.districts[g.weighted(g.cumPop)]
	term := g.terms[g.weighted(g.cumTerm)]
	cats := []string{term.Code}
	if g.rng.IntN(3) == 0 {
		if other := g.terms[g.weighted(g.cumTerm)]; other.Code != term.Code {
			cats = append(cats, other.Label)
		}
	}
	act := g.activities[g.rng.IntN(len(g.activities))]
	interests := []string{act.Label}
	for range g.rng.IntN(3) {
		interests = append(interests, g.activities[g.rng.IntN(len(g.activities))].Label)
	}
	syn := g.synonyms[g.rng.IntN(len(g.synonyms))]
	org := d.Area + " " + g.pick(g.orgs)
	audience := g.pick(genAudiences)
	fill := strings.NewReplacer(
		"{area}", d.Area, "{region}", d.Region, "{activity}", strings.ToLower(act.Label),
		"{Activity}", act.Label, "{label}", strings.ToLower(term.Label), "{Label}", term.Label,
		"{syn}", g.pick(syn), "{syn2}", g.pick(syn), "{audience}", audience, "{org}", org,
		"{day}", g.pick(genDayNames), "{venue}", g.pick(genVenueKinds),
	)
	set("ref", ref)
	set("name", fill.Replace(g.pick(genNameTemplates)))
	set("summary", fill.Replace(g.pick(genSummaryTemplates)))
	var desc []string
	if term.Description != "" && g.rng.IntN(2) == 0 {
		desc = append(desc, term.Description)
	}
	if act.Definition != "" && g.rng.IntN(2) == 0 {
		desc = append(desc, strings.TrimSuffix(act.Definition, ".")+".")
	}
	for _, i := range g.rng.Perm(len(genSentenceTemplates))[:2+g.rng.IntN(3)] {
		desc = append(desc, fill.Replace(genSentenceTemplates[i]))
	}
	g.rng.Shuffle(len(desc), func(i, j int) { desc[i], desc[j] = desc[j], desc[i] })
	set("description", strings.Join(desc, " "))
	set("categories", strings.Join(cats, "; "))
	set("organisation", org)
	set("interests", strings.Join(interests, "; "))
	var strengths []string
	for range g.rng.IntN(3) {
		strengths = append(strengths, g.pick(genStrengthWords))
	}
	set("strengths", strings.Join(strengths, "; "))

	onlineOnly := g.rng.IntN(30) == 0
	set("online", yesNoWord(onlineOnly || g.rng.IntN(10) == 0))
	if !onlineOnly {
		places := []data.DistrictPopulation{d}
		if g.rng.IntN(10) == 0 && len(d.Nearby) > 0 {
			if i, ok := g.byCode[d.Nearby[g.rng.IntN(min(3, len(d.Nearby)))]]; ok {
				places = append(places, g.districts[i])
			}
		}
		var venues, addrs, pcs, lats, lons []string
		for _, p := range places {
			venues = append(venues, p.Area+" "+g.pick(genVenueKinds))
			addrs = append(addrs, fmt.Sprintf("%d %s %s", 1+g.rng.IntN(200), g.pick(genStreetNames), g.pick(genStreetKinds)))
			pcs = append(pcs, fmt.Sprintf("%s %d%c%c", p.Code, g.rng.IntN(10), 'A'+rune(g.rng.IntN(26)), 'A'+rune(g.rng.IntN(26))))
			// Within about 1.5 km of the district's centre.
			r, a := 1.5*math.Sqrt(g.rng.Float64()), 2*math.Pi*g.rng.Float64()
			lat := p.Lat + r*math.Cos(a)/111.2
			lon := p.Lon + r*math.Sin(a)/(111.2*math.Cos(p.Lat*math.Pi/180))
			lats, lons = append(lats, fmt.Sprintf("%.5f", lat)), append(lons, fmt.Sprintf("%.5f", lon))
		}
		set("venue", strings.Join(venues, "; "))
		set("address", strings.Join(addrs, "; "))
		set("postcode", strings.Join(pcs, "; "))
		set("latitude", strings.Join(lats, "; "))
		set("longitude", strings.Join(lons, "; "))
		set("service_area", d.Region)
	}
	set("sessions", g.sessions())
	set("cost", g.pick(genCosts))
	set("how_to_join", g.pick(genJoinWays))
	switch g.rng.IntN(10) {
	case 0:
		set("min_age", "18")
	case 1:
		set("min_age", "16")
		set("max_age", "25")
	case 2:
		set("min_age", "50")
	}
	var access []string
	for _, a := range genAccessWords {
		if g.rng.IntN(4) == 0 {
			access = append(access, a)
		}
	}
	set("accessibility", strings.Join(access, "; "))
	if g.rng.IntN(6) == 0 {
		set("languages", "English; "+g.pick(genLanguageNames))
	}
	set("format", g.pick(genFormatWords))
	slug := strings.Join(strings.FieldsFunc(strings.ToLower(org), func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }), "-")
	set("phone", fmt.Sprintf("020 7946 0%03d", g.rng.IntN(1000)))
	set("email", "hello@"+slug+".example")
	set("website", "https://"+slug+".example/")
	set("last_verified", fmt.Sprintf("2026-%02d-%02d", 1+g.rng.IntN(10), 1+g.rng.IntN(28)))
	if g.rng.IntN(25) == 0 {
		set("status", "temporarily closed")
	} else {
		set("status", "active")
	}
}

// sessions returns none to three sessions: weekly mostly, some monthly.
func (g *generator) sessions() string {
	var out []string
	for range g.rng.IntN(4) {
		start := 7*60 + 30*g.rng.IntN(26) // 07:00 to 19:30
		end := min(start+60+30*g.rng.IntN(5), 24*60-30)
		s := fmt.Sprintf("%s %02d:%02d-%02d:%02d", genDayCodes[g.rng.IntN(7)], start/60, start%60, end/60, end%60)
		if g.rng.IntN(6) == 0 {
			s = g.pick(genWeekWords) + " " + s
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

func yesNoWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// The words generated listings are made of. Templates take {area},
// {region}, {activity}, {Activity}, {label}, {Label}, {syn}, {syn2},
// {audience}, {org}, {day} and {venue}.
var (
	genDayCodes  = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	genDayNames  = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	genWeekWords = []string{"1st", "2nd", "3rd", "Last"}
	genOrgNames  = []string{"Community", "Neighbours", "Together", "Open Door", "Riverside", "Hillside", "Parkside", "Oak Tree", "Bridge", "Lantern",
		"Harbour", "Meadow", "Willow", "St Mary's", "St John's", "Unity", "Pathways", "New Leaf", "Compass", "Hearth"}
	genOrgKinds = []string{"Trust", "Association", "Project", "Centre", "Network", "Collective", "Foundation", "Partnership", "CIC", "Group",
		"Church", "Mosque", "Gurdwara", "Primary Care Network", "Housing Association", "Mind", "Recovery College", "Carers Centre"}
	genVenueKinds  = []string{"Community Centre", "Church Hall", "Library", "Leisure Centre", "Health Centre", "Youth Club", "Park Pavilion", "Methodist Hall", "Family Hub", "Neighbourhood Centre"}
	genStreetNames = []string{"High", "Church", "Station", "Victoria", "Mill", "Park", "Queen's", "King's", "Albert", "Market", "Chapel", "Green", "North", "London", "Manor"}
	genStreetKinds = []string{"Street", "Road", "Lane", "Avenue", "Way", "Close", "Place", "Terrace"}
	genAudiences   = []string{"everyone", "adults", "older people", "young people", "carers", "men", "women", "families", "new parents",
		"people living with long-term conditions", "people in recovery", "refugees and asylum seekers", "LGBTQ+ people", "people who feel lonely", "veterans"}
	genNameTemplates = []string{"{area} {Activity} Group", "{Activity} for {audience}", "{area} {Label}", "{Activity} Club", "{day} {Activity}",
		"{org}: {Label}", "{Activity} at the {venue}", "{area} {syn} drop-in", "{Label} in {area}", "Friendly {Activity} Sessions", "{Activity} and a cuppa"}
	genSummaryTemplates = []string{"A friendly {activity} group for {audience} in {area}.", "{Label} for {audience}, run by {org}.",
		"Come along to our {activity} sessions: all welcome, no experience needed.", "Free, confidential {syn} for {audience} across {region}.",
		"Meet people, try {activity} and have a cup of tea.", "{Label}: help with {syn} and {syn2}, in person or by phone.",
		"Weekly {activity} at the {venue}, {day}s.", "A safe space for {audience} to talk, share and find {syn}."}
	genSentenceTemplates = []string{
		"We meet every {day} at the {venue} in {area}.", "Everyone is welcome, whatever your experience of {activity}.",
		"The group is run by volunteers from {org}, some of whom have lived experience of {syn}.", "You do not need a referral: just come along, or call us first if you prefer.",
		"Tea, coffee and biscuits are provided, and there is always someone to say hello.", "We can help with {syn}, {syn2} and finding other local support.",
		"Sessions are led by a qualified coach and adapted for every ability.", "Many of our members come to us through their GP or social prescriber.",
		"If English is not your first language, tell us and we will find an interpreter.", "The {venue} has step-free access and a quiet room if you need a break.",
		"We work closely with the {label} team at {org} and other services across {region}.", "People tell us the group helps them feel less alone and more confident.",
		"Bring comfortable clothes and a bottle of water; equipment is provided.", "Our advisers can help with forms, appointments and phone calls.",
		"This is a peer-led space: nobody will ask you to share more than you want to.", "Carers, friends and family are welcome too.",
		"Places are limited, so please book by phone or email.", "Once a month we go on a trip or walk together, with the genCosts covered.",
		"Learn new skills, meet your neighbours and give something back to {area}.", "There is a creche for children under five on {day} mornings.",
		"Some sessions are online, so you can join from home.", "We are part of the {region} Living Well network.",
		"If you are struggling with {syn}, our trained listeners are here for you.", "Volunteers make it happen: ask about helping out with {activity}.",
	}
	genStrengthWords = []string{"teamwork", "listening", "creativity", "patience", "practical skills", "organising", "kindness", "leadership", "problem solving", "communication"}
	genCosts         = []string{"free", "free", "free", "free", "free", "free", "free; donations welcome", "£2 per session", "£3 per session", "£4.50 a class", "£5 per session, free for concessions", "£1 for tea and cake", "£10 a month", "pay what you can"}
	genJoinWays      = []string{"drop-in", "drop-in", "self-refer", "self-refer", "referral"}
	genAccessWords   = []string{"step-free", "accessible-toilet", "hearing-loop", "quiet-space", "large-print", "bsl"}
	genLanguageNames = []string{"Polish", "Portuguese", "Spanish", "Somali", "Arabic", "Bengali", "Urdu", "Punjabi", "Turkish", "French", "Yoruba", "Tigrinya", "Romanian"}
	genFormatWords   = []string{"group", "group", "one-to-one", "drop-in", "group; one-to-one"}
)
