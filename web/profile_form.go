package web

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// The forms that describe a person (suggest for me, the worker's match
// screen) are read here into a matcher.Request. A form field may come many
// times (one per chip) and each value may hold a list written with commas,
// so both the plain form and the enhanced one send the same thing.

// formList reads a list field: every value given, split at commas,
// semicolons and line breaks, trimmed, blanks and repeats dropped, each cut
// at a word to matcher.MaxWordLen characters, and at most
// matcher.MaxListItems of them (the rest are dropped: a form cannot say
// more than a conversation needs).
func formList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
			for _, w := range cutWords(strings.Join(strings.Fields(part), " "), matcher.MaxWordLen) {
				if len(out) < matcher.MaxListItems && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, w) }) {
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// cutWords splits s into pieces of at most n bytes, at spaces where it can.
func cutWords(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut := strings.LastIndexByte(s[:n+1], ' ')
		if cut <= 0 {
			cut = n
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		out = append(out, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// checkOptions builds checkbox options with the chosen values ticked; id
// prefixes each option's element id.
func checkOptions(id string, options [][2]string, chosen []string) []filterOption {
	out := make([]filterOption, 0, len(options))
	for _, o := range options {
		out = append(out, filterOption{ID: id + "-" + o[0], Value: o[0], Label: o[1], Checked: slices.Contains(chosen, o[0])})
	}
	return out
}

// chosen returns the values of the ticked options.
func chosen(opts []filterOption) []string {
	var out []string
	for _, o := range opts {
		if o.Checked {
			out = append(out, o.Value)
		}
	}
	return out
}

// chosenLabels returns the labels of the ticked options.
func chosenLabels(opts []filterOption) []string {
	var out []string
	for _, o := range opts {
		if o.Checked {
			out = append(out, o.Label)
		}
	}
	return out
}

// dayOptions are the days of the week, Monday first.
func dayOptions() [][2]string {
	var out [][2]string
	for d := time.Monday; ; d = (d + 1) % 7 {
		out = append(out, [2]string{directory.DayCode(d), directory.DayName(d)})
		if d == time.Sunday {
			return out
		}
	}
}

// timeOptions are the parts of the day, as the matcher reads them.
var timeOptions = [][2]string{{"morning", "Mornings"}, {"afternoon", "Afternoons"}, {"evening", "Evenings"}}

// stageOptions are the journey stages in a worker's words.
func stageOptions() [][2]string {
	var out [][2]string
	for _, s := range directory.Stages {
		out = append(out, [2]string{string(s), s.Label()})
	}
	return out
}

// accessOptions are the accessibility needs a person may have.
func accessOptions() [][2]string {
	var out [][2]string
	for _, a := range directory.AccessFeatures {
		out = append(out, [2]string{string(a), a.Label()})
	}
	return out
}

// selectOption is one choice of a drop-down list.
type selectOption struct {
	Value, Label string
	Selected     bool
}

// selectOptions builds a drop-down's choices with value selected (the
// first when value is not among them).
func selectOptions(options [][2]string, value string) []selectOption {
	out := make([]selectOption, 0, len(options))
	found := false
	for _, o := range options {
		sel := o[0] == value && !found
		found = found || sel
		out = append(out, selectOption{Value: o[0], Label: o[1], Selected: sel})
	}
	if !found && len(out) > 0 {
		out[0].Selected = true
	}
	return out
}

// selected returns the chosen value of a drop-down.
func selected(opts []selectOption) string {
	for _, o := range opts {
		if o.Selected {
			return o.Value
		}
	}
	return ""
}

// parseFormNumber reads an optional number field; what names it in a
// message saying what to fix.
func parseFormNumber(v, what string) (*float64, error) {
	v = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "£"))
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "%s should be a number, for example 3 - or leave it empty", what)
	}
	return &f, nil
}
