// Package importer reads the files partners upload (CSV as Excel and other
// tools really save it, Excel workbooks, and Open Referral HSDS
// datapackages), checks every row, and turns them into a Plan: the listings
// to create, update (with a field-by-field diff), leave alone and, in
// replace mode, remove, with every problem named by row and column. Applying
// a plan is one directory transaction with the import recorded for undo.
// Exporter writes the same template back out (CSV or Excel), so a partner
// can download their listings, edit them and upload them again unchanged.
//
// Data flows one way: File is sniffed (Sniff) and opened as a Table
// (table.go for CSV, xlsx.go for Excel) that yields rows of cells one at a
// time, so a file of any length is read in bounded memory; columns.go maps
// the header to template columns; rowParser (row.go, values.go,
// category.go) turns each row into a directory.Listing or problems; the
// Importer (plan.go) compares the listings with what the partner has and
// Apply hands the plan to directory.Apply. A partner's listings are named
// by partner and reference, so no file can reach another partner's: rows
// that name another partner, or use another partner's listing id as their
// reference, are errors, and the directory refuses any change that is not
// the partner's own.
package importer
