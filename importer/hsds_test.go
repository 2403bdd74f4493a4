package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

var hsdsTestNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// openHSDSTestDir opens an empty directory with one partner, p1.
func openHSDSTestDir(t testing.TB) *directory.Directory {
	t.Helper()
	vocab, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	d, err := directory.Open(directory.Config{Dir: t.TempDir(), Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: func() time.Time { return hsdsTestNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.AddPartner(context.Background(), directory.Partner{ID: "p1", Name: "Partner One", Website: "https://partner.example"}); err != nil {
		t.Fatal(err)
	}
	return d
}

// zipFiles makes a zip of the named contents, in name order.
func zipFiles(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// folderFiles reads every file of a folder, each under prefix.
func folderFiles(t testing.TB, dir, prefix string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[prefix+e.Name()] = b
	}
	return out
}

func zipFile(name string, b []byte) File {
	return File{Name: name, R: bytes.NewReader(b), Size: int64(len(b))}
}

func problemsText(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestPlanHSDSExamples(t *testing.T) {
	oruk := folderFiles(t, "testdata/hsds/oruk-3.0-example", "")
	descriptor, err := os.ReadFile("testdata/hsds/oruk-3.0-datapackage.json")
	if err != nil {
		t.Fatal(err)
	}
	oruk["datapackage.json"] = descriptor
	counselling := []string{
		"filed under \"Counselling\" from its name",
		"outside the UK (country US), so it is kept without a postcode or a point",
		"cost option ended on 31 December 2022",
	}
	tests := []struct {
		name     string
		plan     func(im *Importer) (*Plan, error)
		created  int
		warnings []string
		check    func(t *testing.T, ls []*directory.Listing)
	}{
		{
			name: "HSDS 3.0 example, folder",
			plan: func(im *Importer) (*Plan, error) {
				return im.PlanHSDSFolder(context.Background(), "p1", "testdata/hsds/hsds-3.0-example", Options{})
			},
			created:  1,
			warnings: append(slices.Clone(counselling), "schedule is left out because it ended on 1 January 2005", "does not use funding.csv"),
			check: func(t *testing.T, ls []*directory.Listing) {
				l := ls[0]
				if l.Ref != "ac148810-d857-441c-9679-408f346de14b" || l.Name != "Community Counselling" || l.Organisation.Name != "Example Organization Inc." {
					t.Errorf("ref %q, name %q, organisation %q", l.Ref, l.Name, l.Organisation.Name)
				}
				if len(l.Locations) != 1 || l.Locations[0].Point != nil || l.Locations[0].Postcode != "" || l.Locations[0].Address != "1-30 Main Street, MyVillage, MyCity" {
					t.Errorf("locations %+v, want one US place with no postcode or point", l.Locations)
				}
				if !slices.Equal(l.Languages, []string{"ur"}) || !slices.Equal(l.Accessibility, []directory.Access{directory.AccessHearing, directory.AccessStepFree}) {
					t.Errorf("languages %v, accessibility %v", l.Languages, l.Accessibility)
				}
				if l.MinAge != 12 || l.MaxAge != 100 || l.Contact.Phone != "+44 1234 234567" || l.Contact.Email != "email@example.com" {
					t.Errorf("ages %d-%d, contact %+v", l.MinAge, l.MaxAge, l.Contact)
				}
				if l.Cost.Pence != 5000 || !l.LastVerified.Equal(time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("cost %+v, last verified %v", l.Cost, l.LastVerified)
				}
			},
		},
		{
			name: "UK profile 3.0 example as published, without a descriptor",
			plan: func(im *Importer) (*Plan, error) {
				return im.PlanHSDSFolder(context.Background(), "p1", "testdata/hsds/oruk-3.0-example", Options{})
			},
			created:  1,
			warnings: append(slices.Clone(counselling), "no datapackage.json", "address.csv: another file already gives this table", "names no language"),
		},
		{
			name: "UK profile 3.0 example with its descriptor, zipped",
			plan: func(im *Importer) (*Plan, error) {
				return im.PlanHSDS(context.Background(), "p1", zipFile("oruk.zip", zipFiles(t, oruk)), Options{})
			},
			created:  1,
			warnings: append(slices.Clone(counselling), "ended on 1 January 2005 (valid_to)", "country (address.csv)"),
			check: func(t *testing.T, ls []*directory.Listing) {
				if len(ls[0].Sessions) != 0 {
					t.Errorf("sessions %v, want none from a schedule that cannot be shown", ls[0].Sessions)
				}
			},
		},
		{
			name: "HSDS 1.1 example, zipped inside a folder",
			plan: func(im *Importer) (*Plan, error) {
				files := folderFiles(t, "testdata/hsds/hsds-1.1-example", "stockwell/")
				return im.PlanHSDS(context.Background(), "p1", zipFile("stockwell.zip", zipFiles(t, files)), Options{})
			},
			created:  3,
			warnings: []string{"\"tty\" names no accessibility feature", "holiday closures cannot be shown"},
			check: func(t *testing.T, ls []*directory.Listing) {
				byRef := map[string]*directory.Listing{}
				for _, l := range ls {
					byRef[l.Ref] = l
				}
				walk, pantry, carers := byRef["svc-walk"], byRef["svc-pantry"], byRef["svc-carers"]
				if walk == nil || pantry == nil || carers == nil {
					t.Fatalf("refs %v", byRef)
				}
				if got := directory.FormatSessions(walk.Sessions); got != "Tue 10:00-12:00; Thu 10:00-11:30" {
					t.Errorf("walk sessions %q", got)
				}
				if walk.Locations[0].Postcode != "SW9 0DA" || walk.Locations[0].Point.Lat != 51.4727 || walk.HowToJoin != directory.JoinDropIn || !walk.Cost.Free {
					t.Errorf("walk %+v", walk)
				}
				if !slices.Equal(walk.Languages, []string{"pt", "pl"}) || !slices.Equal(walk.Accessibility, []directory.Access{directory.AccessStepFree, directory.AccessToilet}) {
					t.Errorf("walk languages %v, accessibility %v", walk.Languages, walk.Accessibility)
				}
				if !slices.Equal(pantry.Categories, []string{"Food Pantries", "food-bank"}) || pantry.Cost.Pence != 350 || pantry.Locations[0].Postcode != "SW9 9AA" {
					t.Errorf("pantry categories %v, cost %+v, places %+v", pantry.Categories, pantry.Cost, pantry.Locations)
				}
				if directory.FormatSessions(pantry.Sessions) != "Sat 09:30-12:00" || pantry.Contact.Email != "pantry@stockwelltrust.example" {
					t.Errorf("pantry sessions %v, contact %+v", pantry.Sessions, pantry.Contact)
				}
				if carers.Status != directory.StatusTempClosed || carers.ServiceArea != "Lambeth" || len(carers.Locations) != 0 || carers.Contact.Phone != "0800 123 4567" {
					t.Errorf("carers %+v", carers)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openHSDSTestDir(t)
			im := New(d)
			plan, err := tt.plan(im)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Errors) > 0 || len(plan.Create) != tt.created {
				t.Fatalf("created %d, want %d; errors %v", len(plan.Create), tt.created, problemsText(plan.Errors))
			}
			warnings := strings.Join(problemsText(plan.Warnings), "\n")
			for _, w := range tt.warnings {
				if !strings.Contains(warnings, w) {
					t.Errorf("no warning containing %q in:\n%s", w, warnings)
				}
			}
			if tt.check != nil {
				tt.check(t, plan.Create)
			}
			if _, err := im.Apply(context.Background(), plan, "test", false); err != nil {
				t.Fatalf("apply: %v", err)
			}
			again, err := tt.plan(im)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Create)+len(again.Update) != 0 || again.Unchanged != tt.created {
				t.Errorf("importing again: %d created, %d updated, %d unchanged; want all unchanged", len(again.Create), len(again.Update), again.Unchanged)
			}
		})
	}
}

func TestPlanHSDSRefusesBadPackages(t *testing.T) {
	services := []byte("id,organization_id,name,description,status,email\ns1,,Walk,A walk.,active,a@example.org\n")
	tests := []struct {
		name  string
		files map[string][]byte
		raw   []byte
		want  string
	}{
		{"not a zip", nil, []byte("id,name\n1,x\n"), "not a readable zip"},
		{"no services", map[string][]byte{"organizations.csv": []byte("id,name\n")}, nil, "no services table"},
		{"descriptor not JSON", map[string][]byte{"datapackage.json": []byte("../../datapackage.json"), "services.csv": services}, nil, "datapackage.json is not valid JSON"},
		{"descriptor with no resources", map[string][]byte{"datapackage.json": []byte(`{"resources":[]}`), "services.csv": services}, nil, "lists no resources"},
		{"descriptor path climbing out", map[string][]byte{"datapackage.json": []byte(`{"resources":[{"name":"service","path":"../../etc/passwd"}]}`), "services.csv": services}, nil, "not a file inside the package"},
		{"descriptor path on the web", map[string][]byte{"datapackage.json": []byte(`{"resources":[{"name":"service","path":"https://example.org/services.csv"}]}`)}, nil, "not a file inside the package"},
		{"zip slip", map[string][]byte{"services.csv": services, "../evil.csv": []byte("x")}, nil, "a path outside the package"},
		{"absolute path", map[string][]byte{"/etc/services.csv": services}, nil, "a path outside the package"},
		{"nested zip", map[string][]byte{"services.csv": services, "more.zip": zipFiles(t, map[string][]byte{"services.csv": services})}, nil, "holds another archive"},
		{"a binary services table", map[string][]byte{"services.csv": {0, 1, 2, 3, 'P', 'K'}}, nil, "services.csv: this file is not a CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.raw
			if raw == nil {
				raw = zipFiles(t, tt.files)
			}
			_, err := New(openHSDSTestDir(t)).PlanHSDS(context.Background(), "p1", zipFile("x.zip", raw), Options{})
			if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(directory.ErrorMessage(err), tt.want) {
				t.Errorf("got %v, want EINVALID saying %q", err, tt.want)
			}
		})
	}
}

func TestPlanHSDSZipBombs(t *testing.T) {
	zeros := bytes.Repeat([]byte{'0'}, 3<<20)
	small := hsdsLimits{MaxFiles: 10, MaxUnpacked: 2 << 20, MaxRatio: 100}
	tests := []struct {
		name  string
		files map[string][]byte
		lim   hsdsLimits
		want  string
	}{
		{"expands a thousandfold", map[string][]byte{"services.csv": zeros}, defaultHSDSLimits, "expands"},
		{"unpacks to too much", map[string][]byte{"services.csv": zeros}, hsdsLimits{MaxFiles: 10, MaxUnpacked: 2 << 20, MaxRatio: 1 << 20}, "unpacks to more than 2 MB"},
		{"too many files", func() map[string][]byte {
			m := map[string][]byte{}
			for i := range 11 {
				m[strings.Repeat("a", i+1)+".csv"] = []byte("x")
			}
			return m
		}(), small, "holds 11 files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openHSDSZip(zipFile("bomb.zip", zipFiles(t, tt.files)), tt.lim)
			if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(directory.ErrorMessage(err), tt.want) {
				t.Errorf("got %v, want EINVALID saying %q", err, tt.want)
			}
		})
	}
	t.Run("a zip whose directory understates a file is stopped while reading", func(t *testing.T) {
		raw := zipFiles(t, map[string][]byte{"services.csv": append([]byte("id,name,description,status,email\n"), bytes.Repeat([]byte("s,n,d,active,a@example.org\n"), 20000)...)})
		// Shrink the recorded sizes so the directory claims 100 bytes.
		raw = lieAboutSize(t, raw, 100)
		src, err := openHSDSZip(zipFile("liar.zip", raw), defaultHSDSLimits)
		if err != nil {
			return // refused up front: also fine
		}
		if _, err := readHSDSPackage(context.Background(), src); err == nil {
			t.Error("the understated file was read whole")
		}
	})
}

// lieAboutSize rewrites the uncompressed size of every entry in a zip's
// central directory and local headers.
func lieAboutSize(t testing.TB, raw []byte, size uint32) []byte {
	t.Helper()
	out := bytes.Clone(raw)
	le := func(b []byte, v uint32) { b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24) }
	for i := 0; i+30 < len(out); i++ {
		switch {
		case bytes.Equal(out[i:i+4], []byte("PK\x03\x04")):
			le(out[i+22:], size)
		case bytes.Equal(out[i:i+4], []byte("PK\x01\x02")) && i+46 < len(out):
			le(out[i+24:], size)
		}
	}
	return out
}

func TestPlanHSDSServiceProblems(t *testing.T) {
	header := "id,organization_id,name,description,status,email,url,minimum_age,maximum_age\n"
	tests := []struct {
		name, row, want string
		warning         bool
	}{
		{"no name", "s1,,,A walk.,active,a@example.org,,,", "the service has no name", false},
		{"unknown status", "s1,,Walk,A walk.,open,a@example.org,,,", "\"open\" is not an HSDS status", false},
		{"no way to get in touch", "s1,,Walk,A walk.,active,,,,", "no phone number, email address or website", false},
		{"bad email only", "s1,,Walk,A walk.,active,not-an-email,,,", "no phone number, email address or website", false},
		{"bad age", "s1,,Walk,A walk.,active,a@example.org,,twelve,", "\"twelve\" is not an age", true},
		{"ages the wrong way round", "s1,,Walk,A walk.,active,a@example.org,,30,20", "below the minimum age", true},
		{"unknown organization", "s1,org9,Walk,A walk.,active,a@example.org,,,", "organization org9 is not in the organizations table", true},
		{"no description", "s1,,Walk,,active,a@example.org,,,", "no description, so its name is used", true},
		{"no place at all", "s1,,Walk,A walk.,active,a@example.org,,,", "give a postcode, say it is online, or name the area it serves", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := zipFiles(t, map[string][]byte{"services.csv": []byte(header + tt.row + "\n")})
			plan, err := New(openHSDSTestDir(t)).PlanHSDS(context.Background(), "p1", zipFile("x.zip", raw), Options{})
			if err != nil {
				t.Fatal(err)
			}
			list := plan.Errors
			if tt.warning {
				list = plan.Warnings
			}
			text := strings.Join(problemsText(list), "\n")
			if !strings.Contains(text, tt.want) {
				t.Errorf("no problem containing %q; errors %v, warnings %v", tt.want, problemsText(plan.Errors), problemsText(plan.Warnings))
			}
		})
	}
}
