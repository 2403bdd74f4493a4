// Package importer reads the files partners upload (CSV as Excel and other
// tools really save it, Excel workbooks, and Open Referral HSDS
// datapackages), checks every row, and turns them into a Plan: the listings
// to create, update (with a field-by-field diff), leave alone and, in
// replace mode, remove, with every problem named by row and column. Applying
// a plan is one directory transaction with the import recorded for undo.
// It also writes the same template back out (CSV), so a partner can
// download their listings, edit them and upload them again.
//
// Data flows one way: a Table yields rows of cells; rowParser turns each
// row into a directory.Listing or problems; Planner compares the listings
// with what the partner has; Apply hands the plan to the directory.
package importer
