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

// decodePoint reads what encodePoint writes. A search near a place decodes
// the location of every listing in its circle, tens of thousands in a city
// at a million listings, so the numbers are read digit by digit;
// strconv.ParseFloat, which gives the same values, was an eighth of such a
// search.
func decodePoint(b []byte) (LatLon, bool) {
	if len(b) == 0 || b[0] != 'p' {
		return LatLon{}, false
	}
	lat, rest, ok := parseDecimal(b[1:])
	if !ok || len(rest) == 0 || rest[0] != ',' {
		return LatLon{}, false
	}
	lon, rest, ok := parseDecimal(rest[1:])
	if !ok || len(rest) != 0 {
		return LatLon{}, false
	}
	return LatLon{Lat: lat, Lon: lon}, true
}

// pow10 are the powers of ten that float64 holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseDecimal reads a number such as -0.123456 from the start of b and
// returns it with what follows. With at most 15 digits, the digits and the
// power of ten are exact in a float64 and IEEE division rounds correctly,
// so the result is the double nearest the decimal, as strconv.ParseFloat's
// is. Anything else is handed to strconv.ParseFloat.
func parseDecimal(b []byte) (float64, []byte, bool) {
	end := 0
	for end < len(b) && b[end] != ',' {
		end++
	}
	num, rest := b[:end], b[end:]
	i, neg := 0, false
	if i < len(num) && num[i] == '-' {
		neg, i = true, 1
	}
	var m uint64
	digits, frac, dot := 0, 0, false
	for ; i < len(num); i++ {
		c := num[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			digits = 99 // not plain digits: let strconv judge
		}
	}
	if digits == 0 || digits > 15 {
		v, err := strconv.ParseFloat(string(num), 64)
		return v, rest, err == nil
	}
	v := float64(m) / pow10[frac]
	if neg {
		v = -v
	}
	return v, rest, true
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
