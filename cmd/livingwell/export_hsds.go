package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer/hsds"
)

// exportHSDS writes the directory, or one partner's listings, as an Open
// Referral HSDS 3.0 datapackage to out: a .zip file (written whole or not
// at all) or a folder. It returns ENOTFOUND for an unknown partner and
// EINVALID when out cannot be written.
func exportHSDS(ctx context.Context, env *cli, dir *directory.Directory, partnerID, out string) error {
	if strings.TrimSpace(out) == "" {
		return directory.Errorf(directory.EINVALID, "say where to write the datapackage: a folder, or a file ending .zip")
	}
	e := &hsds.Exporter{Dir: dir, PartnerID: partnerID}
	var stats *hsds.Stats
	if strings.EqualFold(filepath.Ext(out), ".zip") {
		tmp, err := os.CreateTemp(filepath.Dir(out), ".livingwell-hsds-*.zip")
		if err != nil {
			return directory.Errorf(directory.EINVALID, "cannot write %s: %v", out, err)
		}
		defer os.Remove(tmp.Name())
		stats, err = e.WriteZip(ctx, tmp)
		if cerr := tmp.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), out); err != nil {
			return directory.Errorf(directory.EINVALID, "cannot write %s: %v", out, err)
		}
	} else {
		var err error
		if stats, err = e.WriteFolder(ctx, out); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.stdout, "wrote %d services, %d organizations and %d places as Open Referral HSDS 3.0 to %s\n", stats.Services, stats.Organizations, stats.Locations, out)
	return nil
}
