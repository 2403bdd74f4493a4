package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

// way is one way of asking a search.
type way int

const (
	wayInProc way = iota // the directory's Search, in this process
	wayHTTP              // GET /api/v1/search on the product's router, over loopback
	wayPG                // the PostgreSQL baseline, over loopback
	nWays
)

// measurer runs searches every way and keeps their latencies.
type measurer struct {
	ctx    context.Context
	dir    *directory.Directory
	pg     *postgres
	client *http.Client
	ours   string
	floor  string
	// match is the matcher, when the product has one.
	match *matcher.Matcher
}

// timings are latencies by way and kind, with the wall time of each way.
type timings struct {
	lat    [nWays]map[Kind][]time.Duration
	errs   [nWays]int
	wall   [nWays]time.Duration
	totals map[Kind][2]int // checked, agreed
}

func newTimings() *timings {
	t := &timings{totals: map[Kind][2]int{}}
	for w := range nWays {
		t.lat[w] = map[Kind][]time.Duration{}
	}
	return t
}

// all summarises every kind together for one way.
func (t *timings) all(w way) Stats {
	var lat []time.Duration
	for _, k := range kinds {
		lat = append(lat, t.lat[w][k]...)
	}
	return summarise(lat, t.errs[w], t.wall[w])
}

// do runs s one way and returns the total it found.
func (m *measurer) do(w way, s Search) (int, error) {
	switch w {
	case wayInProc:
		res, err := m.dir.Search(m.ctx, s.Query)
		if err != nil {
			return 0, err
		}
		return res.Total, nil
	case wayHTTP:
		return 0, get(m.ctx, m.client, m.ours+s.URL)
	default:
		return m.pg.query(m.ctx, s)
	}
}

// ways returns the ways in use: without a baseline, not PostgreSQL.
func (m *measurer) ways() []way {
	if m.pg == nil {
		return []way{wayInProc, wayHTTP}
	}
	return []way{wayInProc, wayHTTP, wayPG}
}

// warmUp runs every search every way once, so that caches and
// connections are as they are in steady use; any error stops the run.
func (m *measurer) warmUp(mix []Search) error {
	for _, s := range mix {
		for _, w := range m.ways() {
			if _, err := m.do(w, s); err != nil {
				return fmt.Errorf("warm-up %s %q: %w", s.Kind, s.URL, err)
			}
		}
	}
	return nil
}

// sequential runs each search of the mix every way, one at a time,
// rotating which way goes first so that none is favoured by what ran
// before it. Totals of searches without words are compared with the
// baseline's.
func (m *measurer) sequential(mix []Search) (*timings, error) {
	t := newTimings()
	ways := m.ways()
	for i, s := range mix {
		var totals [nWays]int
		for j := range ways {
			w := ways[(i+j)%len(ways)]
			start := time.Now()
			n, err := m.do(w, s)
			d := time.Since(start)
			if err != nil {
				return nil, fmt.Errorf("%s %q: %w", s.Kind, s.URL, err)
			}
			t.lat[w][s.Kind] = append(t.lat[w][s.Kind], d)
			t.wall[w] += d
			totals[w] = n
		}
		if m.pg != nil && s.Query.Text == "" {
			c := t.totals[s.Kind]
			c[0]++
			if agree(totals[wayInProc], totals[wayPG]) {
				c[1]++
			}
			t.totals[s.Kind] = c
		}
	}
	return t, nil
}

// concurrent runs the mix with workers at once, one way after another.
func (m *measurer) concurrent(mix []Search, workers int) *timings {
	t := newTimings()
	for _, w := range m.ways() {
		lat, errs, wall := runConcurrent(m.ctx, workers, len(mix), func(i int) error {
			_, err := m.do(w, mix[i])
			return err
		})
		t.errs[w], t.wall[w] = errs, wall
		for i, d := range lat {
			if d >= 0 {
				t.lat[w][mix[i].Kind] = append(t.lat[w][mix[i].Kind], d)
			}
		}
	}
	return t
}

// floorRun sends the mix's requests to the empty handler.
func (m *measurer) floorRun(mix []Search, workers int) Stats {
	lat, errs, wall := runConcurrent(m.ctx, workers, len(mix), func(i int) error {
		return get(m.ctx, m.client, m.floor+mix[i].URL)
	})
	return summarise(succeeded(lat), errs, wall)
}

// combine puts the two runs' timings together by kind.
func combine(c1, c8 *timings, withPG bool) []KindResult {
	var out []KindResult
	for _, k := range kinds {
		s := func(t *timings, w way) Stats { return summarise(t.lat[w][k], 0, sum(t.lat[w][k])) }
		r := KindResult{Kind: k, InProc1: s(c1, wayInProc), HTTP1: s(c1, wayHTTP)}
		r.InProc8 = summarise(c8.lat[wayInProc][k], 0, 0)
		r.HTTP8 = summarise(c8.lat[wayHTTP][k], 0, 0)
		if withPG {
			r.PG1, r.PG8 = s(c1, wayPG), summarise(c8.lat[wayPG][k], 0, 0)
			if r.InProc1.P95 > 0 {
				r.Speedup = r.PG1.P95 / r.InProc1.P95
			}
			if r.HTTP1.P95 > 0 {
				r.SpeedupHTTP = r.PG1.P95 / r.HTTP1.P95
			}
			r.TotalsChecked, r.TotalsAgree = c1.totals[k][0], c1.totals[k][1]
		}
		out = append(out, r)
	}
	return out
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}
