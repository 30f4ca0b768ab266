package certify

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// SignCredential signs cred (anything that marshals to a JSON object with an
// issuer, an id and a credentialSubject with an id) as a VC-JWT the way Open
// Badges 3.0 section 8.2 asks: a compact JWS whose header has only alg
// (RS256, or EdDSA for an old key), kid (KeyURL of the key, which
// dereferences to its JWK) and typ "JWT", and whose payload is the
// credential itself with the registered claims iss (its issuer id, which
// must equal iss), jti (its id), sub (its credentialSubject.id), nbf (its
// validFrom) and exp (its validUntil, when it has one). Both algorithms are
// deterministic, so the same key and credential give the same token. It
// returns an error when the key is incomplete, cred is not such an object,
// its issuer differs from iss or its dates are not RFC 3339.
func SignCredential(baseURL string, key SigningKey, iss string, cred any) (string, error) {
	if _, err := key.public(); err != nil {
		return "", fmt.Errorf("certify: sign credential: %w", err)
	}
	payload, err := credentialClaims(iss, cred)
	if err != nil {
		return "", fmt.Errorf("certify: sign credential: %w", err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.SignatureAlgorithm(key.Alg),
		Key:       jose.JSONWebKey{Key: key.Private, KeyID: KeyURL(baseURL, key.ID)},
	}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("certify: sign credential: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("certify: sign credential: %w", err)
	}
	token, err := jws.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("certify: sign credential: %w", err)
	}
	return token, nil
}

// credentialFields are the fields of a credential the JWT claims repeat.
type credentialFields struct {
	ID         string          `json:"id"`
	Issuer     json.RawMessage `json:"issuer"`
	ValidFrom  string          `json:"validFrom"`
	ValidUntil string          `json:"validUntil"`
	Subject    struct {
		ID string `json:"id"`
	} `json:"credentialSubject"`
}

// credentialClaims returns the JSON payload of a VC-JWT: cred with the
// registered claims added.
func credentialClaims(iss string, cred any) ([]byte, error) {
	raw, err := json.Marshal(cred)
	if err != nil {
		return nil, fmt.Errorf("marshal credential: %w", err)
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(raw, &claims); err != nil || claims == nil {
		return nil, errors.New("credential is not a JSON object")
	}
	var doc credentialFields
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("credential fields: %w", err)
	}
	if issuer := issuerID(doc.Issuer); issuer != iss {
		return nil, fmt.Errorf("iss %q differs from the credential's issuer %q", iss, issuer)
	}
	if doc.ID == "" || doc.Subject.ID == "" {
		return nil, errors.New("a credential needs an id and a credentialSubject.id")
	}
	add := func(name string, v any) {
		claims[name], _ = json.Marshal(v) // strings and integers always marshal
	}
	add("iss", iss)
	add("jti", doc.ID)
	add("sub", doc.Subject.ID)
	if doc.ValidFrom == "" {
		return nil, errors.New("a credential needs a validFrom")
	}
	for _, date := range []struct{ claim, value string }{{"nbf", doc.ValidFrom}, {"exp", doc.ValidUntil}} {
		if date.value == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, date.value)
		if err != nil {
			return nil, fmt.Errorf("credential date: %w", err)
		}
		add(date.claim, t.Unix())
	}
	return json.Marshal(claims)
}

// issuerID returns the id of a credential's issuer, which is either a URL or
// an object with an id.
func issuerID(raw json.RawMessage) string {
	var id string
	if json.Unmarshal(raw, &id) == nil {
		return id
	}
	var profile struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &profile) // no issuer or no id: ""
	return profile.ID
}
