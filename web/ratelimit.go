package web

import (
	"math"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// Rate is a token bucket: up to Burst requests at once, then one more
// every Per.
type Rate struct {
	Burst int
	Per   time.Duration
}

// Limits are the server's rate limits, each applied per client.
type Limits struct {
	// SignIn limits sign-in attempts per client IP; the default allows 10
	// at once, then one every 6 seconds.
	SignIn Rate
	// Imports limits partner uploads per API token, per signed-in user and
	// per client IP; the default allows 10 at once, then one every 30
	// seconds.
	Imports Rate
	// PublicAPI limits the public API (search, listings, match, Open
	// Referral UK) per client IP, or per user when signed in; the default
	// allows 120 at once, then 10 a second.
	PublicAPI Rate
}

// Default rate limits.
var (
	DefaultSignInRate  = Rate{Burst: 10, Per: 6 * time.Second}
	DefaultImportsRate = Rate{Burst: 10, Per: 30 * time.Second}
	DefaultPublicRate  = Rate{Burst: 120, Per: 100 * time.Millisecond}
)

// maxLimiterKeys bounds the memory of one limiter: past it, idle keys are
// evicted first, then the least recently seen.
const maxLimiterKeys = 10000

// rateLimiter is a token bucket per key (a client IP, an API token, a
// user), kept in memory. It is safe for concurrent use. Other areas reuse
// it: make one with newRateLimiter and put s.limit(l, key) before their
// handlers.
type rateLimiter struct {
	rate    Rate
	now     func() time.Time
	maxKeys int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	seen   time.Time
}

// newRateLimiter returns a limiter for r, using def for a zero field.
func newRateLimiter(r, def Rate, now func() time.Time) *rateLimiter {
	if r.Burst <= 0 {
		r.Burst = def.Burst
	}
	if r.Per <= 0 {
		r.Per = def.Per
	}
	return &rateLimiter{rate: r, now: now, maxKeys: maxLimiterKeys, buckets: map[string]*bucket{}}
}

// allow takes one token for key. It reports whether the request may go
// ahead and, when not, how long until it may.
func (l *rateLimiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.evict(now)
		}
		b = &bucket{tokens: float64(l.rate.Burst), seen: now}
		l.buckets[key] = b
	}
	b.tokens = l.refill(b, now)
	b.seen = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(l.rate.Per))
	return false, wait
}

// refill returns the tokens b holds at now.
func (l *rateLimiter) refill(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.seen)
	if elapsed <= 0 {
		return b.tokens
	}
	return math.Min(float64(l.rate.Burst), b.tokens+float64(elapsed)/float64(l.rate.Per))
}

// evict drops every bucket that has refilled (forgetting it changes
// nothing); when none has, it drops the least recently seen one.
func (l *rateLimiter) evict(now time.Time) {
	var oldest string
	var oldestSeen time.Time
	for k, b := range l.buckets {
		if l.refill(b, now) >= float64(l.rate.Burst) {
			delete(l.buckets, k)
			continue
		}
		if oldest == "" || b.seen.Before(oldestSeen) {
			oldest, oldestSeen = k, b.seen
		}
	}
	if len(l.buckets) >= l.maxKeys {
		delete(l.buckets, oldest)
	}
}

// clientIP returns the client's address as a rate-limit key. Without
// trusted proxies (the default) it is the peer address. IPv6 clients are
// keyed by their /64 network, since one household or phone gets a whole
// /64 and could otherwise rotate addresses to dodge the limit.
func clientIP(c *gin.Context) string {
	ip, err := netip.ParseAddr(c.ClientIP())
	if err != nil {
		return c.ClientIP()
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// errRateLimited is answered when a client has made too many requests.
var errRateLimited = &directory.Error{Code: codeRateLimited, Message: "there have been too many attempts from here - wait a minute and try again"}

// tooMany answers a rate-limited request: JSON for the API, a page
// otherwise, with Retry-After in whole seconds.
func (s *Server) tooMany(c *gin.Context, wait time.Duration) {
	c.Header("Retry-After", retryAfter(wait))
	if wantsJSON(c) {
		apiError(c, errRateLimited)
		return
	}
	s.renderError(c, errRateLimited)
}

// retryAfter formats a wait as a Retry-After header: whole seconds, at
// least one.
func retryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}

// limit is middleware that takes a token from l for the key that key
// returns (skipping the check when it returns ""), answering 429 when the
// bucket is empty.
func (s *Server) limit(l *rateLimiter, key func(*gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		k := key(c)
		if k == "" {
			c.Next()
			return
		}
		if ok, wait := l.allow(k); !ok {
			s.tooMany(c, wait)
			return
		}
		c.Next()
	}
}
