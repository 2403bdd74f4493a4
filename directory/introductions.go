package directory

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Introductions count warm handovers: a worker marks that they introduced
// someone to a listing (rang the group's organiser with them, walked them
// round). Only a count per listing and month is kept, so partners and the
// coordinator can see which listings people are introduced to: nothing
// about the person, and not which worker made it. The audit log records
// that the worker counted an introduction and in which month, but not to
// which listing: the worker, the time and the listing together could point
// at the person (in the worker's diary), and the log needs only who changed
// the counts.

// bucketIntroductions maps listing id \x00 month ("2026-03") to a count (8
// bytes, big-endian).
var bucketIntroductions = []byte("introductions")

func init() { allBuckets = append(allBuckets, bucketIntroductions) }

// AuditIntroduction is the audit action of a counted introduction.
const AuditIntroduction = "introduction.add"

// MonthOf returns the month of t in UK time, written "2026-03".
func MonthOf(t time.Time) string { return t.In(London()).Format("2006-01") }

var monthRE = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// IntroductionCount is how many introductions a listing had in a month.
type IntroductionCount struct {
	ListingID string
	Month     string
	Count     int
}

func introductionKey(listingID, month string) []byte {
	return []byte(listingID + "\x00" + month)
}

// RecordIntroduction counts one introduction to a listing in the current
// month and returns the month's count. It returns ENOTFOUND when the
// listing does not exist.
func (d *Directory) RecordIntroduction(ctx context.Context, listingID string) (IntroductionCount, error) {
	now := d.now()
	out := IntroductionCount{ListingID: listingID, Month: MonthOf(now)}
	if listingID == "" || strings.ContainsRune(listingID, 0) || len(listingID) > 200 {
		return out, Errorf(ENOTFOUND, "there is no listing %q", listingID)
	}
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		l, err := getListing(tx, listingID)
		if err != nil {
			return err
		}
		if l == nil {
			return Errorf(ENOTFOUND, "there is no listing %q - it may have been removed", listingID)
		}
		b := tx.Bucket(bucketIntroductions)
		key := introductionKey(listingID, out.Month)
		n := readU64(b.Get(key)) + 1
		out.Count = int(n)
		if err := d.audit(ctx, tx, AuditIntroduction, "", "an introduction counted in "+out.Month); err != nil {
			return err
		}
		return b.Put(key, u64(n))
	})
	return out, err
}

// IntroductionFilter picks introduction counts; its zero value picks all.
type IntroductionFilter struct {
	// ListingIDs keeps only these listings, when set.
	ListingIDs []string
	// Since keeps months from this one on ("2026-01"), when set.
	Since string
}

// Introductions returns the counts the filter picks, by listing id and
// then month. It returns EINVALID for a Since that is not a month.
func (d *Directory) Introductions(ctx context.Context, f IntroductionFilter) ([]IntroductionCount, error) {
	if f.Since != "" && !monthRE.MatchString(f.Since) {
		return nil, Errorf(EINVALID, "month %q should be written like 2026-03", f.Since)
	}
	var out []IntroductionCount
	keep := func(k, v []byte) {
		id, month, ok := bytes.Cut(k, []byte{0})
		if !ok || (f.Since != "" && string(month) < f.Since) {
			return
		}
		out = append(out, IntroductionCount{ListingID: string(id), Month: string(month), Count: int(readU64(v))})
	}
	err := d.store.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIntroductions).Cursor()
		if len(f.ListingIDs) == 0 {
			for k, v := c.First(); k != nil; k, v = c.Next() {
				keep(k, v)
			}
			return nil
		}
		ids := slices.Clone(f.ListingIDs)
		slices.Sort(ids)
		for _, id := range slices.Compact(ids) {
			prefix := []byte(id + "\x00")
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				keep(k, v)
			}
		}
		return nil
	})
	return out, err
}
