package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// suggestPage is the data of "suggest things for me": a short, kind form
// and, once sent, what we suggest. The answers are used for this one
// answer and never stored; the form is sent by POST so they stay out of
// addresses and logs.
type suggestPage struct {
	Crisis  bool
	Form    suggestForm
	Error   string
	Sent    bool
	Results []suggestionView
}

// suggestForm is the form's fields and choices.
type suggestForm struct {
	Enjoy    string
	Changes  []filterOption
	Postcode string
	Online   bool
	Days     []filterOption
	Times    []filterOption
	Free     bool
}

// suggestionView is one suggestion with why it is suggested.
type suggestionView struct {
	resultView
	Reasons []string
}

// changeWords are the journey stages as things a person may want to
// change, with how a suggestion's reason says it helps.
var changeWords = []struct {
	Stage         directory.Stage
	Words, Reason string
}{
	{directory.StageBasicNeeds, "Sort out money, housing or other basics", "helps with money, housing and the basics"},
	{directory.StageCoping, "Feel better in myself", "helps you feel better"},
	{directory.StageRelationships, "Meet people and feel less alone", "a way to meet people"},
	{directory.StageWellbeing, "Have more to do", "something to do"},
	{directory.StagePositiveFuture, "Work, learn or volunteer", "work, learning or volunteering"},
	{directory.StageKeepingInTouch, "Have somewhere to drop in", "somewhere to drop in"},
}

// timesOfDay are the parts of the day a person may prefer, with the hours
// (UK time) a session must start within.
var timesOfDay = []struct {
	Value, Label string
	From, To     int // minutes after midnight
}{
	{"morning", "Mornings", 0, 12 * 60},
	{"afternoon", "Afternoons", 12 * 60, 17 * 60},
	{"evening", "Evenings", 17 * 60, 24 * 60},
}

// maxSuggestions is how many suggestions the page shows.
const maxSuggestions = 10

// suggestForm reads the form's answers (empty for a new form).
func newSuggestForm(get func(string) string, getAll func(string) []string) suggestForm {
	f := suggestForm{Enjoy: strings.TrimSpace(get("enjoy")), Postcode: strings.TrimSpace(get("postcode"))}
	f.Online, _ = parseBool(get("online"))
	f.Free, _ = parseBool(get("free"))
	for _, cw := range changeWords {
		v := string(cw.Stage)
		f.Changes = append(f.Changes, filterOption{ID: "change-" + v, Value: v, Label: cw.Words, Checked: slices.Contains(getAll("change"), v)})
	}
	for d := time.Monday; ; d = (d + 1) % 7 {
		code := directory.DayCode(d)
		f.Days = append(f.Days, filterOption{ID: "day-" + code, Value: code, Label: directory.DayName(d), Checked: slices.Contains(getAll("day"), code)})
		if d == time.Sunday {
			break
		}
	}
	for _, t := range timesOfDay {
		f.Times = append(f.Times, filterOption{ID: "time-" + t.Value, Value: t.Value, Label: t.Label, Checked: slices.Contains(getAll("time"), t.Value)})
	}
	return f
}

// suggestPage answers GET /suggest with the form.
func (s *Server) suggestPage(c *gin.Context) {
	none := func(string) string { return "" }
	s.render(c, http.StatusOK, "suggest", suggestPage{Form: newSuggestForm(none, func(string) []string { return nil })})
}

// suggestSubmit answers POST /suggest with suggestions.
//
// Stepping stone: until the matcher lands (issue 4), this builds a search
// from the answers (the words, the chosen stages, the place, the days and
// "free"), relaxing the stages and then the words when nothing is found,
// and keeps sessions at the chosen times of day. The next task replaces
// this body with a call to the matcher and its explained matches.
func (s *Server) suggestSubmit(c *gin.Context) {
	form := newSuggestForm(c.PostForm, c.PostFormArray)
	pg := suggestPage{Form: form, Sent: true, Crisis: directory.IsCrisis(form.Enjoy)}
	q := directory.Query{Text: form.Enjoy, Postcode: form.Postcode, FreeOnly: form.Free, IncludeOnline: form.Online, PerPage: 50}
	if q.Postcode != "" {
		q.RadiusKm = DefaultRadiusKm
	}
	for _, o := range form.Changes {
		if o.Checked {
			q.Stages = append(q.Stages, directory.Stage(o.Value))
		}
	}
	for _, o := range form.Days {
		if o.Checked {
			d, _ := directory.ParseDay(o.Value)
			q.Days = append(q.Days, d)
		}
	}
	ctx := c.Request.Context()
	res, err := s.dir.Search(ctx, q)
	for _, relax := range []func(){func() { q.Stages = nil }, func() { q.Text = "" }} {
		if err != nil || res.Total > 0 {
			break
		}
		relax()
		res, err = s.dir.Search(ctx, q)
	}
	if err != nil {
		if directory.ErrorCode(err) != directory.EINVALID {
			s.renderError(c, err)
			return
		}
		pg.Error, pg.Sent = sentence(directory.ErrorMessage(err)), false
		s.render(c, http.StatusBadRequest, "suggest", pg)
		return
	}
	pg.Crisis = pg.Crisis || res.Crisis
	now := s.now()
	var hits []directory.Hit
	for _, h := range res.Hits {
		if len(hits) < maxSuggestions && fitsTimes(h.Listing, form.Times) {
			hits = append(hits, h)
		}
	}
	views := s.resultViews(hits, res.Postcode, now)
	for i, h := range hits {
		pg.Results = append(pg.Results, suggestionView{resultView: views[i], Reasons: reasons(h, q)})
	}
	s.render(c, http.StatusOK, "suggest", pg)
}

// fitsTimes reports whether a listing has a session starting in one of the
// chosen parts of the day; any listing fits when none is chosen, and so
// does one without sessions (it may be by appointment).
func fitsTimes(l *directory.Listing, times []filterOption) bool {
	chosen := false
	for _, t := range times {
		chosen = chosen || t.Checked
	}
	if !chosen || len(l.Sessions) == 0 {
		return true
	}
	for _, se := range l.Sessions {
		for i, t := range times {
			if t.Checked && se.Start >= timesOfDay[i].From && se.Start < timesOfDay[i].To {
				return true
			}
		}
	}
	return false
}

// reasons says in plain words why a result suits the answers.
func reasons(h directory.Hit, q directory.Query) []string {
	l := h.Listing
	var out []string
	for _, cw := range changeWords {
		if slices.Contains(q.Stages, cw.Stage) && l.HasStage(cw.Stage) {
			out = append(out, cw.Reason)
			break
		}
	}
	if h.DistanceKm != nil {
		out = append(out, formatKm(*h.DistanceKm)+" away")
	} else if l.OnlineOnly() {
		out = append(out, "you can join online")
	}
	if l.Cost.Free {
		out = append(out, "free")
	}
	if l.HowToJoin == directory.JoinDropIn {
		out = append(out, "no need to book")
	}
	for _, d := range q.Days {
		if slices.ContainsFunc(l.Sessions, func(se directory.Session) bool { return se.Day == d }) {
			out = append(out, "meets on "+directory.DayName(d)+"s")
			break
		}
	}
	return out
}
