// Package web is the HTTP side of the directory: a gin router with the
// public pages, the worker, partner and admin areas, the JSON API and the
// Open Referral UK API. Templates and static assets are embedded.
//
// Handlers follow one rhythm: parse and validate the request, call the
// domain (directory, matcher, importer), respond. Errors carry a code from
// the directory's vocabulary; one table (errors.go) maps codes to HTTP
// statuses, and only internal errors are logged with their cause.
package web
