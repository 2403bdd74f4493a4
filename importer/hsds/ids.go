package hsds

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Every HSDS id this package writes is a UUID derived from the directory's
// own ids, so the same listing has the same ids in every export and in the
// Open Referral API, release after release.
//
// Records that belong to one listing (the service and its locations,
// schedules, phones and so on) get a version 8 UUID, RFC 9562's layout for
// ids built by the application, which carries the listing's id: the API
// finds the listing for /services/{id} straight from the UUID, with no
// lookup table. The first eight hex digits are a SHA-1 check of the rest,
// so an id we did not write is not mistaken for one of ours:
//
//	cccccccc-iiii-8kkL-8LLL-LLLLLLLLLLLL
//	c check, i index within the listing, k kind, L the listing's 16 hex digits
//
// Records shared between listings (organizations, taxonomies and terms)
// get a version 5 UUID (SHA-1 of a name in the Namespace below).

// Namespace is the fixed namespace of the version 5 ids and the check of
// the version 8 ids. Changing it changes every id: never do.
const Namespace = "3f0d7c52-6a1e-4b8f-9c3d-2e5a7b1c9d40"

// Kind is the kind of record a listing-derived id names.
type Kind byte

// The kinds of listing-derived record.
const (
	KindService Kind = iota + 1
	KindLocation
	KindAddress
	KindServiceAtLocation
	KindSchedule
	KindCostOption
	KindContact
	KindPhone
	KindLanguage
	KindAccessibility
	KindAttribute
	KindServiceArea
)

// VirtualIndex is the index of a listing's online (virtual) location,
// apart from its physical ones.
const VirtualIndex = 0xFFFF

var namespaceBytes = func() []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(Namespace, "-", ""))
	if err != nil || len(b) != 16 {
		panic("hsds: bad namespace")
	}
	return b
}()

// NameUUID returns the version 5 UUID of name in Namespace.
func NameUUID(name string) string {
	h := sha1.New()
	h.Write(namespaceBytes)
	h.Write([]byte(name))
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

func formatUUID(b []byte) string {
	s := hex.EncodeToString(b)
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// ListingUUID returns the id of the record of the given kind and index
// that belongs to a listing. A listing id that is not 16 hex digits (which
// the directory never makes) gets a version 5 UUID instead, which is
// stable but cannot be read back.
func ListingUUID(kind Kind, listingID string, index int) string {
	if !isListingID(listingID) || index < 0 || index > 0xFFFF {
		return NameUUID(fmt.Sprintf("listing\x00%d\x00%s\x00%d", kind, listingID, index))
	}
	rest := fmt.Sprintf("%04x8%02x%s8%s%s", index, byte(kind), listingID[0:1], listingID[1:4], listingID[4:16])
	check := listingCheck(rest)
	return check + "-" + rest[0:4] + "-" + rest[4:8] + "-" + rest[8:12] + "-" + rest[12:24]
}

func listingCheck(rest string) string {
	h := sha1.New()
	h.Write(namespaceBytes)
	h.Write([]byte(rest))
	return hex.EncodeToString(h.Sum(nil)[:4])
}

func isListingID(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// ParseListingUUID reads an id written by ListingUUID back into its kind,
// listing id and index. ok is false for anything else, including a UUID
// whose check digits do not match.
func ParseListingUUID(id string) (kind Kind, listingID string, index int, ok bool) {
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) != 36 || id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-' {
		return 0, "", 0, false
	}
	rest := id[9:13] + id[14:18] + id[19:23] + id[24:36]
	if listingCheck(rest) != id[0:8] || rest[4] != '8' || rest[8] != '8' {
		return 0, "", 0, false
	}
	idx, err1 := strconv.ParseUint(rest[0:4], 16, 16)
	k, err2 := strconv.ParseUint(rest[5:7], 16, 8)
	if err1 != nil || err2 != nil {
		return 0, "", 0, false
	}
	return Kind(k), rest[7:8] + rest[9:12] + rest[12:24], int(idx), true
}

// IsUUID reports whether s has the shape of a UUID (8-4-4-4-12 hex digits).
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
				return false
			}
		}
	}
	return true
}

// OrganizationUUID returns the id of an organization: a partner's name
// for who runs its listings, compared without case.
func OrganizationUUID(partnerID, name string) string {
	return NameUUID("organization\x00" + partnerID + "\x00" + strings.ToLower(strings.TrimSpace(name)))
}

// TermUUID returns the id of a category, a Living Well taxonomy code or a
// category kept from imported data.
func TermUUID(code string) string { return NameUUID("term\x00" + code) }
