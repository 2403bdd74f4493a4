package main

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
)

func TestExportHSDS(t *testing.T) {
	ctx := context.Background()
	vocab, err := data.LoadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.Open(directory.Config{Dir: t.TempDir(), Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer})
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	if _, err := dir.AddPartner(ctx, directory.Partner{ID: "p1", Name: "Partner One"}); err != nil {
		t.Fatal(err)
	}
	l := &directory.Listing{ID: directory.ListingID("p1", "R1"), PartnerID: "p1", Ref: "R1", Name: "Walk", Description: "A walk.",
		Categories: []string{"walking-groups"}, Status: directory.StatusActive, Online: true, Contact: directory.Contact{Email: "a@example.org"}}
	if _, err := dir.Apply(ctx, directory.Change{Put: []*directory.Listing{l}}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	tests := []struct {
		name, partner, path, want string
		code                      string
	}{
		{"zip of the whole directory", "", filepath.Join(out, "all.zip"), "wrote 1 services", ""},
		{"folder of one partner", "p1", filepath.Join(out, "p1"), "wrote 1 services", ""},
		{"unknown partner", "nobody", filepath.Join(out, "x.zip"), "", directory.ENOTFOUND},
		{"nowhere", "", " ", "", directory.EINVALID},
		{"a folder that cannot be made", "", filepath.Join(out, "all.zip", "sub.zip"), "", directory.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout bytes.Buffer
			env := &cli{stdout: &stdout, stderr: &stdout, getenv: func(string) string { return "" }}
			err := exportHSDS(ctx, env, dir, tt.partner, tt.path)
			if directory.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want code %q", err, tt.code)
			}
			if err != nil {
				return
			}
			if !strings.Contains(stdout.String(), tt.want) {
				t.Errorf("printed %q, want %q", stdout.String(), tt.want)
			}
			if strings.HasSuffix(tt.path, ".zip") {
				zr, err := zip.OpenReader(tt.path)
				if err != nil {
					t.Fatal(err)
				}
				defer zr.Close()
				if len(zr.File) != 22 {
					t.Errorf("the zip holds %d files, want 22", len(zr.File))
				}
			} else if _, err := os.Stat(filepath.Join(tt.path, "services.csv")); err != nil {
				t.Error(err)
			}
		})
	}
}
