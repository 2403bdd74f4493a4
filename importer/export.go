package importer

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/livingwell/livingwell/directory"
	"github.com/xuri/excelize/v2"
)

// ToRow writes a listing as a template row, keyed by column name, the way
// the reader reads it back.
func ToRow(l *directory.Listing) map[string]string {
	r := map[string]string{
		"ref": l.Ref, "name": l.Name, "summary": l.Summary, "description": l.Description,
		"categories": strings.Join(l.Categories, "; "), "organisation": l.Organisation.Name,
		"service_area": l.ServiceArea, "sessions": directory.FormatSessions(l.Sessions), "cost": FormatCost(l.Cost),
		"how_to_join": string(l.HowToJoin), "interests": strings.Join(l.Interests, "; "), "strengths": strings.Join(l.Strengths, "; "),
		"phone": l.Contact.Phone, "email": l.Contact.Email, "website": l.Contact.Website, "status": statusWord(l.Status),
	}
	var stages, access, langs, formats []string
	for _, s := range l.Stages {
		stages = append(stages, string(s))
	}
	for _, a := range l.Accessibility {
		access = append(access, string(a))
	}
	for _, c := range l.Languages {
		langs = append(langs, directory.LanguageName(c))
	}
	for _, f := range l.Formats {
		formats = append(formats, string(f))
	}
	r["stages"], r["accessibility"], r["languages"], r["format"] = strings.Join(stages, "; "), strings.Join(access, "; "), strings.Join(langs, "; "), strings.Join(formats, "; ")
	if l.Online {
		r["online"] = "yes"
	} else {
		r["online"] = "no"
	}
	if l.MinAge > 0 {
		r["min_age"] = strconv.Itoa(l.MinAge)
	}
	if l.MaxAge > 0 {
		r["max_age"] = strconv.Itoa(l.MaxAge)
	}
	if !l.LastVerified.IsZero() {
		r["last_verified"] = l.LastVerified.Format("2006-01-02")
	}
	var venues, addrs, pcs, lats, lons []string
	anyPoint := false
	for _, loc := range l.Locations {
		venues, addrs, pcs = append(venues, loc.Name), append(addrs, loc.Address), append(pcs, loc.Postcode)
		lat, lon := "", ""
		if loc.Point != nil {
			anyPoint = true
			lat, lon = strconv.FormatFloat(loc.Point.Lat, 'f', -1, 64), strconv.FormatFloat(loc.Point.Lon, 'f', -1, 64)
		}
		lats, lons = append(lats, lat), append(lons, lon)
	}
	r["venue"], r["address"], r["postcode"] = joinPositional(venues), joinPositional(addrs), joinPositional(pcs)
	if anyPoint {
		r["latitude"], r["longitude"] = joinPositional(lats), joinPositional(lons)
	}
	return r
}

// joinPositional joins per-location values, empty when all are empty.
func joinPositional(vals []string) string {
	for _, v := range vals {
		if v != "" {
			return strings.Join(vals, "; ")
		}
	}
	return ""
}

func statusWord(s directory.Status) string {
	if s == directory.StatusTempClosed {
		return "temporarily closed"
	}
	return string(s)
}

// Header returns the template's header row.
func Header() []string {
	h := make([]string, len(Columns))
	for i, c := range Columns {
		h[i] = c.Name
	}
	return h
}

// WriteCSV writes listings as a partner template CSV (UTF-8 with a
// byte-order mark so Excel reads £ and accents, CRLF line ends), with every
// cell that a spreadsheet could run as a formula neutralised.
func WriteCSV(w io.Writer, listings []*directory.Listing) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(Header()); err != nil {
		return err
	}
	for _, l := range listings {
		if err := cw.Write(Record(l)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Record returns a listing as one template row in column order, with
// formula-like cells neutralised.
func Record(l *directory.Listing) []string {
	row := ToRow(l)
	rec := make([]string, len(Columns))
	for i, c := range Columns {
		rec[i] = Neutralise(row[c.Name])
	}
	return rec
}

// ExportPartnerCSV writes a partner's listings as a template CSV.
func (im *Importer) ExportPartnerCSV(ctx context.Context, w io.Writer, partnerID string) error {
	if _, err := im.Dir.Partner(ctx, partnerID); err != nil {
		return err
	}
	ls, err := im.Dir.PartnerListings(ctx, partnerID)
	if err != nil {
		return err
	}
	return WriteCSV(w, ls)
}

// WriteXLSX writes listings as a partner template workbook: one sheet,
// "Listings", with the template header in bold and frozen, and every
// formula-like cell neutralised and stored as text.
func WriteXLSX(w io.Writer, listings []*directory.Listing) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Listings"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(Columns))
	for i, c := range Columns {
		header[i] = excelize.Cell{StyleID: bold, Value: c.Name}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for r, l := range listings {
		rec := Record(l)
		row := make([]any, len(rec))
		for i, v := range rec {
			row[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
