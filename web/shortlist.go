package web

import (
	"slices"
	"sync"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// The worker's shortlist lives on the server, in memory, one per sign-in
// session, and holds listing ids only. Why there and not in the browser's
// localStorage (where the public "my list" lives):
//
//   - it works without JavaScript: pinning is a plain form post, and the
//     shortlist, its print view and its share link are plain pages;
//   - it goes when the worker signs out, or their session ends or is ended
//     by an admin, so a shared office computer does not keep one person's
//     shortlist for the next worker to see; localStorage outlives sign-out;
//   - it is never written to disk: a restart loses it (the worker pins
//     again, and a share link already made is kept in the store).
//
// It holds nothing about the person: listing ids, and which of them the
// worker has counted an introduction to (so a second click does not count
// twice).

// maxShortlist is the most listings a shortlist holds: as many as a share
// link can carry.
const maxShortlist = directory.MaxShareListings

// shortlist is one session's shortlist.
type shortlist struct {
	IDs []string
	// Introduced are the ids an introduction was counted for.
	Introduced []string
	expires    time.Time
}

// shortlists holds every session's shortlist, keyed by the hash of the
// session token.
type shortlists struct {
	mu    sync.Mutex
	now   func() time.Time
	lists map[string]*shortlist
}

func newShortlists(now func() time.Time) *shortlists {
	return &shortlists{now: now, lists: map[string]*shortlist{}}
}

// get returns a copy of a session's shortlist (empty when it has none).
func (s *shortlists) get(session string) shortlist {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.lists[directory.HashSecret(session)]
	if !ok || !s.now().Before(l.expires) {
		return shortlist{}
	}
	return shortlist{IDs: slices.Clone(l.IDs), Introduced: slices.Clone(l.Introduced)}
}

// update changes a session's shortlist with fn, keeping it until expires
// (the session's end), and returns a copy of the result. Expired
// shortlists of other sessions are dropped on the way.
func (s *shortlists) update(session string, expires time.Time, fn func(*shortlist)) shortlist {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, l := range s.lists {
		if !now.Before(l.expires) {
			delete(s.lists, k)
		}
	}
	key := directory.HashSecret(session)
	l, ok := s.lists[key]
	if !ok {
		l = &shortlist{}
		s.lists[key] = l
	}
	l.expires = expires
	fn(l)
	if len(l.IDs) == 0 && len(l.Introduced) == 0 {
		delete(s.lists, key)
	}
	return shortlist{IDs: slices.Clone(l.IDs), Introduced: slices.Clone(l.Introduced)}
}

// drop forgets a session's shortlist (at sign-out).
func (s *shortlists) drop(session string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.lists, directory.HashSecret(session))
}

// add pins an id, last; it reports false when the shortlist is full.
func (l *shortlist) add(id string) bool {
	if slices.Contains(l.IDs, id) {
		return true
	}
	if len(l.IDs) >= maxShortlist {
		return false
	}
	l.IDs = append(l.IDs, id)
	return true
}

// remove unpins an id.
func (l *shortlist) remove(id string) {
	l.IDs = slices.DeleteFunc(l.IDs, func(x string) bool { return x == id })
	l.Introduced = slices.DeleteFunc(l.Introduced, func(x string) bool { return x == id })
}

// has reports whether id is pinned.
func (l shortlist) has(id string) bool { return slices.Contains(l.IDs, id) }

// introduced reports whether an introduction to id was counted.
func (l shortlist) introduced(id string) bool { return slices.Contains(l.Introduced, id) }
