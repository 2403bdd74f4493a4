package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// MaxMatchBody is the largest match request accepted: a profile is a few
// hundred bytes, so anything near this is a mistake.
const MaxMatchBody = 64 << 10

// matchJSON is the match API's answer.
type matchJSON struct {
	Postcode string          `json:"postcode,omitempty"`
	Crisis   bool            `json:"crisis,omitempty"`
	Matches  []matchItemJSON `json:"matches"`
	Relaxed  []string        `json:"relaxed"`
}

// matchItemJSON is one match: the listing as search results show it, the
// score, the reasons in plain words and the factor breakdown.
type matchItemJSON struct {
	Listing resultJSON      `json:"listing"`
	Score   float64         `json:"score"`
	Reasons []string        `json:"reasons"`
	Factors matcher.Factors `json:"factors"`
}

// apiMatch answers POST /api/v1/match: a profile in, a ranked and explained
// list out. The profile is never logged or stored.
func (s *Server) apiMatch(c *gin.Context) {
	req, err := decodeProfile(c.Request, c.Writer)
	if err != nil {
		apiError(c, err)
		return
	}
	p, err := req.Parse(s.dir.Gazetteer())
	if err != nil {
		apiError(c, err)
		return
	}
	res, err := s.cfg.Matcher.Match(c.Request.Context(), p)
	if err != nil {
		apiError(c, err)
		return
	}
	now := s.now()
	out := matchJSON{Postcode: res.Profile.Postcode, Crisis: res.Crisis, Matches: make([]matchItemJSON, 0, len(res.Matches)), Relaxed: res.Relaxed}
	if out.Relaxed == nil {
		out.Relaxed = []string{}
	}
	for _, m := range res.Matches {
		item := matchItemJSON{Listing: newResultJSON(m.Hit, now), Score: round3(m.Score), Reasons: make([]string, len(m.Reasons)), Factors: roundFactors(m.Factors)}
		for i, r := range m.Reasons {
			item.Reasons[i] = r.Text
		}
		out.Matches = append(out.Matches, item)
	}
	c.JSON(http.StatusOK, out)
}

// decodeProfile reads one JSON profile from the request body. It returns
// EINVALID, saying what to fix, for a body that is not JSON, has fields a
// profile does not have, or values of the wrong type, and a too-large
// error (413) for a body over MaxMatchBody.
func decodeProfile(r *http.Request, w http.ResponseWriter) (*matcher.Request, error) {
	bad := func(format string, args ...any) error {
		return directory.Errorf(directory.EINVALID, format, args...)
	}
	if r.ContentLength > MaxMatchBody {
		return nil, profileTooLarge()
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return nil, bad("send the profile as JSON, with Content-Type: application/json")
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxMatchBody))
	dec.DisallowUnknownFields()
	var req matcher.Request
	if err := dec.Decode(&req); err != nil {
		return nil, profileError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, bad("send one JSON object and nothing after it")
	}
	return &req, nil
}

// profileTooLarge is the error for a body over MaxMatchBody: 413, like
// every other door's over-large body, with a message saying the limit.
func profileTooLarge() error {
	return &directory.Error{Code: codeTooLarge, Message: fmt.Sprintf("the profile is too large - send at most %d bytes", MaxMatchBody)}
}

// profileFields lists a profile's fields for messages.
const profileFields = "interests, strengths, goals, needs, postcode, point, max_distance_km, online_ok, online_only, days, times, free_only, max_cost, accessibility, languages, age, format, no_referral, exclude, limit"

// profileError turns a JSON decoding error into a message that says what
// to fix.
func profileError(err error) error {
	bad := func(format string, args ...any) error {
		return directory.Errorf(directory.EINVALID, format, args...)
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooLarge *http.MaxBytesError
	switch {
	case directory.ErrorCode(err) == directory.EINVALID:
		return err
	case errors.As(err, &tooLarge):
		return profileTooLarge()
	case errors.Is(err, io.EOF):
		return bad(`the body is empty - send the profile as a JSON object, e.g. {"interests":["gardening"],"postcode":"SW9"}`)
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return bad("the body is not valid JSON - send the profile as a JSON object")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return bad("send the profile as a JSON object, not %s", typ.Value)
		}
		return bad("%s should be %s, not %s", typ.Field, describeType(typ.Type), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return bad("%s is not part of a profile - use %s", field, profileFields)
	}
	return bad("could not read the profile: %v", err)
}

// describeType says what a JSON value of the Go type looks like.
func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		return `a list of words, e.g. ["gardening"]`
	case reflect.String:
		return "text in quotes"
	case reflect.Int:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Struct, reflect.Pointer:
		return `an object, e.g. {"lat":51.47,"lon":-0.11}`
	}
	return fmt.Sprintf("a %s", t.Kind())
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

func roundFactors(f matcher.Factors) matcher.Factors {
	return matcher.Factors{Text: round3(f.Text), Interest: round3(f.Interest), Strength: round3(f.Strength), Goal: round3(f.Goal),
		Practical: round3(f.Practical), Distance: round3(f.Distance), Schedule: round3(f.Schedule), Ease: round3(f.Ease), Freshness: round3(f.Freshness)}
}
