package directory

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// Search gaps are the searches on the public pages that found nothing or
// almost nothing, counted by week, so the network coordinator can see what
// people look for that the network does not offer. Nothing about the person
// is kept: only the normalised words, the filters, the postcode district
// and counts. No address, no time of day, no full postcode.

// bucketGaps holds one nested bucket per ISO week ("2026-W48"), each
// mapping a search key (words \x00 filters) to a JSON Gap. The nested
// bucket's sequence counts its keys, to cap how many a week may hold.
var bucketGaps = []byte("gaps")

func init() {
	allBuckets = append(allBuckets, bucketGaps)
}

// FewResults is the most results a search may find and still count as a
// gap.
const FewResults = 2

// Limits that keep the gaps store small whatever is typed.
const (
	// MaxGapsPerWeek is how many different searches one week may hold;
	// after that only searches already seen that week are counted.
	MaxGapsPerWeek = 5000
	// maxGapText is the longest normalised text kept, in characters.
	maxGapText = 100
	// maxGapDistricts is how many districts one gap records.
	maxGapDistricts = 20
)

// GapSearch is one search that found little, as the pages report it.
type GapSearch struct {
	// Text is what the person typed; it is normalised before it is kept.
	Text string
	// Filters are the filters the search had, such as "category:gardening",
	// "day:sat" or "free".
	Filters []string
	// Postcode is the postcode or district searched around; only its
	// district is kept.
	Postcode string
	// Results is how many results the search found.
	Results int
}

// Gap is one search, as counted in one week.
type Gap struct {
	Week    string   `json:"week"`
	Text    string   `json:"text"`
	Filters []string `json:"filters,omitempty"`
	// Searches is how many times it was searched that week.
	Searches int `json:"searches"`
	// NoResults is how many of those searches found nothing.
	NoResults int `json:"no_results"`
	// Results is how many results the latest of them found.
	Results int `json:"results"`
	// Districts counts the postcode districts searched around.
	Districts map[string]int `json:"districts,omitempty"`
}

// WeekOf returns the ISO week of t in UK time, written "2026-W48".
func WeekOf(t time.Time) string {
	y, w := t.In(London()).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

var weekRE = regexp.MustCompile(`^[0-9]{4}-W[0-9]{2}$`)

// Words that could say who someone is are dropped from gap text: full
// postcodes, email addresses and long runs of digits such as phone numbers.
var (
	gapPostcodeRE = regexp.MustCompile(`(?i)\b[a-z]{1,2}[0-9][0-9a-z]?\s*[0-9][a-z]{2}\b`)
	gapEmailRE    = regexp.MustCompile(`\S+@\S+`)
	gapDigitsRE   = regexp.MustCompile(`[0-9][0-9 ]{4,}[0-9]`)
)

// NormaliseGapText turns typed words into the form a gap is counted under:
// lower case, letters and digits only, single spaces, at most 100
// characters, with postcodes, email addresses and phone numbers removed.
func NormaliseGapText(s string) string {
	s = gapEmailRE.ReplaceAllString(s, " ")
	s = gapPostcodeRE.ReplaceAllString(s, " ")
	s = gapDigitsRE.ReplaceAllString(s, " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return ' '
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxGapText {
		s = strings.TrimSpace(string(r[:maxGapText]))
	}
	return s
}

// RecordSearchGap counts a search that found FewResults or fewer in the
// current week. Searches with more results, and searches with neither words
// nor filters, are not counted. It returns an internal error only when the
// store cannot be written.
func (d *Directory) RecordSearchGap(ctx context.Context, s GapSearch) error {
	if s.Results > FewResults || s.Results < 0 {
		return nil
	}
	text := NormaliseGapText(s.Text)
	filters := normaliseGapFilters(s.Filters)
	if text == "" && len(filters) == 0 {
		return nil
	}
	district := ""
	if s.Postcode != "" {
		if pc, err := ParsePostcode(s.Postcode); err == nil {
			district = pc.Outward
		}
	}
	week := WeekOf(d.now())
	key := []byte(text + "\x00" + strings.Join(filters, ","))
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		wb, err := tx.Bucket(bucketGaps).CreateBucketIfNotExists([]byte(week))
		if err != nil {
			return err
		}
		g := Gap{Week: week, Text: text, Filters: filters}
		if v := wb.Get(key); v != nil {
			if err := json.Unmarshal(v, &g); err != nil {
				return err
			}
		} else {
			if wb.Sequence() >= MaxGapsPerWeek {
				return nil
			}
			if err := wb.SetSequence(wb.Sequence() + 1); err != nil {
				return err
			}
		}
		g.Searches++
		if s.Results == 0 {
			g.NoResults++
		}
		g.Results = s.Results
		if district != "" {
			if g.Districts == nil {
				g.Districts = map[string]int{}
			}
			if _, ok := g.Districts[district]; ok || len(g.Districts) < maxGapDistricts {
				g.Districts[district]++
			}
		}
		raw, err := json.Marshal(g)
		if err != nil {
			return err
		}
		return wb.Put(key, raw)
	})
	if err != nil {
		return Internal(err, "count a search gap")
	}
	return nil
}

// normaliseGapFilters sorts the filters, drops empty and repeated ones and
// bounds their number and length.
func normaliseGapFilters(in []string) []string {
	var out []string
	for _, f := range in {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" || len(f) > 60 {
			continue
		}
		out = append(out, strings.ReplaceAll(f, ",", " "))
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > 20 {
		out = out[:20]
	}
	return out
}

// SearchGaps returns the most searched gaps of a week ("2026-W48"), most
// searched first, at most limit of them (all when limit is 0). It returns
// EINVALID for a week written otherwise and an empty list for a week with
// no gaps.
func (d *Directory) SearchGaps(ctx context.Context, week string, limit int) ([]Gap, error) {
	if !weekRE.MatchString(week) {
		return nil, Errorf(EINVALID, "week %q should be written like 2026-W48", week)
	}
	var out []Gap
	err := d.store.db.View(func(tx *bolt.Tx) error {
		wb := tx.Bucket(bucketGaps).Bucket([]byte(week))
		if wb == nil {
			return nil
		}
		return wb.ForEach(func(k, v []byte) error {
			var g Gap
			if err := json.Unmarshal(v, &g); err != nil {
				return Internal(err, "decode search gap")
			}
			out = append(out, g)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Searches != b.Searches {
			return a.Searches > b.Searches
		}
		if a.NoResults != b.NoResults {
			return a.NoResults > b.NoResults
		}
		return a.Text < b.Text
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// GapWeeks returns the weeks that have counted gaps, newest first.
func (d *Directory) GapWeeks(ctx context.Context) ([]string, error) {
	var weeks []string
	err := d.store.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketGaps).ForEach(func(k, v []byte) error {
			if v == nil {
				weeks = append(weeks, string(k))
			}
			return nil
		})
	})
	slices.Reverse(weeks)
	return weeks, err
}
