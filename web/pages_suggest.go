package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// suggestPage is the data of "suggest things for me": a short, kind form
// and, once sent, what the matcher suggests with its reasons. The answers
// are used for this one answer and never stored or logged; the form is
// sent by POST so they stay out of addresses and logs.
type suggestPage struct {
	Crisis  bool
	Form    suggestForm
	Error   string
	Sent    bool
	Results []suggestionView
	// Relaxed says, in plain words, what was loosened to find enough.
	Relaxed []string
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

// changeOptions are the journey stages as things a person may want to
// change, in their words. The words themselves are the goals the matcher
// is given: its vocabulary reads them ("meet people", "feel less alone",
// "drop in", "money", "housing") better than the stages' names, and the
// reasons then quote what the person chose.
var changeOptions = [][2]string{
	{string(directory.StageBasicNeeds), "Sort out money, housing or other basics"},
	{string(directory.StageCoping), "Feel better in myself"},
	{string(directory.StageRelationships), "Meet people and feel less alone"},
	{string(directory.StageWellbeing), "Find things to do"},
	{string(directory.StagePositiveFuture), "Work, learn or volunteer"},
	{string(directory.StageKeepingInTouch), "Have somewhere to drop in"},
}

// maxSuggestions is how many suggestions the page shows.
const maxSuggestions = 10

// newSuggestForm reads the form's answers (empty for a new form).
func newSuggestForm(get func(string) string, getAll func(string) []string) suggestForm {
	f := suggestForm{Enjoy: get("enjoy"), Postcode: get("postcode")}
	f.Online, _ = parseBool(get("online"))
	f.Free, _ = parseBool(get("free"))
	f.Changes = checkOptions("change", changeOptions, getAll("change"))
	f.Days = checkOptions("day", dayOptions(), getAll("day"))
	f.Times = checkOptions("time", timeOptions, getAll("time"))
	return f
}

// request is the profile the answers describe: what they enjoy as
// interests, what they would like to change as goals (journey stages).
func (f suggestForm) request() matcher.Request {
	return matcher.Request{
		Interests: formList([]string{f.Enjoy}), Goals: chosenLabels(f.Changes), Postcode: f.Postcode,
		OnlineOK: f.Online, Days: chosen(f.Days), Times: chosen(f.Times), FreeOnly: f.Free, Limit: maxSuggestions,
	}
}

// suggestPage answers GET /suggest with the form.
func (s *Server) suggestPage(c *gin.Context) {
	none := func(string) string { return "" }
	s.render(c, http.StatusOK, "suggest", suggestPage{Form: newSuggestForm(none, func(string) []string { return nil })})
}

// suggestSubmit answers POST /suggest with what the matcher suggests for
// the answers, each with its reasons. An answer the matcher cannot use
// (an unknown postcode) is shown on the form, saying what to fix.
func (s *Server) suggestSubmit(c *gin.Context) {
	form := newSuggestForm(c.PostForm, c.PostFormArray)
	pg := suggestPage{Form: form, Sent: true, Crisis: directory.IsCrisis(form.Enjoy)}
	res, err := s.match(c, form.request())
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
	pg.Relaxed = res.Relaxed
	views := s.resultViews(hitsOf(res.Matches), res.Profile.Postcode, s.now())
	for i, m := range res.Matches {
		pg.Results = append(pg.Results, suggestionView{resultView: views[i], Reasons: reasonTexts(m.Reasons)})
	}
	s.render(c, http.StatusOK, "suggest", pg)
}

// match parses a profile and runs the matcher. It returns EINVALID saying
// what to fix for a profile the matcher cannot use.
func (s *Server) match(c *gin.Context, req matcher.Request) (*matcher.Result, error) {
	p, err := req.Parse(s.dir.Gazetteer())
	if err != nil {
		return nil, err
	}
	return s.cfg.Matcher.Match(c.Request.Context(), p)
}

// hitsOf returns the matches' hits, in order.
func hitsOf(ms []matcher.Match) []directory.Hit {
	out := make([]directory.Hit, len(ms))
	for i, m := range ms {
		out[i] = m.Hit
	}
	return out
}

// reasonTexts returns the reasons' plain words.
func reasonTexts(rs []matcher.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return out
}
