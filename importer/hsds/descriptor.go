package hsds

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"
)

// descriptorJSON is Open Referral's HSDS 3.0 datapackage descriptor, as
// published (CC-BY-SA-4.0, see LICENSE-HSDS beside it).
//
//go:embed datapackage.json
var descriptorJSON []byte

// Table is one resource of the HSDS 3.0 datapackage: its name, its CSV
// file and its columns in order.
type Table struct {
	Name    string
	Path    string
	Columns []string
}

// Tables returns the resources of the HSDS 3.0 descriptor in its order.
func Tables() ([]Table, error) {
	var d struct {
		Resources []struct {
			Name   string `json:"name"`
			Path   string `json:"path"`
			Schema struct {
				Fields []struct {
					Name string `json:"name"`
				} `json:"fields"`
			} `json:"schema"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(descriptorJSON, &d); err != nil {
		return nil, fmt.Errorf("read the HSDS descriptor: %w", err)
	}
	var out []Table
	for _, r := range d.Resources {
		if !filepath.IsLocal(r.Path) || filepath.Ext(r.Path) != ".csv" {
			return nil, fmt.Errorf("the HSDS descriptor names %q, which is not a CSV file beside it", r.Path)
		}
		t := Table{Name: r.Name, Path: r.Path}
		for _, f := range r.Schema.Fields {
			t.Columns = append(t.Columns, f.Name)
		}
		out = append(out, t)
	}
	return out, nil
}

// Descriptor returns the datapackage.json of an export: Open Referral's
// HSDS 3.0 descriptor, its tables and fields unchanged, with this export's
// name, title, description and creation time.
func Descriptor(title, description string, created time.Time) ([]byte, error) {
	var d map[string]json.RawMessage
	if err := json.Unmarshal(descriptorJSON, &d); err != nil {
		return nil, fmt.Errorf("read the HSDS descriptor: %w", err)
	}
	set := func(k string, v any) {
		b, _ := json.Marshal(v)
		d[k] = b
	}
	set("name", "livingwell-directory")
	set("title", title)
	set("description", description)
	set("created", created.UTC().Format(time.RFC3339))
	// The descriptor's licence is HSDS's own; the data's licence is the
	// publisher's to choose, so it is not claimed here.
	delete(d, "license")
	return json.MarshalIndent(d, "", "  ")
}
