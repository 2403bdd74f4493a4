package main

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"
)

func TestZZProf2(t *testing.T) {
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
	mix := buildMix(v, 1, 40)
	ctx := context.Background()
	type r struct {
		q     string
		d     time.Duration
		total int
	}
	var rs []r
	for _, s := range mix {
		if s.Kind != KindText && s.Kind != KindTextNear {
			continue
		}
		st := time.Now()
		res, err := dir.Search(ctx, s.Query)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r{string(s.Kind) + " " + s.Query.Text, time.Since(st), res.Total})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].d > rs[j].d })
	for _, x := range rs[:25] {
		t.Logf("%-40s %6.1f ms %6d", x.q, float64(x.d.Microseconds())/1000, x.total)
	}
}
