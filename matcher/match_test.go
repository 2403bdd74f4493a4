package matcher_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// mustMatch parses a request and matches it on the shared sample.
func mustMatch(t *testing.T, m *matcher.Matcher, req matcher.Request) *matcher.Result {
	t.Helper()
	p, err := req.Parse(sampleDirectory(t).Gazetteer())
	if err != nil {
		t.Fatalf("parse %+v: %v", req, err)
	}
	res, err := m.Match(context.Background(), p)
	if err != nil {
		t.Fatalf("match: %v", err)
	}
	return res
}

func key(l *directory.Listing) string { return l.PartnerID + "/" + l.Ref }

func keys(res *matcher.Result, n int) []string {
	var out []string
	for _, m := range res.Matches[:min(n, len(res.Matches))] {
		out = append(out, key(m.Hit.Listing))
	}
	return out
}

// reasonOf returns the first reason of the kind, or "".
func reasonOf(m matcher.Match, kind matcher.ReasonKind) string {
	for _, r := range m.Reasons {
		if r.Kind == kind {
			return r.Text
		}
	}
	return ""
}

// TestMatchExamples checks the behaviour the issue describes, on the
// sample network.
func TestMatchExamples(t *testing.T) {
	m := sampleMatcher(t)
	tests := []struct {
		name  string
		req   matcher.Request
		top   int
		check func(t *testing.T, res *matcher.Result)
	}{
		{"football reaches walking football", matcher.Request{Interests: []string{"football"}, Postcode: "SE11", Age: 60}, 3,
			func(t *testing.T, res *matcher.Result) {
				for _, mt := range res.Matches[:3] {
					if key(mt.Hit.Listing) == "southside-active-leisure/SAL-01" && strings.Contains(reasonOf(mt, matcher.ReasonInterest), "You like football") {
						return
					}
				}
				t.Errorf("walking football for over-50s is not in the top 3 with an interest reason: %v", keys(res, 3))
			}},
		{"a good cook is offered kitchen volunteering", matcher.Request{Strengths: []string{"good cook"}, Postcode: "SW9"}, 5,
			func(t *testing.T, res *matcher.Result) {
				for _, mt := range res.Matches[:5] {
					if slices.Contains(mt.Hit.Listing.Categories, "volunteering") && reasonOf(mt, matcher.ReasonStrength) != "" {
						return
					}
				}
				t.Errorf("no kitchen volunteering role with a strength reason in the top 5: %v", keys(res, 5))
			}},
		{"make friends reaches social groups, befriending and peer support", matcher.Request{Goals: []string{"make friends"}, Postcode: "SE27"}, 5,
			func(t *testing.T, res *matcher.Result) {
				for _, mt := range res.Matches[:5] {
					cats := mt.Hit.Listing.Categories
					if !slices.ContainsFunc(cats, func(c string) bool {
						return slices.Contains([]string{"social-groups", "befriending", "peer-support", "community-groups", "drop-ins", "listening-lunches"}, c)
					}) {
						t.Errorf("%s (%v) is in the top 5 for making friends", key(mt.Hit.Listing), cats)
					}
				}
			}},
		{"basic needs come first", matcher.Request{Needs: []string{"food"}, Interests: []string{"singing"}, Postcode: "SW9"}, 1,
			func(t *testing.T, res *matcher.Result) {
				if reasonOf(res.Matches[0], matcher.ReasonNeed) == "" {
					t.Errorf("the first match %s does not meet the need for food", key(res.Matches[0].Hit.Listing))
				}
			}},
		{"crisis services first", matcher.Request{Goals: []string{"I can't cope, I want to end it all"}, Postcode: "SW2", OnlineOK: true}, 2,
			func(t *testing.T, res *matcher.Result) {
				if !res.Crisis {
					t.Error("crisis words were not noticed")
				}
				for _, mt := range res.Matches[:2] {
					if !slices.Contains(mt.Hit.Listing.Categories, "crisis-support") && !slices.Contains(mt.Hit.Listing.Categories, "ae-liaison") {
						t.Errorf("%s is in the top 2 for someone in crisis", key(mt.Hit.Listing))
					}
				}
			}},
		{"reasons say why in plain words", matcher.Request{Interests: []string{"gardening"}, Postcode: "SW9", Days: []string{"tue"}, Times: []string{"morning"}}, 1,
			func(t *testing.T, res *matcher.Result) {
				mt := res.Matches[0]
				for kind, want := range map[matcher.ReasonKind]string{
					matcher.ReasonInterest: "You like gardening", matcher.ReasonDistance: "km from SW9",
					matcher.ReasonSchedule: "Tuesday mornings, which suit you", matcher.ReasonCost: "Free", matcher.ReasonJoin: "You can just turn up",
				} {
					if got := reasonOf(mt, kind); !strings.Contains(got, want) {
						t.Errorf("%s: %s reason %q, want it to say %q (all: %v)", key(mt.Hit.Listing), kind, got, want, mt.Reasons)
					}
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustMatch(t, m, tt.req)
			if len(res.Matches) < tt.top {
				t.Fatalf("only %d matches", len(res.Matches))
			}
			tt.check(t, res)
		})
	}
}

// TestMatchConstraints checks each hard constraint on a profile that uses
// it: every match keeps it.
func TestMatchConstraints(t *testing.T) {
	m := sampleMatcher(t)
	one := 1.0
	excluded := directory.ListingID("coldharbour-growing-yard", "CGY-01")
	tests := []struct {
		name string
		req  matcher.Request
		ok   func(l *directory.Listing) bool
	}{
		{"language", matcher.Request{Goals: []string{"make friends"}, Languages: []string{"Somali"}}, func(l *directory.Listing) bool { return slices.Contains(l.Languages, "so") }},
		{"accessibility", matcher.Request{Interests: []string{"exercise"}, Accessibility: []string{"step-free", "hearing-loop"}},
			func(l *directory.Listing) bool {
				return l.HasAccess(directory.AccessStepFree) && l.HasAccess(directory.AccessHearing)
			}},
		{"no referral", matcher.Request{Goals: []string{"coping"}, NoReferral: true}, func(l *directory.Listing) bool { return l.HowToJoin != directory.JoinReferral }},
		{"free", matcher.Request{Interests: []string{"art"}, FreeOnly: true}, func(l *directory.Listing) bool { return l.Cost.Free }},
		{"cost", matcher.Request{Interests: []string{"singing"}, MaxCost: &one}, func(l *directory.Listing) bool { return l.Cost.Free || (l.Cost.Pence > 0 && l.Cost.Pence <= 100) }},
		{"age", matcher.Request{Goals: []string{"make friends"}, Age: 17}, func(l *directory.Listing) bool { return l.ServesAge(17) }},
		{"days", matcher.Request{Interests: []string{"gardening"}, Days: []string{"sun"}}, func(l *directory.Listing) bool {
			return len(l.Sessions) == 0 || slices.ContainsFunc(l.Sessions, func(s directory.Session) bool { return s.Day == time.Sunday })
		}},
		{"format", matcher.Request{Goals: []string{"anxiety"}, Format: "one-to-one"}, func(l *directory.Listing) bool {
			return len(l.Formats) == 0 || slices.Contains(l.Formats, directory.FormatOneToOne)
		}},
		{"exclude", matcher.Request{Interests: []string{"gardening"}, Postcode: "SW9", Exclude: []string{excluded}}, func(l *directory.Listing) bool { return l.ID != excluded }},
		{"online only", matcher.Request{Interests: []string{"reading"}, OnlineOnly: true}, func(l *directory.Listing) bool { return l.Online }},
		{"distance", matcher.Request{Interests: []string{"gardening"}, Postcode: "SW9", MaxDistanceKm: "walking"}, func(l *directory.Listing) bool {
			km, ok := directory.NearestKm(directory.LatLon{Lat: 51.4691, Lon: -0.113681}, l.Points())
			return ok && km <= 1.5
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Limit = matcher.MaxLimit
			res := mustMatch(t, m, tt.req)
			if len(res.Relaxed) > 0 {
				t.Fatalf("relaxed %v; pick a profile that needs no relaxing", res.Relaxed)
			}
			if len(res.Matches) == 0 {
				t.Fatal("no matches")
			}
			for _, mt := range res.Matches {
				if l := mt.Hit.Listing; !tt.ok(l) || l.Status != directory.StatusActive {
					t.Errorf("%s breaks the constraint", key(l))
				}
			}
		})
	}
}

// TestMatchRelaxes checks that too few matches widen the distance, then
// drop the days, and that the result says so.
func TestMatchRelaxes(t *testing.T) {
	m := sampleMatcher(t)
	t.Run("distance", func(t *testing.T) {
		res := mustMatch(t, m, matcher.Request{Interests: []string{"goats"}, Postcode: "SE27", MaxDistanceKm: "walking"})
		if len(res.Relaxed) == 0 || !strings.Contains(res.Relaxed[0], "Widened the distance from 1.5 km to 3.0 km of SE27") {
			t.Fatalf("relaxed %v, want the distance widened first", res.Relaxed)
		}
		if res.Profile.MaxDistanceKm <= 1.5 {
			t.Errorf("the applied profile still has %g km", res.Profile.MaxDistanceKm)
		}
	})
	t.Run("then days", func(t *testing.T) {
		res := mustMatch(t, m, matcher.Request{Interests: []string{"chess"}, Postcode: "SE5", Days: []string{"sun"}, MaxDistanceKm: "1"})
		n := len(res.Relaxed)
		if n == 0 || res.Relaxed[n-1] != "Included days other than Sunday to find more" || len(res.Profile.Days) != 0 {
			t.Fatalf("relaxed %v, want the days dropped last", res.Relaxed)
		}
		if len(res.Matches) == 0 || key(res.Matches[0].Hit.Listing) != "dice-and-dogears/DDE-02" {
			t.Errorf("got %v, want the Thursday chess club first once days are relaxed", keys(res, 3))
		}
	})
	t.Run("nothing to relax", func(t *testing.T) {
		res := mustMatch(t, m, matcher.Request{Interests: []string{"chess"}, Languages: []string{"Punjabi"}})
		if len(res.Relaxed) != 0 {
			t.Errorf("relaxed %v with no distance or days to relax", res.Relaxed)
		}
	})
}

// TestMatchDeterministic checks that the same profile on the same data
// gives the same list, also when matched at the same time.
func TestMatchDeterministic(t *testing.T) {
	m := sampleMatcher(t)
	req := matcher.Request{Interests: []string{"walking", "art"}, Goals: []string{"make friends", "sleep better"}, Needs: []string{"money"}, Postcode: "SW2", OnlineOK: true, Limit: 30}
	want := fingerprint(mustMatch(t, m, req))
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := req.Parse(sampleDirectory(t).Gazetteer())
			if err != nil {
				t.Error(err)
				return
			}
			res, err := m.Match(context.Background(), p)
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = fingerprint(res)
		}()
	}
	wg.Wait()
	for i, g := range got {
		if g != want {
			t.Errorf("run %d gave a different list:\n%s\nwant\n%s", i, g, want)
		}
	}
}

func fingerprint(res *matcher.Result) string {
	var b strings.Builder
	for _, m := range res.Matches {
		fmt.Fprintf(&b, "%s %.12f %v\n", m.Hit.Listing.ID, m.Score, m.Reasons)
	}
	return b.String()
}

// TestMatchDiversity checks that the top of the list spans what the person
// asked for rather than repeating one kind of thing.
func TestMatchDiversity(t *testing.T) {
	m := sampleMatcher(t)
	res := mustMatch(t, m, matcher.Request{Needs: []string{"money"}, Interests: []string{"gardening"}, Goals: []string{"make friends"}, Postcode: "SW9"})
	kinds := map[matcher.ReasonKind]bool{}
	stages := map[directory.Stage]bool{}
	for _, mt := range res.Matches[:5] {
		for _, r := range mt.Reasons[:1] {
			kinds[r.Kind] = true
		}
		for _, s := range mt.Hit.Listing.Stages {
			stages[s] = true
		}
	}
	for _, k := range []matcher.ReasonKind{matcher.ReasonNeed, matcher.ReasonInterest} {
		if !kinds[k] {
			t.Errorf("no match in the top 5 leads with a %s reason: %v", k, keys(res, 5))
		}
	}
	for _, s := range res.Stages {
		if !stages[s] {
			t.Errorf("the top 5 serve no listing at the %s stage the person's goals and needs point at", s)
		}
	}
}

// TestMatchWithoutWants checks that a profile saying only where the person
// is lists what fits, best first.
func TestMatchWithoutWants(t *testing.T) {
	res := mustMatch(t, sampleMatcher(t), matcher.Request{Postcode: "SE24", MaxDistanceKm: "walking", Limit: 20})
	if len(res.Matches) == 0 {
		t.Fatal("no matches")
	}
	for i := 1; i < len(res.Matches); i++ {
		if res.Matches[i].Score > res.Matches[i-1].Score {
			t.Errorf("match %d scores %.3f, above the one before it (%.3f)", i+1, res.Matches[i].Score, res.Matches[i-1].Score)
		}
	}
}

func TestMatchInvalid(t *testing.T) {
	_, err := sampleMatcher(t).Match(context.Background(), matcher.Profile{Limit: 500})
	if directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("got %v, want EINVALID", err)
	}
}
