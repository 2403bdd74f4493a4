package web

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// workerForm is the match screen's profile: what the worker has heard
// about the person so far. It lives in the page (form fields, and the
// script's copy of them) and in the request that carries it, never on the
// server.
type workerForm struct {
	Interests, Strengths, Goals, Needs []string
	// Stages are the journey stages as quick goals.
	Stages     []filterOption
	Postcode   string
	Distance   []selectOption
	Online     []filterOption
	Days       []filterOption
	Times      []filterOption
	Free       bool
	MaxCost    string
	Access     []filterOption
	Languages  string
	Age        string
	Format     []selectOption
	NoReferral bool
	// Exclude are the listing ids the worker has ruled out.
	Exclude []string
}

// workerMatches is how many matches the match screen shows.
const workerMatches = 10

// distanceOptions are how far a person will go, in the matcher's words.
var distanceOptions = [][2]string{
	{"", "A short bus ride (5 km)"},
	{"walking", "Walking distance (1.5 km)"},
	{"bus ride", "A bus ride (8 km)"},
	{"long bus ride", "A long bus ride (15 km)"},
	{"anywhere", "Anywhere"},
}

// onlineOptions say whether online listings suit the person.
var onlineOptions = [][2]string{{"no", "In person only"}, {"ok", "In person or online"}, {"only", "Online only"}}

// formatOptions are group, one-to-one or either.
var formatOptions = [][2]string{{"", "Either"}, {"group", "In a group"}, {"one-to-one", "One to one"}}

// newWorkerForm reads the profile from a form (empty for a new screen).
func newWorkerForm(get func(string) string, getAll func(string) []string) workerForm {
	f := workerForm{
		Interests: formList(getAll("interests")), Strengths: formList(getAll("strengths")),
		Goals: formList(getAll("goals")), Needs: formList(getAll("needs")),
		Postcode: strings.TrimSpace(get("postcode")), MaxCost: strings.TrimSpace(get("max_cost")),
		Languages: strings.TrimSpace(get("languages")), Age: strings.TrimSpace(get("age")),
	}
	f.Stages = checkOptions("stage", stageOptions(), getAll("stage"))
	f.Distance = selectOptions(distanceOptions, get("distance"))
	online := get("online")
	if online != "ok" && online != "only" {
		online = "no"
	}
	f.Online = checkOptions("online", onlineOptions, []string{online})
	f.Days = checkOptions("day", dayOptions(), getAll("day"))
	f.Times = checkOptions("time", timeOptions, getAll("time"))
	f.Access = checkOptions("access", accessOptions(), getAll("access"))
	f.Format = selectOptions(formatOptions, get("format"))
	f.Free, _ = parseBool(get("free"))
	f.NoReferral, _ = parseBool(get("no_referral"))
	for _, id := range getAll("exclude") {
		if id = strings.TrimSpace(id); id != "" && len(id) <= matcher.MaxWordLen && len(f.Exclude) < matcher.MaxExclude && !slices.Contains(f.Exclude, id) {
			f.Exclude = append(f.Exclude, id)
		}
	}
	return f
}

// MoreChosen reports whether any of the less used practicalities (cost,
// access, language, age, format, referral) is set, so the screen shows
// them open.
func (f workerForm) MoreChosen() bool {
	return f.Free || f.MaxCost != "" || len(chosen(f.Access)) > 0 || f.Languages != "" || f.Age != "" || selected(f.Format) != "" || f.NoReferral
}

// empty reports whether nothing has been said about the person yet.
func (f workerForm) empty() bool {
	return len(f.Interests)+len(f.Strengths)+len(f.Goals)+len(f.Needs)+len(chosen(f.Stages)) == 0 && f.Postcode == ""
}

// request is the profile the form describes. It returns EINVALID, saying
// what to fix, for an age or cost that is not a number.
func (f workerForm) request() (matcher.Request, error) {
	online := chosen(f.Online)
	req := matcher.Request{
		Interests: f.Interests, Strengths: f.Strengths, Needs: f.Needs,
		Goals:    append(append([]string(nil), f.Goals...), chosenLabels(f.Stages)...),
		Postcode: f.Postcode, OnlineOK: slices.Contains(online, "ok"), OnlineOnly: slices.Contains(online, "only"),
		Days: chosen(f.Days), Times: chosen(f.Times), FreeOnly: f.Free, Accessibility: chosen(f.Access),
		Languages: formList([]string{f.Languages}), Format: selected(f.Format), NoReferral: f.NoReferral,
		Exclude: f.Exclude, Limit: workerMatches,
	}
	if f.Postcode != "" {
		// Without a place there is nothing to measure a distance from.
		req.MaxDistanceKm = matcher.Distance(selected(f.Distance))
	}
	cost, err := parseFormNumber(f.MaxCost, "the most they can pay each time")
	if err != nil {
		return req, err
	}
	req.MaxCost = cost
	if f.Age != "" {
		age, err := strconv.Atoi(f.Age)
		if err != nil || age < 0 || age > 120 {
			return req, directory.Errorf(directory.EINVALID, "age should be in whole years, from 0 to 120 - or leave it empty")
		}
		req.Age = age
	}
	return req, nil
}

// factorInfo names a score factor in plain words and reads it.
type factorInfo struct {
	Key, Label string
	Weight     float64
	value      func(matcher.Factors) float64
}

// factorInfos are the score's factors, heaviest first, as the match screen
// explains them.
func factorInfos() []factorInfo {
	w := matcher.Weights()
	return []factorInfo{
		{"practical", "Meets a practical need", w.Practical, func(f matcher.Factors) float64 { return f.Practical }},
		{"goal", "Serves a goal", w.Goal, func(f matcher.Factors) float64 { return f.Goal }},
		{"interest", "Something they enjoy", w.Interest, func(f matcher.Factors) float64 { return f.Interest }},
		{"distance", "Near them", w.Distance, func(f matcher.Factors) float64 { return f.Distance }},
		{"strength", "Uses a strength", w.Strength, func(f matcher.Factors) float64 { return f.Strength }},
		{"text", "Their own words", w.Text, func(f matcher.Factors) float64 { return f.Text }},
		{"schedule", "Days and times", w.Schedule, func(f matcher.Factors) float64 { return f.Schedule }},
		{"ease", "Easy to join", w.Ease, func(f matcher.Factors) float64 { return f.Ease }},
		{"freshness", "Recently checked", w.Freshness, func(f matcher.Factors) float64 { return f.Freshness }},
	}
}

// factorView is one row of a match's score breakdown.
type factorView struct {
	Key, Label string
	// Fit is how well the listing does on the factor, 0 to 100; Tenths
	// is the same from 0 to 10, for the bar that shows it.
	Fit, Tenths int
	// Weight and Points are the factor's weight and what it adds to the
	// score, written for people ("0.22", "0.15").
	Weight, Points string
}

// factorViews breaks a score down into its factors.
func factorViews(f matcher.Factors) []factorView {
	var out []factorView
	for _, fi := range factorInfos() {
		v := fi.value(f)
		out = append(out, factorView{Key: fi.Key, Label: fi.Label, Fit: int(math.Round(v * 100)), Tenths: int(math.Round(v * 10)),
			Weight: strconv.FormatFloat(fi.Weight, 'f', 2, 64), Points: strconv.FormatFloat(v*fi.Weight, 'f', 2, 64)})
	}
	return out
}
