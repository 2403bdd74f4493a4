package directory_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// TestNoSecretsAtRest reads the store file byte by byte after a user, an
// API token and a session are made: the password, the token and the
// session token appear nowhere; the password is kept as a bcrypt hash and
// the tokens as SHA-256 hashes.
func TestNoSecretsAtRest(t *testing.T) {
	dir := t.TempDir()
	d := openBackupDir(t, dir, nil)
	ctx := context.Background()
	const password = "a very particular password"
	if _, err := d.AddPartner(ctx, directory.Partner{ID: "alpha", Name: "Alpha"}); err != nil {
		t.Fatal(err)
	}
	u, err := d.AddUser(ctx, directory.User{Email: "a@example.org", Role: directory.RolePartner, PartnerID: "alpha"}, password)
	if err != nil {
		t.Fatal(err)
	}
	token, rec, err := d.CreateToken(ctx, "alpha", "sync")
	if err != nil {
		t.Fatal(err)
	}
	session, _, err := d.CreateSession(ctx, "a@example.org", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(u.PasswordHash, []byte("$2a$10$")) {
		t.Errorf("the password is not kept as a bcrypt hash: %q", u.PasswordHash)
	}
	if rec.Hash != directory.HashSecret(token) || len(rec.Hash) != 64 {
		t.Errorf("the token is not kept as its SHA-256: %q", rec.Hash)
	}
	d.Close()
	raw, err := os.ReadFile(directory.StorePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	for what, secret := range map[string]string{"password": password, "API token": token, "session token": session} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the store file holds the %s in plain text", what)
		}
	}
	if !bytes.Contains(raw, []byte(directory.HashSecret(session))) {
		t.Error("the session is not kept under the hash of its token")
	}
}
