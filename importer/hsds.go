package importer

import (
	"context"

	"github.com/livingwell/livingwell/directory"
)

// PlanHSDS reads an Open Referral HSDS datapackage (zip) for a partner.
func (im *Importer) PlanHSDS(ctx context.Context, partnerID string, f File, opts Options) (*Plan, error) {
	return nil, directory.Errorf(directory.EINVALID, "Open Referral datapackages cannot be imported yet")
}
