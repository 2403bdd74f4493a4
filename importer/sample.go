package importer

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

// LoadSample loads the embedded sample network: each sample partner is
// added and its listings file imported through the importer, exactly as a
// partner's upload would be. It returns how many listings were loaded, and
// an error naming the first problem if any sample row does not import
// cleanly.
func (im *Importer) LoadSample(ctx context.Context) (int, error) {
	partners, err := data.SamplePartners()
	if err != nil {
		return 0, fmt.Errorf("read sample partners: %w", err)
	}
	total := 0
	for _, sp := range partners {
		if _, err := im.Dir.AddPartner(ctx, directory.Partner{ID: sp.ID, Name: sp.Name, Kind: sp.Kind, Website: sp.Website, Borough: sp.Borough, Description: sp.Description}); err != nil {
			return total, fmt.Errorf("add sample partner %s: %w", sp.ID, err)
		}
		f, err := data.SampleListings(sp.ID)
		if err != nil {
			return total, fmt.Errorf("sample partner %s has no listings file: %w", sp.ID, err)
		}
		raw, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return total, err
		}
		name := sp.ID + ".csv"
		plan, err := im.PlanFile(ctx, sp.ID, File{Name: name, R: bytes.NewReader(raw), Size: int64(len(raw))}, Options{Mode: ModeReplace, FileName: name})
		if err != nil {
			return total, fmt.Errorf("sample %s: %w", name, err)
		}
		if plan.HasErrors() {
			return total, fmt.Errorf("sample %s: %s", name, plan.Errors[0])
		}
		if _, err := im.Apply(ctx, plan, "sample", false); err != nil {
			return total, fmt.Errorf("sample %s: %w", name, err)
		}
		total += len(plan.Create)
	}
	return total, nil
}
