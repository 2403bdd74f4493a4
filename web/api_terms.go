package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// The match screen's type-ahead asks POST /api/v1/terms for the
// vocabulary's words that start like what the worker is typing: the
// matching vocabulary's phrases, the taxonomy's categories, the OpenActive
// activities and the thesaurus's words (matcher.Terms). What is typed is
// about the person, so it is sent in the body, never in the address, and
// never logged, as with the match API.

// termsRequest is the type-ahead's question.
type termsRequest struct {
	// Q is what has been typed so far.
	Q string `json:"q"`
	// Field is the profile field being filled in (interests, strengths,
	// goals or needs): it puts the likelier terms first.
	Field string `json:"field"`
	Limit int    `json:"limit"`
}

// termJSON is one suggested term.
type termJSON struct {
	Text   string `json:"text"`
	Source string `json:"source"`
}

// Type-ahead limits.
const (
	defaultTerms = 8
	maxTerms     = 20
	maxTermQuery = 100
)

// termIndex is the vocabulary ready for type-ahead.
type termIndex struct {
	terms []matcher.Term
}

// apiTerms answers POST /api/v1/terms: up to limit terms that start as q
// does (or have a word that does, or, for three letters or more, hold it),
// best first. It returns 400 saying what to fix for a body that is not
// such a question.
func (s *Server) apiTerms(c *gin.Context) {
	var req termsRequest
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			apiError(c, errTooLarge)
			return
		}
		apiError(c, directory.Errorf(directory.EINVALID, `send {"q":"what has been typed","field":"interests"} as JSON`))
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		apiError(c, directory.Errorf(directory.EINVALID, "send one JSON object and nothing after it"))
		return
	}
	switch {
	case len(req.Q) > maxTermQuery:
		apiError(c, directory.Errorf(directory.EINVALID, "q is too long - send at most %d characters", maxTermQuery))
		return
	case req.Limit < 0 || req.Limit > maxTerms:
		apiError(c, directory.Errorf(directory.EINVALID, "limit should be from 1 to %d", maxTerms))
		return
	case req.Field != "" && !slices.Contains([]string{"interests", "strengths", "goals", "needs"}, req.Field):
		apiError(c, directory.Errorf(directory.EINVALID, "field should be interests, strengths, goals or needs"))
		return
	}
	if req.Limit == 0 {
		req.Limit = defaultTerms
	}
	out := []termJSON{}
	for _, t := range s.terms.suggest(req.Q, req.Field, req.Limit) {
		out = append(out, termJSON{Text: t.Text, Source: string(t.Source)})
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"terms": out})
}

// suggest returns up to limit terms for what has been typed, best first:
// those starting with it, then those with a word starting with it, then
// (from three letters) those holding it; within each, the terms likelier
// for the field, then the shorter.
func (ix *termIndex) suggest(q, field string, limit int) []matcher.Term {
	q = strings.ToLower(strings.Join(strings.Fields(q), " "))
	if q == "" || ix == nil {
		return nil
	}
	type scored struct {
		t            *matcher.Term
		class, bonus int
	}
	var found []scored
	for i := range ix.terms {
		t := &ix.terms[i]
		class := -1
		switch {
		case strings.HasPrefix(t.Text, q):
			class = 0
		case strings.Contains(t.Text, " "+q):
			class = 1
		case len(q) >= 3 && strings.Contains(t.Text, q):
			class = 2
		}
		if class >= 0 {
			found = append(found, scored{t, class, termBonus(t, field)})
		}
	}
	slices.SortFunc(found, func(a, b scored) int {
		switch {
		case a.class != b.class:
			return a.class - b.class
		case a.bonus != b.bonus:
			return b.bonus - a.bonus
		case len(a.t.Text) != len(b.t.Text):
			return len(a.t.Text) - len(b.t.Text)
		}
		return strings.Compare(a.t.Text, b.t.Text)
	})
	out := make([]matcher.Term, 0, min(limit, len(found)))
	for _, f := range found[:min(limit, len(found))] {
		out = append(out, *f.t)
	}
	return out
}

// termBonus says how likely a term is for a field: goals are what points
// at a journey stage, needs what points at basic needs, interests are
// activities and categories, strengths the matching vocabulary.
func termBonus(t *matcher.Term, field string) int {
	switch field {
	case "goals":
		if len(t.Stages) > 0 {
			return 1
		}
	case "needs":
		if slices.Contains(t.Stages, directory.StageBasicNeeds) {
			return 1
		}
	case "interests":
		if t.Source == matcher.TermActivity || t.Source == matcher.TermCategory {
			return 1
		}
	case "strengths":
		if t.Source == matcher.TermConcept {
			return 1
		}
	}
	return 0
}
