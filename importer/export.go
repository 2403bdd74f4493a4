package importer

import (
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/livingwell/livingwell/directory"
	"github.com/xuri/excelize/v2"
)

// Exporter writes listings in the partner template, so that a partner can
// download their listings, edit them and upload them again. The zero value
// writes every field as stored. With the vocabulary set (as
// Importer.Exporter does) a value the importer works out by itself is left
// blank: a summary that is the description's first sentence, stages that
// are the categories' stages, and a point that is its postcode's. A
// partner who edits the description, categories or postcode of a
// downloaded file is then not undone by a stale value beside it.
type Exporter struct {
	Taxonomy  *directory.Taxonomy
	Gazetteer *directory.Gazetteer
}

// Exporter returns the exporter for the importer's directory.
func (im *Importer) Exporter() Exporter {
	return Exporter{Taxonomy: im.Dir.Taxonomy(), Gazetteer: im.Dir.Gazetteer()}
}

// Row writes a listing as a template row, keyed by column name, the way
// the importer reads it back.
func (e Exporter) Row(l *directory.Listing) map[string]string {
	r := map[string]string{
		"ref": l.Ref, "name": l.Name, "summary": l.Summary, "description": l.Description,
		"categories": strings.Join(l.Categories, "; "), "organisation": l.Organisation.Name,
		"service_area": l.ServiceArea, "sessions": directory.FormatSessions(l.Sessions), "cost": FormatCost(l.Cost),
		"how_to_join": string(l.HowToJoin), "interests": strings.Join(l.Interests, "; "), "strengths": strings.Join(l.Strengths, "; "),
		"phone": l.Contact.Phone, "email": l.Contact.Email, "website": l.Contact.Website, "status": statusWord(l.Status),
		"partner": l.PartnerID,
	}
	if e.Taxonomy != nil && l.Summary == firstSentence(l.Description, summaryLen) {
		r["summary"] = ""
	}
	var stages, access, langs, formats []string
	for _, s := range l.Stages {
		stages = append(stages, string(s))
	}
	if e.Taxonomy == nil || !slices.Equal(l.Stages, e.Taxonomy.StagesOf(l.Categories)) {
		r["stages"] = strings.Join(stages, "; ")
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
	r["accessibility"], r["languages"], r["format"] = strings.Join(access, "; "), strings.Join(langs, "; "), strings.Join(formats, "; ")
	r["online"] = "no"
	if l.Online {
		r["online"] = "yes"
	}
	if l.MinAge > 0 {
		r["min_age"] = strconv.Itoa(l.MinAge)
	}
	if l.MaxAge > 0 {
		r["max_age"] = strconv.Itoa(l.MaxAge)
	}
	if !l.LastVerified.IsZero() {
		r["last_verified"] = l.LastVerified.UTC().Format("2006-01-02")
	}
	var venues, addrs, pcs, lats, lons []string
	for _, loc := range l.Locations {
		venues, addrs, pcs = append(venues, loc.Name), append(addrs, loc.Address), append(pcs, loc.Postcode)
		lat, lon := "", ""
		if loc.Point != nil && !e.pointOfPostcode(loc) {
			lat, lon = strconv.FormatFloat(loc.Point.Lat, 'f', -1, 64), strconv.FormatFloat(loc.Point.Lon, 'f', -1, 64)
		}
		lats, lons = append(lats, lat), append(lons, lon)
	}
	r["venue"], r["address"], r["postcode"] = joinPositional(venues), joinPositional(addrs), joinPositional(pcs)
	r["latitude"], r["longitude"] = joinPositional(lats), joinPositional(lons)
	return r
}

// pointOfPostcode reports whether a location's point is the one its
// postcode gives, so the importer would find it again.
func (e Exporter) pointOfPostcode(loc directory.Location) bool {
	if e.Gazetteer == nil || loc.Postcode == "" {
		return false
	}
	_, pt, err := e.Gazetteer.Locate(loc.Postcode)
	return err == nil && pt == *loc.Point
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

// Record returns a listing as one template row in column order, with
// formula-like cells neutralised.
func (e Exporter) Record(l *directory.Listing) []string {
	row := e.Row(l)
	rec := make([]string, len(Columns))
	for i, c := range Columns {
		rec[i] = Neutralise(row[c.Name])
	}
	return rec
}

// WriteCSV writes listings as a partner template CSV (UTF-8 with a
// byte-order mark so Excel reads £ and accents, CRLF line ends), with every
// cell that a spreadsheet could run as a formula neutralised. It returns
// w's error.
func (e Exporter) WriteCSV(w io.Writer, listings []*directory.Listing) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(Header()); err != nil {
		return err
	}
	for _, l := range listings {
		if err := cw.Write(e.Record(l)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes listings as a partner template workbook: one sheet,
// "Listings", with the template header in bold and frozen, every cell
// formatted as text (so Excel keeps the 0 at the start of a phone number)
// and every formula-like cell neutralised. It returns w's error.
func (e Exporter) WriteXLSX(w io.Writer, listings []*directory.Listing) error {
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
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	if err := sw.SetColStyle(1, len(Columns), text); err != nil {
		return err
	}
	if err := sw.SetColWidth(1, len(Columns), 18); err != nil {
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
	row := make([]any, len(Columns))
	for r, l := range listings {
		for i, v := range e.Record(l) {
			row[i] = excelize.Cell{StyleID: text, Value: v}
		}
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// ExportPartnerCSV writes a partner's listings as a template CSV. It
// returns ENOTFOUND for an unknown partner.
func (im *Importer) ExportPartnerCSV(ctx context.Context, w io.Writer, partnerID string) error {
	ls, err := im.partnerListings(ctx, partnerID)
	if err != nil {
		return err
	}
	return im.Exporter().WriteCSV(w, ls)
}

// ExportPartnerXLSX writes a partner's listings as a template workbook. It
// returns ENOTFOUND for an unknown partner.
func (im *Importer) ExportPartnerXLSX(ctx context.Context, w io.Writer, partnerID string) error {
	ls, err := im.partnerListings(ctx, partnerID)
	if err != nil {
		return err
	}
	return im.Exporter().WriteXLSX(w, ls)
}

func (im *Importer) partnerListings(ctx context.Context, partnerID string) ([]*directory.Listing, error) {
	if _, err := im.Dir.Partner(ctx, partnerID); err != nil {
		return nil, err
	}
	return im.Dir.PartnerListings(ctx, partnerID)
}
