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
// person's expanded words and categories first. With a place and online
// allowed it asks twice, once around the place and once for everything
// that can be joined online, and joins the two.
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
	var queries []directory.Query
	switch {
	case p.OnlineOnly:
		q := base
		q.OnlineOnly = true
		queries = append(queries, q)
	case p.Near != nil && p.MaxDistanceKm > 0:
		q := base
		q.Near, q.RadiusKm, q.IncludeOnline = p.Near, p.MaxDistanceKm, p.OnlineOK
		queries = append(queries, q)
		if p.OnlineOK {
			online := base
			online.OnlineOnly = true
			queries = append(queries, online)
		}
	default:
		queries = append(queries, base)
	}
	var out []*directory.Listing
	seen := map[string]bool{}
	for _, q := range queries {
		res, err := m.dir.Search(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("find candidates: %w", err)
		}
		for _, h := range res.Hits {
			if !seen[h.Listing.ID] {
				seen[h.Listing.ID] = true
				out = append(out, h.Listing)
			}
		}
	}
	return out, nil
}

// boosts turns the profile's aspects into search boosts: each aspect's
// strongest phrases and its categories, weighted by how much the aspect's
// kind counts in the score.
func boosts(pr *prepared) []directory.Boost {
	var out []directory.Boost
	for _, a := range pr.aspects {
		kw := kindWeight(a.kind) * 10
		phrases := slices.Clone(a.phrases)
		sort.SliceStable(phrases, func(i, j int) bool { return phrases[i].weight > phrases[j].weight })
		for _, ph := range phrases[:min(len(phrases), maxBoostPhrases)] {
			out = append(out, directory.Boost{Words: ph.text, Weight: kw * ph.weight})
		}
		cats := make([]string, 0, len(a.cats))
		for c := range a.cats {
			cats = append(cats, c)
		}
		slices.Sort(cats)
		for _, c := range cats[:min(len(cats), maxBoostCategories)] {
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
