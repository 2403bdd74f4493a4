// Package hsds speaks Open Referral's Human Services Data Specification
// (HSDS) 3.0 for the directory: it turns listings into HSDS records (a
// service with its organization, locations, schedules, cost options,
// contacts, languages, accessibility and categories), which the web
// package answers as the Open Referral UK API and Export writes as an HSDS
// 3.0 tabular datapackage (datapackage.json and one CSV per table), to a
// folder or a zip. It also turns HSDS schedules (iCalendar recurrence
// fields) into the directory's sessions and back. Reading datapackages into
// listings is the importer's job; it uses the same ids and vocabularies.
//
// Every id is a UUID derived from the directory's own ids (see ids.go), so
// exports and API answers keep the same ids over time.
//
// What HSDS cannot carry natively (the partner's reference, summary,
// journey stages, interests, strengths, formats and how to join) travels
// as attributes with values under the "Living Well listing details"
// taxonomy, so an export imported again gives back the same listings.
//
// The HSDS descriptor (datapackage.json) and the licence beside it are
// Open Referral's, under CC-BY-SA-4.0: "Human Services Data Specification:
// an Open Referral resource (https://openreferral.org/)".
package hsds
