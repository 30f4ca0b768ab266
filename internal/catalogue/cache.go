package catalogue

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// FacetTTL is how long facet counts and totals of a search are reused, and
// ResultTTL how long a whole page of results is. Every write through an
// instance forgets both at once, and so does news from the database
// (reviews changed, on any instance: see Service.Listen); what is left is
// a change another instance made to an offering, seen within ResultTTL.
const (
	FacetTTL  = 30 * time.Second
	ResultTTL = 10 * time.Second
)

const cacheSize = 5000

// ttlCache is a small in-memory cache of search answers; it holds nothing
// that matters, so any number of instances may each keep one.
type ttlCache[V any] struct {
	mu      sync.Mutex
	ttl     time.Duration
	now     func() time.Time
	entries map[string]cacheEntry[V]
	// flight makes concurrent misses of one key share one computation, so an
	// expiring entry under load costs one query, not one per request.
	flight singleflight.Group
}

type cacheEntry[V any] struct {
	value   V
	expires time.Time
}

func newTTLCache[V any](ttl time.Duration, now func() time.Time) *ttlCache[V] {
	return &ttlCache[V]{ttl: ttl, now: now, entries: map[string]cacheEntry[V]{}}
}

func (c *ttlCache[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || c.now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.value, true
}

// do returns the cached value of key, or computes it once however many
// callers ask at the same time.
func (c *ttlCache[V]) do(key string, compute func() (V, error)) (V, error) {
	if v, ok := c.get(key); ok {
		return v, nil
	}
	v, err, _ := c.flight.Do(key, func() (any, error) {
		v, err := compute()
		if err != nil {
			return nil, err
		}
		c.put(key, v)
		return v, nil
	})
	if err != nil {
		var zero V
		return zero, err
	}
	return v.(V), nil
}

func (c *ttlCache[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= cacheSize {
		now := c.now()
		for k, e := range c.entries {
			if now.After(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= cacheSize {
			c.entries = map[string]cacheEntry[V]{}
		}
	}
	c.entries[key] = cacheEntry[V]{value: v, expires: c.now().Add(c.ttl)}
}

// clear forgets every entry, after a write that changes what searches find.
func (c *ttlCache[V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[string]cacheEntry[V]{}
}

// facetCounts are the cached counts of a search.
type facetCounts struct {
	facets Facets
	total  int
}

// searchCache is the two caches of the Gids' search: facet counts per
// filter, and whole pages of results per search.
type searchCache struct {
	facets  *ttlCache[facetCounts]
	results *ttlCache[Results]
}

func newSearchCache(now func() time.Time) *searchCache {
	return &searchCache{facets: newTTLCache[facetCounts](FacetTTL, now), results: newTTLCache[Results](ResultTTL, now)}
}

// do implements facetCache.
func (c *searchCache) do(key string, compute func() (Facets, int, error)) (Facets, int, error) {
	fc, err := c.facets.do(key, func() (facetCounts, error) {
		f, n, err := compute()
		return facetCounts{f, n}, err
	})
	return fc.facets, fc.total, err
}

func (c *searchCache) clear() {
	c.facets.clear()
	c.results.clear()
}

// Search runs f, answering a search asked in the last ResultTTL from
// memory, and facet counts within FacetTTL.
func (s *Service) Search(ctx context.Context, f Filter) (Results, error) {
	key := f.Values(APIParams)
	key.Set("page", strconv.Itoa(f.Page))
	key.Set("sort", f.Sort)
	// The computation is shared: one client leaving must not cancel it for the others.
	return s.facets.results.do(key.Encode(), func() (Results, error) {
		return s.st.search(context.WithoutCancel(ctx), f, s.facets)
	})
}
