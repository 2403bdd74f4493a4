package web

import (
	"context"
	_ "embed"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer/hsds"
)

// orukOpenAPIDoc is the UK profile's OpenAPI document (CC-BY-SA-4.0, see
// oruk/LICENSE-ORUK).
//
//go:embed oruk/openapi.json
var orukOpenAPIDoc []byte

// orukProfile is where the UK profile this API follows is described.
const orukProfile = "https://github.com/openreferral/uk-profile"

// orukCORS lets any web page read the Open Referral UK API, as the
// profile requires of every answer, errors included, and answers CORS
// preflight requests (the API is read-only).
func orukCORS() gin.HandlerFunc {
	return func(c *gin.Context) {
		if p := c.Request.URL.Path; p == "/oruk" || strings.HasPrefix(p, "/oruk/") {
			c.Header("Access-Control-Allow-Origin", "*")
			if c.Request.Method == http.MethodOptions {
				c.Header("Access-Control-Allow-Methods", "GET, OPTIONS")
				c.Header("Access-Control-Allow-Headers", "Accept, Content-Type")
				c.Header("Access-Control-Max-Age", "86400")
				c.AbortWithStatus(http.StatusNoContent)
				return
			}
		}
		c.Next()
	}
}

// baseURL is the scheme and host the request came to.
func baseURL(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// orukRoot says which version and profile the API follows and where its
// OpenAPI document is.
func (s *Server) orukRoot(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"version": "3.0", "profile": orukProfile, "openapi_url": baseURL(c) + "/oruk/openapi.json"})
}

// orukOpenAPI serves the profile's OpenAPI document with this server as
// its base.
func (s *Server) orukOpenAPI(c *gin.Context) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(orukOpenAPIDoc, &doc); err != nil {
		apiError(c, directory.Internal(err, "read the OpenAPI document"))
		return
	}
	servers, _ := json.Marshal([]map[string]string{{"url": baseURL(c) + "/oruk", "description": "Living Well directory"}})
	doc["servers"] = servers
	c.JSON(http.StatusOK, doc)
}

// orukPage is one page of a list, as the profile pages every list.
type orukPage struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   any  `json:"contents"`
}

func newPage[T any](contents []T, total, page, perPage int) orukPage {
	if contents == nil {
		contents = []T{}
	}
	pages := (total + perPage - 1) / perPage
	return orukPage{TotalItems: total, TotalPages: pages, PageNumber: page, Size: len(contents),
		FirstPage: page == 1, LastPage: page >= pages, Empty: len(contents) == 0, Contents: contents}
}

// pageOf cuts one page out of a whole list.
func pageOf[T any](all []T, page, perPage int) orukPage {
	from := min((page-1)*perPage, len(all))
	return newPage(all[from:min(from+perPage, len(all))], len(all), page, perPage)
}

// orukPaging limits.
const (
	orukDefaultPerPage = 50
	orukMaxPerPage     = 1000
)

// parsePaging reads page and per_page. It returns EINVALID naming the
// parameter.
func parsePaging(v url.Values) (page, perPage int, err error) {
	page, perPage = 1, orukDefaultPerPage
	if p := v.Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 || page > 1_000_000 {
			return 0, 0, directory.Errorf(directory.EINVALID, "page=%q: pages are numbered from 1", firstValue(v, "page"))
		}
	}
	if p := v.Get("per_page"); p != "" {
		if perPage, err = strconv.Atoi(p); err != nil || perPage < 1 || perPage > orukMaxPerPage {
			return 0, 0, directory.Errorf(directory.EINVALID, "per_page=%q: give a number from 1 to %d", firstValue(v, "per_page"), orukMaxPerPage)
		}
	}
	return page, perPage, nil
}

// orukID reads a path id, answering 404 when it is not a UUID (so no id
// of ours).
func orukID(c *gin.Context) (string, bool) {
	id := strings.ToLower(c.Param("id"))
	if !hsds.IsUUID(id) {
		apiError(c, directory.Errorf(directory.ENOTFOUND, "there is nothing with id %q - ids are UUIDs", shortValue(c.Param("id"))))
		return "", false
	}
	return id, true
}

func shortValue(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// orukTaxonomies returns the taxonomies the API's terms belong to.
func orukTaxonomies() []hsds.Taxonomy {
	return []hsds.Taxonomy{hsds.LivingWellTaxonomy, hsds.OtherTaxonomy}
}

// orukTerms returns every term: the Living Well taxonomy's, then the
// categories kept from imported data that listings use.
func (s *Server) orukTerms(ctx context.Context) ([]*hsds.TaxonomyTerm, error) {
	tax := s.dir.Taxonomy()
	terms := hsds.LivingWellTerms(tax)
	used, err := s.dir.CategoriesInUse(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range used {
		if _, ours := tax.Term(u.Term); !ours {
			terms = append(terms, hsds.CategoryTerm(tax, u.Term))
		}
	}
	return terms, nil
}

func (s *Server) orukTaxonomies(c *gin.Context) {
	page, perPage, err := parsePaging(c.Request.URL.Query())
	if err != nil {
		apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, pageOf(orukTaxonomies(), page, perPage))
}

func (s *Server) orukTaxonomy(c *gin.Context) {
	id, ok := orukID(c)
	if !ok {
		return
	}
	for _, t := range orukTaxonomies() {
		if t.ID != id {
			continue
		}
		terms, err := s.orukTerms(c.Request.Context())
		if err != nil {
			apiError(c, err)
			return
		}
		for _, term := range terms {
			if term.TaxonomyID == id {
				t.TaxonomyTerms = append(t.TaxonomyTerms, term)
			}
		}
		c.JSON(http.StatusOK, t)
		return
	}
	apiError(c, directory.Errorf(directory.ENOTFOUND, "there is no taxonomy %s - see /oruk/taxonomies", id))
}

func (s *Server) orukTaxonomyTerms(c *gin.Context) {
	page, perPage, err := parsePaging(c.Request.URL.Query())
	if err != nil {
		apiError(c, err)
		return
	}
	terms, err := s.orukTerms(c.Request.Context())
	if err != nil {
		apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, pageOf(terms, page, perPage))
}

func (s *Server) orukTaxonomyTerm(c *gin.Context) {
	id, ok := orukID(c)
	if !ok {
		return
	}
	terms, err := s.orukTerms(c.Request.Context())
	if err != nil {
		apiError(c, err)
		return
	}
	for _, t := range terms {
		if t.ID == id {
			c.JSON(http.StatusOK, t)
			return
		}
	}
	apiError(c, directory.Errorf(directory.ENOTFOUND, "there is no taxonomy term %s - see /oruk/taxonomy_terms", id))
}
