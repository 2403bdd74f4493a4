package directory

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

// Buckets of accounts.
var (
	bucketPartners = []byte("partners") // partner id -> JSON Partner
	bucketUsers    = []byte("users")    // lower-case email -> JSON User
	bucketSessions = []byte("sessions") // sha256(session token) -> JSON Session
	bucketTokens   = []byte("tokens")   // sha256(api token) -> JSON APIToken
)

func init() {
	allBuckets = append(allBuckets, bucketPartners, bucketUsers, bucketSessions, bucketTokens)
}

// Partner is an organisation that publishes listings.
type Partner struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind,omitempty"` // voluntary, faith, housing, employment, nhs, council, community
	Website     string    `json:"website,omitempty"`
	Borough     string    `json:"borough,omitempty"`
	Description string    `json:"description,omitempty"`
	Created     time.Time `json:"created"`
}

// Role is what a user may do.
type Role string

// The roles.
const (
	RoleAdmin   Role = "admin"   // the network coordinator: everything
	RoleWorker  Role = "worker"  // link workers: the match screen and shortlists
	RolePartner Role = "partner" // a partner's staff: their own listings
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleWorker || r == RolePartner }

// User is a person who signs in.
type User struct {
	Email        string    `json:"email"`
	Name         string    `json:"name,omitempty"`
	Role         Role      `json:"role"`
	PartnerID    string    `json:"partner_id,omitempty"` // for partner users
	PasswordHash []byte    `json:"password_hash"`
	Created      time.Time `json:"created"`
	Disabled     bool      `json:"disabled,omitempty"`
}

// Login is a signed-in browser session. Only a hash of its token is stored.
type Login struct {
	Email   string    `json:"email"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	// CSRF is the per-session form token.
	CSRF string `json:"csrf"`
}

// APIToken lets a partner's systems upload listings. Only a hash of the
// token is stored; the token itself is shown once.
type APIToken struct {
	ID        string     `json:"id"`
	PartnerID string     `json:"partner_id"`
	Name      string     `json:"name,omitempty"`
	Created   time.Time  `json:"created"`
	Revoked   *time.Time `json:"revoked,omitempty"`
	Hash      string     `json:"hash"`
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// Slug turns a name into a lower-case, hyphenated id ("St Mark's Church" ->
// "st-marks-church").
func Slug(name string) string {
	s := strings.ToLower(strings.NewReplacer("'", "", "’", "", "&", " and ").Replace(name))
	s = strings.Trim(slugRE.ReplaceAllString(s, "-"), "-")
	if len(s) > 60 {
		s = strings.Trim(s[:60], "-")
	}
	return s
}

// AddPartner stores a new partner. An empty ID is made from the name, with
// a number added when taken. It returns EINVALID without a name and
// ECONFLICT when a given ID is taken.
func (d *Directory) AddPartner(ctx context.Context, p Partner) (*Partner, error) {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" || len(p.Name) > 200 {
		return nil, Errorf(EINVALID, "give the partner a name of 1 to 200 characters")
	}
	explicit := p.ID != ""
	if !explicit {
		p.ID = Slug(p.Name)
	}
	if p.ID == "" || p.ID != Slug(p.ID) {
		return nil, Errorf(EINVALID, "partner id %q should be lower-case letters, digits and hyphens", p.ID)
	}
	if p.Created.IsZero() {
		p.Created = d.now().UTC()
	}
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPartners)
		base := p.ID
		for n := 2; b.Get([]byte(p.ID)) != nil; n++ {
			if explicit {
				return Errorf(ECONFLICT, "there is already a partner with id %q", p.ID)
			}
			p.ID = base + "-" + strconv.Itoa(n)
		}
		if err := d.audit(ctx, tx, AuditPartnerAdd, p.ID, p.Name); err != nil {
			return err
		}
		return putJSON(b, p.ID, p)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// Partner returns the partner with the given id, or ENOTFOUND.
func (d *Directory) Partner(ctx context.Context, id string) (*Partner, error) {
	var p *Partner
	err := d.store.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPartners).Get([]byte(id))
		if v == nil {
			return Errorf(ENOTFOUND, "there is no partner %q", id)
		}
		p = new(Partner)
		return json.Unmarshal(v, p)
	})
	return p, err
}

// Partners returns every partner, ordered by id.
func (d *Directory) Partners(ctx context.Context) ([]Partner, error) {
	var out []Partner
	err := d.store.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPartners).ForEach(func(k, v []byte) error {
			var p Partner
			if err := json.Unmarshal(v, &p); err != nil {
				return Internal(err, "decode partner")
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return Internal(err, "encode "+key)
	}
	return b.Put([]byte(key), raw)
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// AddUser stores a new user with a bcrypt hash of password. It returns
// EINVALID for a bad email, role, partner or short password, and ECONFLICT
// when the email is taken.
func (d *Directory) AddUser(ctx context.Context, u User, password string) (*User, error) {
	addr, err := mail.ParseAddress(u.Email)
	if err != nil || addr.Address != strings.TrimSpace(u.Email) {
		return nil, Errorf(EINVALID, "%q is not an email address", u.Email)
	}
	u.Email = strings.ToLower(addr.Address)
	if !u.Role.Valid() {
		return nil, Errorf(EINVALID, "role %q should be admin, worker or partner", u.Role)
	}
	if (u.Role == RolePartner) != (u.PartnerID != "") {
		return nil, Errorf(EINVALID, "a partner user needs a partner, and only partner users have one")
	}
	if u.PartnerID != "" {
		if _, err := d.Partner(ctx, u.PartnerID); err != nil {
			return nil, Errorf(EINVALID, "there is no partner %q - add it first", u.PartnerID)
		}
	}
	if len(password) < MinPasswordLen || len(password) > 72 {
		return nil, Errorf(EINVALID, "the password must be %d to 72 characters long", MinPasswordLen)
	}
	u.PasswordHash, err = bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return nil, Internal(err, "hash password")
	}
	if u.Created.IsZero() {
		u.Created = d.now().UTC()
	}
	err = d.store.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		if b.Get([]byte(u.Email)) != nil {
			return Errorf(ECONFLICT, "there is already a user %s", u.Email)
		}
		if err := d.audit(ctx, tx, AuditUserAdd, u.Email, "role "+string(u.Role)+partnerDetail(u.PartnerID)); err != nil {
			return err
		}
		return putJSON(b, u.Email, u)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// Users returns every user, ordered by email.
func (d *Directory) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := d.store.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return Internal(err, "decode user")
			}
			out = append(out, u)
			return nil
		})
	})
	return out, err
}

// User returns the user with the given email, or ENOTFOUND.
func (d *Directory) User(ctx context.Context, email string) (*User, error) {
	var u *User
	err := d.store.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketUsers).Get([]byte(strings.ToLower(strings.TrimSpace(email))))
		if v == nil {
			return Errorf(ENOTFOUND, "there is no user %s", email)
		}
		u = new(User)
		return json.Unmarshal(v, u)
	})
	return u, err
}

// dummyHash is compared against when the email is unknown, so that signing
// in takes as long whether or not the account exists.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a real password at all"), bcrypt.DefaultCost)

// Authenticate checks an email and password and returns the user. It
// returns EUNAUTHORIZED, with the same message whatever was wrong, for an
// unknown email, a wrong password or a disabled account.
func (d *Directory) Authenticate(ctx context.Context, email, password string) (*User, error) {
	fail := Errorf(EUNAUTHORIZED, "that email and password do not match an account - check them and try again")
	u, err := d.User(ctx, email)
	if err != nil {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		if ErrorCode(err) == ENOTFOUND {
			return nil, fail
		}
		return nil, err
	}
	if bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(password)) != nil || u.Disabled {
		return nil, fail
	}
	return u, nil
}

// SetUserDisabled disables or re-enables a user; disabling also ends their
// sessions.
func (d *Directory) SetUserDisabled(ctx context.Context, email string, disabled bool) error {
	return d.store.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		key := []byte(strings.ToLower(email))
		v := b.Get(key)
		if v == nil {
			return Errorf(ENOTFOUND, "there is no user %s", email)
		}
		var u User
		if err := json.Unmarshal(v, &u); err != nil {
			return Internal(err, "decode user")
		}
		u.Disabled = disabled
		action := AuditUserEnable
		if disabled {
			action = AuditUserDisable
			if _, err := deleteSessionsOf(tx, u.Email); err != nil {
				return err
			}
		}
		if err := d.audit(ctx, tx, action, u.Email, ""); err != nil {
			return err
		}
		return putJSON(b, u.Email, u)
	})
}

// NewSecret returns a random URL-safe token of 32 bytes of entropy.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// newTokenID returns a token's id: 12 random hex digits. Not base64, whose
// "-" could start an id, which the command line then took for a flag
// ("tokens revoke --partner p -td2FB4sJ2GY").
func newTokenID() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// HashSecret returns the hex SHA-256 of a token, the form tokens are stored in.
func HashSecret(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a login session for a user that lasts ttl and returns its
// token (to put in a cookie) and the session.
func (d *Directory) CreateSession(ctx context.Context, email string, ttl time.Duration) (string, *Login, error) {
	token := NewSecret()
	now := d.now().UTC()
	s := &Login{Email: strings.ToLower(email), Created: now, Expires: now.Add(ttl), CSRF: NewSecret()}
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		if err := appendAudit(tx, now, AuditEntry{Actor: s.Email, Action: AuditSessionStart, Target: s.Email, Detail: "until " + s.Expires.Format(time.RFC3339)}); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketSessions), HashSecret(token), s)
	})
	if err != nil {
		return "", nil, err
	}
	return token, s, nil
}

// SessionUser returns the session for a token and its user. It returns
// EUNAUTHORIZED when the token is unknown, expired or its user disabled.
// The lookup is by hash, so the comparison never runs over the secret.
func (d *Directory) SessionUser(ctx context.Context, token string) (*Login, *User, error) {
	none := Errorf(EUNAUTHORIZED, "please sign in")
	if token == "" || len(token) > 200 {
		return nil, nil, none
	}
	var s Login
	var u User
	err := d.store.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get([]byte(HashSecret(token)))
		if v == nil {
			return none
		}
		if err := json.Unmarshal(v, &s); err != nil {
			return Internal(err, "decode session")
		}
		uv := tx.Bucket(bucketUsers).Get([]byte(s.Email))
		if uv == nil {
			return none
		}
		return json.Unmarshal(uv, &u)
	})
	if err != nil {
		return nil, nil, err
	}
	if !d.now().Before(s.Expires) || u.Disabled {
		return nil, nil, Errorf(EUNAUTHORIZED, "your session has ended - please sign in again")
	}
	return &s, &u, nil
}

// EndSession revokes a session token. Unknown tokens are ignored.
func (d *Directory) EndSession(ctx context.Context, token string) error {
	return d.store.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		key := []byte(HashSecret(token))
		v := b.Get(key)
		if v == nil {
			return nil
		}
		var s Login
		if json.Unmarshal(v, &s) == nil {
			if err := appendAudit(tx, d.now(), AuditEntry{Actor: s.Email, Action: AuditSessionEnd, Target: s.Email}); err != nil {
				return err
			}
		}
		return b.Delete(key)
	})
}

// EndSessionsOf revokes every session of a user.
func (d *Directory) EndSessionsOf(ctx context.Context, email string) error {
	return d.store.db.Update(func(tx *bolt.Tx) error {
		n, err := deleteSessionsOf(tx, strings.ToLower(email))
		if err != nil {
			return err
		}
		return d.audit(ctx, tx, AuditSessionsEnd, strings.ToLower(email), fmt.Sprintf("%d sessions", n))
	})
}

// deleteSessionsOf deletes every session of email and returns how many.
func deleteSessionsOf(tx *bolt.Tx, email string) (int, error) {
	n := 0
	c := tx.Bucket(bucketSessions).Cursor()
	for k, v := c.First(); k != nil; {
		var s Login
		if json.Unmarshal(v, &s) == nil && s.Email == email {
			if err := c.Delete(); err != nil {
				return n, err
			}
			n++
			k, v = c.Seek(k)
			continue
		}
		k, v = c.Next()
	}
	return n, nil
}

// PruneSessions deletes expired sessions and returns how many.
func (d *Directory) PruneSessions(ctx context.Context) (int, error) {
	n := 0
	now := d.now()
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSessions).Cursor()
		for k, v := c.First(); k != nil; {
			var s Login
			if json.Unmarshal(v, &s) != nil || !now.Before(s.Expires) {
				if err := c.Delete(); err != nil {
					return err
				}
				n++
				k, v = c.Seek(k)
				continue
			}
			k, v = c.Next()
		}
		if n == 0 {
			return nil
		}
		return d.audit(ctx, tx, AuditSessionsPrune, "", fmt.Sprintf("%d expired sessions", n))
	})
	return n, err
}

// tokenPrefix marks livingwell API tokens so they are recognisable in logs
// and secret scanners.
const tokenPrefix = "lw_"

// CreateToken makes an API token for a partner and returns the token (shown
// once) and its record. It returns ENOTFOUND for an unknown partner.
func (d *Directory) CreateToken(ctx context.Context, partnerID, name string) (string, *APIToken, error) {
	if _, err := d.Partner(ctx, partnerID); err != nil {
		return "", nil, err
	}
	token := tokenPrefix + NewSecret()
	t := &APIToken{ID: newTokenID(), PartnerID: partnerID, Name: strings.TrimSpace(name), Created: d.now().UTC(), Hash: HashSecret(token)}
	err := d.store.db.Update(func(tx *bolt.Tx) error {
		if err := d.audit(ctx, tx, AuditTokenCreate, t.ID, strings.TrimPrefix(partnerDetail(partnerID)+tokenName(t.Name), ", ")); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketTokens), t.Hash, t)
	})
	if err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// TokenPartner returns the token record for an API token. It returns
// EUNAUTHORIZED for an unknown or revoked token. The stored hash is
// compared in constant time.
func (d *Directory) TokenPartner(ctx context.Context, token string) (*APIToken, error) {
	none := Errorf(EUNAUTHORIZED, "that API token is not valid - ask the network coordinator for a new one")
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 200 {
		return nil, none
	}
	want := HashSecret(token)
	var t APIToken
	err := d.store.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketTokens).Get([]byte(want))
		if v == nil {
			return none
		}
		return json.Unmarshal(v, &t)
	})
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(t.Hash), []byte(want)) != 1 || t.Revoked != nil {
		return nil, none
	}
	return &t, nil
}

// Tokens returns the API tokens of a partner (all partners when empty).
func (d *Directory) Tokens(ctx context.Context, partnerID string) ([]APIToken, error) {
	var out []APIToken
	err := d.store.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokens).ForEach(func(k, v []byte) error {
			var t APIToken
			if err := json.Unmarshal(v, &t); err != nil {
				return Internal(err, "decode token")
			}
			if partnerID == "" || t.PartnerID == partnerID {
				out = append(out, t)
			}
			return nil
		})
	})
	return out, err
}

// RevokeToken revokes the token with the given id. When partnerID is set
// the token must belong to that partner. It returns ENOTFOUND otherwise.
func (d *Directory) RevokeToken(ctx context.Context, partnerID, id string) error {
	return d.store.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var t APIToken
			if err := json.Unmarshal(v, &t); err != nil {
				return Internal(err, "decode token")
			}
			if t.ID != id || (partnerID != "" && t.PartnerID != partnerID) {
				continue
			}
			now := d.now().UTC()
			t.Revoked = &now
			if err := d.audit(ctx, tx, AuditTokenRevoke, t.ID, strings.TrimPrefix(partnerDetail(t.PartnerID)+tokenName(t.Name), ", ")); err != nil {
				return err
			}
			return putJSON(b, string(bytes.Clone(k)), t)
		}
		return Errorf(ENOTFOUND, "there is no token %q", id)
	})
}
