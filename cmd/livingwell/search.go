package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/livingwell/livingwell/directory"
)

// runSearch searches the directory and prints a table.
func runSearch(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("search", "[flags] \"words\"")
	postcode := fs.String("postcode", "", "search near this postcode or district")
	radius := fs.Float64("radius-km", 0, "how far from the postcode, in km (default 5 with a postcode)")
	category := fs.String("category", "", "only these categories (codes or labels, comma-separated)")
	free := fs.Bool("free", false, "only free listings")
	day := fs.String("day", "", "only listings meeting on these days (mon..sun, comma-separated)")
	openNow := fs.Bool("open-now", false, "only listings with a session running now")
	online := fs.Bool("online", false, "only listings you can join online")
	access := fs.String("accessibility", "", "only listings with all of these (step-free, accessible-toilet, hearing-loop, bsl, quiet-space, large-print)")
	language := fs.String("language", "", "only listings in this language")
	age := fs.Int("age", 0, "only listings open to this age")
	sortBy := fs.String("sort", "relevance", "relevance, distance or soonest")
	limit := fs.Int("limit", 20, "how many results to print")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if *limit < 1 || *limit > directory.MaxPerPage {
		return directory.Errorf(directory.EINVALID, "--limit %d: print from 1 to %d results", *limit, directory.MaxPerPage)
	}
	log := env.logger(common)
	dir, err := env.openDirectory(ctx, common, log, true)
	if err != nil {
		return err
	}
	defer dir.Close()
	q := directory.Query{Text: strings.Join(fs.Args(), " "), Postcode: *postcode, RadiusKm: *radius, FreeOnly: *free,
		OnlineOnly: *online, Age: *age, Sort: directory.SortOrder(*sortBy), PerPage: *limit}
	if q.Postcode != "" && q.RadiusKm == 0 {
		q.RadiusKm = 5
	}
	for _, c := range splitComma(*category) {
		t, ok := dir.Taxonomy().Resolve(c)
		if !ok {
			return directory.Errorf(directory.EINVALID, "--category %q is not a category we know", c)
		}
		q.Categories = append(q.Categories, t.Code)
	}
	for _, d := range splitComma(*day) {
		wd, err := directory.ParseDay(d)
		if err != nil {
			return err
		}
		q.Days = append(q.Days, wd)
	}
	for _, a := range splitComma(*access) {
		q.Accessibility = append(q.Accessibility, directory.Access(a))
	}
	if *language != "" {
		code, err := directory.ParseLanguage(*language)
		if err != nil {
			return err
		}
		q.Languages = []string{code}
	}
	if *openNow {
		q.OpenAt = dir.Now()
	}
	res, err := dir.Search(ctx, q)
	if err != nil {
		return err
	}
	if res.Crisis {
		fmt.Fprintln(env.stdout, "If you or someone you are with is in crisis: NHS 111 option 2, Samaritans 116 123, or 999 in an emergency.")
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tNAME\tORGANISATION\tDISTANCE\tNEXT SESSION\tCOST\tID")
	now := dir.Now()
	for i, h := range res.Hits {
		dist := "-"
		if h.DistanceKm != nil {
			dist = fmt.Sprintf("%.1f km", *h.DistanceKm)
		} else if h.Listing.Online {
			dist = "online"
		}
		next := "-"
		if h.Next != nil {
			next = h.Next.Start.In(directory.London()).Format("Mon 2 Jan 15:04")
		}
		cost := "free"
		if !h.Listing.Cost.Free {
			cost = firstNonEmpty(h.Listing.Cost.Words, "ask")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1, clip(h.Listing.Name, 44), clip(h.Listing.Organisation.Name, 30), dist, next, clip(cost, 24), h.Listing.ID)
	}
	tw.Flush()
	fmt.Fprintf(env.stdout, "%d of %d results", len(res.Hits), res.Total)
	if res.Postcode != "" {
		fmt.Fprintf(env.stdout, " within %g km of %s", q.RadiusKm, res.Postcode)
	}
	fmt.Fprintf(env.stdout, " (%s)\n", now.In(directory.London()).Format("Mon 2 Jan 2006 15:04"))
	return nil
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
