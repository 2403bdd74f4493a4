package matcher

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// Request is a profile as people write it: the words and numbers the match
// API's JSON and the match command's flags carry. Parse checks it and
// turns it into a Profile.
type Request struct {
	Interests     []string          `json:"interests"`
	Strengths     []string          `json:"strengths"`
	Goals         []string          `json:"goals"`
	Needs         []string          `json:"needs"`
	Postcode      string            `json:"postcode"`
	Point         *directory.LatLon `json:"point"`
	MaxDistanceKm Distance          `json:"max_distance_km"`
	OnlineOK      bool              `json:"online_ok"`
	OnlineOnly    bool              `json:"online_only"`
	Days          []string          `json:"days"`
	Times         []string          `json:"times"`
	FreeOnly      bool              `json:"free_only"`
	// MaxCost is the most the person can pay each time, in pounds.
	MaxCost       *float64 `json:"max_cost"`
	Accessibility []string `json:"accessibility"`
	Languages     []string `json:"languages"`
	Age           int      `json:"age"`
	Format        string   `json:"format"`
	NoReferral    bool     `json:"no_referral"`
	Exclude       []string `json:"exclude"`
	Limit         int      `json:"limit"`
}

// Distance is how far a person will travel as people say it: a number of
// kilometres ("3", "2.5 km", "2 miles") or words ("walking", "short bus
// ride", "anywhere"). In JSON it is a number or a string.
type Distance string

// UnmarshalJSON reads a number or a string.
func (d *Distance) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*d = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = Distance(s)
	default:
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return directory.Errorf(directory.EINVALID, "max_distance_km should be a number of kilometres, or words such as \"walking\" or \"short bus ride\"")
		}
		*d = Distance(strconv.FormatFloat(f, 'f', -1, 64))
	}
	return nil
}

// travelWords are the distances people say in words, in kilometres.
var travelWords = map[string]float64{
	"walking": 1.5, "walk": 1.5, "walking distance": 1.5, "on foot": 1.5, "nearby": 1.5, "local": 1.5,
	"short walk": 1, "long walk": 3,
	"cycling": 5, "bike ride": 5, "by bike": 5,
	"short bus ride": 5, "one bus": 5, "a bus": 5, "short bus": 5,
	"bus ride": 8, "bus": 8, "by bus": 8,
	"long bus ride": 15, "train": 15, "tube": 15, "by train": 15,
	"anywhere": MaxDistanceKm, "any distance": MaxDistanceKm, "no limit": MaxDistanceKm,
}

// ParseDistance reads how far a person will travel: kilometres ("3", "2.5
// km"), miles ("2 miles") or words ("walking" is 1.5 km, "short bus ride"
// 5 km, "bus ride" 8 km, "long bus ride" 15 km, "anywhere" no bound). It
// returns 0 for an empty string and EINVALID for anything else it cannot
// read.
func ParseDistance(s string) (float64, error) {
	raw := strings.ToLower(strings.TrimSpace(s))
	if raw == "" {
		return 0, nil
	}
	if km, ok := travelWords[strings.TrimPrefix(normalise(raw), "a ")]; ok {
		return km, nil
	}
	num, unit := raw, "km"
	for _, u := range []string{"kilometres", "kilometers", "km", "miles", "mile", "mi"} {
		if rest, ok := strings.CutSuffix(raw, u); ok {
			num, unit = strings.TrimSpace(rest), u
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || !(f > 0) || math.IsInf(f, 0) {
		return 0, directory.Errorf(directory.EINVALID, "%q is not a distance - give kilometres, e.g. 3, or words: walking, short bus ride, bus ride, long bus ride or anywhere", clipWords(s))
	}
	if strings.HasPrefix(unit, "mi") {
		f *= 1.609344
	}
	if f > MaxDistanceKm {
		return 0, directory.Errorf(directory.EINVALID, "%s is further than we search - give up to %d km, or say anywhere", formatKm(f), MaxDistanceKm)
	}
	return f, nil
}

// ParseTimes reads the parts of the day that suit a person: "morning",
// "afternoon", "evening" (and "mornings", "am", "pm", "lunchtime",
// "night", "after work", "daytime"). It returns EINVALID naming the word
// it cannot read.
func ParseTimes(words []string) ([]PartOfDay, error) {
	var out []PartOfDay
	add := func(ps ...PartOfDay) {
		for _, p := range ps {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	for _, w := range words {
		switch n := normalise(w); n {
		case "":
		case "morning", "mornings", "am", "a m", "early":
			add(Morning)
		case "afternoon", "afternoons", "pm", "p m", "lunchtime", "lunch", "midday":
			add(Afternoon)
		case "evening", "evenings", "night", "nights", "after work", "late":
			add(Evening)
		case "daytime", "day", "days", "during the day":
			add(Morning, Afternoon)
		case "any", "anytime", "any time", "all day":
			add(Morning, Afternoon, Evening)
		default:
			return nil, directory.Errorf(directory.EINVALID, "%q is not a part of the day - use morning, afternoon or evening", clipWords(w))
		}
	}
	return out, nil
}

// parseDays reads days of the week, "weekdays" and "weekends".
func parseDays(words []string) ([]time.Weekday, error) {
	var out []time.Weekday
	add := func(ds ...time.Weekday) {
		for _, d := range ds {
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	for _, w := range words {
		switch n := normalise(w); n {
		case "":
		case "weekdays", "weekday":
			add(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
		case "weekends", "weekend":
			add(time.Saturday, time.Sunday)
		case "any", "any day", "every day", "everyday", "daily":
			add(time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday)
		default:
			d, err := directory.ParseDay(n)
			if err != nil {
				return nil, directory.Errorf(directory.EINVALID, "%q is not a day of the week - use mon, tue, wed, thu, fri, sat, sun, weekdays or weekends", clipWords(w))
			}
			add(d)
		}
	}
	return out, nil
}

// accessWords are the ways people name accessibility features.
var accessWords = map[string]directory.Access{
	"step free": directory.AccessStepFree, "wheelchair": directory.AccessStepFree, "wheelchair access": directory.AccessStepFree,
	"wheelchair accessible": directory.AccessStepFree, "level access": directory.AccessStepFree, "no steps": directory.AccessStepFree,
	"accessible toilet": directory.AccessToilet, "toilet": directory.AccessToilet, "disabled toilet": directory.AccessToilet,
	"hearing loop": directory.AccessHearing, "loop": directory.AccessHearing, "induction loop": directory.AccessHearing,
	"bsl": directory.AccessBSL, "sign language": directory.AccessBSL, "british sign language": directory.AccessBSL,
	"quiet space": directory.AccessQuiet, "quiet room": directory.AccessQuiet, "quiet": directory.AccessQuiet,
	"large print": directory.AccessLargePrint,
}

// parseFormat reads group, one-to-one or either.
func parseFormat(s string) (directory.Format, error) {
	switch n := normalise(s); n {
	case "", "either", "any", "both", "no preference", "don't mind":
		return "", nil
	case "group", "groups", "a group", "in a group":
		return directory.FormatGroup, nil
	case "one to one", "1 1", "1 to 1", "one on one", "individual", "on my own", "just me":
		return directory.FormatOneToOne, nil
	}
	return "", directory.Errorf(directory.EINVALID, "format %q should be group, one-to-one or either", clipWords(s))
}

// Parse checks the request and returns the profile it describes, placing
// the postcode with gaz. It returns EINVALID saying which field is wrong
// and what to write instead.
func (r *Request) Parse(gaz *directory.Gazetteer) (Profile, error) {
	var p Profile
	bad := func(format string, args ...any) (Profile, error) {
		return Profile{}, directory.Errorf(directory.EINVALID, format, args...)
	}
	var err error
	for _, f := range []struct {
		name string
		in   []string
		out  *[]string
	}{{"interests", r.Interests, &p.Interests}, {"strengths", r.Strengths, &p.Strengths}, {"goals", r.Goals, &p.Goals}, {"needs", r.Needs, &p.Needs}} {
		if *f.out, err = cleanWords(f.name, f.in); err != nil {
			return Profile{}, err
		}
	}
	for _, f := range []struct {
		name string
		list []string
	}{{"days", r.Days}, {"times", r.Times}, {"accessibility", r.Accessibility}, {"languages", r.Languages}} {
		if len(f.list) > MaxListItems {
			return bad("%s has %d items - give at most %d", f.name, len(f.list), MaxListItems)
		}
	}
	if pc := strings.TrimSpace(r.Postcode); pc != "" {
		if r.Point != nil {
			return bad("give a postcode or a point, not both")
		}
		code, pt, err := gaz.Locate(pc)
		if err != nil {
			return Profile{}, directory.Errorf(directory.EINVALID, "postcode: %s", directory.ErrorMessage(err))
		}
		p.Postcode, p.Near = code.String(), &pt
	} else if r.Point != nil {
		pt := *r.Point
		p.Near = &pt
	}
	if p.MaxDistanceKm, err = ParseDistance(string(r.MaxDistanceKm)); err != nil {
		return Profile{}, err
	}
	switch {
	case p.MaxDistanceKm > 0 && p.Near == nil && !r.OnlineOnly:
		return bad("max_distance_km needs a postcode (or point) to measure from - add one, or leave the distance out")
	case p.Near != nil && p.MaxDistanceKm == 0:
		p.MaxDistanceKm = DefaultDistanceKm
	}
	p.OnlineOK, p.OnlineOnly = r.OnlineOK || r.OnlineOnly, r.OnlineOnly
	if p.Days, err = parseDays(r.Days); err != nil {
		return Profile{}, err
	}
	if p.Times, err = ParseTimes(r.Times); err != nil {
		return Profile{}, err
	}
	p.FreeOnly = r.FreeOnly
	if r.MaxCost != nil {
		c := *r.MaxCost
		switch {
		case c < 0 || c > maxPence/100 || math.IsNaN(c):
			return bad("max_cost is in pounds, from 0 to %d", maxPence/100)
		case c == 0:
			p.FreeOnly = true
		default:
			p.MaxPence = int(math.Round(c * 100))
		}
	}
	for _, a := range r.Accessibility {
		n := normalise(a)
		if n == "" {
			continue
		}
		acc, ok := accessWords[n]
		if !ok && directory.Access(strings.ReplaceAll(n, " ", "-")).Valid() {
			acc, ok = directory.Access(strings.ReplaceAll(n, " ", "-")), true
		}
		if !ok {
			return bad("accessibility %q is not one we know - use step-free, accessible-toilet, hearing-loop, bsl, quiet-space or large-print", clipWords(a))
		}
		if !slices.Contains(p.Accessibility, acc) {
			p.Accessibility = append(p.Accessibility, acc)
		}
	}
	for _, l := range r.Languages {
		if strings.TrimSpace(l) == "" {
			continue
		}
		code, err := directory.ParseLanguage(l)
		if err != nil {
			return Profile{}, directory.Errorf(directory.EINVALID, "languages: %s", directory.ErrorMessage(err))
		}
		if !slices.Contains(p.Languages, code) {
			p.Languages = append(p.Languages, code)
		}
	}
	if r.Age < 0 || r.Age > 120 {
		return bad("age should be in whole years from 0 to 120, not %d", r.Age)
	}
	p.Age = r.Age
	if p.Format, err = parseFormat(r.Format); err != nil {
		return Profile{}, err
	}
	p.NoReferral = r.NoReferral
	if len(r.Exclude) > MaxExclude {
		return bad("exclude has %d listings - leave out at most %d", len(r.Exclude), MaxExclude)
	}
	for _, id := range r.Exclude {
		if id = strings.TrimSpace(id); id == "" || len(id) > MaxWordLen {
			return bad("exclude should list listing ids, as in search results")
		}
		p.Exclude = append(p.Exclude, id)
	}
	if r.Limit < 0 || r.Limit > MaxLimit {
		return bad("limit should be from 1 to %d, not %d", MaxLimit, r.Limit)
	}
	p.Limit = r.Limit
	if err := p.Validate(); err != nil {
		return Profile{}, err
	}
	return p, nil
}

// cleanWords trims a list of words, drops empty and repeated ones, and
// returns EINVALID when the list or a word is too long.
func cleanWords(name string, in []string) ([]string, error) {
	if len(in) > MaxListItems {
		return nil, directory.Errorf(directory.EINVALID, "%s has %d items - give at most %d", name, len(in), MaxListItems)
	}
	var out []string
	seen := map[string]bool{}
	for _, w := range in {
		w = strings.Join(strings.Fields(w), " ")
		if w == "" {
			continue
		}
		if len(w) > MaxWordLen {
			return nil, directory.Errorf(directory.EINVALID, "%s: %q is too long - keep each to %d characters", name, clipWords(w), MaxWordLen)
		}
		if k := strings.ToLower(w); !seen[k] {
			seen[k] = true
			out = append(out, w)
		}
	}
	return out, nil
}

// clipWords shortens what someone typed for quoting in a message.
func clipWords(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}
