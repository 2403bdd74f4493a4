package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestRateLimiter(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	l := newRateLimiter(Rate{Burst: 3, Per: 10 * time.Second}, DefaultSignInRate, clock.Now)
	for i := range 3 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d within the burst was refused", i+1)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait <= 0 || wait > 10*time.Second {
		t.Fatalf("past the burst: allowed %v, wait %v; want refused with a wait up to 10s", ok, wait)
	}
	if ok, _ := l.allow("b"); !ok {
		t.Error("another key was refused because of the first")
	}
	clock.Advance(10 * time.Second)
	if ok, _ := l.allow("a"); !ok {
		t.Error("after one period, one more request was refused")
	}
	if ok, _ := l.allow("a"); ok {
		t.Error("one period gave more than one request back")
	}
	clock.Advance(time.Hour)
	for i := range 3 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("after a long wait, request %d of a full burst was refused", i+1)
		}
	}
}

func TestRateLimiterMemoryBounded(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	l := newRateLimiter(Rate{Burst: 2, Per: time.Minute}, DefaultSignInRate, clock.Now)
	l.maxKeys = 100
	for i := range 1000 {
		l.allow(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
		clock.Advance(time.Millisecond)
	}
	if n := len(l.buckets); n > l.maxKeys {
		t.Fatalf("the limiter holds %d keys, more than its bound of %d", n, l.maxKeys)
	}
	// The busiest recent client is still limited: eviction drops the least
	// recently seen, not the one just refused.
	l.allow("attacker")
	l.allow("attacker")
	if ok, _ := l.allow("attacker"); ok {
		t.Error("the limited client was let through")
	}
}

func TestClientIP(t *testing.T) {
	tests := []struct {
		remote, want string
	}{
		{"192.0.2.7:5555", "192.0.2.7"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:443", "2001:db8:1:2::/64"},
		{"[::ffff:192.0.2.9]:80", "192.0.2.9"},
	}
	gin.SetMode(gin.ReleaseMode) // as routes() sets it
	for _, tt := range tests {
		t.Run(tt.remote, func(t *testing.T) {
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
			c.Request.RemoteAddr = tt.remote
			if got := clientIP(c); got != tt.want {
				t.Errorf("clientIP = %q, want %q", got, tt.want)
			}
		})
	}
}

// signInFrom posts the sign-in form from the peer address remote, with
// extra headers.
func (e *testEnv) signInFrom(remote, password string, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"email": {alphaEmail}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = remote
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return e.do(req)
}

func TestSignInRateLimited(t *testing.T) {
	e := mustOpenServer(t, Config{Limits: Limits{SignIn: Rate{Burst: 3, Per: time.Minute}}})
	const office, home = "198.51.100.4:40000", "203.0.113.9:40000"
	for i := range 3 {
		if w := e.signInFrom(office, "wrong password!", nil); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d answered %d, want 401", i+1, w.Code)
		}
	}
	t.Run("the next attempt is refused, even with the right password", func(t *testing.T) {
		w := e.signInFrom(office, testPassword, nil)
		if w.Code != http.StatusTooManyRequests || sessionCookie(w) != nil {
			t.Fatalf("status %d, cookie %v; want 429 and no session", w.Code, sessionCookie(w))
		}
		if w.Header().Get("Retry-After") == "" || !strings.Contains(pageError(w.Body.String()), "too many attempts") {
			t.Errorf("the refusal lacks Retry-After or a message: %q", pageError(w.Body.String()))
		}
	})
	t.Run("a forged X-Forwarded-For does not dodge the limit", func(t *testing.T) {
		if w := e.signInFrom(office, testPassword, map[string]string{"X-Forwarded-For": "192.0.2.200"}); w.Code != http.StatusTooManyRequests {
			t.Fatalf("status %d, want 429", w.Code)
		}
	})
	t.Run("another client is not affected", func(t *testing.T) {
		if w := e.signInFrom(home, testPassword, nil); w.Code != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", w.Code)
		}
	})
	t.Run("after a wait the client may try again", func(t *testing.T) {
		e.clock.Advance(time.Minute)
		if w := e.signInFrom(office, testPassword, nil); w.Code != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", w.Code)
		}
	})
}

func TestTrustedProxy(t *testing.T) {
	const proxy = "10.1.2.3:5000"
	e := mustOpenServer(t, Config{TrustedProxies: []string{"10.1.2.3"}, Limits: Limits{SignIn: Rate{Burst: 1, Per: time.Hour}}})
	e.signInFrom(proxy, "wrong password!", map[string]string{"X-Forwarded-For": "198.51.100.4"})
	if w := e.signInFrom(proxy, "wrong password!", map[string]string{"X-Forwarded-For": "198.51.100.4"}); w.Code != http.StatusTooManyRequests {
		t.Fatalf("the same client behind the proxy: %d, want 429", w.Code)
	}
	if w := e.signInFrom(proxy, testPassword, map[string]string{"X-Forwarded-For": "203.0.113.9"}); w.Code != http.StatusSeeOther {
		t.Fatalf("another client behind the same proxy: %d, want 303", w.Code)
	}
	if _, err := New(Config{Dir: e.dir, TrustedProxies: []string{"not an address"}}); err == nil {
		t.Error("a trusted proxy that is not an address was accepted")
	}
}
