package main

import (
	"fmt"
	"image/color"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// series is one line of a chart panel: how one way of searching grows
// with the number of listings.
type series struct {
	name  string
	color color.Color
	dash  []vg.Length
	p95   func(KindResult) float64
}

var chartSeries = []series{
	{"ours, in-process", color.RGBA{R: 0, G: 94, B: 165, A: 255}, nil, func(k KindResult) float64 { return k.InProc1.P95 }},
	{"ours, HTTP", color.RGBA{R: 0, G: 112, B: 60, A: 255}, []vg.Length{vg.Points(4), vg.Points(2)}, func(k KindResult) float64 { return k.HTTP1.P95 }},
	{"PostgreSQL", color.RGBA{R: 212, G: 53, B: 28, A: 255}, []vg.Length{vg.Points(1), vg.Points(2)}, func(k KindResult) float64 { return k.PG1.P95 }},
}

// writeChart draws p95 latency at concurrency 1 against the number of
// listings, one panel per kind of search, ours (in-process and over HTTP)
// beside the PostgreSQL baseline, both axes logarithmic, as a PNG.
func writeChart(path string, sizes []*SizeResult) error {
	const cols = 3
	rows := (len(kinds) + cols - 1) / cols
	// Every panel on the same scale, whole decades, so they compare at a
	// glance.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, sz := range sizes {
		for _, kr := range sz.Kinds {
			for _, s := range chartSeries {
				if v := s.p95(kr); v > 0 {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 1, 10
	}
	yMin, yMax := math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
	if yMax <= yMin {
		yMax = yMin * 10
	}
	plots := make([][]*plot.Plot, rows)
	for i, k := range kinds {
		p := plot.New()
		p.Title.Text = string(k)
		p.X.Label.Text = "listings"
		p.Y.Label.Text = "p95 (ms)"
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.X.Tick.Marker = sizeTicks{sizes}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		p.Y.Min, p.Y.Max = yMin, yMax
		p.Add(plotter.NewGrid())
		for _, s := range chartSeries {
			var pts plotter.XYs
			for _, sz := range sizes {
				for _, kr := range sz.Kinds {
					if v := s.p95(kr); kr.Kind == k && v > 0 {
						pts = append(pts, plotter.XY{X: float64(sz.N), Y: v})
					}
				}
			}
			if len(pts) == 0 {
				continue
			}
			line, points, err := plotter.NewLinePoints(pts)
			if err != nil {
				return err
			}
			line.Color, line.Dashes, line.Width = s.color, s.dash, vg.Points(1.5)
			points.Color, points.Shape = s.color, draw.CircleGlyph{}
			p.Add(line, points)
			if i == 0 {
				p.Legend.Add(s.name, line, points)
			}
		}
		p.Legend.Top, p.Legend.Left = true, true
		if len(sizes) == 1 {
			// One size: widen the axis so the points are not on its edge.
			p.X.Min, p.X.Max = float64(sizes[0].N)/2, float64(sizes[0].N)*2
		}
		plots[i/cols] = append(plots[i/cols], p)
	}
	for r := range plots {
		for len(plots[r]) < cols {
			plots[r] = append(plots[r], nil)
		}
	}
	img := vgimg.New(vg.Points(900), vg.Points(float64(300*rows)))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(12), PadY: vg.Points(12), PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(12)}
	canvases := plot.Align(plots, tiles, dc)
	for r := range plots {
		for c, p := range plots[r] {
			if p != nil {
				p.Draw(canvases[r][c])
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// sizeTicks marks the sizes measured: 1k, 10k, 100k, 1M.
type sizeTicks struct{ sizes []*SizeResult }

// Ticks returns a labelled tick at each size measured.
func (t sizeTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, s := range t.sizes {
		if v := float64(s.N); v >= lo && v <= hi {
			out = append(out, plot.Tick{Value: v, Label: short(s.N)})
		}
	}
	return out
}
