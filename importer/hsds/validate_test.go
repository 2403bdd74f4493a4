package hsds_test

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// A validator for tabular datapackages against a Frictionless descriptor,
// as much of it as HSDS uses: the header names the schema's fields in
// order; required fields are filled; values have their type (string,
// number, integer, boolean, date, datetime, time) and format (uuid, email,
// uri); enums hold; unique fields and primary keys do not repeat; and
// foreign keys point at rows that exist.

type pkgDescriptor struct {
	Resources []pkgResource `json:"resources"`
}

type pkgResource struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Schema struct {
		Fields []struct {
			Name        string `json:"name"`
			Type        string `json:"type"`
			Format      string `json:"format"`
			Constraints struct {
				Required bool     `json:"required"`
				Unique   bool     `json:"unique"`
				Enum     []string `json:"enum"`
			} `json:"constraints"`
		} `json:"fields"`
		PrimaryKey  any `json:"primaryKey"`
		ForeignKeys []struct {
			Fields    any `json:"fields"`
			Reference struct {
				Resource string `json:"resource"`
				Fields   any    `json:"fields"`
			} `json:"reference"`
		} `json:"foreignKeys"`
	} `json:"schema"`
}

func readDescriptor(path string) (*pkgDescriptor, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d pkgDescriptor
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &d, nil
}

// keyNames reads a primaryKey or foreign key "fields": a name or a list.
func keyNames(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// checkValue returns why value is not of the field's type and format, or "".
func checkValue(typ, format, value string) string {
	switch typ {
	case "number":
		if _, err := strconv.ParseFloat(value, 64); err != nil {
			return "is not a number"
		}
	case "integer":
		if _, err := strconv.Atoi(value); err != nil {
			return "is not an integer"
		}
	case "boolean":
		if !slices.Contains([]string{"true", "false", "True", "False", "TRUE", "FALSE", "yes", "no", "1", "0"}, value) {
			return "is not a boolean"
		}
	case "date":
		if _, err := time.Parse("2006-01-02", value); err != nil {
			return "is not a date (YYYY-MM-DD)"
		}
	case "datetime":
		if _, err := time.Parse(time.RFC3339, value); err != nil {
			return "is not a datetime (RFC 3339)"
		}
	case "time":
		if _, err := time.Parse("15:04:05", value); err != nil {
			return "is not a time (HH:MM:SS)"
		}
	case "string", "":
	default:
		return "has type " + typ + ", which this validator does not know"
	}
	switch format {
	case "uuid":
		if !uuidRE.MatchString(value) {
			return "is not a UUID"
		}
	case "email":
		if a, err := mail.ParseAddress(value); err != nil || a.Address != value {
			return "is not an email address"
		}
	case "uri", "url":
		if u, err := url.Parse(value); err != nil || u.Scheme == "" || u.Host == "" {
			return "is not an absolute URI"
		}
	}
	return ""
}

// validatePackage checks the datapackage in dir against the descriptor at
// descriptorPath and returns every problem found.
func validatePackage(dir, descriptorPath string) ([]string, error) {
	d, err := readDescriptor(descriptorPath)
	if err != nil {
		return nil, err
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	columns := map[string]map[string][]string{} // resource -> field -> values in row order
	for _, r := range d.Resources {
		f, err := os.Open(filepath.Join(dir, r.Path))
		if err != nil {
			bad("%s: missing (%v)", r.Path, err)
			continue
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			bad("%s: not CSV: %v", r.Path, err)
			continue
		}
		if len(rows) == 0 {
			bad("%s: no header", r.Path)
			continue
		}
		var want []string
		for _, fd := range r.Schema.Fields {
			want = append(want, fd.Name)
		}
		if !slices.Equal(rows[0], want) {
			bad("%s: header %v, want %v", r.Path, rows[0], want)
			continue
		}
		cols := map[string][]string{}
		for i, fd := range r.Schema.Fields {
			seen := map[string]int{}
			for n, row := range rows[1:] {
				line := n + 2
				if len(row) != len(want) {
					bad("%s row %d: %d cells, want %d", r.Path, line, len(row), len(want))
					continue
				}
				v := row[i]
				cols[fd.Name] = append(cols[fd.Name], v)
				if v == "" {
					if fd.Constraints.Required {
						bad("%s row %d, %s: required but empty", r.Path, line, fd.Name)
					}
					continue
				}
				if why := checkValue(fd.Type, fd.Format, v); why != "" {
					bad("%s row %d, %s: %q %s", r.Path, line, fd.Name, v, why)
				}
				if len(fd.Constraints.Enum) > 0 && !slices.Contains(fd.Constraints.Enum, v) {
					bad("%s row %d, %s: %q is not one of %v", r.Path, line, fd.Name, v, fd.Constraints.Enum)
				}
				if fd.Constraints.Unique {
					if first, dup := seen[v]; dup {
						bad("%s row %d, %s: %q repeats row %d", r.Path, line, fd.Name, v, first)
					}
					seen[v] = line
				}
			}
		}
		for _, k := range keyNames(r.Schema.PrimaryKey) {
			seen := map[string]bool{}
			for _, v := range cols[k] {
				if v == "" || seen[v] {
					bad("%s: primary key %s %q is empty or repeated", r.Path, k, v)
				}
				seen[v] = true
			}
		}
		columns[r.Name] = cols
	}
	for _, r := range d.Resources {
		for _, fk := range r.Schema.ForeignKeys {
			from, to := keyNames(fk.Fields), keyNames(fk.Reference.Fields)
			if len(from) != 1 || len(to) != 1 {
				return nil, errors.New("only single-field foreign keys are supported")
			}
			target := map[string]bool{}
			for _, v := range columns[fk.Reference.Resource][to[0]] {
				target[v] = true
			}
			for n, v := range columns[r.Name][from[0]] {
				if v != "" && !target[v] {
					bad("%s row %d, %s: %q is not a %s %s", r.Path, n+2, from[0], v, fk.Reference.Resource, to[0])
				}
			}
		}
	}
	return problems, nil
}

// readCSV reads a whole CSV file of an export.
func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	var out [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
}
