package main

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestZZMatch(t *testing.T) {
	path := os.Getenv("PROF_DATA")
	if path == "" {
		t.Skip()
	}
	dir, err := openDirectory(path)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	m, err := newMatcher(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := loadMixVocabulary()
	reqs := buildProfiles(v, 1, 100)
	var lat []time.Duration
	for round := 0; round < 2; round++ {
		for _, r := range reqs {
			p, err := r.Parse(dir.Gazetteer())
			if err != nil {
				t.Fatal(err)
			}
			st := time.Now()
			if _, err := m.Match(context.Background(), p); err != nil {
				t.Fatal(err)
			}
			if round == 1 {
				lat = append(lat, time.Since(st))
			}
		}
	}
	s := summarise(lat, 0, 0)
	t.Logf("match p50 %6.2f p95 %6.2f p99 %6.2f", s.P50, s.P95, s.P99)
}
