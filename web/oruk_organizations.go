package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer/hsds"
)

// orukOrganization is an organization with the listings it runs.
type orukOrganization struct {
	org      *hsds.Organization
	listings []*directory.Listing
}

// organizations returns every organization, partner by partner, in the
// order their listings come; an organization's website is the first its
// listings give. It reads every listing, so it costs a scan of the store.
func (s *Server) organizations(ctx context.Context) ([]*orukOrganization, error) {
	partners, err := s.dir.Partners(ctx)
	if err != nil {
		return nil, err
	}
	om := s.newORUKMapper(ctx)
	var out []*orukOrganization
	for i := range partners {
		p := &partners[i]
		om.partners[p.ID] = p
		listings, err := s.dir.PartnerListings(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		byID := map[string]*orukOrganization{}
		for _, l := range listings {
			org := om.organization(l)
			have, ok := byID[org.ID]
			if !ok {
				have = &orukOrganization{org: org}
				byID[org.ID] = have
				out = append(out, have)
			}
			if have.org.Website == "" {
				have.org.Website = org.Website
			}
			have.listings = append(have.listings, l)
		}
	}
	return out, nil
}

func (s *Server) orukOrganizations(c *gin.Context) {
	page, perPage, err := parsePaging(c.Request.URL.Query())
	if err != nil {
		apiError(c, err)
		return
	}
	orgs, err := s.organizations(c.Request.Context())
	if err != nil {
		apiError(c, err)
		return
	}
	list := make([]*hsds.Organization, len(orgs))
	for i, o := range orgs {
		list[i] = o.org
	}
	c.JSON(http.StatusOK, pageOf(list, page, perPage))
}

// orukOrganization answers one organization with its services, fully
// nested.
func (s *Server) orukOrganization(c *gin.Context) {
	id, ok := orukID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	orgs, err := s.organizations(ctx)
	if err != nil {
		apiError(c, err)
		return
	}
	for _, o := range orgs {
		if o.org.ID != id {
			continue
		}
		om := s.newORUKMapper(ctx)
		full := *o.org
		for _, l := range o.listings {
			svc := om.full(l)
			svc.Organization = nil
			full.Services = append(full.Services, svc)
		}
		c.JSON(http.StatusOK, full)
		return
	}
	apiError(c, directory.Errorf(directory.ENOTFOUND, "there is no organization %s - see /oruk/organizations", id))
}

// adminExportHSDS downloads the whole directory, or one partner's listings
// (?partner=ID), as an HSDS 3.0 datapackage zip.
func (s *Server) adminExportHSDS(c *gin.Context) {
	e := &hsds.Exporter{Dir: s.dir, PartnerID: c.Query("partner")}
	if e.PartnerID != "" {
		if _, err := s.dir.Partner(c.Request.Context(), e.PartnerID); err != nil {
			apiError(c, err)
			return
		}
	}
	name := fmt.Sprintf("livingwell-hsds3-%s.zip", s.now().In(directory.London()).Format(time.DateOnly))
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Status(http.StatusOK)
	if _, err := e.WriteZip(c.Request.Context(), c.Writer); err != nil {
		// The status has gone; the broken zip tells the client, the log
		// tells us.
		logger(c).Error("HSDS export failed", "err", err)
	}
}
