package catalogue

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// FacetTTL is how long facet counts and totals of a search are reused. The
// hits themselves are always fresh; counts may lag a write by this long.
const FacetTTL = 30 * time.Second

const facetCacheSize = 5000

// ttlCache is a small in-memory cache of facet counts per search; it holds
// nothing that matters, so any number of instances may each keep one.
type ttlCache struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[string]facetEntry
	// flight makes concurrent misses of one key share one computation, so an
	// expiring entry under load costs one query, not one per request.
	flight singleflight.Group
}

type facetEntry struct {
	facets  Facets
	total   int
	expires time.Time
}

func newTTLCache(now func() time.Time) *ttlCache {
	return &ttlCache{now: now, entries: map[string]facetEntry{}}
}

func (c *ttlCache) get(key string) (Facets, int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || c.now().After(e.expires) {
		return Facets{}, 0, false
	}
	return e.facets, e.total, true
}

func (c *ttlCache) do(key string, compute func() (Facets, int, error)) (Facets, int, error) {
	if fc, total, ok := c.get(key); ok {
		return fc, total, nil
	}
	v, err, _ := c.flight.Do(key, func() (any, error) {
		fc, total, err := compute()
		if err != nil {
			return nil, err
		}
		c.put(key, fc, total)
		return facetEntry{facets: fc, total: total}, nil
	})
	if err != nil {
		return Facets{}, 0, err
	}
	e := v.(facetEntry)
	return e.facets, e.total, nil
}

func (c *ttlCache) put(key string, fc Facets, total int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= facetCacheSize {
		now := c.now()
		for k, e := range c.entries {
			if now.After(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= facetCacheSize {
			c.entries = map[string]facetEntry{}
		}
	}
	c.entries[key] = facetEntry{facets: fc, total: total, expires: c.now().Add(FacetTTL)}
}

// clear forgets every entry, after a write that changes what searches find.
func (c *ttlCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[string]facetEntry{}
}

// Search runs f with the facet counts cached for FacetTTL.
func (s *Service) Search(ctx context.Context, f Filter) (Results, error) {
	return s.st.search(ctx, f, s.facets)
}
