package hsds

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// Stats counts what an export wrote.
type Stats struct {
	Services      int
	Organizations int
	Locations     int
}

// Exporter writes the directory, or one partner's listings, as an HSDS 3.0
// tabular datapackage. The CSVs are UTF-8 with CRLF line ends and are not
// protected against spreadsheet formulas as the partner template is: they
// are data for other systems, and a leading apostrophe would corrupt
// values such as +44 phone numbers and negative longitudes.
type Exporter struct {
	Dir *directory.Directory
	// PartnerID, when set, exports only that partner's listings.
	PartnerID string
}

// WriteFolder writes datapackage.json and every CSV it names into path,
// creating the folder when needed and replacing files of the same names.
// It returns ENOTFOUND for an unknown partner.
func (e *Exporter) WriteFolder(ctx context.Context, path string) (*Stats, error) {
	tables, err := Tables()
	if err != nil {
		return nil, directory.Internal(err, "read the HSDS tables")
	}
	title, about := "Living Well directory", "Every listing of the Living Well directory, as Open Referral HSDS 3.0."
	if e.PartnerID != "" {
		p, err := e.Dir.Partner(ctx, e.PartnerID)
		if err != nil {
			return nil, err
		}
		title, about = "Living Well directory: "+p.Name, "The listings of "+p.Name+" in the Living Well directory, as Open Referral HSDS 3.0."
	}
	if err := os.MkdirAll(path, 0o750); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "cannot create the folder %s: %v", path, err)
	}
	desc, err := Descriptor(title, about, e.Dir.Now())
	if err != nil {
		return nil, directory.Internal(err, "write the descriptor")
	}
	if err := os.WriteFile(filepath.Join(path, "datapackage.json"), desc, 0o640); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "cannot write into %s: %v", path, err)
	}
	w := &tableSet{byName: map[string]*tableFile{}}
	defer w.close()
	for _, t := range tables {
		f, err := os.Create(filepath.Join(path, t.Path))
		if err != nil {
			return nil, directory.Errorf(directory.EINVALID, "cannot write into %s: %v", path, err)
		}
		tf := &tableFile{table: t, file: f, csv: csv.NewWriter(f)}
		tf.csv.UseCRLF = true
		w.byName[t.Name] = tf
		w.order = append(w.order, tf)
		if err := tf.csv.Write(t.Columns); err != nil {
			return nil, directory.Internal(err, "write "+t.Path)
		}
	}
	stats, err := e.write(ctx, w)
	if err != nil {
		return nil, err
	}
	if err := w.close(); err != nil {
		return nil, directory.Internal(err, "finish the CSV files")
	}
	return stats, nil
}

// WriteZip writes the datapackage as a zip to out: datapackage.json first,
// then the CSVs in the descriptor's order. The tables are built in a
// temporary folder first, so memory stays small whatever the directory's
// size.
func (e *Exporter) WriteZip(ctx context.Context, out io.Writer) (*Stats, error) {
	tmp, err := os.MkdirTemp("", "livingwell-hsds-")
	if err != nil {
		return nil, directory.Internal(err, "make a temporary folder")
	}
	defer os.RemoveAll(tmp)
	stats, err := e.WriteFolder(ctx, tmp)
	if err != nil {
		return nil, err
	}
	tables, err := Tables()
	if err != nil {
		return nil, directory.Internal(err, "read the HSDS tables")
	}
	zw := zip.NewWriter(out)
	names := []string{"datapackage.json"}
	for _, t := range tables {
		names = append(names, t.Path)
	}
	for _, name := range names {
		if err := addToZip(zw, filepath.Join(tmp, name), name, e.Dir.Now()); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("finish the zip: %w", err)
	}
	return stats, nil
}

func addToZip(zw *zip.Writer, path, name string, modified time.Time) error {
	f, err := os.Open(path)
	if err != nil {
		return directory.Internal(err, "read "+name)
	}
	defer f.Close()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()})
	if err != nil {
		return fmt.Errorf("write %s into the zip: %w", name, err)
	}
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("write %s into the zip: %w", name, err)
	}
	return nil
}

// write fills the tables from the listings.
func (e *Exporter) write(ctx context.Context, w *tableSet) (*Stats, error) {
	m := &Mapper{Taxonomy: e.Dir.Taxonomy(), Gazetteer: e.Dir.Gazetteer()}
	stats := &Stats{}
	partners := map[string]*directory.Partner{}
	orgs := map[string]*Organization{}
	var orgOrder []string
	extra := map[string]bool{}
	each := func(l *directory.Listing) error {
		p, seen := partners[l.PartnerID]
		if !seen {
			p, _ = e.Dir.Partner(ctx, l.PartnerID)
			partners[l.PartnerID] = p
		}
		org := m.Organization(l, p)
		if have, ok := orgs[org.ID]; !ok {
			orgs[org.ID] = org
			orgOrder = append(orgOrder, org.ID)
		} else if have.Website == "" {
			have.Website = org.Website
		}
		for _, c := range l.Categories {
			if _, ours := m.Taxonomy.Term(c); !ours {
				extra[c] = true
			}
		}
		stats.Services++
		return w.service(m.Service(l, org), stats)
	}
	if e.PartnerID != "" {
		ls, err := e.Dir.PartnerListings(ctx, e.PartnerID)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			if err := each(l); err != nil {
				return nil, err
			}
		}
	} else if err := e.Dir.ForEachListing(ctx, each); err != nil {
		return nil, err
	}
	for _, id := range orgOrder {
		if err := w.put("organization", orgs[id]); err != nil {
			return nil, err
		}
	}
	stats.Organizations = len(orgOrder)
	for _, t := range []Taxonomy{LivingWellTaxonomy, OtherTaxonomy, DetailsTaxonomy} {
		if err := w.put("taxonomy", t); err != nil {
			return nil, err
		}
	}
	terms := LivingWellTerms(m.Taxonomy)
	codes := make([]string, 0, len(extra))
	for c := range extra {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		terms = append(terms, CategoryTerm(m.Taxonomy, c))
	}
	for _, t := range append(terms, DetailTerms()...) {
		if err := w.put("taxonomy_term", t); err != nil {
			return nil, err
		}
	}
	return stats, nil
}

// tableSet is the open CSV files of an export, by resource name.
type tableSet struct {
	byName map[string]*tableFile
	order  []*tableFile
}

type tableFile struct {
	table Table
	file  *os.File
	csv   *csv.Writer
}

// service writes a service and everything nested in it to their tables.
func (w *tableSet) service(s *Service, stats *Stats) error {
	if err := w.put("service", s); err != nil {
		return err
	}
	for _, sal := range s.ServiceAtLocations {
		stats.Locations++
		if err := w.put("service_at_location", sal); err != nil {
			return err
		}
		if err := w.put("location", sal.Location); err != nil {
			return err
		}
		for _, a := range sal.Location.Addresses {
			if err := w.put("address", a); err != nil {
				return err
			}
		}
		for _, a := range sal.Location.Accessibility {
			if err := w.put("accessibility", a); err != nil {
				return err
			}
		}
	}
	for _, c := range s.Contacts {
		if err := w.put("contact", c); err != nil {
			return err
		}
	}
	lists := []struct {
		table string
		rows  []any
	}{
		{"schedule", asAny(s.Schedules)}, {"service_area", asAny(s.ServiceAreas)}, {"cost_option", asAny(s.CostOptions)},
		{"phone", asAny(s.Phones)}, {"language", asAny(s.Languages)}, {"attribute", asAny(s.Attributes)},
	}
	for _, l := range lists {
		for _, r := range l.rows {
			if err := w.put(l.table, r); err != nil {
				return err
			}
		}
	}
	return nil
}

func asAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// put writes one record as a row of a table: each column takes the
// record's JSON field of the same name; nested records are left to their
// own tables.
func (w *tableSet) put(table string, record any) error {
	tf, ok := w.byName[table]
	if !ok {
		return directory.Internal(fmt.Errorf("no table %s", table), "write the export")
	}
	fields, err := flatten(record)
	if err != nil {
		return directory.Internal(err, "write "+table)
	}
	row := make([]string, len(tf.table.Columns))
	for i, c := range tf.table.Columns {
		row[i] = fields[c]
	}
	if err := tf.csv.Write(row); err != nil {
		return directory.Internal(err, "write "+tf.table.Path)
	}
	return nil
}

// flatten returns the scalar JSON fields of a record as strings.
func flatten(record any) (map[string]string, error) {
	raw, err := json.Marshal(record)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		switch v := v.(type) {
		case string:
			out[k] = v
		case float64:
			out[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			out[k] = strconv.FormatBool(v)
		}
	}
	return out, nil
}

func (w *tableSet) close() error {
	var first error
	for _, tf := range w.order {
		if tf.file == nil {
			continue
		}
		tf.csv.Flush()
		if err := tf.csv.Error(); err != nil && first == nil {
			first = err
		}
		if err := tf.file.Close(); err != nil && first == nil {
			first = err
		}
		tf.file = nil
	}
	return first
}
