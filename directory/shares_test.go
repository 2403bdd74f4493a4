package directory_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

func TestShares(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	dir := t.TempDir()
	d := openFeedbackDirIn(t, dir, &now)
	a := putFeedbackListing(t, d, "allotment-society", "A1", "Allotment Saturdays")
	b := putFeedbackListing(t, d, "choir", "C1", "Community Choir")

	token, sh, err := d.CreateShare(ctx, []string{a.ID, b.ID, a.ID, " "})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sh.ListingIDs, []string{a.ID, b.ID}) || !sh.Expires.Equal(now.Add(directory.ShareTTL)) {
		t.Errorf("CreateShare = %+v; want the two ids once each, in order, for 30 days", sh)
	}
	if len(token) < 40 {
		t.Errorf("the token %q is too short to be unguessable", token)
	}
	token2, _, err := d.CreateShare(ctx, []string{b.ID})
	if err != nil || token2 == token {
		t.Fatalf("a second share: token %q, %v; want a different token", token2, err)
	}

	t.Run("opens until it expires", func(t *testing.T) {
		now = now.Add(directory.ShareTTL - time.Minute)
		got, err := d.Share(ctx, token)
		if err != nil || !slices.Equal(got.ListingIDs, []string{a.ID, b.ID}) {
			t.Fatalf("Share a minute before it expires = %+v, %v", got, err)
		}
		now = now.Add(time.Minute)
		if _, err := d.Share(ctx, token); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("Share at its expiry: %v, want ENOTFOUND", err)
		}
	})

	t.Run("wrong tokens", func(t *testing.T) {
		for _, tok := range []string{"", "nope", strings.Repeat("x", 300), token + "x", token[:len(token)-1]} {
			if _, err := d.Share(ctx, tok); directory.ErrorCode(err) != directory.ENOTFOUND {
				t.Errorf("Share(%.20q) = %v, want ENOTFOUND", tok, err)
			}
		}
	})

	t.Run("expired shares are pruned", func(t *testing.T) {
		n, err := d.PruneShares(ctx)
		if err != nil || n != 2 {
			t.Errorf("PruneShares = %d, %v; want both expired shares gone", n, err)
		}
		entries, err := d.Audit(ctx, directory.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var creates, prunes int
		for _, e := range entries {
			switch e.Action {
			case directory.AuditShareCreate:
				creates++
				if strings.Contains(e.Detail, token) || strings.Contains(e.Target, a.ID) || strings.Contains(e.Detail, a.ID) {
					t.Errorf("the audit entry %+v names the token or a listing", e)
				}
			case directory.AuditSharesPrune:
				prunes++
			}
		}
		if creates != 2 || prunes != 1 {
			t.Errorf("audit: %d share.create and %d shares.prune entries, want 2 and 1", creates, prunes)
		}
	})

	t.Run("bad shares", func(t *testing.T) {
		many := make([]string, directory.MaxShareListings+1)
		for i := range many {
			many[i] = putFeedbackListing(t, d, "many", "M"+strings.Repeat("x", i+1), "Many").ID
		}
		for name, ids := range map[string][]string{
			"empty":         nil,
			"blank":         {" "},
			"unknown":       {a.ID, "no-such-listing"},
			"too many":      many,
			"just too many": append([]string{a.ID}, many[:directory.MaxShareListings]...),
		} {
			if _, _, err := d.CreateShare(ctx, ids); directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("%s: CreateShare = %v, want EINVALID", name, err)
			}
		}
		if _, _, err := d.CreateShare(ctx, many[:directory.MaxShareListings]); err != nil {
			t.Errorf("a share of exactly %d listings: %v", directory.MaxShareListings, err)
		}
	})

	t.Run("the token is not in the store", func(t *testing.T) {
		live, _, err := d.CreateShare(ctx, []string{a.ID})
		if err != nil {
			t.Fatal(err)
		}
		d.Close()
		raw, err := os.ReadFile(directory.StorePath(dir))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(live)) || !bytes.Contains(raw, []byte(directory.HashSecret(live))) {
			t.Error("the share token is kept in plain text, or not under its hash")
		}
	})
}
