package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed templates static
var assets embed.FS

// pageSet is the parsed templates: one template set per page, each with the
// shared layout and partials.
type pageSet map[string]*template.Template

// parseTemplates parses every page in templates/ with the layout and the
// partials (files whose name starts with "_" or that define no "content").
func parseTemplates() (pageSet, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"join": strings.Join,
	}
	var shared []string
	var pages []string
	for _, n := range names {
		b, _ := assets.ReadFile(n)
		if bytes.Contains(b, []byte(`{{define "content"}}`)) {
			pages = append(pages, n)
		} else {
			shared = append(shared, n)
		}
	}
	base, err := template.New("").Funcs(funcs).ParseFS(assets, shared...)
	if err != nil {
		return nil, fmt.Errorf("parse shared templates: %w", err)
	}
	set := pageSet{}
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(assets, p)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
		set[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return set, nil
}

// render writes a page with the layout. Rendering goes to a buffer first so
// a template error becomes a clean 500, not half a page.
func (s *Server) render(c *gin.Context, status int, name string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.renderError(c, fmt.Errorf("no page template %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		logger(c).Error("render page", "page", name, "err", err)
		c.Data(http.StatusInternalServerError, "text/html; charset=utf-8", []byte("<!doctype html><title>Error</title><p>Something went wrong on our side. Please try again. If you need help now, call NHS 111 (option 2) or Samaritans on 116 123; in an emergency call 999.</p>"))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage is the data of the error page.
type errorPage struct {
	Crisis  bool
	Title   string
	Message string
}

// renderError answers err as an HTML page with the right status.
func (s *Server) renderError(c *gin.Context, err error) {
	st, _, msg := status(c, err)
	title := http.StatusText(st)
	switch st {
	case http.StatusNotFound:
		title = "Page not found"
	case http.StatusBadRequest:
		title = "There is a problem"
	case http.StatusForbidden, http.StatusUnauthorized:
		title = "You cannot see this page"
	case http.StatusInternalServerError:
		title = "Sorry, something went wrong"
	}
	s.render(c, st, "error", errorPage{Title: title, Message: msg})
	c.Abort()
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
