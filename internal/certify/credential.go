package certify

import (
	"bytes"
	"compress/gzip"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Errors returned by VerifyCredential.
var (
	// ErrMalformedToken means the text is not a compact JWS signed with
	// EdDSA, with a kid and typ vc+jwt, carrying a JSON object.
	ErrMalformedToken = errors.New("certify: malformed credential token")
	// ErrUnknownKey means the token names a key (kid) that is not in the
	// key set: not one of ours, or one that was withdrawn.
	ErrUnknownKey = errors.New("certify: credential signed with an unknown key")
	// ErrBadSignature means the signature does not match the key the token
	// names: the token was altered or signed by someone else.
	ErrBadSignature = errors.New("certify: credential signature does not verify")
)

// ErrStatusListIndex is returned by EncodeStatusList and StatusListBit for an
// index outside the status list.
var ErrStatusListIndex = errors.New("certify: index outside the status list")

// Media type and contexts of the credentials.
const (
	credentialType   = "vc+jwt" // JOSE typ of a VC-JWT (W3C VC-JOSE-COSE)
	credentialCty    = "vc"     // JOSE cty of a VC-JWT
	contextVC2       = "https://www.w3.org/ns/credentials/v2"
	contextOB3       = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	statusPurposeRev = "revocation"
	statusPurposeSus = "suspension"
)

// SigningKey is an Ed25519 key that signs credentials. Its ID is the kid in
// the tokens' header and in the published key set.
type SigningKey struct {
	ID        string // the RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key
	Private   ed25519.PrivateKey
	CreatedAt time.Time
}

// GenerateKey returns a new random signing key created at now. It returns an
// error only when the system's random source fails.
func GenerateKey(now time.Time) (SigningKey, error) {
	public, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return SigningKey{}, fmt.Errorf("certify: generate key: %w", err)
	}
	kid, err := thumbprint(public)
	if err != nil {
		return SigningKey{}, fmt.Errorf("certify: generate key: %w", err)
	}
	return SigningKey{ID: kid, Private: private, CreatedAt: now}, nil
}

// thumbprint returns the RFC 7638 SHA-256 thumbprint of public, base64url
// encoded.
func thumbprint(public ed25519.PublicKey) (string, error) {
	jwk := jose.JSONWebKey{Key: public}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// public returns the public half of k after checking k can sign.
func (k SigningKey) public() (ed25519.PublicKey, error) {
	if k.ID == "" || len(k.Private) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("signing key %q is incomplete", k.ID)
	}
	return k.Private.Public().(ed25519.PublicKey), nil
}

// Issuer is the organisation that issues credentials, as its Open Badges
// profile.
type Issuer struct {
	ID   string // URL of the issuer profile, e.g. BASE/api/v1/issuer
	Name string
	URL  string // the issuer's home page
}

func (iss Issuer) profile() map[string]any {
	return map[string]any{
		"id":   iss.ID,
		"type": []any{"Profile"},
		"name": iss.Name,
		"url":  iss.URL,
	}
}

// CredentialData is what an Open Badges credential states.
type CredentialData struct {
	Number                 string // the certificate number
	HolderName             string
	AchievementID          string // URL of the scheme or course, the same for every holder
	AchievementName        string
	AchievementDescription string
	Criteria               string // how the achievement is earned, in words
	AchievementType        string // an OB 3.0 achievement type, e.g. "Certification" or "CertificateOfCompletion"; may be empty
	IssuedAt               time.Time
	ExpiresAt              *time.Time
	StatusListURL          string // the revocation status list credential (see StatusListURL); empty for none
	SuspensionListURL      string // the suspension status list credential; empty for none
	StatusListIndex        int    // the credential's entry in those lists
}

// CredentialURL returns the id of the credential for the certificate number:
// BASE/certificaten/{number}.json.
func CredentialURL(baseURL, number string) string {
	return strings.TrimRight(baseURL, "/") + "/certificaten/" + number + ".json"
}

// StatusListURL returns the id of the status list credential for purpose
// ("revocation" or "suspension"): BASE/api/v1/status-lists/{purpose}.
func StatusListURL(baseURL, purpose string) string {
	return strings.TrimRight(baseURL, "/") + "/api/v1/status-lists/" + purpose
}

// BuildCredential returns the Open Badges 3.0 OpenBadgeCredential (a W3C
// Verifiable Credential 2.0) for d, issued by iss, ready for SignCredential.
// The holder is identified by name, as an unhashed IdentityObject, because
// the holder has no identifier of their own in it.
func BuildCredential(baseURL string, iss Issuer, d CredentialData) map[string]any {
	achievement := map[string]any{
		"id":          d.AchievementID,
		"type":        []any{"Achievement"},
		"name":        d.AchievementName,
		"description": d.AchievementDescription,
		"criteria":    map[string]any{"narrative": d.Criteria},
	}
	if d.AchievementType != "" {
		achievement["achievementType"] = d.AchievementType
	}
	cred := map[string]any{
		"@context":  []any{contextVC2, contextOB3},
		"id":        CredentialURL(baseURL, d.Number),
		"type":      []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":    iss.profile(),
		"validFrom": timestamp(d.IssuedAt),
		"name":      d.AchievementName,
		"credentialSubject": map[string]any{
			"type": []any{"AchievementSubject"},
			"name": d.HolderName,
			"identifier": []any{map[string]any{
				"type":         "IdentityObject",
				"identityType": "name",
				"identityHash": d.HolderName,
				"hashed":       false,
			}},
			"achievement": achievement,
		},
	}
	if d.ExpiresAt != nil {
		cred["validUntil"] = timestamp(*d.ExpiresAt)
	}
	// A revoked credential is revoked for good; a suspended one can become
	// valid again. Each is a list of its own, at the same index.
	var status []any
	index := strconv.Itoa(d.StatusListIndex)
	for _, l := range []struct{ url, purpose string }{{d.StatusListURL, statusPurposeRev}, {d.SuspensionListURL, statusPurposeSus}} {
		if l.url == "" {
			continue
		}
		status = append(status, map[string]any{
			"id":                   l.url + "#" + index,
			"type":                 "BitstringStatusListEntry",
			"statusPurpose":        l.purpose,
			"statusListIndex":      index,
			"statusListCredential": l.url,
		})
	}
	switch len(status) {
	case 1:
		cred["credentialStatus"] = status[0]
	case 2:
		cred["credentialStatus"] = status
	}
	return cred
}

// timestamp formats t as an XML Schema dateTimeStamp in UTC, as VC 2.0 wants.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// SignCredential signs cred (anything that marshals to a JSON object with an
// issuer) as a VC-JWT, W3C VC-JOSE-COSE style: a compact JWS with header alg
// EdDSA, kid and typ "vc+jwt" (cty "vc") whose payload is the credential
// itself. For JWT tools it adds the registered claims iss (iss, which must
// equal the credential's issuer id), jti (its id), nbf (its validFrom) and
// exp (its validUntil), each only where the credential has it. Ed25519 is
// deterministic, so the same key and credential give the same token. It
// returns an error when the key is incomplete, cred is not a JSON object, its
// issuer differs from iss or its dates are not RFC 3339.
func SignCredential(key SigningKey, iss string, cred any) (string, error) {
	if _, err := key.public(); err != nil {
		return "", fmt.Errorf("certify: sign credential: %w", err)
	}
	payload, err := credentialClaims(iss, cred)
	if err != nil {
		return "", fmt.Errorf("certify: sign credential: %w", err)
	}
	opts := (&jose.SignerOptions{}).WithType(credentialType).WithContentType(credentialCty)
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.EdDSA,
		Key:       jose.JSONWebKey{Key: key.Private, KeyID: key.ID},
	}, opts)
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

// credentialClaims returns the JSON payload of a VC-JWT: cred with the
// registered claims added.
func credentialClaims(iss string, cred any) ([]byte, error) {
	raw, err := json.Marshal(cred)
	if err != nil {
		return nil, fmt.Errorf("marshal credential: %w", err)
	}
	var doc struct {
		ID         string          `json:"id"`
		Issuer     json.RawMessage `json:"issuer"`
		ValidFrom  string          `json:"validFrom"`
		ValidUntil string          `json:"validUntil"`
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(raw, &claims); err != nil || claims == nil {
		return nil, errors.New("credential is not a JSON object")
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("credential fields: %w", err)
	}
	if issuer := issuerID(doc.Issuer); issuer != iss {
		return nil, fmt.Errorf("iss %q differs from the credential's issuer %q", iss, issuer)
	}
	add := func(name string, v any) {
		claims[name], _ = json.Marshal(v) // strings and integers always marshal
	}
	add("iss", iss)
	if doc.ID != "" {
		add("jti", doc.ID)
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

// JWKS returns the public halves of keys as a JSON Web Key Set (RFC 7517):
// kty OKP, crv Ed25519, kid, alg EdDSA, use sig. Publish the keys of every
// credential still in circulation, so that tokens of rotated-out keys keep
// verifying. It returns an error when a key is incomplete.
func JWKS(keys []SigningKey) ([]byte, error) {
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(keys))}
	for _, k := range keys {
		public, err := k.public()
		if err != nil {
			return nil, fmt.Errorf("certify: jwks: %w", err)
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key: public, KeyID: k.ID, Algorithm: string(jose.EdDSA), Use: "sig",
		})
	}
	b, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("certify: jwks: %w", err)
	}
	return b, nil
}

// VerifyCredential checks token, a VC-JWT made by SignCredential, against the
// key set jwks and returns its payload: the credential with the JWT claims
// (numbers decode as float64). It checks the signature only, not the validity
// period nor the status list. It returns ErrMalformedToken when token is not
// a well-formed VC-JWT, ErrUnknownKey when its kid is not in jwks,
// ErrBadSignature when the signature does not verify, and a plain error when
// jwks is not a key set.
func VerifyCredential(token string, jwks []byte) (map[string]any, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(jwks, &set); err != nil {
		return nil, fmt.Errorf("certify: verify credential: key set: %w", err)
	}
	jws, err := jose.ParseSignedCompact(strings.TrimSpace(token), []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, fmt.Errorf("certify: verify credential: %w", ErrMalformedToken)
	}
	header := jws.Signatures[0].Protected
	if header.KeyID == "" || header.ExtraHeaders[jose.HeaderType] != credentialType {
		return nil, fmt.Errorf("certify: verify credential: kid or typ: %w", ErrMalformedToken)
	}
	candidates := set.Key(header.KeyID)
	if len(candidates) == 0 {
		return nil, fmt.Errorf("certify: verify credential: kid %q: %w", header.KeyID, ErrUnknownKey)
	}
	payload, err := verifyWithAny(jws, candidates)
	if err != nil {
		return nil, fmt.Errorf("certify: verify credential: kid %q: %w", header.KeyID, err)
	}
	var cred map[string]any
	if err := json.Unmarshal(payload, &cred); err != nil || cred == nil {
		return nil, fmt.Errorf("certify: verify credential: payload: %w", ErrMalformedToken)
	}
	return cred, nil
}

// verifyWithAny returns the payload of jws if one of keys verifies it, and
// ErrBadSignature otherwise. Only public Ed25519 keys count: a key set must
// not make a token verify with a secret.
func verifyWithAny(jws *jose.JSONWebSignature, keys []jose.JSONWebKey) ([]byte, error) {
	for _, k := range keys {
		public, ok := k.Key.(ed25519.PublicKey)
		if !ok {
			continue
		}
		if payload, err := jws.Verify(public); err == nil {
			return payload, nil
		}
	}
	return nil, ErrBadSignature
}

// Sizes of a Bitstring Status List (W3C Bitstring Status List v1.0).
const (
	// minStatusListSize is the fewest entries a list has, 16 KiB of bits,
	// so that a list does not betray whose credential is checked.
	minStatusListSize = 131072
	// maxStatusListBytes bounds a decoded list (134 million entries), so
	// that a hostile list cannot exhaust memory.
	maxStatusListBytes = 16 << 20
)

// EncodeStatusList returns the encodedList of a Bitstring Status List with
// the entries in set set: a bitstring of at least size entries (at least
// 131072, in whole bytes) in which entry 0 is the most significant bit of the
// first byte, GZIP-compressed, base64url-encoded without padding and prefixed
// with the multibase "u". It returns ErrStatusListIndex when an entry in set
// is negative or beyond the list.
func EncodeStatusList(size int, set []int) (string, error) {
	bits := make([]byte, (max(size, minStatusListSize)+7)/8)
	for _, index := range set {
		if index < 0 || index >= len(bits)*8 {
			return "", fmt.Errorf("certify: encode status list: %d of %d: %w", index, len(bits)*8, ErrStatusListIndex)
		}
		bits[index/8] |= 0x80 >> (index % 8)
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", fmt.Errorf("certify: encode status list: %w", err)
	}
	if _, err := zw.Write(bits); err != nil {
		return "", fmt.Errorf("certify: encode status list: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("certify: encode status list: %w", err)
	}
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// StatusListBit reports whether entry index is set in encoded, an encodedList
// as EncodeStatusList makes it. It returns ErrStatusListIndex when index is
// negative or beyond the list, and a plain error when encoded is not a valid
// list (no multibase "u", not base64url, not GZIP, shorter than 131072
// entries or longer than 16 MiB).
func StatusListBit(encoded string, index int) (bool, error) {
	bits, err := decodeStatusList(encoded)
	if err != nil {
		return false, fmt.Errorf("certify: status list bit: %w", err)
	}
	if index < 0 || index >= len(bits)*8 {
		return false, fmt.Errorf("certify: status list bit: %d of %d: %w", index, len(bits)*8, ErrStatusListIndex)
	}
	return bits[index/8]&(0x80>>(index%8)) != 0, nil
}

// decodeStatusList returns the bitstring of an encodedList.
func decodeStatusList(encoded string) ([]byte, error) {
	data, ok := strings.CutPrefix(encoded, "u")
	if !ok {
		return nil, errors.New("encoded list lacks the multibase prefix u")
	}
	compressed, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		return nil, fmt.Errorf("encoded list: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, fmt.Errorf("encoded list: %w", err)
	}
	bits, err := io.ReadAll(io.LimitReader(zr, maxStatusListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("encoded list: %w", err)
	}
	switch {
	case len(bits) > maxStatusListBytes:
		return nil, errors.New("encoded list is too long")
	case len(bits) < minStatusListSize/8:
		return nil, fmt.Errorf("encoded list has %d entries, fewer than %d", len(bits)*8, minStatusListSize)
	}
	return bits, nil
}

// BuildStatusListCredential returns the BitstringStatusListCredential (a W3C
// Verifiable Credential 2.0) that publishes encoded, a list made by
// EncodeStatusList, for purpose ("revocation" or "suspension"), issued by iss
// and valid from validFrom. Its id is StatusListURL(baseURL, purpose).
func BuildStatusListCredential(baseURL string, iss Issuer, purpose string, encoded string, validFrom time.Time) map[string]any {
	id := StatusListURL(baseURL, purpose)
	return map[string]any{
		"@context":  []any{contextVC2},
		"id":        id,
		"type":      []any{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":    iss.profile(),
		"validFrom": timestamp(validFrom),
		"credentialSubject": map[string]any{
			"id":            id + "#list",
			"type":          "BitstringStatusList",
			"statusPurpose": purpose,
			"encodedList":   encoded,
		},
	}
}
