package matcher

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// The judged evaluation set and the figures it last measured, embedded so
// that "livingwell match eval" runs anywhere.
//
//go:embed testdata/eval/personas.json testdata/eval/baseline.json
var evalFiles embed.FS

// EvalSet is a judged evaluation set: personas, each a situation with a
// profile and graded judgments (0 to 3) of the sample network's listings.
type EvalSet struct {
	About []string `json:"about"`
	// Now is the moment the set is judged at (freshness depends on it).
	Now      time.Time `json:"now"`
	Personas []Persona `json:"personas"`
}

// Persona is one situation of the evaluation set.
type Persona struct {
	ID        string  `json:"id"`
	Situation string  `json:"situation"`
	Profile   Request `json:"profile"`
	// Judgments grade listings, named "partner/ref", from 0 (not relevant)
	// to 3 (an excellent next step). Listings not named are graded 0.
	// Profile.Exclude names listings the same way.
	Judgments map[string]int `json:"judgments"`
}

// Baseline is the evaluation's recorded overall figures.
type Baseline struct {
	NDCG5         float64 `json:"ndcg5"`
	Precision5    float64 `json:"precision5"`
	StageCoverage float64 `json:"stage_coverage5"`
}

// DefaultEvalSet returns the embedded evaluation set
// (testdata/eval/personas.json). It returns an error when it does not
// parse.
func DefaultEvalSet() (*EvalSet, error) {
	var set EvalSet
	if err := readEvalFile("personas.json", &set); err != nil {
		return nil, err
	}
	return &set, nil
}

// DefaultBaseline returns the embedded baseline
// (testdata/eval/baseline.json).
func DefaultBaseline() (Baseline, error) {
	var b Baseline
	err := readEvalFile("baseline.json", &b)
	return b, err
}

func readEvalFile(name string, v any) error {
	raw, err := evalFiles.ReadFile("testdata/eval/" + name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("evaluation set %s: %w", name, err)
	}
	return nil
}

// PersonaResult is how the matcher did for one persona.
type PersonaResult struct {
	ID         string
	NDCG5      float64
	Precision5 float64
	// StageCoverage is the share of the journey stages the persona's goals
	// and needs point at that the top 5 serve; -1 when they point at none.
	StageCoverage float64
	// Violations are the hard constraints the matches break, which must be
	// none.
	Violations []string
	// Top are the first five matches as "partner/ref" with their grades.
	Top    []string
	Grades []int
	// Relaxed is what the matcher relaxed.
	Relaxed []string
}

// EvalReport is the result of an evaluation.
type EvalReport struct {
	Personas []PersonaResult
	// NDCG5, Precision5 and StageCoverage are means over the personas
	// (stage coverage over those with stages).
	NDCG5, Precision5, StageCoverage float64
	Violations                       int
}

// Evaluate runs every persona of the set through the matcher, whose
// directory must hold the sample network, and measures the top five of
// each against the judgments. It returns an error when a profile is not
// valid or names a listing the directory does not have.
func Evaluate(ctx context.Context, m *Matcher, set *EvalSet) (*EvalReport, error) {
	rep := &EvalReport{}
	id := func(key string) (string, error) {
		partner, r, ok := strings.Cut(key, "/")
		if !ok {
			return "", fmt.Errorf("%q should be partner/ref", key)
		}
		lid := directory.ListingID(partner, r)
		if _, err := m.dir.Listing(ctx, lid); err != nil {
			return "", fmt.Errorf("%s: %w", key, err)
		}
		return lid, nil
	}
	stagesWith, coverage := 0, 0.0
	for _, per := range set.Personas {
		grades := map[string]int{}
		for key, g := range per.Judgments {
			lid, err := id(key)
			if err != nil {
				return nil, fmt.Errorf("persona %s: %w", per.ID, err)
			}
			grades[lid] = g
		}
		req := per.Profile
		req.Exclude = nil
		for _, key := range per.Profile.Exclude {
			lid, err := id(key)
			if err != nil {
				return nil, fmt.Errorf("persona %s: exclude: %w", per.ID, err)
			}
			req.Exclude = append(req.Exclude, lid)
		}
		p, err := req.Parse(m.dir.Gazetteer())
		if err != nil {
			return nil, fmt.Errorf("persona %s: %w", per.ID, err)
		}
		res, err := m.Match(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("persona %s: %w", per.ID, err)
		}
		pres := PersonaResult{ID: per.ID, StageCoverage: -1, Relaxed: res.Relaxed}
		var top []int
		covered := map[directory.Stage]bool{}
		for i, mt := range res.Matches {
			l := mt.Hit.Listing
			for _, v := range Violations(&res.Profile, l) {
				pres.Violations = append(pres.Violations, l.PartnerID+"/"+l.Ref+": "+v)
			}
			if i < 5 {
				g := grades[l.ID]
				top = append(top, g)
				pres.Top = append(pres.Top, l.PartnerID+"/"+l.Ref)
				for _, s := range l.Stages {
					covered[s] = true
				}
			}
		}
		pres.Grades = top
		pres.NDCG5 = ndcg(top, grades, 5)
		pres.Precision5 = precision(top, 5)
		if len(res.Stages) > 0 {
			n := 0
			for _, s := range res.Stages {
				if covered[s] {
					n++
				}
			}
			pres.StageCoverage = float64(n) / float64(len(res.Stages))
			stagesWith++
			coverage += pres.StageCoverage
		}
		rep.Personas = append(rep.Personas, pres)
		rep.NDCG5 += pres.NDCG5
		rep.Precision5 += pres.Precision5
		rep.Violations += len(pres.Violations)
	}
	if n := float64(len(rep.Personas)); n > 0 {
		rep.NDCG5 /= n
		rep.Precision5 /= n
	}
	if stagesWith > 0 {
		rep.StageCoverage = coverage / float64(stagesWith)
	}
	return rep, nil
}

// ndcg is the normalised discounted cumulative gain of the first k grades,
// with gain 2^grade-1, against the best order of all the judgments.
func ndcg(got []int, judged map[string]int, k int) float64 {
	ideal := make([]int, 0, len(judged))
	for _, g := range judged {
		ideal = append(ideal, g)
	}
	slices.Sort(ideal)
	slices.Reverse(ideal)
	idcg := dcg(ideal, k)
	if idcg == 0 {
		return 0
	}
	return dcg(got, k) / idcg
}

func dcg(grades []int, k int) float64 {
	sum := 0.0
	for i, g := range grades[:min(k, len(grades))] {
		sum += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	return sum
}

// precision is the share of the first k places holding a listing graded 2
// or 3 (an empty place counts as not relevant).
func precision(grades []int, k int) float64 {
	n := 0
	for _, g := range grades[:min(k, len(grades))] {
		if g >= 2 {
			n++
		}
	}
	return float64(n) / float64(k)
}

// Write prints the report as a table, one persona a line, then the means.
func (r *EvalReport) Write(w io.Writer, base *Baseline) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSONA\tnDCG@5\tP@5\tSTAGES@5\tVIOLATIONS\tRELAXED\tTOP 5 (grade)")
	for _, p := range r.Personas {
		stages := "-"
		if p.StageCoverage >= 0 {
			stages = fmt.Sprintf("%.2f", p.StageCoverage)
		}
		top := make([]string, len(p.Top))
		for i, t := range p.Top {
			top[i] = fmt.Sprintf("%s (%d)", t, p.Grades[i])
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.2f\t%s\t%d\t%d\t%s\n", p.ID, p.NDCG5, p.Precision5, stages, len(p.Violations), len(p.Relaxed), strings.Join(top, ", "))
	}
	fmt.Fprintf(tw, "OVERALL (%d personas)\t%.3f\t%.3f\t%.3f\t%d\t\t\n", len(r.Personas), r.NDCG5, r.Precision5, r.StageCoverage, r.Violations)
	if base != nil {
		fmt.Fprintf(tw, "baseline\t%.3f\t%.3f\t%.3f\t0\t\t\n", base.NDCG5, base.Precision5, base.StageCoverage)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range r.Personas {
		for _, v := range p.Violations {
			if _, err := fmt.Fprintf(w, "violation: %s: %s\n", p.ID, v); err != nil {
				return err
			}
		}
	}
	return nil
}
