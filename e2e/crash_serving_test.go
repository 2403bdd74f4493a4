package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// TestKillWhileServingWrites keeps imports (from four partners at once),
// sign-ins and searches in flight and kills the server (SIGKILL) in the
// middle of them. After a restart everything the server acknowledged is
// there: every acknowledged import's listings and its audit entry, every
// acknowledged sign-in's session; and every import, acknowledged or cut
// off, is wholly there or wholly absent.
func TestKillWhileServingWrites(t *testing.T) {
	needBinary(t)
	dir := t.TempDir()
	partners := []string{"p1", "p2", "p3", "p4"}
	fx := prepare(t, dir, partners...)
	s := start(t, dir)

	type importResult struct {
		partner, prefix string
		rows            int
		acked           bool
		importID        string
	}
	var mu sync.Mutex
	var imports []importResult
	var sessions []*http.Cookie
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	// Each partner's token allows 10 imports at once: each partner sends
	// up to 9, of 40 to 400 rows, one after another.
	for pi, p := range partners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 9 {
				prefix := fmt.Sprintf("%s-%d", p, i)
				rows := 40 + 45*((i+pi)%9)
				resp, err := s.importCSV(ctx, fx.tokens[p], bytes.NewReader(listingsCSV(prefix, "otter", rows)), "mode=merge")
				r := importResult{partner: p, prefix: prefix, rows: rows}
				if err == nil {
					var ans struct {
						Applied  bool   `json:"applied"`
						ImportID string `json:"import_id"`
					}
					json.NewDecoder(resp.Body).Decode(&ans)
					resp.Body.Close()
					r.acked, r.importID = resp.StatusCode == http.StatusOK && ans.Applied, ans.ImportID
				}
				mu.Lock()
				imports = append(imports, r)
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	// Problem reports, about listings of the first acknowledged import.
	var reports []string // listing ids of acknowledged reports
	wg.Add(1)
	go func() {
		defer wg.Done()
		var target *importResult
		for target == nil && ctx.Err() == nil {
			mu.Lock()
			for i := range imports {
				if imports[i].acked {
					r := imports[i]
					target = &r
					break
				}
			}
			mu.Unlock()
			time.Sleep(10 * time.Millisecond)
		}
		for k := 0; target != nil && k < target.rows; k++ {
			id := directory.ListingID(target.partner, fmt.Sprintf("%s-%d", target.prefix, k))
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/listings/"+id+"/report", strings.NewReader("kind=not-running"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := client.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusSeeOther && strings.Contains(resp.Header.Get("Location"), "sent=1") {
				mu.Lock()
				reports = append(reports, id)
				mu.Unlock()
			}
		}
	}()
	// Sign-ins (the limit allows 10 from one address) and searches.
	wg.Add(2)
	go func() {
		defer wg.Done()
		for range 9 {
			code, ck := s.trySignIn(ctx, fx.admin)
			if code == 0 {
				return
			}
			if code == http.StatusSeeOther && ck != nil {
				mu.Lock()
				sessions = append(sessions, ck)
				mu.Unlock()
			}
		}
	}()
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			resp, err := client.Get(s.url + "/api/v1/search?q=otter")
			if err != nil {
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	// Kill once some imports have been acknowledged and others are under
	// way.
	for {
		mu.Lock()
		n := len(imports)
		mu.Unlock()
		if n >= 8 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.kill()
	cancel()
	wg.Wait()

	s = start(t, dir)
	for i, ck := range sessions {
		req, _ := http.NewRequest(http.MethodGet, s.url+"/account", nil)
		req.AddCookie(ck)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("acknowledged sign-in %d no longer works after the crash: %d", i, resp.StatusCode)
		}
	}
	var r readyz
	if code := s.getJSON("/readyz", &r); code != http.StatusOK || r.Health.Listings != r.Health.IndexedListings {
		t.Errorf("after the crash /readyz answered %d: %+v", code, r)
	}
	if otters := s.searchTotal("q=otter"); otters != r.Health.Listings {
		t.Errorf("a search finds %d listings, the store holds %d", otters, r.Health.Listings)
	}
	s.stop()

	d := openStopped(t, dir)
	defer d.Close()
	have := map[string]int{} // import prefix -> rows stored
	for _, p := range partners {
		ls, err := d.PartnerListings(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			have[l.Ref[:strings.LastIndex(l.Ref, "-")]]++
		}
	}
	entries, err := d.Audit(context.Background(), directory.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	logged := map[string]bool{}
	for _, e := range entries {
		if e.Action == directory.AuditImport {
			logged[e.Target] = true
		}
	}
	stored, err := d.Reports(context.Background(), directory.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	reported := map[string]bool{}
	for _, r := range stored {
		reported[r.ListingID] = true
	}
	for _, id := range reports {
		if !reported[id] {
			t.Errorf("the acknowledged report about %s is not in the store", id)
		}
	}
	var acked, whole, absent int
	for _, r := range imports {
		switch got := have[r.prefix]; {
		case got == r.rows:
			whole++
		case got == 0:
			absent++
			if r.acked {
				t.Errorf("import %s (%d rows) was acknowledged as %s but is not in the store", r.prefix, r.rows, r.importID)
			}
		default:
			t.Errorf("import %s is half there: %d of %d rows", r.prefix, got, r.rows)
		}
		if r.acked {
			acked++
			if !logged[r.importID] {
				t.Errorf("acknowledged import %s is not in the audit log", r.importID)
			}
		}
	}
	t.Logf("%d imports sent: %d acknowledged, %d wholly in the store, %d wholly absent; %d sign-ins and %d problem reports acknowledged", len(imports), acked, whole, absent, len(sessions), len(reports))
}

// trySignIn posts the sign-in form; it returns 0 when the server did not
// answer.
func (s *server) trySignIn(ctx context.Context, email string) (int, *http.Cookie) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/login", bytes.NewReader([]byte("email="+email+"&password="+adminPassword)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "lw_session" && c.Value != "" {
			return resp.StatusCode, c
		}
	}
	return resp.StatusCode, nil
}
