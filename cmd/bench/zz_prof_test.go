package main

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestZZProf(t *testing.T) {
	path := os.Getenv("PROF_DATA")
	if path == "" {
		t.Skip()
	}
	dir, err := openDirectory(path)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	v, _ := loadMixVocabulary()
	mix := buildMix(v, 1, 30)
	kind := Kind(os.Getenv("PROF_KIND"))
	ctx := context.Background()
	lat := map[Kind][]time.Duration{}
	for round := 0; round < 3; round++ {
		for _, s := range mix {
			if kind != "" && s.Kind != kind {
				continue
			}
			st := time.Now()
			if _, err := dir.Search(ctx, s.Query); err != nil {
				t.Fatal(err)
			}
			lat[s.Kind] = append(lat[s.Kind], time.Since(st))
		}
	}
	for k, l := range lat {
		s := summarise(l, 0, 0)
		t.Logf("%-22s p50 %6.2f p95 %6.2f p99 %6.2f", k, s.P50, s.P95, s.P99)
	}
}
