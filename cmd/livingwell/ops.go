package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// runBackup writes a consistent copy of the store to OUT. With --from it
// is taken by the running server (which holds the data directory's lock);
// without, the data directory must not be in use. The copy is checked
// before it is given its name, so OUT is either a whole, readable backup or
// not there.
func runBackup(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("backup", "[--from http://127.0.0.1:8080 --email ADMIN] OUT")
	from := fs.String("from", "", "take the backup through the running server at this address (sign in as an admin; the password from $LIVINGWELL_PASSWORD or standard input)")
	email := fs.String("email", "", "the admin's email, with --from")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.stderr, "give the file to write the backup to: livingwell backup OUT")
		return errUsage
	}
	out := fs.Arg(0)
	tmp := out + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	defer os.Remove(tmp)
	var n int64
	if *from != "" {
		n, err = env.remoteBackup(ctx, *from, *email, f)
	} else {
		n, err = directory.BackupStore(ctx, common.dataDir, f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	info, err := directory.CheckStore(tmp)
	if err != nil {
		return fmt.Errorf("the backup did not check out, so it was not kept: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("name the backup %s: %w", out, err)
	}
	fmt.Fprintf(env.stdout, "Backed up %d listings, %d partners, %d users and %d audit entries to %s (%d bytes).\n", info.Listings, info.Partners, info.Users, info.Audit, out, n)
	return nil
}

// remoteBackup downloads GET /admin/backup from the server into w.
func (env *cli) remoteBackup(ctx context.Context, from, email string, w io.Writer) (int64, error) {
	r, err := env.signIn(ctx, from, email)
	if err != nil {
		return 0, err
	}
	defer r.signOut(ctx)
	resp, err := r.get(ctx, "/admin/backup")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("download the backup: %w", err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, fmt.Errorf("download the backup: got %d of %d bytes", n, resp.ContentLength)
	}
	return n, nil
}

// runRestore replaces a stopped data directory's store with a backup. The
// store it replaces is kept beside it; the index is rebuilt on the next
// start.
func runRestore(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("restore", "[--data DIR] BACKUP")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.stderr, "give the backup file to restore: livingwell restore BACKUP")
		return errUsage
	}
	info, err := directory.Restore(ctx, common.dataDir, fs.Arg(0), time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Restored %d listings, %d partners and %d users into %s. The store it replaced is kept beside it as %s.before-restore-*; the search index is rebuilt on the next start.\n",
		info.Listings, info.Partners, info.Users, common.dataDir, filepath.Base(directory.StorePath(common.dataDir)))
	return nil
}

// runAudit prints the audit log, oldest first: from the data directory
// when no server is using it, or with --from through the running server.
func runAudit(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("audit", "[--since 2026-03-01|24h] [--limit N] [--json] [--from URL --email ADMIN]")
	since := fs.String("since", "", "only entries from this day (YYYY-MM-DD) or this long ago (such as 24h or 30m)")
	limit := fs.Int("limit", 1000, "at most this many entries, the newest")
	asJSON := fs.Bool("json", false, "print one JSON object a line")
	from := fs.String("from", "", "read the log through the running server at this address (sign in as an admin; the password from $LIVINGWELL_PASSWORD or standard input)")
	email := fs.String("email", "", "the admin's email, with --from")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if *limit < 1 || *limit > 10000 {
		return fmt.Errorf("--limit %d: give a number from 1 to 10000", *limit)
	}
	q := directory.AuditQuery{Limit: *limit}
	if *since != "" {
		t, err := parseSince(*since, time.Now())
		if err != nil {
			return err
		}
		q.Since = t
	}
	var entries []directory.AuditEntry
	var err error
	if *from != "" {
		entries, err = env.remoteAudit(ctx, *from, *email, q)
	} else {
		entries, err = directory.ReadAudit(ctx, common.dataDir, q)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN (UTC)\tWHO\tWHAT\tWHICH\tDETAILS")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.At.UTC().Format("2006-01-02 15:04:05"), e.Actor, e.Action, e.Target, e.Detail)
	}
	return tw.Flush()
}

// parseSince reads --since: a date (midnight in London) or a duration
// before now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, directory.London()); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: give a date such as 2026-03-01, or how long ago such as 24h", s)
}

// remoteAudit reads /admin/audit.json from the server.
func (env *cli) remoteAudit(ctx context.Context, from, email string, q directory.AuditQuery) ([]directory.AuditEntry, error) {
	r, err := env.signIn(ctx, from, email)
	if err != nil {
		return nil, err
	}
	defer r.signOut(ctx)
	v := url.Values{"limit": {strconv.Itoa(q.Limit)}}
	if !q.Since.IsZero() {
		v.Set("since", q.Since.In(directory.London()).Format("2006-01-02"))
	}
	resp, err := r.get(ctx, "/admin/audit.json?"+v.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Entries []directory.AuditEntry `json:"entries"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("read the audit log from %s: %w", from, err)
	}
	// The server filters by day; a --since of a duration is finer.
	out := body.Entries[:0]
	for _, e := range body.Entries {
		if !e.At.Before(q.Since) {
			out = append(out, e)
		}
	}
	return out, nil
}
