package importer

// hsdsIndex finds rows of a datapackage by id and by the value of a
// column, building each lookup the first time it is asked for.
type hsdsIndex struct {
	pkg   *hsdsPackage
	byCol map[string]map[string][]hsdsRow // "table\x00column" -> value -> rows
}

func newHSDSIndex(pkg *hsdsPackage) *hsdsIndex {
	return &hsdsIndex{pkg: pkg, byCol: map[string]map[string][]hsdsRow{}}
}

// table returns a table, nil when the package does not have it (every
// method of a nil table answers as if it were empty).
func (x *hsdsIndex) table(name string) *hsdsTable { return x.pkg.tables[name] }

// where returns the rows of table whose column holds value, in file order.
func (x *hsdsIndex) where(table, col, value string) []hsdsRow {
	if value == "" {
		return nil
	}
	key := table + "\x00" + col
	m, ok := x.byCol[key]
	if !ok {
		m = map[string][]hsdsRow{}
		if t := x.table(table); t != nil && t.has(col) {
			for _, r := range t.rows {
				if v := t.get(r, col); v != "" {
					m[v] = append(m[v], r)
				}
			}
		}
		x.byCol[key] = m
	}
	return m[value]
}

// byID returns the first row of table with the given id.
func (x *hsdsIndex) byID(table, id string) (hsdsRow, bool) {
	rows := x.where(table, "id", id)
	if len(rows) == 0 {
		return hsdsRow{}, false
	}
	return rows[0], true
}

// get returns a column of a row of a table.
func (x *hsdsIndex) get(table string, r hsdsRow, col string) string {
	return x.table(table).get(r, col)
}
