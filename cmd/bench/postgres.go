package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/livingwell/livingwell/directory"
)

// The PostgreSQL baseline: what an Open Referral directory built on
// PostgreSQL does (Ohana API searches with PostgreSQL full-text search
// and a geographic radius). Listings are one row each with a weighted
// tsvector (A: name, B: categories, interests and strengths, C: summary
// and organisation, D: description) under a GIN index, searched with
// websearch_to_tsquery and ordered by ts_rank. Places are a table of
// points under a GiST index of earthdistance's ll_to_earth, searched with
// earth_box and checked with earth_distance: earthdistance and cube come
// with postgresql-contrib, which Debian's PostgreSQL packages install, so
// the baseline needs nothing more (PostGIS is a separate package, and for
// a radius around a point it does the same work). Sessions are a table
// indexed by day and start.

// pgSchema creates the baseline's tables.
const pgSchema = `
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE TABLE listings (
	id text PRIMARY KEY, name text NOT NULL, summary text NOT NULL, description text NOT NULL,
	org text NOT NULL, about text NOT NULL, categories text[] NOT NULL, days text[] NOT NULL,
	free boolean NOT NULL, status text NOT NULL,
	tsv tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('english', name), 'A') ||
		setweight(to_tsvector('english', about), 'B') ||
		setweight(to_tsvector('english', summary || ' ' || org), 'C') ||
		setweight(to_tsvector('english', description), 'D')) STORED
);
CREATE TABLE locations (listing_id text NOT NULL, lat float8 NOT NULL, lon float8 NOT NULL);
CREATE TABLE sessions (listing_id text NOT NULL, day int NOT NULL, start_min int NOT NULL, end_min int NOT NULL, week int NOT NULL);
`

// pgIndexes are built after loading, as a bulk load should.
const pgIndexes = `
CREATE INDEX listings_tsv ON listings USING gin (tsv);
CREATE INDEX listings_categories ON listings USING gin (categories);
CREATE INDEX listings_days ON listings USING gin (days);
CREATE INDEX locations_earth ON locations USING gist (ll_to_earth(lat, lon));
CREATE INDEX locations_listing ON locations (listing_id);
CREATE INDEX sessions_day ON sessions (day, start_min);
CREATE INDEX sessions_listing ON sessions (listing_id);
ANALYZE;
`

// The baseline's queries, one per kind. Each answers a page of 20 with
// the total, as the directory's search does.
const (
	sqlText = `SELECT id, name, summary, count(*) OVER () FROM listings, websearch_to_tsquery('english', $1) q
WHERE status = 'active' AND tsv @@ q ORDER BY ts_rank(tsv, q) DESC, id LIMIT 20 OFFSET $2`
	sqlNear = `WITH near AS (
	SELECT listing_id, min(earth_distance(ll_to_earth($2, $3), ll_to_earth(lat, lon))) AS d FROM locations
	WHERE earth_box(ll_to_earth($2, $3), $4) @> ll_to_earth(lat, lon) AND earth_distance(ll_to_earth($2, $3), ll_to_earth(lat, lon)) <= $4
	GROUP BY listing_id)`
	sqlTextNear = sqlNear + `
SELECT l.id, l.name, l.summary, count(*) OVER () FROM listings l JOIN near ON near.listing_id = l.id, websearch_to_tsquery('english', $1) q
WHERE l.status = 'active' AND l.tsv @@ q ORDER BY ts_rank(l.tsv, q) DESC, l.id LIMIT 20`
	sqlFilters = `SELECT id, name, summary, count(*) OVER () FROM listings
WHERE status = 'active' AND categories @> ARRAY[$1::text] AND days @> ARRAY[$2::text] AND free ORDER BY id LIMIT 20`
	sqlOpenNow = `SELECT id, name, summary, count(*) OVER () FROM listings l
WHERE status = 'active' AND EXISTS (SELECT 1 FROM sessions s WHERE s.listing_id = l.id AND s.day = $1 AND s.start_min <= $2 AND s.end_min > $2
	AND (s.week = 0 OR s.week = $3 OR (s.week = -1 AND $4::boolean)))
ORDER BY id LIMIT 20`
	sqlByDistance = `WITH near AS (
	SELECT listing_id, min(earth_distance(ll_to_earth($1, $2), ll_to_earth(lat, lon))) AS d FROM locations
	WHERE earth_box(ll_to_earth($1, $2), $3) @> ll_to_earth(lat, lon) AND earth_distance(ll_to_earth($1, $2), ll_to_earth(lat, lon)) <= $3
	GROUP BY listing_id)
SELECT l.id, l.name, l.summary, count(*) OVER () FROM listings l JOIN near ON near.listing_id = l.id
WHERE l.status = 'active' ORDER BY near.d, l.id LIMIT 20`
)

// pgSettings tune the server as a careful operator would for this
// machine and a read-mostly load. fsync is off only to load faster: it
// does not change how queries run.
var pgSettings = []string{
	"shared_buffers=1GB", "effective_cache_size=4GB", "work_mem=32MB", "maintenance_work_mem=512MB",
	"random_page_cost=1.1", "jit=off", "fsync=off", "synchronous_commit=off", "full_page_writes=off",
	"max_connections=20", "logging_collector=off",
}

// postgres is a PostgreSQL server the harness started in a temporary
// folder, listening on a loopback port.
type postgres struct {
	dir  string
	port int
	cmd  *exec.Cmd
	pool *pgxpool.Pool
}

// errNoPostgres means PostgreSQL is not installed.
var errNoPostgres = errors.New("PostgreSQL is not installed (initdb and postgres not found on PATH or under /usr/lib/postgresql): apt-get install postgresql postgresql-contrib")

// findPostgres returns the folder holding initdb and postgres.
func findPostgres() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", errNoPostgres
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

// startPostgres runs initdb in a new temporary folder and starts the
// server on a free loopback port. As root it runs both as the postgres
// user, since PostgreSQL refuses to run as root; the folder is made
// directly in the system's temporary folder so that user can reach it.
// Output goes to log. stop removes the folder.
func startPostgres(ctx context.Context, log io.Writer) (*postgres, error) {
	bin, err := findPostgres()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "livingwell-bench-pg-")
	if err != nil {
		return nil, err
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs a postgres user to run as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	run := func(name string, args ...string) *exec.Cmd {
		c := exec.CommandContext(ctx, filepath.Join(bin, name), args...)
		c.Dir, c.Stdout, c.Stderr = dir, log, log
		c.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
		return c
	}
	data := filepath.Join(dir, "data")
	if err := run("initdb", "-D", data, "-U", "bench", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync").Run(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w", err)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	args := []string{"-D", data, "-p", strconv.Itoa(port), "-k", dir, "-c", "listen_addresses=127.0.0.1"}
	for _, s := range pgSettings {
		args = append(args, "-c", s)
	}
	pg := &postgres{dir: dir, port: port, cmd: run("postgres", args...)}
	if err := pg.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	cfg, err := pgxpool.ParseConfig(fmt.Sprintf("postgres://bench@127.0.0.1:%d/postgres?sslmode=disable", port))
	if err != nil {
		pg.stop()
		return nil, err
	}
	cfg.MaxConns = 16
	deadline := time.Now().Add(30 * time.Second)
	for {
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err == nil {
			if err = pool.Ping(ctx); err == nil {
				pg.pool = pool
				return pg, nil
			}
			pool.Close()
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			pg.stop()
			return nil, fmt.Errorf("postgres did not start within 30 s: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop shuts the server down (fast shutdown), waits for it and removes
// its folder.
func (pg *postgres) stop() {
	defer os.RemoveAll(pg.dir)
	if pg.pool != nil {
		pg.pool.Close()
	}
	if pg.cmd.Process != nil {
		pg.cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { pg.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			pg.cmd.Process.Kill()
			<-done
		}
	}
}

// load copies every listing of dir into the baseline's tables, then
// builds the indexes. It returns how long that took.
func (pg *postgres) load(ctx context.Context, dir *directory.Directory) (time.Duration, error) {
	start := time.Now()
	if _, err := pg.pool.Exec(ctx, pgSchema); err != nil {
		return 0, fmt.Errorf("create the baseline's tables: %w", err)
	}
	var listings, locations, sessions [][]any
	tax := dir.Taxonomy()
	flush := func() error {
		for _, t := range []struct {
			name string
			cols []string
			rows *[][]any
		}{
			{"listings", []string{"id", "name", "summary", "description", "org", "about", "categories", "days", "free", "status"}, &listings},
			{"locations", []string{"listing_id", "lat", "lon"}, &locations},
			{"sessions", []string{"listing_id", "day", "start_min", "end_min", "week"}, &sessions},
		} {
			if _, err := pg.pool.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(*t.rows)); err != nil {
				return fmt.Errorf("copy into %s: %w", t.name, err)
			}
			*t.rows = (*t.rows)[:0]
		}
		return nil
	}
	err := dir.ForEachListing(ctx, func(l *directory.Listing) error {
		var cats, labels []string
		seen := map[string]bool{}
		for _, c := range l.Categories {
			labels = append(labels, tax.Label(c))
			for _, code := range append([]string{c}, tax.Ancestors(c)...) {
				if !seen[code] {
					seen[code] = true
					cats = append(cats, code)
				}
			}
		}
		days := []string{}
		for _, s := range l.Sessions {
			days = append(days, directory.DayCode(s.Day))
			sessions = append(sessions, []any{l.ID, int(s.Day), s.Start, s.End, s.Week})
		}
		about := strings.Join(append(append(labels, l.Interests...), l.Strengths...), "; ")
		listings = append(listings, []any{l.ID, l.Name, l.Summary, l.Description, l.Organisation.Name, about, cats, days, l.Cost.Free, string(l.Status)})
		for _, p := range l.Points() {
			locations = append(locations, []any{l.ID, p.Lat, p.Lon})
		}
		if len(listings) >= 5000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return 0, err
	}
	if _, err := pg.pool.Exec(ctx, pgIndexes); err != nil {
		return 0, fmt.Errorf("index the baseline: %w", err)
	}
	return time.Since(start), nil
}

// query runs one search of the mix and reads every row, returning the
// total it reports.
func (pg *postgres) query(ctx context.Context, s Search) (int, error) {
	rows, err := pg.pool.Query(ctx, s.SQL, s.Args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var id, name, summary string
		var n int64
		if err := rows.Scan(&id, &name, &summary, &n); err != nil {
			return 0, err
		}
		total = int(n)
	}
	return total, rows.Err()
}

// sizeMB returns the size of the baseline's database on disk.
func (pg *postgres) sizeMB(ctx context.Context) (float64, error) {
	var b int64
	err := pg.pool.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&b)
	return float64(b) / (1 << 20), err
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
