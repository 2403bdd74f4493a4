package importer

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/livingwell/livingwell/directory"
)

// hsdsVersion is the layout of a datapackage.
type hsdsVersion string

const (
	hsds3  hsdsVersion = "3.0" // HSDS 3.0 and the UK profile (ORUK 3.0)
	hsds11 hsdsVersion = "1.1" // HSDS 1.1 and ORUK 1.0
)

// hsdsTable is one CSV of a datapackage, read whole (an HSDS package is
// relational: a service's parts are found by id across tables).
type hsdsTable struct {
	file string
	cols map[string]int
	rows []hsdsRow
}

type hsdsRow struct {
	line  int
	cells []string
}

// get returns the trimmed value of a column, "" when the table has no
// such column.
func (t *hsdsTable) get(r hsdsRow, col string) string {
	if t == nil {
		return ""
	}
	i, ok := t.cols[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// has reports whether the table has a column.
func (t *hsdsTable) has(col string) bool {
	if t == nil {
		return false
	}
	_, ok := t.cols[col]
	return ok
}

// hsdsPackage is a datapackage read into memory: its tables by the name
// this reader uses for them (service, organization, ...), whatever the
// version called them.
type hsdsPackage struct {
	version hsdsVersion
	tables  map[string]*hsdsTable
	// problems about the package as a whole (Row 0).
	problems []Problem
}

// The tables this reader uses, by the names HSDS 3.0 gives its resources,
// and the HSDS 1.1 resources that stand for them.
var hsdsUsed = map[string]bool{
	"organization": true, "service": true, "attribute": true, "service_at_location": true, "location": true,
	"phone": true, "contact": true, "address": true, "schedule": true, "taxonomy_term": true, "taxonomy": true,
	"cost_option": true, "language": true, "accessibility": true, "service_area": true,
}

var hsds11Names = map[string]string{
	"service_taxonomy": "service_taxonomy", "physical_address": "address", "postal_address": "postal_address",
	"regular_schedule": "schedule", "holiday_schedule": "holiday_schedule", "accessibility_for_disabilities": "accessibility",
	"taxonomy": "taxonomy_term", "eligibility": "eligibility",
}

// The usual file names of each table, for packages without a descriptor:
// HSDS 3.0's first, then the singular names some UK profile examples use.
var hsds3Files = []struct{ table, file string }{
	{"organization", "organizations.csv"}, {"service", "services.csv"}, {"attribute", "attributes.csv"}, {"attribute", "attribute.csv"},
	{"service_at_location", "service_at_location.csv"}, {"location", "locations.csv"}, {"phone", "phones.csv"}, {"contact", "contacts.csv"},
	{"address", "addresses.csv"}, {"address", "address.csv"}, {"schedule", "schedules.csv"}, {"schedule", "schedule.csv"},
	{"taxonomy_term", "taxonomy_terms.csv"}, {"taxonomy", "taxonomies.csv"}, {"taxonomy", "taxonomy.csv"}, {"cost_option", "cost_options.csv"},
	{"language", "languages.csv"}, {"accessibility", "accessibility.csv"}, {"service_area", "service_areas.csv"},
}

var hsds11Files = []struct{ table, file string }{
	{"organization", "organizations.csv"}, {"service", "services.csv"}, {"service_taxonomy", "services_taxonomy.csv"}, {"service_taxonomy", "service_taxonomy.csv"},
	{"service_at_location", "services_at_location.csv"}, {"service_at_location", "service_at_location.csv"}, {"location", "locations.csv"},
	{"phone", "phones.csv"}, {"contact", "contacts.csv"}, {"address", "physical_addresses.csv"}, {"postal_address", "postal_addresses.csv"},
	{"schedule", "regular_schedules.csv"}, {"holiday_schedule", "holiday_schedules.csv"}, {"eligibility", "eligibility.csv"},
	{"service_area", "service_areas.csv"}, {"language", "languages.csv"}, {"accessibility", "accessibility_for_disabilities.csv"},
	{"taxonomy_term", "taxonomy.csv"}, {"cost_option", "cost_options.csv"},
}

// hsds11Signs are files only an HSDS 1.1 package has.
var hsds11Signs = []string{"services_at_location.csv", "regular_schedules.csv", "physical_addresses.csv", "services_taxonomy.csv", "accessibility_for_disabilities.csv"}

// maxDescriptor is the most a datapackage.json may hold.
const maxDescriptor = 4 << 20

// readHSDSPackage reads the tables of a datapackage: those its
// datapackage.json names, or, without one, the files with the usual names.
// It returns EINVALID, saying what to fix, when the package cannot be used
// at all.
func readHSDSPackage(ctx context.Context, src *hsdsSource) (*hsdsPackage, error) {
	pkg := &hsdsPackage{tables: map[string]*hsdsTable{}}
	files, err := pkg.resources(src)
	if err != nil {
		return nil, err
	}
	var unused []string
	for _, r := range files {
		if !hsdsUsed[r.table] && !slices.Contains([]string{"service_taxonomy", "postal_address", "holiday_schedule", "eligibility"}, r.table) {
			if src.names[r.file] && hasRows(src, r.file) {
				unused = append(unused, r.file)
			}
			continue
		}
		if _, have := pkg.tables[r.table]; have {
			if src.names[r.file] {
				pkg.problems = append(pkg.problems, Problem{Column: r.file, Message: "another file already gives this table, so this one is not read", Warning: true})
			}
			continue
		}
		if !src.names[r.file] {
			if r.named {
				pkg.problems = append(pkg.problems, Problem{Column: r.file, Message: "datapackage.json names this file but the package does not have it; it is skipped", Warning: true})
			}
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t, err := readHSDSTable(src, r.file)
		if err != nil {
			return nil, err
		}
		pkg.tables[r.table] = t
	}
	if len(unused) > 0 {
		slices.Sort(unused)
		pkg.problems = append(pkg.problems, Problem{Message: "the directory does not use " + strings.Join(unused, ", ") + ", so their rows were skipped", Warning: true})
	}
	if pkg.tables["service"] == nil {
		return nil, directory.Errorf(directory.EINVALID, "the datapackage has no services table (services.csv) - an Open Referral datapackage lists its services there")
	}
	return pkg, nil
}

type hsdsResource struct {
	table, file string
	named       bool // named by datapackage.json
}

// resources works out which file holds which table, and the version.
func (pkg *hsdsPackage) resources(src *hsdsSource) ([]hsdsResource, error) {
	if !src.names["datapackage.json"] {
		pkg.version = hsds3
		for _, sign := range hsds11Signs {
			if src.names[sign] {
				pkg.version = hsds11
			}
		}
		pkg.problems = append(pkg.problems, Problem{Message: "the package has no datapackage.json, so its tables were found by their usual file names (Open Referral HSDS " + string(pkg.version) + ")", Warning: true})
		list := hsds3Files
		if pkg.version == hsds11 {
			list = hsds11Files
		}
		var out []hsdsResource
		for _, f := range list {
			out = append(out, hsdsResource{table: f.table, file: f.file})
		}
		for n := range src.names {
			if strings.HasSuffix(n, ".csv") && !slices.ContainsFunc(out, func(r hsdsResource) bool { return r.file == n }) {
				out = append(out, hsdsResource{table: "-" + n, file: n})
			}
		}
		return out, nil
	}
	raw, err := src.readAllLimited("datapackage.json", maxDescriptor)
	if err != nil {
		return nil, err
	}
	var d struct {
		Version   string `json:"version"`
		Resources []struct {
			Name string          `json:"name"`
			Path json.RawMessage `json:"path"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "datapackage.json is not valid JSON (%v) - it should be the package descriptor", err)
	}
	if len(d.Resources) == 0 {
		return nil, directory.Errorf(directory.EINVALID, "datapackage.json lists no resources - it should name the package's CSV files")
	}
	pkg.version = hsds3
	if strings.HasPrefix(strings.TrimPrefix(d.Version, "v"), "1.") {
		pkg.version = hsds11
	}
	var out []hsdsResource
	for _, r := range d.Resources {
		var p string
		if err := json.Unmarshal(r.Path, &p); err != nil {
			return nil, directory.Errorf(directory.EINVALID, "datapackage.json: resource %q has a path that is not one file name - give each table as one CSV file", r.Name)
		}
		clean := path.Clean(strings.TrimPrefix(p, "./"))
		if strings.Contains(p, "://") || !localPath(clean) {
			return nil, directory.Errorf(directory.EINVALID, "datapackage.json: resource %q is at %q, which is not a file inside the package - give the CSV file's name beside datapackage.json", r.Name, p)
		}
		table := r.Name
		if pkg.version == hsds11 {
			if t, ok := hsds11Names[r.Name]; ok {
				table = t
			}
		}
		out = append(out, hsdsResource{table: table, file: clean, named: true})
	}
	return out, nil
}

func localPath(p string) bool {
	return p != "." && p != "" && !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "../") && p != ".." && !strings.ContainsAny(p, "\\\x00")
}

// readHSDSTable reads one CSV whole, with the same forgiving reader as
// partner files (encodings, BOM, blank lines).
func readHSDSTable(src *hsdsSource, file string) (*hsdsTable, error) {
	rc, err := src.open(file)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "cannot read %s: %v", file, err)
	}
	defer rc.Close()
	ct, err := NewCSVTable(rc)
	if err != nil {
		if directory.ErrorCode(err) == directory.EINVALID && (strings.Contains(directory.ErrorMessage(err), "has no rows") || strings.Contains(directory.ErrorMessage(err), "is empty")) {
			return &hsdsTable{file: file, cols: map[string]int{}}, nil
		}
		return nil, fileError(file, err)
	}
	t := &hsdsTable{file: file, cols: map[string]int{}}
	for i, h := range ct.Header() {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := t.cols[h]; !dup && h != "" {
			t.cols[h] = i
		}
	}
	for {
		line, cells, err := ct.Next()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, fileError(file, err)
		}
		t.rows = append(t.rows, hsdsRow{line: line, cells: cells})
	}
}

// hasRows reports whether a CSV of the package has any data row.
func hasRows(src *hsdsSource, file string) bool {
	rc, err := src.open(file)
	if err != nil {
		return false
	}
	defer rc.Close()
	ct, err := NewCSVTable(rc)
	if err != nil {
		return false
	}
	_, _, err = ct.Next()
	return err == nil
}

// fileError names the file in a reading error.
func fileError(file string, err error) error {
	if code := directory.ErrorCode(err); code == directory.EINVALID {
		return directory.Errorf(code, "%s: %s", file, directory.ErrorMessage(err))
	}
	return err
}
