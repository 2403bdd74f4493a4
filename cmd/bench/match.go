package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// The match mix: profiles as workers type them during a conversation, a
// few interests, goals and needs, mostly with a place and a distance, now
// and then days, parts of the day, cost and access. Places are postcode
// districts picked as people are spread, like the listings.

var (
	matchInterests = []string{"gardening", "football", "cooking", "singing", "art", "reading", "walking", "chess", "music", "knitting",
		"swimming", "writing", "computers", "dancing", "cycling", "nature", "board games", "yoga", "crafts", "photography"}
	matchStrengths = []string{"good cook", "patient listener", "DIY", "driving", "admin", "lived experience", "welcoming", "organised"}
	matchGoals     = []string{"make friends", "get back to work", "sleep better", "relationships", "wellbeing", "coping", "volunteering",
		"learn English", "get fitter", "grief", "anxiety", "routine", "carers support", "positive future", "keeping in touch"}
	matchNeeds     = []string{"food", "money", "housing", "debt", "homeless", "help with forms", "getting online", "benefits"}
	matchDistances = []matcher.Distance{"walking", "short bus ride", "bus ride", "2", "5", ""}
	matchDays      = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	matchTimes     = []string{"morning", "afternoon", "evening"}
)

func pickN[T any](rng *rand.Rand, pool []T, n int) []T {
	var out []T
	for _, i := range rng.Perm(len(pool))[:min(n, len(pool))] {
		out = append(out, pool[i])
	}
	return out
}

// buildProfiles returns n match requests, the same for the same seed.
func buildProfiles(v *mixVocabulary, seed uint64, n int) []matcher.Request {
	rng := rand.New(rand.NewPCG(seed, seed^0x3a7c4))
	var out []matcher.Request
	for range n {
		r := matcher.Request{
			Interests: pickN(rng, matchInterests, 1+rng.IntN(3)), Strengths: pickN(rng, matchStrengths, rng.IntN(2)),
			Goals: pickN(rng, matchGoals, rng.IntN(3)), Needs: pickN(rng, matchNeeds, rng.IntN(2)), Limit: matcher.DefaultLimit,
		}
		if rng.IntN(10) > 0 {
			r.Postcode = v.district(rng).Code
			r.MaxDistanceKm = matchDistances[rng.IntN(len(matchDistances))]
		}
		r.OnlineOK = rng.IntN(3) == 0
		if rng.IntN(4) == 0 {
			r.Days = pickN(rng, matchDays, 1+rng.IntN(3))
		}
		if rng.IntN(4) == 0 {
			r.Times = pickN(rng, matchTimes, 1+rng.IntN(2))
		}
		r.FreeOnly = rng.IntN(5) == 0
		if rng.IntN(8) == 0 {
			r.Accessibility = []string{"step-free"}
		}
		out = append(out, r)
	}
	return out
}

// newMatcher returns the matcher over dir with the embedded vocabulary, as
// serve makes it.
func newMatcher(dir *directory.Directory) (*matcher.Matcher, error) {
	acts, err := data.Activities()
	if err != nil {
		return nil, err
	}
	concepts, err := data.MatchingVocabulary()
	if err != nil {
		return nil, err
	}
	return matcher.New(dir, matcher.Config{Activities: acts, Concepts: concepts})
}

// MatchResult is the latency of the match mix, in-process and through
// POST /api/v1/match, at concurrency 1, one after the other for each
// profile.
type MatchResult struct {
	InProc Stats `json:"inproc_c1"`
	HTTP   Stats `json:"http_c1"`
}

// matchRun times each profile of the mix in-process and over HTTP,
// alternating which goes first, after a warm-up.
func (m *measurer) matchRun(v *mixVocabulary, seed uint64, n int) (*MatchResult, error) {
	if m.match == nil {
		return nil, nil
	}
	reqs := buildProfiles(v, seed, n)
	warm := buildProfiles(v, seed+1, max(2, n/10))
	var inproc, overHTTP []time.Duration
	for round, set := range [][]matcher.Request{warm, reqs} {
		for i, r := range set {
			var took [2]time.Duration
			for j := range 2 {
				way := (i + j) % 2
				start := time.Now()
				if err := m.matchOnce(way, r); err != nil {
					return nil, fmt.Errorf("match %+v: %w", r, err)
				}
				took[way] = time.Since(start)
			}
			if round == 1 {
				inproc, overHTTP = append(inproc, took[0]), append(overHTTP, took[1])
			}
		}
	}
	return &MatchResult{InProc: summarise(inproc, 0, sum(inproc)), HTTP: summarise(overHTTP, 0, sum(overHTTP))}, nil
}

// matchOnce matches one profile in-process (way 0) or over HTTP (way 1).
func (m *measurer) matchOnce(way int, r matcher.Request) error {
	if way == 0 {
		p, err := r.Parse(m.dir.Gazetteer())
		if err != nil {
			return err
		}
		_, err = m.match.Match(m.ctx, p)
		return err
	}
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return post(m.ctx, m.client, m.ours+"/api/v1/match", body)
}

// post sends a JSON body, reads the whole answer and checks the status.
func post(ctx context.Context, c *http.Client, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %s", url, res.Status)
	}
	return nil
}
