package web

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// The coordinator's view of the network: listings their partners have not
// checked for six months, searches that found little (gaps in provision),
// and introductions by category and month.

// adminStalePage is the data of the stale listings page.
type adminStalePage struct {
	signedIn
	Total  int
	Groups []staleGroup
}

// staleGroup is one partner's stale listings.
type staleGroup struct {
	PartnerID, Partner string
	Listings           []staleRow
}

type staleRow struct {
	Ref, Name, URL, Checked string
	checked                 time.Time
}

// adminStale answers GET /admin/stale: every listing not checked for six
// months, by partner (most first), oldest check first.
func (s *Server) adminStale(c *gin.Context) {
	ctx := c.Request.Context()
	ls, err := s.staleListings(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	names, err := s.partnerNames(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	by := map[string]*staleGroup{}
	pg := adminStalePage{signedIn: signedInAs(c), Total: len(ls)}
	for _, l := range ls {
		g, ok := by[l.PartnerID]
		if !ok {
			g = &staleGroup{PartnerID: l.PartnerID, Partner: firstNonEmpty(names[l.PartnerID], l.PartnerID)}
			by[l.PartnerID] = g
		}
		g.Listings = append(g.Listings, staleRow{Ref: l.Ref, Name: l.Name, URL: listingURL(l.ID, ""), checked: l.LastVerified,
			Checked: l.LastVerified.In(directory.London()).Format(dateFormat)})
	}
	for _, g := range by {
		slices.SortFunc(g.Listings, func(a, b staleRow) int { return a.checked.Compare(b.checked) })
		pg.Groups = append(pg.Groups, *g)
	}
	slices.SortFunc(pg.Groups, func(a, b staleGroup) int {
		if len(a.Listings) != len(b.Listings) {
			return len(b.Listings) - len(a.Listings)
		}
		return strings.Compare(a.Partner, b.Partner)
	})
	s.render(c, http.StatusOK, "admin_stale", pg)
}

// adminGapsPage is the data of the search gaps page.
type adminGapsPage struct {
	signedIn
	Week  string
	Weeks []selectOption
	Gaps  []gapRow
	Error string
}

type gapRow struct {
	Text, Filters, Districts      string
	Searches, NoResults, LastSeen int
}

// maxGapRows is how many of a week's gaps the page lists.
const maxGapRows = 50

// adminGaps answers GET /admin/gaps: the week's most searched searches
// that found nothing or little (directory.FewResults), with their filters
// and the districts searched around. ?week=2026-W48 picks the week (the
// latest with gaps, or this one, by default).
func (s *Server) adminGaps(c *gin.Context) {
	ctx := c.Request.Context()
	weeks, err := s.dir.GapWeeks(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	pg := adminGapsPage{signedIn: signedInAs(c), Week: c.Query("week")}
	if pg.Week == "" {
		pg.Week = directory.WeekOf(s.now())
		if len(weeks) > 0 {
			pg.Week = weeks[0]
		}
	}
	status := http.StatusOK
	gaps, err := s.dir.SearchGaps(ctx, pg.Week, maxGapRows)
	if err != nil {
		if directory.ErrorCode(err) != directory.EINVALID {
			s.renderError(c, err)
			return
		}
		pg.Error, status = sentence(directory.ErrorMessage(err)), http.StatusBadRequest
	}
	var opts [][2]string
	for _, w := range weeks {
		opts = append(opts, [2]string{w, weekLabel(w)})
	}
	pg.Weeks = selectOptions(opts, pg.Week)
	for _, g := range gaps {
		row := gapRow{Text: firstNonEmpty(g.Text, "(no words)"), Filters: strings.Join(g.Filters, ", "), Searches: g.Searches, NoResults: g.NoResults, LastSeen: g.Results}
		row.Districts = topDistricts(g.Districts, 3)
		pg.Gaps = append(pg.Gaps, row)
	}
	s.render(c, status, "admin_gaps", pg)
}

// weekLabel says an ISO week ("2026-W48") as the date its Monday falls on.
func weekLabel(week string) string {
	var y, w int
	if _, err := fmt.Sscanf(week, "%d-W%d", &y, &w); err != nil {
		return week
	}
	// 4 January is always in week 1.
	jan4 := time.Date(y, time.January, 4, 12, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(w-1)*7)
	return "Week of " + monday.Format("2 Jan 2006")
}

// topDistricts lists the n districts searched around most, with counts.
func topDistricts(d map[string]int, n int) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if d[keys[i]] != d[keys[j]] {
			return d[keys[i]] > d[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for _, k := range keys[:min(n, len(keys))] {
		parts = append(parts, fmt.Sprintf("%s (%d)", k, d[k]))
	}
	if len(keys) > n {
		parts = append(parts, fmt.Sprintf("and %d more", len(keys)-n))
	}
	return strings.Join(parts, ", ")
}

// adminIntroductionsPage is the data of the introductions page.
type adminIntroductionsPage struct {
	signedIn
	// From and To are the first and last months shown.
	From, To string
	Months   []string
	Rows     []introRow
	Totals   []int
	Total    int
	Top      []introListing
}

// introRow is one category's introductions, month by month.
type introRow struct {
	Category string
	Counts   []int
	Total    int
}

// introListing is a listing and its introductions over the months shown.
type introListing struct {
	Name, URL, Partner string
	Count              int
}

// introMonths is how many months the introductions page shows.
const introMonths = 6

// adminIntroductions answers GET /admin/introductions: introductions
// counted in the last six months, by the top-level category of the
// listing (a listing in two counts in both) and month, and the listings
// people were introduced to most.
func (s *Server) adminIntroductions(c *gin.Context) {
	ctx := c.Request.Context()
	now := s.now().In(directory.London())
	first := time.Date(now.Year(), now.Month()-introMonths+1, 1, 12, 0, 0, 0, directory.London())
	pg := adminIntroductionsPage{signedIn: signedInAs(c), Totals: make([]int, introMonths)}
	col := map[string]int{}
	for i := range introMonths {
		m := first.AddDate(0, i, 0)
		pg.Months = append(pg.Months, m.Format("Jan 2006"))
		col[directory.MonthOf(m)] = i
	}
	pg.From, pg.To = pg.Months[0], pg.Months[len(pg.Months)-1]
	counts, err := s.dir.Introductions(ctx, directory.IntroductionFilter{Since: directory.MonthOf(first)})
	if err != nil {
		s.renderError(c, err)
		return
	}
	var ids []string
	for _, n := range counts {
		if !slices.Contains(ids, n.ListingID) {
			ids = append(ids, n.ListingID)
		}
	}
	ls, err := s.dir.Listings(ctx, ids)
	if err != nil {
		s.renderError(c, err)
		return
	}
	names, err := s.partnerNames(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	byID := map[string]*directory.Listing{}
	for _, l := range ls {
		byID[l.ID] = l
	}
	tax := s.dir.Taxonomy()
	rows := map[string]*introRow{}
	per := map[string]*introListing{}
	for _, n := range counts {
		i, ok := col[n.Month]
		if !ok {
			continue
		}
		pg.Totals[i] += n.Count
		pg.Total += n.Count
		cats := []string{"Listings since removed"}
		if l := byID[n.ListingID]; l != nil {
			cats = topCategories(tax, l.Categories)
			il, ok := per[l.ID]
			if !ok {
				il = &introListing{Name: l.Name, URL: listingURL(l.ID, ""), Partner: firstNonEmpty(names[l.PartnerID], l.PartnerID)}
				per[l.ID] = il
			}
			il.Count += n.Count
		}
		for _, cat := range cats {
			r, ok := rows[cat]
			if !ok {
				r = &introRow{Category: cat, Counts: make([]int, introMonths)}
				rows[cat] = r
			}
			r.Counts[i] += n.Count
			r.Total += n.Count
		}
	}
	for _, r := range rows {
		pg.Rows = append(pg.Rows, *r)
	}
	slices.SortFunc(pg.Rows, func(a, b introRow) int {
		if a.Total != b.Total {
			return b.Total - a.Total
		}
		return strings.Compare(a.Category, b.Category)
	})
	for _, il := range per {
		pg.Top = append(pg.Top, *il)
	}
	slices.SortFunc(pg.Top, func(a, b introListing) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Name, b.Name)
	})
	pg.Top = pg.Top[:min(len(pg.Top), 10)]
	s.render(c, http.StatusOK, "admin_introductions", pg)
}

// topCategories returns the labels of the top-level categories the codes
// fall under, each once, or "Uncategorised".
func topCategories(tax *directory.Taxonomy, codes []string) []string {
	var out []string
	for _, code := range codes {
		root := code
		if up := tax.Ancestors(code); len(up) > 0 {
			root = up[len(up)-1]
		}
		if label := tax.Label(root); label != "" && !slices.Contains(out, label) {
			out = append(out, label)
		}
	}
	if len(out) == 0 {
		return []string{"Uncategorised"}
	}
	return out
}
