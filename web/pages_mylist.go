package web

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// My list is kept in the person's own browser (localStorage), never on the
// server: the page asks for the listings it holds by id and shows them as
// a printable sheet. Without JavaScript the page explains this and points
// to each listing's print view.

// maxMyList is the most listings my list shows.
const maxMyList = 50

type myListPage struct {
	Crisis bool
}

// myListPage answers GET /my-list: the page that the script fills in.
func (s *Server) myListPage(c *gin.Context) {
	s.render(c, http.StatusOK, "mylist", myListPage{})
}

// myListItems is the data of the my-list sheet.
type myListItems struct {
	Listings []listingView
}

// myListItems answers GET /my-list/items?id=...: the listings with those
// ids as an HTML fragment for the my-list page. Unknown ids are left out.
func (s *Server) myListItems(c *gin.Context) {
	ids := c.QueryArray("id")
	if len(ids) > maxMyList {
		s.renderError(c, directory.Errorf(directory.EINVALID, "my list can hold up to %d listings - remove some first", maxMyList))
		return
	}
	ls, err := s.dir.Listings(c.Request.Context(), ids)
	if err != nil {
		s.renderError(c, err)
		return
	}
	var items myListItems
	now := s.now()
	for _, l := range ls {
		items.Listings = append(items.Listings, s.newListingView(c.Request.Context(), l, "", nil, now))
	}
	s.renderPartial(c, "mylist", "mylist-items", items)
}

// renderPartial writes one named template of a page's set, without the
// layout, for the scripts that fill part of a page.
func (s *Server) renderPartial(c *gin.Context, page, name string, data any) {
	t, ok := s.pages[page]
	var buf bytes.Buffer
	if !ok {
		logger(c).Error("render partial: no such page", "page", page)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		logger(c).Error("render partial", "page", page, "partial", name, "err", err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}
