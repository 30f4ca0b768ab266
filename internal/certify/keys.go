package certify

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The signature algorithms of the keys. RS256 is what Open Badges 3.0 asks
// every verifier to support; Ed25519 keys of earlier releases stay
// published, so the tokens they signed keep verifying.
const (
	AlgRS256 = string(jose.RS256)
	AlgEdDSA = string(jose.EdDSA)
)

// rsaKeyBits is the size of new RSA keys.
const rsaKeyBits = 2048

// SigningKey is a key that signs credentials. Its ID is the RFC 7638 JWK
// thumbprint of the public key; tokens name it by KeyURL.
type SigningKey struct {
	ID        string
	Alg       string        // AlgRS256 or AlgEdDSA
	Private   crypto.Signer // *rsa.PrivateKey or ed25519.PrivateKey
	CreatedAt time.Time
}

// GenerateKey returns a new RS256 signing key created at now. It returns an
// error only when the system's random source fails.
func GenerateKey(now time.Time) (SigningKey, error) {
	private, err := rsa.GenerateKey(rand.Reader, rsaKeyBits)
	if err != nil {
		return SigningKey{}, fmt.Errorf("certify: generate key: %w", err)
	}
	return newSigningKey(AlgRS256, private, now)
}

func newSigningKey(alg string, private crypto.Signer, now time.Time) (SigningKey, error) {
	kid, err := thumbprint(private.Public())
	if err != nil {
		return SigningKey{}, fmt.Errorf("certify: signing key: %w", err)
	}
	return SigningKey{ID: kid, Alg: alg, Private: private, CreatedAt: now}, nil
}

// thumbprint returns the RFC 7638 SHA-256 thumbprint of public, base64url
// encoded.
func thumbprint(public crypto.PublicKey) (string, error) {
	jwk := jose.JSONWebKey{Key: public}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// public returns the public half of k after checking k can sign.
func (k SigningKey) public() (crypto.PublicKey, error) {
	switch p := k.Private.(type) {
	case *rsa.PrivateKey:
		if k.Alg == AlgRS256 && k.ID != "" && p.N.BitLen() >= 2048 {
			return &p.PublicKey, nil
		}
	case ed25519.PrivateKey:
		if k.Alg == AlgEdDSA && k.ID != "" && len(p) == ed25519.PrivateKeySize {
			return p.Public(), nil
		}
	}
	return nil, fmt.Errorf("signing key %q is incomplete", k.ID)
}

// encodePrivate is the key as stored: PKCS #8 for RSA, the 64 bytes of an
// Ed25519 key as earlier releases stored them.
func (k SigningKey) encodePrivate() ([]byte, error) {
	if p, ok := k.Private.(ed25519.PrivateKey); ok {
		return p, nil
	}
	b, err := x509.MarshalPKCS8PrivateKey(k.Private)
	if err != nil {
		return nil, fmt.Errorf("certify: encode key %s: %w", k.ID, err)
	}
	return b, nil
}

// decodeKey is the key of a stored row.
func decodeKey(kid, alg string, private []byte, created time.Time) (SigningKey, error) {
	k := SigningKey{ID: kid, Alg: alg, CreatedAt: created}
	switch alg {
	case AlgEdDSA:
		if len(private) != ed25519.PrivateKeySize {
			return k, fmt.Errorf("certify: key %s: not an Ed25519 key", kid)
		}
		k.Private = ed25519.PrivateKey(private)
	case AlgRS256:
		p, err := x509.ParsePKCS8PrivateKey(private)
		if err != nil {
			return k, fmt.Errorf("certify: key %s: %w", kid, err)
		}
		rsaKey, ok := p.(*rsa.PrivateKey)
		if !ok {
			return k, fmt.Errorf("certify: key %s: not an RSA key", kid)
		}
		k.Private = rsaKey
	default:
		return k, fmt.Errorf("certify: key %s: unknown algorithm %q", kid, alg)
	}
	return k, nil
}

// KeyURL is where the public key with kid is published as a JWK:
// BASE/api/v1/keys/{kid}. It is the kid in the header of every token the key
// signs, so a verifier dereferences it to the key (Open Badges 3.0, 8.2).
func KeyURL(baseURL, kid string) string {
	return strings.TrimRight(baseURL, "/") + "/api/v1/keys/" + kid
}

// publicJWK is the public half of k as a JWK. Its kid is the one tokens
// carry: the key's URL for RS256 keys, the bare thumbprint that earlier
// releases put in their tokens for Ed25519 keys.
func (k SigningKey) publicJWK(baseURL string) (jose.JSONWebKey, error) {
	public, err := k.public()
	if err != nil {
		return jose.JSONWebKey{}, err
	}
	kid := k.ID
	if k.Alg == AlgRS256 {
		kid = KeyURL(baseURL, k.ID)
	}
	return jose.JSONWebKey{Key: public, KeyID: kid, Algorithm: k.Alg, Use: "sig"}, nil
}

// JWKS returns the public halves of keys as a JSON Web Key Set (RFC 7517).
// Publish the keys of every credential still in circulation, so that tokens
// of rotated-out keys keep verifying. It returns an error when a key is
// incomplete.
func JWKS(baseURL string, keys []SigningKey) (jose.JSONWebKeySet, error) {
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(keys))}
	for _, k := range keys {
		jwk, err := k.publicJWK(baseURL)
		if err != nil {
			return set, fmt.Errorf("certify: jwks: %w", err)
		}
		set.Keys = append(set.Keys, jwk)
	}
	return set, nil
}

// ErrNoKey is returned when no signing key exists where one must.
var ErrNoKey = errors.New("certify: no signing key")

// --- The service's keys ---

// EnsureSigningKey creates the first RS256 signing key when there is none,
// as on the first start, and returns the current one.
func (s *Service) EnsureSigningKey(ctx context.Context) (SigningKey, error) {
	return s.store.currentKey(ctx, s.now())
}

// RotateKey makes a new key the one that signs new credentials. The old
// keys stay published in the key set, so credentials they signed keep
// verifying; each credential is always signed with the key it was issued
// under.
func (s *Service) RotateKey(ctx context.Context) (SigningKey, error) {
	k, err := GenerateKey(s.now())
	if err != nil {
		return SigningKey{}, err
	}
	if err := s.store.rotateKey(ctx, k); err != nil {
		return SigningKey{}, err
	}
	return k, nil
}

// SigningKeys returns every key, current and retired, newest first.
func (s *Service) SigningKeys(ctx context.Context) ([]SigningKey, error) {
	return s.store.signingKeys(ctx)
}

// JWKS is the published key set: the public halves of every key.
func (s *Service) JWKS(ctx context.Context) (jose.JSONWebKeySet, error) {
	keys, err := s.store.signingKeys(ctx)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	return JWKS(s.baseURL, keys)
}

// PublicKey is the published JWK of the key with thumbprint kid, or
// ErrNotFound.
func (s *Service) PublicKey(ctx context.Context, kid string) (jose.JSONWebKey, error) {
	k, err := s.store.signingKey(ctx, kid)
	if err != nil {
		return jose.JSONWebKey{}, err
	}
	return k.publicJWK(s.baseURL)
}

// credentialKey is the key whose signature a certificate's token carries:
// the RS256 key it was issued under, or, for a certificate issued under an
// Ed25519 key of an earlier release, the first RS256 key (made for the
// purpose when there is none yet). Either way the same certificate always
// gets the same token.
func (s *Service) credentialKey(ctx context.Context, c *Certificate) (SigningKey, error) {
	k, err := s.store.signingKey(ctx, c.SigningKID)
	if err != nil {
		return SigningKey{}, err
	}
	if k.Alg == AlgRS256 {
		return k, nil
	}
	first, err := s.store.firstRSAKey(ctx)
	if errors.Is(err, ErrNoKey) {
		if _, err := s.store.currentKey(ctx, s.now()); err != nil {
			return SigningKey{}, err
		}
		first, err = s.store.firstRSAKey(ctx)
	}
	return first, err
}
