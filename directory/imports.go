package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Buckets of the import history.
var (
	// bucketImports: partner id \x00 sequence (8 bytes) -> JSON ImportRecord.
	bucketImports = []byte("imports")
	// bucketImportPrev: import id \x00 listing id -> JSON of the listing
	// before the import, or "null" when the import created it.
	bucketImportPrev = []byte("import_prev")
)

func init() { allBuckets = append(allBuckets, bucketImports, bucketImportPrev) }

// ImportRecord is one entry of a partner's import history: who uploaded
// what, when, and what it did.
type ImportRecord struct {
	// ID is assigned when the record is stored: partner id, "-", sequence.
	ID        string    `json:"id"`
	PartnerID string    `json:"partner_id"`
	User      string    `json:"user"` // e-mail of the person, or "token:<name>", or "cli"
	At        time.Time `json:"at"`
	FileName  string    `json:"file_name"`
	SHA256    string    `json:"sha256"`
	Mode      string    `json:"mode"` // merge, replace, undo
	Created   int       `json:"created"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Removed   int       `json:"removed"`
	Errors    int       `json:"errors"`
	Warnings  int       `json:"warnings"`
	// Plan is the importer's plan as JSON, kept for the record.
	Plan json.RawMessage `json:"plan,omitempty"`
	// UndoneAt is set when the import has been undone.
	UndoneAt *time.Time `json:"undone_at,omitempty"`
}

func importKey(partnerID string, seq uint64) []byte {
	return append([]byte(partnerID+"\x00"), u64(seq)...)
}

// putImport stores rec (assigning its ID) and the previous versions.
func putImport(tx *bolt.Tx, rec *ImportRecord, previous map[string]*Listing, now time.Time) error {
	b := tx.Bucket(bucketImports)
	seq, err := b.NextSequence()
	if err != nil {
		return Internal(err, "number the import")
	}
	rec.ID = rec.PartnerID + "-" + strconv.FormatUint(seq, 10)
	if rec.At.IsZero() {
		rec.At = now
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return Internal(err, "encode import record")
	}
	if err := b.Put(importKey(rec.PartnerID, seq), raw); err != nil {
		return Internal(err, "store import record")
	}
	prev := tx.Bucket(bucketImportPrev)
	prev.FillPercent = listingFill
	for _, id := range slices.Sorted(maps.Keys(previous)) { // in key order: see writeListings
		v, err := json.Marshal(previous[id])
		if err != nil {
			return Internal(err, "encode previous listing")
		}
		if err := prev.Put([]byte(rec.ID+"\x00"+id), v); err != nil {
			return Internal(err, "store previous listing")
		}
	}
	return nil
}

// Imports returns a partner's import history, newest first.
func (d *Directory) Imports(ctx context.Context, partnerID string) ([]ImportRecord, error) {
	var out []ImportRecord
	err := d.store.db.View(func(tx *bolt.Tx) error {
		recs, _, err := partnerImports(tx, partnerID)
		out = recs
		return err
	})
	slices.Reverse(out)
	return out, err
}

// partnerImports returns a partner's import records, oldest first, with
// their keys.
func partnerImports(tx *bolt.Tx, partnerID string) ([]ImportRecord, [][]byte, error) {
	var recs []ImportRecord
	var ks [][]byte
	prefix := []byte(partnerID + "\x00")
	c := tx.Bucket(bucketImports).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
		var r ImportRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, nil, Internal(err, "decode import record")
		}
		recs = append(recs, r)
		ks = append(ks, append([]byte(nil), k...))
	}
	return recs, ks, nil
}

// UndoImport reverses the partner's latest import that has not been undone:
// every listing it created is removed and every listing it changed or
// removed is put back exactly as it was, in one transaction. The undo is
// itself recorded in the history. It returns the undone record, or
// ENOTFOUND when there is nothing to undo.
func (d *Directory) UndoImport(ctx context.Context, partnerID, user string) (*ImportRecord, error) {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	var target *ImportRecord
	var targetKey []byte
	restore := map[string]*Listing{}
	err := d.store.db.View(func(tx *bolt.Tx) error {
		recs, ks, err := partnerImports(tx, partnerID)
		if err != nil {
			return err
		}
		for i := len(recs) - 1; i >= 0; i-- {
			if recs[i].Mode != "undo" && recs[i].UndoneAt == nil {
				target, targetKey = &recs[i], ks[i]
				break
			}
		}
		if target == nil {
			return nil
		}
		p := []byte(target.ID + "\x00")
		c := tx.Bucket(bucketImportPrev).Cursor()
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var l *Listing
			if err := json.Unmarshal(v, &l); err != nil {
				return Internal(err, "decode previous listing")
			}
			restore[string(k[len(p):])] = l
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if target == nil {
		return nil, Errorf(ENOTFOUND, "there is no import to undo")
	}
	current, err := d.Listings(ctx, slices.Collect(maps.Keys(restore)))
	if err != nil {
		return nil, err
	}
	exists := map[string]bool{}
	for _, l := range current {
		exists[l.ID] = true
	}
	ch := Change{PartnerID: partnerID, keepTimes: true}
	for _, id := range slices.Sorted(maps.Keys(restore)) {
		switch l := restore[id]; {
		case l != nil:
			ch.Put = append(ch.Put, l)
		case exists[id]:
			ch.Delete = append(ch.Delete, id)
		}
	}
	now := d.now().UTC()
	ch.Import = &ImportRecord{PartnerID: partnerID, User: user, At: now, Mode: "undo", FileName: target.FileName, SHA256: target.SHA256,
		Created: target.Removed, Removed: target.Created, Updated: target.Updated}
	target.UndoneAt = &now
	_, err = d.applyLocked(ctx, ch, func(tx *bolt.Tx) error {
		raw, err := json.Marshal(target)
		if err != nil {
			return Internal(err, "encode import record")
		}
		return tx.Bucket(bucketImports).Put(targetKey, raw)
	})
	if err != nil {
		return nil, err
	}
	return target, nil
}
