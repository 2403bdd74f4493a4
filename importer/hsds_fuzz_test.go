package importer

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// FuzzHSDSZip feeds arbitrary bytes to the datapackage zip reader and the
// service reader behind it. Whatever the input (zip slip, nested zips,
// bombs, lying sizes, broken CSV), nothing panics or hangs, every refusal
// is EINVALID, and an accepted zip only ever names files inside the
// package. Seeds: testdata/fuzz/FuzzHSDSZip and the cases below.
func FuzzHSDSZip(f *testing.F) {
	services := []byte("id,organization_id,name,description,status,email\ns1,o1,Walk,A walk.,active,a@example.org\n")
	orgs := []byte("id,name,description\no1,Org,An organisation.\n")
	sal := []byte("id,service_id,location_id\nsal1,s1,l1\n")
	locs := []byte("id,location_type,name,latitude,longitude\nl1,physical,Hall,51.46,-0.11\n")
	addrs := []byte("id,location_id,address_1,city,state_province,postal_code,country,address_type\na1,l1,1 Road,London,Lambeth,SW9 8AB,GB,physical\n")
	sched := []byte("id,service_id,freq,interval,byday,opens_at,closes_at\nsc1,s1,MONTHLY,1,\"1SA,-1FR\",10:00:00,12:00:00\n")
	seeds := []map[string][]byte{
		{"services.csv": services, "organizations.csv": orgs, "service_at_location.csv": sal, "locations.csv": locs, "addresses.csv": addrs, "schedules.csv": sched},
		{"pkg/services.csv": services, "pkg/datapackage.json": []byte(`{"resources":[{"name":"service","path":"services.csv"}]}`)},
		{"services.csv": services, "../../evil.csv": []byte("x")},
		{"services.csv": services, "inner.zip": []byte("PK\x03\x04")},
		{"datapackage.json": []byte(`{"version":"1.1.0","resources":[{"name":"service","path":"services.csv"},{"name":"regular_schedule","path":"regular_schedules.csv"}]}`),
			"services.csv": services, "regular_schedules.csv": []byte("id,service_id,weekday,opens_at,closes_at\nr1,s1,2,09:00,17:00\n")},
		{"services.csv": bytes.Repeat([]byte("0"), 2<<20)},
	}
	for _, s := range seeds {
		f.Add(zipFiles(f, s))
	}
	f.Add([]byte("PK\x03\x04 not really a zip"))
	vocab, err := data.LoadVocabulary()
	if err != nil {
		f.Fatal(err)
	}
	lim := hsdsLimits{MaxFiles: 50, MaxUnpacked: 4 << 20, MaxRatio: 100}
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw []byte) {
		src, err := openHSDSZip(zipFile("fuzz.zip", raw), lim)
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("refused with %v, want EINVALID", err)
			}
			return
		}
		for name := range src.names {
			if !filepath.IsLocal(name) || strings.Contains(name, "\\") {
				t.Fatalf("accepted a file outside the package: %q", name)
			}
		}
		pkg, err := readHSDSPackage(context.Background(), src)
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("read failed with %v, want EINVALID", err)
			}
			return
		}
		b := &hsdsBuilder{x: newHSDSIndex(pkg), partner: &directory.Partner{ID: "p1", Name: "Partner"}, tax: vocab.Taxonomy, gaz: vocab.Gazetteer,
			today: today, existing: map[string]*directory.Listing{}, validate: func(*directory.Listing) error { return nil }}
		for _, r := range pkg.tables["service"].rows {
			pr := b.build(r)
			if pr.listing != nil && (pr.listing.Name == "" || len(pr.listing.Categories) == 0) {
				t.Fatalf("built a listing without a name or category: %+v", pr.listing)
			}
		}
	})
}
