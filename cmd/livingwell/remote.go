package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// remote is a signed-in admin session on a running server, for the
// commands that must go through it while it holds the data directory
// (backup, audit): bbolt lets only one process open the store.
type remote struct {
	base   *url.URL
	client *http.Client
}

// remoteTimeout bounds each call to the server; a backup download of a
// large store gets the whole of it.
const remoteTimeout = 30 * time.Minute

// password returns the admin's password from $LIVINGWELL_PASSWORD, or
// else the first line of standard input (so it never appears in the
// process list or the shell history).
func (env *cli) password() (string, error) {
	if p := env.getenv("LIVINGWELL_PASSWORD"); p != "" {
		return p, nil
	}
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("give the admin's password in $LIVINGWELL_PASSWORD or on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// signIn signs in to the server at from as an admin.
func (env *cli) signIn(ctx context.Context, from, email string) (*remote, error) {
	base, err := url.Parse(strings.TrimRight(from, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("--from %q: give the server's address, such as http://127.0.0.1:8080", from)
	}
	if email == "" {
		return nil, fmt.Errorf("--email: give an admin's email to sign in to %s with", from)
	}
	pw, err := env.password()
	if err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	r := &remote{base: base, client: &http.Client{Jar: jar, Timeout: remoteTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	form := url.Values{"email": {email}, "password": {pw}, "next": {"/account"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, r.url("/login"), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in to %s: %w", from, err)
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return nil, fmt.Errorf("sign in to %s: too many attempts from here - wait %s seconds and try again", from, resp.Header.Get("Retry-After"))
	case resp.StatusCode != http.StatusSeeOther:
		return nil, fmt.Errorf("sign in to %s as %s: the email and password were not accepted (HTTP %d)", from, email, resp.StatusCode)
	}
	return r, nil
}

func (r *remote) url(path string) string { return r.base.String() + path }

// get fetches path and returns the response when it is 200, or an error
// with the server's message.
func (r *remote) get(ctx context.Context, path string) (*http.Response, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.url(path), nil)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	var body struct {
		Error struct{ Message string } `json:"error"`
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	msg := strings.TrimSpace(string(raw))
	if json.Unmarshal(raw, &body) == nil && body.Error.Message != "" {
		msg = body.Error.Message
	}
	switch resp.StatusCode {
	case http.StatusSeeOther, http.StatusForbidden:
		msg = "this account is not an admin"
	}
	if len(msg) > 300 {
		msg = msg[:300] + "..."
	}
	return nil, fmt.Errorf("GET %s: HTTP %d: %s", path, resp.StatusCode, msg)
}

var csrfFieldRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signOut ends the session on the server, best effort: the sign-out form
// needs the session's form token, read from the account page.
func (r *remote) signOut(ctx context.Context) {
	resp, err := r.get(ctx, "/account")
	if err != nil {
		return
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	m := csrfFieldRE.FindSubmatch(raw)
	if m == nil {
		return
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, r.url("/logout"), strings.NewReader(url.Values{"csrf": {string(m[1])}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := r.client.Do(req); err == nil {
		resp.Body.Close()
	}
}
