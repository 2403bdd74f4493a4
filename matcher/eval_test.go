package matcher_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/livingwell/livingwell/matcher"
)

var update = flag.Bool("update", false, "write the evaluation's figures to testdata/eval/baseline.json")

// baselineSlack is how far the overall nDCG@5 may fall below the recorded
// baseline before the test fails.
const baselineSlack = 0.02

// TestEvaluation runs the judged evaluation set: no match may break a hard
// constraint, and the ranking may not get worse than the recorded baseline.
func TestEvaluation(t *testing.T) {
	set, err := matcher.DefaultEvalSet()
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Personas) < 40 {
		t.Errorf("the evaluation set has %d personas; it should have at least 40", len(set.Personas))
	}
	rep, err := matcher.Evaluate(context.Background(), sampleMatcher(t), set)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		rep.Write(os.Stdout, nil)
	}
	for _, p := range rep.Personas {
		for _, v := range p.Violations {
			t.Errorf("persona %s: a match breaks a hard constraint: %s", p.ID, v)
		}
	}
	got := matcher.Baseline{NDCG5: rep.NDCG5, Precision5: rep.Precision5, StageCoverage: rep.StageCoverage}
	if *update {
		raw, _ := json.MarshalIndent(got, "", " ")
		if err := os.WriteFile("testdata/eval/baseline.json", append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	base, err := matcher.DefaultBaseline()
	if err != nil {
		t.Fatal(err)
	}
	if got.NDCG5 < base.NDCG5-baselineSlack {
		t.Errorf("nDCG@5 fell to %.3f from the baseline %.3f (more than %.2f): the ranking got worse", got.NDCG5, base.NDCG5, baselineSlack)
	}
}
