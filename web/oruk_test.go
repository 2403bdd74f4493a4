package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/importer/hsds"
	"github.com/livingwell/livingwell/web"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// orukServer serves a directory in a temporary folder, with the sample
// network when sample is true, at a fixed time.
func orukServer(t *testing.T, sample bool) (*httptest.Server, *directory.Directory) {
	t.Helper()
	vocab, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d, err := directory.Open(directory.Config{Dir: t.TempDir(), Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if sample {
		if _, err := importer.New(d).LoadSample(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// These tests read every service one by one, as a hub harvesting the
	// directory would, faster than the public API's rate limit allows one
	// client (and on a stopped clock, which never refills it).
	unlimited := web.Limits{PublicAPI: web.Rate{Burst: 1 << 30, Per: time.Nanosecond}}
	srv, err := web.New(web.Config{Dir: d, Importer: importer.New(d), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: unlimited})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, d
}

// orukSchemas compiles the UK profile's schemas from testdata, asserting
// formats (uuid, uri, email, date-time) as well as shapes.
func orukSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	files, err := filepath.Glob("testdata/oruk/*.json")
	if err != nil {
		t.Fatal(err)
	}
	const base = "https://schemas.test/oruk/"
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := c.AddResource(base+filepath.Base(f), doc); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{"service", "service_list", "service_at_location", "service_at_location_list", "organization", "organization_list", "taxonomy", "taxonomy_term"} {
		sch, err := c.Compile(base + name + ".json")
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		out[name] = sch
	}
	return out
}

// getJSON fetches a path and decodes the answer, checking the status and
// the CORS header.
func getJSON(t *testing.T, ts *httptest.Server, path string, wantStatus int) any {
	t.Helper()
	res, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d: %s", path, res.StatusCode, wantStatus, body)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("GET %s: Access-Control-Allow-Origin %q, want *", path, got)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: not JSON: %v", path, err)
	}
	return v
}

// checkPage validates a paged answer and each item against a schema, and
// returns the items.
func checkPage(t *testing.T, path string, v any, item *jsonschema.Schema) []any {
	t.Helper()
	page, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: not an object", path)
	}
	for _, k := range []string{"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"} {
		if _, ok := page[k]; !ok {
			t.Errorf("%s: no %s", path, k)
		}
	}
	contents, _ := page["contents"].([]any)
	if n, _ := page["size"].(json.Number); n.String() != itoa(len(contents)) {
		t.Errorf("%s: size %v but %d contents", path, page["size"], len(contents))
	}
	if empty, _ := page["empty"].(bool); empty != (len(contents) == 0) {
		t.Errorf("%s: empty %v with %d contents", path, page["empty"], len(contents))
	}
	for i, c := range contents {
		if err := item.Validate(c); err != nil {
			t.Errorf("%s: item %d does not follow the schema: %v", path, i, err)
		}
	}
	return contents
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func totalItems(v any) int {
	n, _ := v.(map[string]any)["total_items"].(json.Number).Int64()
	return int(n)
}

func firstID(items []any) string {
	if len(items) == 0 {
		return ""
	}
	id, _ := items[0].(map[string]any)["id"].(string)
	return id
}

func TestORUKAnswersFollowTheSchemas(t *testing.T) {
	schemas := orukSchemas(t)
	ts, d := orukServer(t, true)
	all, err := d.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	root := getJSON(t, ts, "/oruk/", http.StatusOK).(map[string]any)
	if root["version"] != "3.0" || !strings.HasSuffix(root["openapi_url"].(string), "/oruk/openapi.json") || root["profile"] == "" {
		t.Errorf("root: %v", root)
	}
	doc := getJSON(t, ts, "/oruk/openapi.json", http.StatusOK).(map[string]any)
	if doc["openapi"] != "3.0.0" || doc["servers"] == nil {
		t.Errorf("the OpenAPI document lacks openapi or servers")
	}

	walking := hsds.TermUUID("walking-groups")
	services := []struct {
		query string
		check func(t *testing.T, total int)
	}{
		{"", func(t *testing.T, total int) {
			if total != all {
				t.Errorf("%d services, want every listing (%d)", total, all)
			}
		}},
		{"?per_page=7&page=3", nil},
		{"?search=gardening", func(t *testing.T, total int) {
			if total == 0 || total == all {
				t.Errorf("search found %d of %d", total, all)
			}
		}},
		{"?taxonomy_term_id=" + walking, func(t *testing.T, total int) {
			if total == 0 {
				t.Error("no walking groups")
			}
		}},
		{"?taxonomy_id=" + hsds.LivingWellTaxonomy.ID, func(t *testing.T, total int) {
			if total != all {
				t.Errorf("%d in the Living Well taxonomy, want all %d", total, all)
			}
		}},
		{"?minimum_age=18&maximum_age=120", nil},
		{"?day=tue&start_time=09:00&end_time=13:00", func(t *testing.T, total int) {
			if total == 0 {
				t.Error("nothing on Tuesday mornings")
			}
		}},
		{"?postcode=SW9%208AB&proximity=1500&search=food", nil},
		{"?modified_after=2026-01-01T00:00:00Z", func(t *testing.T, total int) {
			if total != all {
				t.Errorf("%d modified after New Year, want all %d", total, all)
			}
		}},
		{"?modified_after=2026-03-03", func(t *testing.T, total int) {
			if total != 0 {
				t.Errorf("%d modified in the future", total)
			}
		}},
		{"?taxonomy_term_id=00000000-0000-4000-8000-000000000000", func(t *testing.T, total int) {
			if total != 0 {
				t.Errorf("%d with an unknown term", total)
			}
		}},
	}
	var firstService string
	for _, tt := range services {
		t.Run("services"+tt.query, func(t *testing.T) {
			v := getJSON(t, ts, "/oruk/services"+tt.query, http.StatusOK)
			items := checkPage(t, tt.query, v, schemas["service_list"])
			if tt.check != nil {
				tt.check(t, totalItems(v))
			}
			if firstService == "" {
				firstService = firstID(items)
			}
		})
	}
	t.Run("a service", func(t *testing.T) {
		v := getJSON(t, ts, "/oruk/services/"+firstService, http.StatusOK)
		if err := schemas["service"].Validate(v); err != nil {
			t.Error(err)
		}
	})
	t.Run("every service in full", func(t *testing.T) {
		v := getJSON(t, ts, "/oruk/services?per_page=1000", http.StatusOK)
		for _, item := range v.(map[string]any)["contents"].([]any) {
			id := item.(map[string]any)["id"].(string)
			if err := schemas["service"].Validate(getJSON(t, ts, "/oruk/services/"+id, http.StatusOK)); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
	})
	var firstSAL string
	for _, q := range []string{"", "?postcode=SE27&proximity=2000", "?postcode=SW2", "?search=walk&day=sat"} {
		t.Run("service_at_locations"+q, func(t *testing.T) {
			items := checkPage(t, q, getJSON(t, ts, "/oruk/service_at_locations"+q, http.StatusOK), schemas["service_at_location_list"])
			if firstSAL == "" {
				firstSAL = firstID(items)
			}
		})
	}
	t.Run("a service at a location", func(t *testing.T) {
		if err := schemas["service_at_location"].Validate(getJSON(t, ts, "/oruk/service_at_locations/"+firstSAL, http.StatusOK)); err != nil {
			t.Error(err)
		}
	})
	t.Run("organizations", func(t *testing.T) {
		items := checkPage(t, "organizations", getJSON(t, ts, "/oruk/organizations?per_page=1000", http.StatusOK), schemas["organization_list"])
		for _, it := range items[:3] {
			id := it.(map[string]any)["id"].(string)
			if err := schemas["organization"].Validate(getJSON(t, ts, "/oruk/organizations/"+id, http.StatusOK)); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
	})
	t.Run("taxonomies", func(t *testing.T) {
		items := checkPage(t, "taxonomies", getJSON(t, ts, "/oruk/taxonomies", http.StatusOK), schemas["taxonomy"])
		for _, it := range items {
			if err := schemas["taxonomy"].Validate(getJSON(t, ts, "/oruk/taxonomies/"+it.(map[string]any)["id"].(string), http.StatusOK)); err != nil {
				t.Error(err)
			}
		}
	})
	t.Run("taxonomy terms", func(t *testing.T) {
		items := checkPage(t, "taxonomy_terms", getJSON(t, ts, "/oruk/taxonomy_terms?per_page=100", http.StatusOK), schemas["taxonomy_term"])
		if len(items) < 61 {
			t.Errorf("%d terms, want the 61 Living Well terms at least", len(items))
		}
		if err := schemas["taxonomy_term"].Validate(getJSON(t, ts, "/oruk/taxonomy_terms/"+walking, http.StatusOK)); err != nil {
			t.Error(err)
		}
	})
}

func TestORUKEmptyDirectory(t *testing.T) {
	schemas := orukSchemas(t)
	ts, _ := orukServer(t, false)
	for path, schema := range map[string]string{
		"/oruk/services": "service_list", "/oruk/service_at_locations": "service_at_location_list",
		"/oruk/organizations": "organization_list", "/oruk/taxonomy_terms?per_page=5": "taxonomy_term",
	} {
		t.Run(path, func(t *testing.T) {
			v := getJSON(t, ts, path, http.StatusOK)
			items := checkPage(t, path, v, schemas[schema])
			if schema != "taxonomy_term" && (len(items) != 0 || totalItems(v) != 0) {
				t.Errorf("%d items in an empty directory", len(items))
			}
		})
	}
}

func TestORUKErrors(t *testing.T) {
	ts, _ := orukServer(t, false)
	unknownService := hsds.ListingUUID(hsds.KindService, directory.ListingID("p", "r"), 0)
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/oruk/services/" + unknownService, http.StatusNotFound, "no service"},
		{"/oruk/services/not-a-uuid", http.StatusNotFound, "ids are UUIDs"},
		{"/oruk/services/" + hsds.TermUUID("food"), http.StatusNotFound, "no service"},
		{"/oruk/service_at_locations/" + unknownService, http.StatusNotFound, "no service at location"},
		{"/oruk/organizations/" + hsds.NameUUID("x"), http.StatusNotFound, "no organization"},
		{"/oruk/taxonomies/" + hsds.NameUUID("x"), http.StatusNotFound, "no taxonomy"},
		{"/oruk/taxonomy_terms/" + hsds.NameUUID("x"), http.StatusNotFound, "no taxonomy term"},
		{"/oruk/nothing-here", http.StatusNotFound, "nothing at"},
		{"/oruk/services?page=0", http.StatusBadRequest, "page="},
		{"/oruk/services?per_page=5000", http.StatusBadRequest, "per_page="},
		{"/oruk/services?minimum_age=old", http.StatusBadRequest, "minimum_age="},
		{"/oruk/services?start_time=9am", http.StatusBadRequest, "start_time="},
		{"/oruk/services?start_time=12:00&end_time=09:00", http.StatusBadRequest, "before the start time"},
		{"/oruk/services?day=someday", http.StatusBadRequest, "day="},
		{"/oruk/services?modified_after=yesterday", http.StatusBadRequest, "modified_after="},
		{"/oruk/services?proximity=500", http.StatusBadRequest, "needs a postcode"},
		{"/oruk/services?postcode=SW9&proximity=-1", http.StatusBadRequest, "proximity="},
		{"/oruk/services?postcode=NOPE", http.StatusBadRequest, "postcode"},
		{"/oruk/services?taxonomy_term_id=food", http.StatusBadRequest, "taxonomy_term_id="},
		{"/oruk/services?page=100&per_page=1000", http.StatusBadRequest, "too deep"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			v := getJSON(t, ts, tt.path, tt.status)
			msg, _ := v.(map[string]any)["error"].(map[string]any)["message"].(string)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q, want it to say %q", msg, tt.want)
			}
		})
	}
	t.Run("preflight", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/oruk/services", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("status %d, CORS %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
		}
	})
}
