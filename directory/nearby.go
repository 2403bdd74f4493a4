package directory

import (
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
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

// withinCheck passes listings with a location within km of p, and tells the
// memo it returns the nearest distance of each.
func withinCheck(p LatLon, km float64) (docValueCheck, *nearestMemo) {
	m := &nearestMemo{center: p, radiusKm: km}
	m.visitor = m.visit
	return docValueCheck{field: fPoints, nearest: m}, m
}

// nearestMemo hands the nearest distance of each listing that the radius
// check passes on to the order by distance (rank.go). The check has just
// read the listing's locations, and without the memo Bleve's collector
// read and decoded them all again to sort: a third of a search by
// distance at a million listings.
//
// It belongs to one search, which Bleve runs on one goroutine. The radius
// check wraps the filters that every result passes (buildQuery), so the
// listing the collector sorts is one the check has just passed: the last,
// or, with words, the one before (Bleve's conjunction moves each of its
// parts on to the next match before it hands over the current one). The
// memo keeps the last few; for any other listing, nearest reads the
// locations itself.
type nearestMemo struct {
	center   LatLon
	radiusKm float64
	// The listings the check passed last, and their distances, in a ring.
	recent [4]passedListing
	next   int
	// dvr is the check's reader of locations, for this search.
	dvr index.DocValueReader
	// Per visit of a listing's locations.
	best    float64
	located bool
	visitor index.DocValueVisitor
	// misses counts the listings nearest had to read again, for tests.
	misses int
}

// passedListing is a listing the radius check passed, and its distance.
type passedListing struct {
	id index.IndexInternalID
	km float64
}

func (m *nearestMemo) visit(_ string, v []byte) {
	if p, ok := decodePoint(v); ok {
		if km := DistanceKm(m.center, p); !m.located || km < m.best {
			m.best, m.located = km, true
		}
	}
}

// reset forgets the listings of an earlier search (buildQuery's query runs
// twice for words sorted by distance, and the index may change between the
// two, giving listings other internal ids): each search's radius check
// calls it as it starts.
func (m *nearestMemo) reset(dvr index.DocValueReader) {
	for i := range m.recent {
		m.recent[i].id = m.recent[i].id[:0]
	}
	m.next, m.dvr = 0, dvr
}

// measure reads the locations of listing id with this search's reader and
// returns the nearest
// distance, reporting whether it has any.
func (m *nearestMemo) measure(id index.IndexInternalID) (float64, bool, error) {
	m.best, m.located = 0, false
	err := m.dvr.VisitDocValues(id, m.visitor)
	return m.best, m.located, err
}

// pass reports whether listing id has a location within the radius, and
// remembers its distance when it has.
func (m *nearestMemo) pass(id index.IndexInternalID) (bool, error) {
	km, located, err := m.measure(id)
	if err != nil || !located || km > m.radiusKm {
		return false, err
	}
	p := &m.recent[m.next]
	p.id, p.km = append(p.id[:0], id...), km
	m.next = (m.next + 1) % len(m.recent)
	return true, nil
}

// nearest returns the distance of listing id's nearest location, and
// whether it has one.
func (m *nearestMemo) nearest(id index.IndexInternalID) (float64, bool) {
	for _, p := range m.recent {
		if len(p.id) > 0 && p.id.Equals(id) {
			return p.km, true
		}
	}
	m.misses++
	if m.dvr == nil {
		return 0, false
	}
	km, located, err := m.measure(id)
	return km, located && err == nil
}
