package directory

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Shared shortlists: a worker gives the person they are talking with a link
// (/s/{token}) to the listings they shortlisted together. A share holds the
// listing ids and its dates and nothing else: nothing about the person, and
// not who made it (the audit log records that a share was made, by whom,
// and how many listings it holds). The link is a random 256-bit token; only
// its SHA-256 is stored, as for sign-in sessions, so the store file alone
// cannot open a share. A share stops working ShareTTL after it was made:
// the expiry is checked on every read, and expired shares are deleted
// whenever a new one is made.

// bucketShares maps sha256(token), in hex, to a JSON Share.
var bucketShares = []byte("shares")

func init() { allBuckets = append(allBuckets, bucketShares) }

// Share limits.
const (
	// ShareTTL is how long a share link works.
	ShareTTL = 30 * 24 * time.Hour
	// MaxShareListings is the most listings one share holds.
	MaxShareListings = 20
)

// Audit actions of shares.
const (
	AuditShareCreate = "share.create" // a worker made a share link
	AuditSharesPrune = "shares.prune" // expired share links deleted
)

// Share is a shared shortlist: listing ids, when it was made and when it
// stops working.
type Share struct {
	ListingIDs []string  `json:"listing_ids"`
	Created    time.Time `json:"created"`
	Expires    time.Time `json:"expires"`
}

// CreateShare stores a share of the listings with the given ids (duplicates
// dropped, order kept) and returns its token, to put in the link, and the
// share. It returns EINVALID for no ids, more than MaxShareListings, or an
// id that names no listing. Expired shares are deleted in the same
// transaction.
func (d *Directory) CreateShare(ctx context.Context, ids []string) (string, *Share, error) {
	var keep []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(keep, id) {
			keep = append(keep, id)
		}
	}
	switch {
	case len(keep) == 0:
		return "", nil, Errorf(EINVALID, "the shortlist is empty - pin something to it first")
	case len(keep) > MaxShareListings:
		return "", nil, Errorf(EINVALID, "a shared list holds up to %d listings - remove %d from the shortlist", MaxShareListings, len(keep)-MaxShareListings)
	}
	token := NewSecret()
	now := d.now().UTC()
	sh := &Share{ListingIDs: keep, Created: now, Expires: now.Add(ShareTTL)}
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, id := range keep {
			l, err := getListing(tx, id)
			if err != nil {
				return err
			}
			if l == nil {
				return Errorf(EINVALID, "listing %q is no longer in the directory - remove it from the shortlist", id)
			}
		}
		if _, err := pruneShares(ctx, tx, d, now); err != nil {
			return err
		}
		if err := d.audit(ctx, tx, AuditShareCreate, "", fmt.Sprintf("%d listings, until %s", len(keep), sh.Expires.Format(time.RFC3339))); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketShares), HashSecret(token), sh)
	})
	if err != nil {
		return "", nil, err
	}
	return token, sh, nil
}

// errNoShare is the answer for a share link that is wrong, expired or
// deleted: the same for each, so a link reveals nothing.
func errNoShare() error {
	return Errorf(ENOTFOUND, "this link has expired or is not right - shared lists last 30 days; ask whoever gave it to you for a new one")
}

// Share returns the share a token opens. It returns ENOTFOUND when the
// token is unknown or the share has expired.
func (d *Directory) Share(ctx context.Context, token string) (*Share, error) {
	if token == "" || len(token) > 200 {
		return nil, errNoShare()
	}
	var sh Share
	err := d.store.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketShares).Get([]byte(HashSecret(token)))
		if v == nil {
			return errNoShare()
		}
		if err := json.Unmarshal(v, &sh); err != nil {
			return Internal(err, "decode share")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !d.now().Before(sh.Expires) {
		return nil, errNoShare()
	}
	return &sh, nil
}

// PruneShares deletes expired shares and returns how many.
func (d *Directory) PruneShares(ctx context.Context) (int, error) {
	n := 0
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		var err error
		n, err = pruneShares(ctx, tx, d, d.now())
		return err
	})
	return n, err
}

// pruneShares deletes the shares expired at now inside tx, recording how
// many in the audit log when there were any.
func pruneShares(ctx context.Context, tx *bolt.Tx, d *Directory, now time.Time) (int, error) {
	n := 0
	c := tx.Bucket(bucketShares).Cursor()
	for k, v := c.First(); k != nil; {
		var sh Share
		if json.Unmarshal(v, &sh) != nil || !now.Before(sh.Expires) {
			if err := c.Delete(); err != nil {
				return n, Internal(err, "delete expired share")
			}
			n++
			k, v = c.Seek(k)
			continue
		}
		k, v = c.Next()
	}
	if n == 0 {
		return 0, nil
	}
	return n, d.audit(ctx, tx, AuditSharesPrune, "", fmt.Sprintf("%d expired share links", n))
}
