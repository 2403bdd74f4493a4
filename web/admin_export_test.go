package web

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
	"testing"
)

func TestAdminHSDSDownload(t *testing.T) {
	e := mustOpenServer(t, Config{})
	admin, _ := e.session(adminEmail)
	worker, _ := e.session(workerEmail)
	partner, _ := e.session(alphaEmail)

	t.Run("signed out is sent to sign in", func(t *testing.T) {
		w := e.get("/admin/export/hsds3.zip", nil)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
			t.Errorf("status %d, location %q; want a redirect to sign in", w.Code, w.Header().Get("Location"))
		}
	})
	for name, ck := range map[string]*http.Cookie{"worker": worker, "partner": partner} {
		t.Run(name+" is refused", func(t *testing.T) {
			if w := e.get("/admin/export/hsds3.zip", ck); w.Code != http.StatusForbidden {
				t.Errorf("status %d, want 403", w.Code)
			}
		})
	}
	t.Run("admin downloads the whole network", func(t *testing.T) {
		w := e.get("/admin/export/hsds3.zip", admin)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/zip" || !strings.Contains(w.Header().Get("Content-Disposition"), "livingwell-hsds3-2026-03-02.zip") {
			t.Fatalf("status %d, headers %v", w.Code, w.Header())
		}
		zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if len(zr.File) != 22 || zr.File[0].Name != "datapackage.json" {
			t.Errorf("the zip holds %d files, first %q", len(zr.File), zr.File[0].Name)
		}
	})
	t.Run("unknown partner is 404", func(t *testing.T) {
		if w := e.get("/admin/export/hsds3.zip?partner=nobody", admin); w.Code != http.StatusNotFound {
			t.Errorf("status %d, want 404", w.Code)
		}
	})
}
