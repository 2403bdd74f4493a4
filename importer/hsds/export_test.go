package hsds_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
	"github.com/livingwell/livingwell/importer/hsds"
)

var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// sampleDir is the directory holding the embedded sample network, loaded
// once for the package's tests (which only read it) and closed by TestMain.
var sampleDir struct {
	once sync.Once
	dir  *directory.Directory
	err  error
	path string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir.dir != nil {
		sampleDir.dir.Close()
		os.RemoveAll(sampleDir.path)
	}
	os.Exit(code)
}

// openSampleDir returns the sample directory, with a fixed clock.
func openSampleDir(t testing.TB) *directory.Directory {
	t.Helper()
	sampleDir.once.Do(func() {
		vocab, err := data.LoadVocabulary()
		if err != nil {
			sampleDir.err = err
			return
		}
		if sampleDir.path, err = os.MkdirTemp("", "hsds-sample-"); err != nil {
			sampleDir.err = err
			return
		}
		sampleDir.dir, sampleDir.err = directory.Open(directory.Config{Dir: sampleDir.path, Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Now: func() time.Time { return testNow }})
		if sampleDir.err == nil {
			_, sampleDir.err = importer.New(sampleDir.dir).LoadSample(context.Background())
		}
	})
	if sampleDir.err != nil {
		t.Fatal(sampleDir.err)
	}
	return sampleDir.dir
}

func TestExportValidatesAgainstTheDescriptor(t *testing.T) {
	d := openSampleDir(t)
	ctx := context.Background()
	total, err := d.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	partners, err := d.Partners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		partnerID string
		services  int
	}{
		{"the whole directory", "", total},
		{"one partner", partners[0].ID, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "hsds")
			stats, err := (&hsds.Exporter{Dir: d, PartnerID: tt.partnerID}).WriteFolder(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			if tt.services >= 0 && stats.Services != tt.services {
				t.Errorf("exported %d services, want %d", stats.Services, tt.services)
			}
			if stats.Services == 0 {
				t.Fatal("exported no services")
			}
			problems, err := validatePackage(out, "testdata/hsds-3.0-datapackage.json")
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Error(p)
			}
			rows, err := readCSV(filepath.Join(out, "services.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if len(rows)-1 != stats.Services {
				t.Errorf("services.csv has %d rows, want %d", len(rows)-1, stats.Services)
			}
			raw, err := os.ReadFile(filepath.Join(out, "datapackage.json"))
			if err != nil {
				t.Fatal(err)
			}
			var desc struct {
				Profile   string            `json:"profile"`
				Created   string            `json:"created"`
				Resources []json.RawMessage `json:"resources"`
			}
			if err := json.Unmarshal(raw, &desc); err != nil {
				t.Fatal(err)
			}
			if desc.Profile != "tabular-data-package" || len(desc.Resources) != 21 || desc.Created != "2026-03-02T10:00:00Z" {
				t.Errorf("descriptor: profile %q, %d resources, created %q", desc.Profile, len(desc.Resources), desc.Created)
			}
		})
	}
}

// The validator must be able to fail: a broken export is caught.
func TestValidatorCatchesBrokenExports(t *testing.T) {
	d := openSampleDir(t)
	out := filepath.Join(t.TempDir(), "hsds")
	if _, err := (&hsds.Exporter{Dir: d}).WriteFolder(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	services := filepath.Join(out, "services.csv")
	good, err := os.ReadFile(services)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		break_ func(s string) string
		want   string
	}{
		{"a status outside the enum", func(s string) string { return strings.Replace(s, ",active,", ",open,", 1) }, "is not one of"},
		{"a date in another format", func(s string) string {
			i := strings.Index(s, ",2026-")
			return s[:i] + ",02/03/2026" + s[i+11:]
		}, "is not a date"},
		{"a renamed column", func(s string) string { return strings.Replace(s, "organization_id", "org_id", 1) }, "header"},
		{"an id that is not a UUID", func(s string) string {
			lines := strings.SplitN(s, "\r\n", 3)
			return lines[0] + "\r\nnot-a-uuid" + lines[1][36:] + "\r\n" + lines[2]
		}, "is not a UUID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(services, []byte(tt.break_(string(good))), 0o600); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(services, good, 0o600)
			problems, err := validatePackage(out, "testdata/hsds-3.0-datapackage.json")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tt.want) }) {
				t.Errorf("no problem containing %q in %v", tt.want, problems)
			}
		})
	}
}

func TestExportZipHoldsTheSameFiles(t *testing.T) {
	d := openSampleDir(t)
	ctx := context.Background()
	folder := filepath.Join(t.TempDir(), "hsds")
	if _, err := (&hsds.Exporter{Dir: d}).WriteFolder(ctx, folder); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := (&hsds.Exporter{Dir: d}).WriteZip(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 22 || zr.File[0].Name != "datapackage.json" {
		t.Fatalf("zip holds %d files starting %q, want datapackage.json and 21 CSVs", len(zr.File), zr.File[0].Name)
	}
	for _, f := range zr.File {
		want, err := os.ReadFile(filepath.Join(folder, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		got.ReadFrom(rc)
		rc.Close()
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s differs between the zip and the folder", f.Name)
		}
	}
}

func TestExportUnknownPartner(t *testing.T) {
	d := openSampleDir(t)
	_, err := (&hsds.Exporter{Dir: d, PartnerID: "nobody"}).WriteFolder(context.Background(), t.TempDir())
	if directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("got %v, want ENOTFOUND", err)
	}
}
