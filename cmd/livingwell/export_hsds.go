package main

import (
	"context"

	"github.com/livingwell/livingwell/directory"
)

// exportHSDS writes a partner's listings as an Open Referral HSDS 3.0
// datapackage to out. This build does not have it yet.
func exportHSDS(ctx context.Context, env *cli, dir *directory.Directory, partnerID, out string) error {
	return directory.Errorf(directory.EINVALID, "HSDS export is not in this build yet")
}
