package matcher

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/livingwell/livingwell/directory"
)

// candidates asks the directory for the listings worth ranking: those that
// pass the constraints the index can check, the ones matching more of the
// person's expanded words and categories (the boosts) first, at most
// candidateWindow of them from each search.
//
// With a place, one search is around it. When online suits the person and
// every one of their interests, strengths, goals and needs points at some
// category, a second search finds listings that can be joined online, from
// anywhere, in those categories. Otherwise the search around the place
// takes in listings that are only online, and listings located elsewhere
// that can also be joined online are left out: narrowing to categories
// would lose the words that point at none, and searching every online
// listing of a national directory costs more than it adds. A person who
// wants only online listings gets one search, narrowed to the categories
// when that still fills the window.
func (m *Matcher) candidates(ctx context.Context, p *Profile, pr *prepared) ([]*directory.Listing, error) {
	base := directory.Query{
		Age:           p.Age,
		FreeOnly:      p.FreeOnly,
		MaxPence:      p.MaxPence,
		Accessibility: p.Accessibility,
		Exclude:       p.Exclude,
		Boosts:        boosts(pr),
		PerPage:       candidateWindow,
	}
	// A listing naming no language counts as English, which the index
	// cannot see: filter on languages there only when English is not one.
	if len(p.Languages) > 0 && !slices.Contains(p.Languages, "en") {
		base.Languages = p.Languages
	}
	online := base
	online.OnlineOnly = true
	cats, narrowable := pr.categories()
	online.Categories = cats
	switch {
	case p.OnlineOnly:
		if narrowable {
			out, total, err := m.search(ctx, online)
			if err != nil || total >= candidateWindow {
				return out, err
			}
		}
		online.Categories = nil
		out, _, err := m.search(ctx, online)
		return out, err
	case p.Near == nil || p.MaxDistanceKm == 0:
		out, _, err := m.search(ctx, base)
		return out, err
	}
	near := base
	near.Near, near.RadiusKm, near.IncludeOnline = p.Near, p.MaxDistanceKm, p.OnlineOK && !narrowable
	out, _, err := m.search(ctx, near)
	if err != nil || !p.OnlineOK || !narrowable {
		return out, err
	}
	more, _, err := m.search(ctx, online)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(out))
	for _, l := range out {
		seen[l.ID] = true
	}
	for _, l := range more {
		if !seen[l.ID] {
			out = append(out, l)
		}
	}
	return out, nil
}

// search runs a query and returns its listings and how many listings
// passed its filters in all. When they are no more than smallDirectory,
// it returns all of them: in a borough-sized directory, or a small area of
// a national one, every listing that passes is ranked, so a person's
// matches do not depend on which ones the boosts put first. Otherwise it
// returns the candidateWindow the boosts put first.
func (m *Matcher) search(ctx context.Context, q directory.Query) ([]*directory.Listing, int, error) {
	q.PerPage = smallDirectory
	res, err := m.dir.Search(ctx, q)
	if err != nil {
		return nil, 0, fmt.Errorf("find candidates: %w", err)
	}
	hits := res.Hits
	if res.Total > smallDirectory {
		hits = hits[:min(len(hits), candidateWindow)]
	}
	out := make([]*directory.Listing, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.Listing)
	}
	return out, res.Total, nil
}

// boosts turns the profile's aspects into search boosts: each aspect's
// strongest phrases (the person's own words first) and the first of the
// categories it points at, weighted by how much the aspect's kind counts
// in the score. They are few on purpose: each one costs the index work on
// every listing near the person.
func boosts(pr *prepared) []directory.Boost {
	var out []directory.Boost
	for _, a := range pr.aspects {
		kw := kindWeight(a.kind) * 10
		phrases := slices.Clone(a.phrases)
		sort.SliceStable(phrases, func(i, j int) bool { return phrases[i].weight > phrases[j].weight })
		for _, ph := range phrases[:min(len(phrases), maxBoostPhrases)] {
			out = append(out, directory.Boost{Words: ph.text, Weight: kw * ph.weight})
		}
		for _, c := range a.direct[:min(len(a.direct), maxBoostCategories)] {
			out = append(out, directory.Boost{Category: c, Weight: kw})
		}
	}
	if len(out) > directory.MaxBoosts {
		out = out[:directory.MaxBoosts]
	}
	return out
}

// kindWeight is how much an aspect of the kind counts in the score.
func kindWeight(k aspectKind) float64 {
	switch k {
	case kindNeed:
		return WeightPractical
	case kindGoal:
		return WeightGoal
	case kindInterest:
		return WeightInterest
	}
	return WeightStrength
}
