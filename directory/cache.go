package directory

import (
	"slices"
	"sync"
)

// listingCache keeps recently read listings decoded, so that a page of
// search results does not decode each listing's JSON again (that was a
// third of a search's time). It hands out copies, so a caller changing a
// listing it was given never changes the cache.
//
// A write bumps the epoch and drops the listings it changed. A reader
// notes the epoch before its store transaction and may add what it read
// only if no write has happened since, so a listing read before a write
// can never be cached after it.
type listingCache struct {
	mu    sync.Mutex
	epoch uint64
	m     map[string]*Listing
}

// maxCachedListings bounds the cache; when full it starts afresh.
const maxCachedListings = 20000

func newListingCache() *listingCache { return &listingCache{m: map[string]*Listing{}} }

// begin returns the epoch to pass to put after reading the store.
func (c *listingCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// get returns a copy of the cached listing, if there is one.
func (c *listingCache) get(id string) (*Listing, bool) {
	c.mu.Lock()
	l, ok := c.m[id]
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	return l.clone(), true
}

// put caches a copy of l, read from the store since begin returned epoch.
func (c *listingCache) put(epoch uint64, l *Listing) {
	cp := l.clone()
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	if len(c.m) >= maxCachedListings {
		c.m = map[string]*Listing{}
	}
	c.m[l.ID] = cp
}

// forget drops the listings a write has changed.
func (c *listingCache) forget(ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for _, id := range ids {
		delete(c.m, id)
	}
}

// clone returns a deep copy of l: nothing in it is shared with l.
func (l *Listing) clone() *Listing {
	c := *l
	c.Categories = slices.Clone(l.Categories)
	c.Stages = slices.Clone(l.Stages)
	c.Interests = slices.Clone(l.Interests)
	c.Strengths = slices.Clone(l.Strengths)
	c.Locations = slices.Clone(l.Locations)
	for i, loc := range c.Locations {
		if loc.Point != nil {
			p := *loc.Point
			c.Locations[i].Point = &p
		}
	}
	c.Sessions = slices.Clone(l.Sessions)
	c.Accessibility = slices.Clone(l.Accessibility)
	c.Languages = slices.Clone(l.Languages)
	c.Formats = slices.Clone(l.Formats)
	return &c
}
