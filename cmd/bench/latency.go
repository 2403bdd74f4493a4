package main

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Stats summarise the latencies of one set of requests.
type Stats struct {
	// N is how many requests were timed; Errors how many failed.
	N      int `json:"n"`
	Errors int `json:"errors,omitempty"`
	// P50, P95, P99 and Mean are in milliseconds.
	P50  float64 `json:"p50_ms"`
	P95  float64 `json:"p95_ms"`
	P99  float64 `json:"p99_ms"`
	Mean float64 `json:"mean_ms"`
	// QPS is requests answered per second of wall-clock time, all workers
	// together.
	QPS float64 `json:"qps"`
}

// summarise computes Stats from latencies and the wall-clock time they
// took.
func summarise(lat []time.Duration, errs int, wall time.Duration) Stats {
	s := Stats{N: len(lat), Errors: errs}
	if len(lat) == 0 {
		return s
	}
	sorted := slices.Clone(lat)
	slices.Sort(sorted)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	// Nearest rank: the smallest value with at least p of the values at
	// or below it.
	at := func(p float64) float64 {
		i := int(p*float64(len(sorted))+0.999999) - 1
		return ms(sorted[max(0, min(i, len(sorted)-1))])
	}
	var sum time.Duration
	for _, d := range sorted {
		sum += d
	}
	s.P50, s.P95, s.P99 = at(0.50), at(0.95), at(0.99)
	s.Mean = ms(sum / time.Duration(len(sorted)))
	if wall > 0 {
		s.QPS = float64(len(sorted)) / wall.Seconds()
	}
	return s
}

// runConcurrent calls fn for i from 0 to n-1 from workers goroutines,
// each taking the next i, and returns the latency of each call (-1 for
// those that failed or were not made), how many failed and the wall-clock
// time of the whole run. It stops early when ctx ends.
func runConcurrent(ctx context.Context, workers, n int, fn func(i int) error) ([]time.Duration, int, time.Duration) {
	var next atomic.Int64
	var errs atomic.Int64
	lat := make([]time.Duration, n)
	for i := range lat {
		lat[i] = -1
	}
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				t := time.Now()
				if err := fn(i); err != nil {
					errs.Add(1)
					continue
				}
				lat[i] = time.Since(t)
			}
		})
	}
	wg.Wait()
	return lat, int(errs.Load()), time.Since(start)
}

// succeeded returns the latencies of the calls that succeeded.
func succeeded(lat []time.Duration) []time.Duration {
	var out []time.Duration
	for _, d := range lat {
		if d >= 0 {
			out = append(out, d)
		}
	}
	return out
}
