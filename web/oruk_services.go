package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer/hsds"
)

// orukMapper turns listings into the API's records within one request,
// remembering partners so each is read once.
type orukMapper struct {
	s        *Server
	ctx      context.Context
	m        *hsds.Mapper
	partners map[string]*directory.Partner
}

func (s *Server) newORUKMapper(ctx context.Context) *orukMapper {
	return &orukMapper{s: s, ctx: ctx, m: &hsds.Mapper{Taxonomy: s.dir.Taxonomy(), Gazetteer: s.dir.Gazetteer()}, partners: map[string]*directory.Partner{}}
}

func (om *orukMapper) organization(l *directory.Listing) *hsds.Organization {
	p, seen := om.partners[l.PartnerID]
	if !seen {
		p, _ = om.s.dir.Partner(om.ctx, l.PartnerID)
		om.partners[l.PartnerID] = p
	}
	return om.m.Organization(l, p)
}

// full returns a listing as a fully nested service. Only its categories
// are given as attributes: the listing details an export carries as
// attributes are for importing back, not part of the profile.
func (om *orukMapper) full(l *directory.Listing) *hsds.Service {
	svc := om.m.Service(l, om.organization(l))
	var cats []*hsds.Attribute
	for _, a := range svc.Attributes {
		if a.LinkType == "category" {
			cats = append(cats, a)
		}
	}
	svc.Attributes = cats
	return svc
}

// brief returns a listing as a service with only its one-to-one fields
// and its organization, as lists show it.
func (om *orukMapper) brief(l *directory.Listing) *hsds.Service {
	svc := *om.m.Service(l, om.organization(l))
	svc.ServiceAtLocations, svc.Schedules, svc.ServiceAreas, svc.CostOptions = nil, nil, nil, nil
	svc.Contacts, svc.Phones, svc.Languages, svc.Attributes = nil, nil, nil, nil
	return &svc
}

// orukServices answers a page of services matching the filters.
func (s *Server) orukServices(c *gin.Context) {
	ctx := c.Request.Context()
	oq, err := s.parseORUKQuery(ctx, c.Request.URL.Query())
	if err != nil {
		apiError(c, err)
		return
	}
	if oq.none {
		c.JSON(http.StatusOK, newPage([]*hsds.Service(nil), 0, oq.page, oq.perPage))
		return
	}
	res, err := s.dir.Search(ctx, oq.q)
	if err != nil {
		apiError(c, err)
		return
	}
	om := s.newORUKMapper(ctx)
	var out []*hsds.Service
	for _, h := range res.Hits {
		out = append(out, om.brief(h.Listing))
	}
	c.JSON(http.StatusOK, newPage(out, res.Total, oq.page, oq.perPage))
}

// orukListing finds the listing a listing-derived id names, answering 404
// for any other id.
func (s *Server) orukListing(c *gin.Context, kind hsds.Kind, what string) (*directory.Listing, int, bool) {
	id, ok := orukID(c)
	if !ok {
		return nil, 0, false
	}
	k, listingID, index, ok := hsds.ParseListingUUID(id)
	if !ok || k != kind {
		apiError(c, directory.Errorf(directory.ENOTFOUND, "there is no %s %s", what, id))
		return nil, 0, false
	}
	l, err := s.dir.Listing(c.Request.Context(), listingID)
	if err != nil {
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			err = directory.Errorf(directory.ENOTFOUND, "there is no %s %s - it may have been removed", what, id)
		}
		apiError(c, err)
		return nil, 0, false
	}
	return l, index, true
}

// orukService answers one fully nested service.
func (s *Server) orukService(c *gin.Context) {
	l, _, ok := s.orukListing(c, hsds.KindService, "service")
	if !ok {
		return
	}
	c.JSON(http.StatusOK, s.newORUKMapper(c.Request.Context()).full(l))
}

// orukServiceAtLocations answers a page of the places where matching
// services happen; with a proximity, only the places within it.
func (s *Server) orukServiceAtLocations(c *gin.Context) {
	ctx := c.Request.Context()
	oq, err := s.parseORUKQuery(ctx, c.Request.URL.Query())
	if err != nil {
		apiError(c, err)
		return
	}
	var all []*hsds.ServiceAtLocation
	if !oq.none {
		if all, err = s.allServiceAtLocations(ctx, oq.q); err != nil {
			apiError(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, pageOf(all, oq.page, oq.perPage))
}

// allServiceAtLocations returns the places of every listing the query
// matches, in the search's order: places are paged, not listings, so the
// whole (bounded) result is gathered first.
func (s *Server) allServiceAtLocations(ctx context.Context, q directory.Query) ([]*hsds.ServiceAtLocation, error) {
	om := s.newORUKMapper(ctx)
	var out []*hsds.ServiceAtLocation
	q.PerPage = directory.MaxPerPage
	for q.Page = 1; q.Page*q.PerPage <= directory.MaxResultWindow; q.Page++ {
		res, err := s.dir.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			brief := om.brief(h.Listing)
			for i, sal := range om.full(h.Listing).ServiceAtLocations {
				if q.RadiusKm > 0 && !within(h.Listing, i, res.Near, q.RadiusKm) {
					continue
				}
				sal.Service = brief
				out = append(out, sal)
			}
		}
		if q.Page*q.PerPage >= res.Total {
			break
		}
	}
	return out, nil
}

// within reports whether a listing's i'th place (its physical places come
// first, then the online one) is within km of near.
func within(l *directory.Listing, i int, near *directory.LatLon, km float64) bool {
	if near == nil || i >= len(l.Locations) || l.Locations[i].Point == nil {
		return false
	}
	return directory.DistanceKm(*near, *l.Locations[i].Point) <= km
}

// orukServiceAtLocation answers one place with its service, fully nested.
func (s *Server) orukServiceAtLocation(c *gin.Context) {
	l, _, ok := s.orukListing(c, hsds.KindServiceAtLocation, "service at location")
	if !ok {
		return
	}
	id := strings.ToLower(c.Param("id"))
	svc := s.newORUKMapper(c.Request.Context()).full(l)
	for _, sal := range svc.ServiceAtLocations {
		if sal.ID == id {
			rest := *svc
			rest.ServiceAtLocations = nil
			sal.Service = &rest
			c.JSON(http.StatusOK, sal)
			return
		}
	}
	apiError(c, directory.Errorf(directory.ENOTFOUND, "there is no service at location %s - the listing's places have changed", id))
}
