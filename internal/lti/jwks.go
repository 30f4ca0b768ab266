package lti

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// keySets fetches platforms' public key sets over HTTP and keeps them for a
// while. A token naming a key the cached set lacks makes it fetch the set
// again (the platform rotated its key), at most once per refetchEvery per
// URL, so forged kids cannot make it hammer the platform.
type keySets struct {
	client       *http.Client
	now          func() time.Time
	maxAge       time.Duration
	refetchEvery time.Duration

	mu   sync.Mutex
	sets map[string]*keySet
}

type keySet struct {
	mu      sync.Mutex // one fetch at a time per URL
	keys    jose.JSONWebKeySet
	fetched time.Time
}

// errKeySetUnavailable means the platform's key set could not be read.
var errKeySetUnavailable = errors.New("lti: platform key set unavailable")

// maxKeySetBytes bounds what is read from a key set URL.
const maxKeySetBytes = 1 << 20

// key returns the platform's RSA public key with kid ("" when the token
// names none and the set holds exactly one key). found is false when the
// set, even fetched afresh, has no such key.
func (k *keySets) key(ctx context.Context, url, kid string) (key *rsa.PublicKey, found bool, err error) {
	k.mu.Lock()
	ks := k.sets[url]
	if ks == nil {
		ks = &keySet{}
		k.sets[url] = ks
	}
	k.mu.Unlock()

	ks.mu.Lock()
	defer ks.mu.Unlock()
	now := k.now()
	fresh := false
	if ks.fetched.IsZero() || now.Sub(ks.fetched) > k.maxAge {
		if err := ks.fetch(ctx, k.client, url, now); err != nil {
			return nil, false, err
		}
		fresh = true
	}
	if key, ok := pick(ks.keys, kid); ok {
		return key, true, nil
	}
	if fresh || now.Sub(ks.fetched) < k.refetchEvery {
		return nil, false, nil
	}
	if err := ks.fetch(ctx, k.client, url, now); err != nil {
		return nil, false, err
	}
	key, ok := pick(ks.keys, kid)
	return key, ok, nil
}

func (ks *keySet) fetch(ctx context.Context, client *http.Client, url string, now time.Time) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("%w: %w", errKeySetUnavailable, err)
	}
	req.Header.Set("Accept", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", errKeySetUnavailable, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: %s answered %d", errKeySetUnavailable, url, res.StatusCode)
	}
	// Keys are read one by one: a key of a kind go-jose does not know
	// (another curve, say) is skipped instead of spoiling the whole set.
	var raw struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, maxKeySetBytes)).Decode(&raw); err != nil {
		return fmt.Errorf("%w: %s: %w", errKeySetUnavailable, url, err)
	}
	var set jose.JSONWebKeySet
	for _, r := range raw.Keys {
		var k jose.JSONWebKey
		if json.Unmarshal(r, &k) == nil {
			set.Keys = append(set.Keys, k)
		}
	}
	ks.keys, ks.fetched = set, now
	return nil
}

// pick finds the signing RSA key with kid in set.
func pick(set jose.JSONWebKeySet, kid string) (*rsa.PublicKey, bool) {
	var candidates []jose.JSONWebKey
	if kid == "" {
		candidates = set.Keys
		if len(candidates) != 1 {
			return nil, false
		}
	} else {
		candidates = set.Key(kid)
	}
	for _, c := range candidates {
		if c.Use != "" && c.Use != "sig" {
			continue
		}
		if c.Algorithm != "" && c.Algorithm != string(jose.RS256) {
			continue
		}
		if pub, ok := c.Key.(*rsa.PublicKey); ok && pub.N.BitLen() >= 2048 {
			return pub, true
		}
	}
	return nil, false
}
