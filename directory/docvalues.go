package directory

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// How locations and sessions are written as index doc values, from which
// search computes distances (nearby.go) and orders (rank.go) without
// reading the store.

// encodePoint writes a location for the index's doc values: "p" (so that
// Bleve never reads it as a number), latitude, comma, longitude.
func encodePoint(p LatLon) string {
	return "p" + strconv.FormatFloat(p.Lat, 'f', 6, 64) + "," + strconv.FormatFloat(p.Lon, 'f', 6, 64)
}

// decodePoint reads what encodePoint writes.
func decodePoint(b []byte) (LatLon, bool) {
	s, ok := strings.CutPrefix(string(b), "p")
	if !ok {
		return LatLon{}, false
	}
	a, c, ok := strings.Cut(s, ",")
	if !ok {
		return LatLon{}, false
	}
	lat, err1 := strconv.ParseFloat(a, 64)
	lon, err2 := strconv.ParseFloat(c, 64)
	return LatLon{Lat: lat, Lon: lon}, err1 == nil && err2 == nil
}

// encodeSession writes a session for the index's doc values: "s", then day,
// start, end and week as numbers.
func encodeSession(s Session) string {
	return fmt.Sprintf("s%d:%d:%d:%d", s.Day, s.Start, s.End, s.Week)
}

// decodeSession reads what encodeSession writes.
func decodeSession(b []byte) (Session, bool) {
	s, ok := strings.CutPrefix(string(b), "s")
	if !ok {
		return Session{}, false
	}
	parts := strings.Split(s, ":")
	if len(parts) != 4 {
		return Session{}, false
	}
	var n [4]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return Session{}, false
		}
		n[i] = v
	}
	ss := Session{Day: time.Weekday(n[0]), Start: n[1], End: n[2], Week: n[3]}
	return ss, ss.validate() == nil
}
