package directory

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Listings go into the index in the order of where they are, so that the
// listings of one area sit next to each other in it. A search round a
// place checks the distance of each listing in the grid cells round its
// circle from the listing's locations, kept as doc values, which Bleve
// stores compressed in blocks of listings that follow each other; in the
// order they were stored (by partner and reference) the few thousand
// listings near a place were spread over every block, and unpacking the
// blocks was half of a search by distance. In the order of place they
// fill a few blocks. The order is a Z-order (Morton) curve over latitude
// and longitude, which keeps most neighbours near each other on the
// curve; listings with no place come last.

// placeKey returns l's position on the curve, from its first location:
// 24 bits of latitude and of longitude, interleaved.
func placeKey(l *Listing) uint64 {
	for _, loc := range l.Locations {
		if p := loc.Point; p != nil {
			return morton(quantise(p.Lat, -90, 90), quantise(p.Lon, -180, 180))
		}
	}
	return math.MaxUint64
}

// quantise maps v in [lo, hi] to 24 bits.
func quantise(v, lo, hi float64) uint32 {
	const steps = 1 << 24
	x := (v - lo) / (hi - lo) * steps
	return uint32(min(max(x, 0), steps-1))
}

// morton interleaves the bits of a and b: a's in the odd places.
func morton(a, b uint32) uint64 {
	return spread(a)<<1 | spread(b)
}

// spread puts the 24 low bits of x in every other bit.
func spread(x uint32) uint64 {
	v := uint64(x) & 0xffffff
	v = (v | v<<16) & 0x0000ffff0000ffff
	v = (v | v<<8) & 0x00ff00ff00ff00ff
	v = (v | v<<4) & 0x0f0f0f0f0f0f0f0f
	v = (v | v<<2) & 0x3333333333333333
	v = (v | v<<1) & 0x5555555555555555
	return v
}

// placeValue is placeKey as the 8 bytes queued with a listing for the
// index (store.go).
func placeValue(l *Listing) []byte {
	return binary.BigEndian.AppendUint64(nil, placeKey(l))
}

// placed is a listing id with its place on the curve.
type placed struct {
	key uint64
	id  string
}

// byPlace returns the ids in the order of their keys; equal keys keep
// their order.
func byPlace(ps []placed) []string {
	slices.SortStableFunc(ps, func(a, b placed) int { return cmp.Compare(a.key, b.key) })
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.id
	}
	return ids
}

// idsByPlace returns the ids of the listings in bucket in the order of
// their places, reading only their locations.
func idsByPlace(bucket *bolt.Bucket) ([]string, error) {
	var ps []placed
	err := bucket.ForEach(func(k, v []byte) error {
		var l struct {
			Locations []Location `json:"locations"`
		}
		if err := json.Unmarshal(v, &l); err != nil {
			return Internal(err, "decode listing "+string(k))
		}
		ps = append(ps, placed{key: placeKey(&Listing{Locations: l.Locations}), id: string(k)})
		return nil
	})
	return byPlace(ps), err
}
