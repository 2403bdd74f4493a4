package directory

import (
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Searching within a radius. Bleve v2.6.1's geo-distance query checks only
// one point of a listing with several locations, so a listing whose other
// location is round the corner went missing. Instead, every location is
// filed under grid cells of four sizes; a search takes the cells that cover
// its circle as candidates and then keeps the listings with a location
// within the radius by orb's haversine distance, the same measure the
// results show.

// cellSizes are the grid sizes in degrees: about 1 km, 10 km, 100 km and
// 1,000 km across.
var cellSizes = []float64{0.01, 0.1, 1, 10}

// maxCoverCells is the most cells a radius search asks the index for; it
// uses the finest grid that covers its circle with no more.
const maxCoverCells = 64

// cellTerm names the cell of size level that holds grid row i, column j.
func cellTerm(level, i, j int) string { return fmt.Sprintf("%d:%d:%d", level, i, j) }

// gridIndex returns the row and column of p in the grid of the given size;
// columns wrap round at the antimeridian.
func gridIndex(p LatLon, size float64) (int, int) {
	cols := int(math.Round(360 / size))
	i := int(math.Floor((p.Lat + 90) / size))
	j := int(math.Floor((p.Lon+180)/size)) % cols
	return i, (j + cols) % cols
}

// cellTerms returns the cells a location is filed under, one per size.
func cellTerms(p LatLon) []string {
	out := make([]string, len(cellSizes))
	for level, size := range cellSizes {
		i, j := gridIndex(p, size)
		out[level] = cellTerm(level, i, j)
	}
	return out
}

// coverCells returns the cells, all of one size, that together cover the
// circle of radius km around p.
func coverCells(p LatLon, km float64) []string {
	b := Bound(p, km*1.01) // a margin for rounding; the exact check follows
	lo := LatLon{Lat: math.Max(b.Min.Lat(), -90), Lon: b.Min.Lon()}
	hi := LatLon{Lat: math.Min(b.Max.Lat(), 90-1e-9), Lon: b.Max.Lon()}
	level := len(cellSizes) - 1
	for l, size := range cellSizes {
		rows := math.Floor((hi.Lat+90)/size) - math.Floor((lo.Lat+90)/size) + 1
		cols := math.Floor((hi.Lon+180)/size) - math.Floor((lo.Lon+180)/size) + 1
		if rows*cols <= maxCoverCells {
			level = l
			break
		}
	}
	size := cellSizes[level]
	cols := int(math.Round(360 / size))
	i0, i1 := int(math.Floor((lo.Lat+90)/size)), int(math.Floor((hi.Lat+90)/size))
	j0, j1 := int(math.Floor((lo.Lon+180)/size)), int(math.Floor((hi.Lon+180)/size))
	if j1-j0+1 > cols {
		j0, j1 = 0, cols-1
	}
	var out []string
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			out = append(out, cellTerm(level, i, (j%cols+cols)%cols))
		}
	}
	return out
}

// withinCells matches the listings filed under the cells that cover the
// circle of km around p: every listing with a location within it, and some
// near it. withinCheck then keeps the ones within.
func withinCells(p LatLon, km float64) query.Query {
	return anyTerm(fCell, coverCells(p, km))
}

// withinCheck passes listings with a location within km of p.
func withinCheck(p LatLon, km float64) docValueCheck {
	return docValueCheck{field: fPoints, keep: func(v []byte) bool {
		pt, ok := decodePoint(v)
		return ok && DistanceKm(p, pt) <= km
	}}
}
