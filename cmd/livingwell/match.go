package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/matcher"
)

// newMatcher returns a matcher over dir with the embedded activity list and
// matching vocabulary.
func newMatcher(dir *directory.Directory) (*matcher.Matcher, error) {
	acts, err := data.Activities()
	if err != nil {
		return nil, fmt.Errorf("load the activity list: %w", err)
	}
	concepts, err := data.MatchingVocabulary()
	if err != nil {
		return nil, fmt.Errorf("load the matching vocabulary: %w", err)
	}
	return matcher.New(dir, matcher.Config{Activities: acts, Concepts: concepts})
}

// runMatch ranks listings for a person described by flags and prints them
// with their reasons; "match eval" runs the evaluation set instead.
func runMatch(ctx context.Context, env *cli, args []string) error {
	if len(args) > 0 && args[0] == "eval" {
		return runMatchEval(ctx, env, args[1:])
	}
	fs, common := env.newFlags("match", "[flags]  (or: livingwell match eval)")
	interests := fs.String("interests", "", "things the person enjoys, comma-separated (gardening,football)")
	strengths := fs.String("strengths", "", "things they are good at, comma-separated (good cook,speaks Portuguese)")
	goals := fs.String("goals", "", "journey stages or their own words, comma-separated (relationships,make friends)")
	needs := fs.String("needs", "", "practical needs, comma-separated (housing,money,food)")
	postcode := fs.String("postcode", "", "where they are: a postcode or district")
	distance := fs.String("max-distance", "", "how far they will travel: km, or walking, short bus ride, bus ride, anywhere (default short bus ride with a postcode)")
	onlineOK := fs.Bool("online-ok", false, "online listings are fine too")
	onlineOnly := fs.Bool("online-only", false, "only listings they can join online")
	days := fs.String("days", "", "days that suit, comma-separated (tue,thu or weekdays)")
	times := fs.String("times", "", "parts of the day that suit, comma-separated (morning,afternoon,evening)")
	free := fs.Bool("free", false, "only free listings")
	maxCost := fs.String("max-cost", "", "the most they can pay each time, in pounds")
	access := fs.String("accessibility", "", "features they need, comma-separated (step-free,accessible-toilet,hearing-loop,bsl,quiet-space,large-print)")
	languages := fs.String("languages", "", "languages they can take part in, comma-separated (Portuguese,English)")
	age := fs.Int("age", 0, "their age")
	format := fs.String("format", "", "group, one-to-one or either")
	noReferral := fs.Bool("no-referral", false, "only listings they can join without an introduction from another service")
	exclude := fs.String("exclude", "", "listing ids to leave out, comma-separated")
	limit := fs.Int("limit", matcher.DefaultLimit, "how many matches to print")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return directory.Errorf(directory.EINVALID, "give the person's words as flags, e.g. --interests %q", strings.Join(fs.Args(), ","))
	}
	req := matcher.Request{
		Interests: splitComma(*interests), Strengths: splitComma(*strengths), Goals: splitComma(*goals), Needs: splitComma(*needs),
		Postcode: *postcode, MaxDistanceKm: matcher.Distance(*distance), OnlineOK: *onlineOK, OnlineOnly: *onlineOnly,
		Days: splitComma(*days), Times: splitComma(*times), FreeOnly: *free, Accessibility: splitComma(*access),
		Languages: splitComma(*languages), Age: *age, Format: *format, NoReferral: *noReferral, Exclude: splitComma(*exclude), Limit: *limit,
	}
	if *maxCost != "" {
		pounds, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimSpace(*maxCost), "£"), 64)
		if err != nil {
			return directory.Errorf(directory.EINVALID, "--max-cost %q should be an amount in pounds, e.g. 3 or 2.50", *maxCost)
		}
		req.MaxCost = &pounds
	}
	log := env.logger(common)
	dir, err := env.openDirectory(ctx, common, log, true)
	if err != nil {
		return err
	}
	defer dir.Close()
	p, err := req.Parse(dir.Gazetteer())
	if err != nil {
		return err
	}
	m, err := newMatcher(dir)
	if err != nil {
		return err
	}
	res, err := m.Match(ctx, p)
	if err != nil {
		return err
	}
	printMatches(env.stdout, res, dir)
	return nil
}

// printMatches writes a result as a numbered list with reasons.
func printMatches(w io.Writer, res *matcher.Result, dir *directory.Directory) {
	if res.Crisis {
		fmt.Fprintln(w, "If the person is in crisis: NHS 111 option 2, Samaritans 116 123, or 999 in an emergency.")
		fmt.Fprintln(w)
	}
	for _, r := range res.Relaxed {
		fmt.Fprintln(w, "Note:", r)
	}
	if len(res.Matches) == 0 {
		fmt.Fprintln(w, "No matches. Try fewer constraints, a wider distance, or other words.")
		return
	}
	now := dir.Now()
	for i, m := range res.Matches {
		l := m.Hit.Listing
		fmt.Fprintf(w, "%d. %s - %s (score %.2f)\n", i+1, l.Name, l.Organisation.Name, m.Score)
		var facts []string
		if m.Hit.Next != nil {
			facts = append(facts, "next "+m.Hit.Next.Start.In(directory.London()).Format("Mon 2 Jan 15:04"))
		}
		if l.Stale(now) {
			facts = append(facts, "not checked since "+l.LastVerified.Format("Jan 2006"))
		}
		facts = append(facts, "id "+l.ID)
		fmt.Fprintf(w, "   %s\n", strings.Join(facts, " · "))
		for _, r := range m.Reasons {
			fmt.Fprintf(w, "   - %s\n", r.Text)
		}
	}
}

// runMatchEval loads the sample network into a temporary data directory,
// runs the judged evaluation set and prints its figures. It fails when a
// match breaks a hard constraint.
func runMatchEval(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("match eval", "[flags]")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	set, err := matcher.DefaultEvalSet()
	if err != nil {
		return err
	}
	base, err := matcher.DefaultBaseline()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "livingwell-eval-*")
	if err != nil {
		return fmt.Errorf("make a temporary data directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	vocab, err := data.LoadVocabulary()
	if err != nil {
		return fmt.Errorf("load the embedded vocabulary: %w", err)
	}
	clock := func() time.Time { return set.Now }
	dir, err := directory.Open(directory.Config{Dir: tmp, Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: clock, Logger: env.logger(common)})
	if err != nil {
		return err
	}
	defer dir.Close()
	if _, err := importer.New(dir).LoadSample(ctx); err != nil {
		return fmt.Errorf("load the sample network: %w", err)
	}
	m, err := newMatcher(dir)
	if err != nil {
		return err
	}
	rep, err := matcher.Evaluate(ctx, m, set)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Evaluation: %d personas on the sample network, judged as of %s.\n\n", len(set.Personas), set.Now.Format("2 Jan 2006"))
	if err := rep.Write(env.stdout, &base); err != nil {
		return err
	}
	if rep.Violations > 0 {
		return fmt.Errorf("%d matches break a hard constraint", rep.Violations)
	}
	return nil
}
