package certify

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const testBaseURL = "https://leeromgeving.example.nl/"

func testIssuer() Issuer {
	return Issuer{
		ID:   "https://leeromgeving.example.nl/api/v1/issuer",
		Name: "Programma Ambtenaar 2.0",
		URL:  "https://leeromgeving.example.nl",
	}
}

func testCredentialData() CredentialData {
	expires := time.Date(2029, time.November, 22, 9, 30, 0, 0, time.UTC)
	return CredentialData{
		Number:                 "W20-ADV-2026-000123-2",
		SubjectID:              "urn:uuid:5f0c6c2e-8f51-4a3b-9d0e-2b1c3d4e5f60",
		HolderName:             "Şükrü Yıldız-van Dijk",
		Identity:               HashIdentity("emailAddress", "Sukru@Gemeente.example", "0123456789abcdef"),
		AchievementID:          "https://leeromgeving.example.nl/certificering/regelingen/adviseur-werken-2-0",
		AchievementName:        "Adviseur Werken 2.0",
		AchievementDescription: "Gecertificeerd adviseur voor Werken 2.0 bij de overheid.",
		Criteria:               "Twee praktijkopdrachten, een examen en een beoordeling door een assessor.",
		AchievementType:        "Certification",
		IssuedAt:               time.Date(2026, time.November, 22, 10, 30, 0, 0, time.FixedZone("CET", 3600)),
		ExpiresAt:              &expires,
		StatusListURL:          StatusListURL(testBaseURL, StatusPurposeMessage),
		StatusListIndex:        94567,
	}
}

// testKey is one RSA key for the unit tests of the package: making one
// takes long under the race detector.
var testKey = sync.OnceValues(func() (SigningKey, error) {
	return GenerateKey(time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC))
})

func mustKey(tb testing.TB) SigningKey {
	tb.Helper()
	k, err := testKey()
	if err != nil {
		tb.Fatalf("GenerateKey: %v", err)
	}
	return k
}

func mustSign(tb testing.TB, key SigningKey, cred any) string {
	tb.Helper()
	token, err := SignCredential(testBaseURL, key, testIssuer().ID, cred)
	if err != nil {
		tb.Fatalf("SignCredential: %v", err)
	}
	return token
}

// assertJSON fails unless got marshals to the same JSON value as want.
func assertJSON(tb testing.TB, got any, want string) {
	tb.Helper()
	raw, err := json.Marshal(got)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	var g, w any
	if err := json.Unmarshal(raw, &g); err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		tb.Fatalf("want is not JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		tb.Errorf("JSON differs\n got: %s\nwant: %s", raw, want)
	}
}

func TestBuildCredential(t *testing.T) {
	sum := sha256.Sum256([]byte("sukru@gemeente.example0123456789abcdef"))
	assertJSON(t, BuildCredential(testBaseURL, testIssuer(), testCredentialData()), `{
		"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
		"id": "https://leeromgeving.example.nl/certificaten/W20-ADV-2026-000123-2.json",
		"type": ["VerifiableCredential", "OpenBadgeCredential"],
		"issuer": {
			"id": "https://leeromgeving.example.nl/api/v1/issuer",
			"type": ["Profile"],
			"name": "Programma Ambtenaar 2.0",
			"url": "https://leeromgeving.example.nl"
		},
		"validFrom": "2026-11-22T09:30:00Z",
		"validUntil": "2029-11-22T09:30:00Z",
		"name": "Adviseur Werken 2.0",
		"credentialSubject": {
			"id": "urn:uuid:5f0c6c2e-8f51-4a3b-9d0e-2b1c3d4e5f60",
			"type": ["AchievementSubject"],
			"name": "Şükrü Yıldız-van Dijk",
			"identifier": [{
				"type": "IdentityObject",
				"identityType": "emailAddress",
				"identityHash": "sha256$`+hex.EncodeToString(sum[:])+`",
				"hashed": true,
				"salt": "0123456789abcdef"
			}],
			"achievement": {
				"id": "https://leeromgeving.example.nl/certificering/regelingen/adviseur-werken-2-0",
				"type": ["Achievement"],
				"name": "Adviseur Werken 2.0",
				"description": "Gecertificeerd adviseur voor Werken 2.0 bij de overheid.",
				"criteria": {"narrative": "Twee praktijkopdrachten, een examen en een beoordeling door een assessor."},
				"achievementType": "Certification"
			}
		},
		"credentialStatus": {
			"id": "https://leeromgeving.example.nl/api/v1/status-lists/message#94567",
			"type": "BitstringStatusListEntry",
			"statusPurpose": "message",
			"statusListIndex": "94567",
			"statusListCredential": "https://leeromgeving.example.nl/api/v1/status-lists/message",
			"statusSize": 2,
			"statusMessage": [
				{"status": "0x0", "message": "valid"},
				{"status": "0x1", "message": "suspended"},
				{"status": "0x2", "message": "revoked"},
				{"status": "0x3", "message": "revoked"}
			]
		}
	}`)
}

func TestBuildCredential_Optional(t *testing.T) {
	d := testCredentialData()
	d.ExpiresAt, d.StatusListURL, d.AchievementType, d.Identity = nil, "", "", Identity{}
	cred := BuildCredential(testBaseURL, testIssuer(), d)
	for _, field := range []string{"validUntil", "credentialStatus"} {
		if _, ok := cred[field]; ok {
			t.Errorf("credential has %s, want none", field)
		}
	}
	subject := cred["credentialSubject"].(map[string]any)
	if _, ok := subject["identifier"]; ok {
		t.Error("subject has an identifier without an identity")
	}
	if _, ok := subject["achievement"].(map[string]any)["achievementType"]; ok {
		t.Error("achievement has achievementType, want none")
	}
}

// A recipient check as a verifier does it: hash the address told with the
// credential's salt and compare.
func TestIdentity(t *testing.T) {
	id := NewIdentity("emailAddress", " Anouk@Example.NL ")
	if !strings.HasPrefix(id.Hash, "sha256$") || len(id.Salt) != 32 || id.Type != "emailAddress" {
		t.Fatalf("identity %+v", id)
	}
	sum := sha256.Sum256([]byte("anouk@example.nl" + id.Salt))
	if id.Hash != "sha256$"+hex.EncodeToString(sum[:]) {
		t.Errorf("hash %s is not sha256(address + salt)", id.Hash)
	}
	if !id.Matches("ANOUK@example.nl") || id.Matches("anouk@example.com") || (Identity{}).Matches("") {
		t.Error("Matches is wrong")
	}
	if other := NewIdentity("emailAddress", "anouk@example.nl"); other.Salt == id.Salt || other.Hash == id.Hash {
		t.Error("two identities of one address share a salt")
	}
	first, second := newSubjectID(), newSubjectID()
	if !strings.HasPrefix(first, "urn:uuid:") || len(first) != len("urn:uuid:")+36 || first == second {
		t.Error("newSubjectID is not a fresh UUID URN")
	}
}

func TestGenerateKey(t *testing.T) {
	k := mustKey(t)
	p, ok := k.Private.(*rsa.PrivateKey)
	if !ok || p.N.BitLen() != 2048 || k.Alg != AlgRS256 {
		t.Fatalf("key %s is %T (%s), want a 2048-bit RSA key", k.ID, k.Private, k.Alg)
	}
	if want, _ := thumbprint(&p.PublicKey); k.ID != want || len(k.ID) != 43 {
		t.Errorf("ID %q is not the RFC 7638 thumbprint %q", k.ID, want)
	}
	stored, err := k.encodePrivate()
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeKey(k.ID, k.Alg, stored, k.CreatedAt)
	if err != nil || !back.Private.(*rsa.PrivateKey).Equal(p) {
		t.Errorf("stored key does not decode to itself: %v", err)
	}
	for _, bad := range []struct{ alg, what string }{{AlgRS256, "nonsense"}, {AlgEdDSA, "short"}, {"HS256", "x"}} {
		if _, err := decodeKey("k", bad.alg, []byte(bad.what), k.CreatedAt); err == nil {
			t.Errorf("decodeKey(%s, %q) succeeded", bad.alg, bad.what)
		}
	}
}

func legacyKey(tb testing.TB) SigningKey {
	tb.Helper()
	_, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	k, err := newSigningKey(AlgEdDSA, private, time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// The key set names RS256 keys by their URL (the kid of their tokens) and
// the Ed25519 keys of earlier releases by the bare thumbprint their tokens
// carry.
func TestJWKS(t *testing.T) {
	rsaKey, old := mustKey(t), legacyKey(t)
	set, err := JWKS(testBaseURL, []SigningKey{rsaKey, old})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(set)
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Keys) != 2 {
		t.Fatalf("key set %s: %v", raw, err)
	}
	r, e := doc.Keys[0], doc.Keys[1]
	if r["kty"] != "RSA" || r["alg"] != "RS256" || r["use"] != "sig" || r["kid"] != "https://leeromgeving.example.nl/api/v1/keys/"+rsaKey.ID || r["n"] == "" || r["d"] != "" {
		t.Errorf("RSA JWK %v", r)
	}
	if e["kty"] != "OKP" || e["crv"] != "Ed25519" || e["alg"] != "EdDSA" || e["kid"] != old.ID || e["d"] != "" {
		t.Errorf("Ed25519 JWK %v", e)
	}
	if _, err := JWKS(testBaseURL, []SigningKey{{ID: "x", Alg: AlgRS256}}); err == nil {
		t.Error("JWKS of an incomplete key succeeded")
	}
}

// TestSignCredential_IndependentVerifier checks a token with golang-jwt,
// which shares no code with go-jose, against the JWK read by hand, and
// the header and claims section 8.2 of Open Badges 3.0 asks for.
func TestSignCredential_IndependentVerifier(t *testing.T) {
	key := mustKey(t)
	token := mustSign(t, key, BuildCredential(testBaseURL, testIssuer(), testCredentialData()))
	set, err := JWKS(testBaseURL, []SigningKey{key})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(set)
	public := rsaKeyByHand(t, raw)

	parsed, err := jwt.Parse(token, func(tok *jwt.Token) (any, error) {
		if tok.Header["kid"] != KeyURL(testBaseURL, key.ID) {
			return nil, errors.New("unknown kid")
		}
		return public, nil
	},
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(testIssuer().ID),
		jwt.WithSubject("urn:uuid:5f0c6c2e-8f51-4a3b-9d0e-2b1c3d4e5f60"),
		jwt.WithTimeFunc(func() time.Time { return time.Date(2027, time.June, 1, 0, 0, 0, 0, time.UTC) }),
	)
	if err != nil {
		t.Fatalf("golang-jwt rejects the token: %v", err)
	}
	if want := map[string]any{"alg": "RS256", "typ": "JWT", "kid": "https://leeromgeving.example.nl/api/v1/keys/" + key.ID}; !reflect.DeepEqual(parsed.Header, want) {
		t.Errorf("header = %v, want exactly %v", parsed.Header, want)
	}
	claims := parsed.Claims.(jwt.MapClaims)
	wantClaims := map[string]any{
		"iss": testIssuer().ID,
		"jti": "https://leeromgeving.example.nl/certificaten/W20-ADV-2026-000123-2.json",
		"sub": "urn:uuid:5f0c6c2e-8f51-4a3b-9d0e-2b1c3d4e5f60",
		"nbf": float64(time.Date(2026, time.November, 22, 9, 30, 0, 0, time.UTC).Unix()),
		"exp": float64(time.Date(2029, time.November, 22, 9, 30, 0, 0, time.UTC).Unix()),
	}
	for name, want := range wantClaims {
		if claims[name] != want {
			t.Errorf("claim %s = %v, want %v", name, claims[name], want)
		}
	}
	if subject := claims["credentialSubject"].(map[string]any); subject["name"] != "Şükrü Yıldız-van Dijk" {
		t.Errorf("credentialSubject.name = %v", subject["name"])
	}
}

// rsaKeyByHand reads the one RSA key of a JWK Set without go-jose.
func rsaKeyByHand(tb testing.TB, jwks []byte) *rsa.PublicKey {
	tb.Helper()
	var set struct {
		Keys []struct{ Kty, N, E string } `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil || len(set.Keys) != 1 || set.Keys[0].Kty != "RSA" {
		tb.Fatalf("key set %s: %v", jwks, err)
	}
	n, err1 := base64.RawURLEncoding.DecodeString(set.Keys[0].N)
	e, err2 := base64.RawURLEncoding.DecodeString(set.Keys[0].E)
	if err1 != nil || err2 != nil {
		tb.Fatalf("JWK n or e: %v %v", err1, err2)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
}

func TestSignCredential_Deterministic(t *testing.T) {
	key := mustKey(t)
	cred := BuildCredential(testBaseURL, testIssuer(), testCredentialData())
	if first, second := mustSign(t, key, cred), mustSign(t, key, cred); first != second {
		t.Error("signing the same credential twice gives different tokens")
	}
}

func TestSignCredential_Errors(t *testing.T) {
	key := mustKey(t)
	noSubject := testCredentialData()
	noSubject.SubjectID = ""
	ok := map[string]any{"issuer": testIssuer().ID, "id": "urn:x", "credentialSubject": map[string]any{"id": "urn:y"}}
	tests := []struct {
		name string
		key  SigningKey
		iss  string
		cred any
	}{
		{"NotAnObject", key, testIssuer().ID, []int{1, 2}},
		{"Null", key, testIssuer().ID, nil},
		{"NotMarshallable", key, testIssuer().ID, map[string]any{"f": func() {}}},
		{"IssuerDiffers", key, "https://elders.example.nl/issuer", BuildCredential(testBaseURL, testIssuer(), testCredentialData())},
		{"NoSubjectID", key, testIssuer().ID, BuildCredential(testBaseURL, testIssuer(), noSubject)},
		{"NoValidFrom", key, testIssuer().ID, ok},
		{"BadDate", key, testIssuer().ID, map[string]any{"issuer": testIssuer().ID, "id": "urn:x", "credentialSubject": map[string]any{"id": "urn:y"}, "validFrom": "22-11-2026"}},
		{"IncompleteKey", SigningKey{ID: "x", Alg: AlgRS256}, testIssuer().ID, BuildCredential(testBaseURL, testIssuer(), testCredentialData())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := SignCredential(testBaseURL, tt.key, tt.iss, tt.cred); err == nil {
				t.Error("SignCredential succeeded, want an error")
			}
		})
	}
}

// decodeByHand expands an encodedList the way the specification says,
// without the package's decoder: multibase u, base64url, GZIP.
func decodeByHand(tb testing.TB, encoded string) []byte {
	tb.Helper()
	if !strings.HasPrefix(encoded, "u") || strings.ContainsAny(encoded, "+/=") {
		tb.Fatalf("encoded list %.20q… is not multibase base64url without padding", encoded)
	}
	compressed, err := base64.RawURLEncoding.DecodeString(encoded[1:])
	if err != nil {
		tb.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		tb.Fatalf("not GZIP: %v", err)
	}
	var bits bytes.Buffer
	if _, err := bits.ReadFrom(zr); err != nil {
		tb.Fatal(err)
	}
	return bits.Bytes()
}

// TestStatusList_TwoBitEntries checks the layout the specification
// prescribes for the message purpose: at least 131,072 entries of two bits
// (32 KiB), entry i at bits 2i and 2i+1 counted from the most significant
// bit of the first byte, its value written most significant bit first.
func TestStatusList_TwoBitEntries(t *testing.T) {
	values := map[int]uint8{0: statusValueRevoked, 1: statusValueSuspended, 3: statusValueRevoked, 94567: statusValueSuspended, 131071: statusValueRevoked}
	encoded, err := EncodeStatusList(1000, statusSize, values)
	if err != nil {
		t.Fatal(err)
	}
	b := decodeByHand(t, encoded)
	if len(b) != 131072*2/8 {
		t.Fatalf("bitstring is %d bytes, want 32768", len(b))
	}
	// entries 0..3: 10 01 00 10
	if b[0] != 0b10_01_00_10 || b[32767] != 0b00_00_00_10 {
		t.Errorf("bytes = %08b … %08b, want 10010010 … 00000010", b[0], b[32767])
	}
	for _, i := range []int{0, 1, 2, 3, 4, 94566, 94567, 94568, 131071} {
		got, err := StatusListValue(encoded, i, statusSize)
		if err != nil || got != values[i] {
			t.Errorf("StatusListValue(%d) = %d, %v; want %d", i, got, err, values[i])
		}
		byHand := (b[i*2/8] >> (6 - i*2%8)) & 0b11
		if byHand != values[i] {
			t.Errorf("entry %d read by hand = %d, want %d", i, byHand, values[i])
		}
	}
	if msg := statusMessages[values[0]]; msg != "revoked" || statusMessages[values[1]] != "suspended" || statusMessages[0] != "valid" {
		t.Errorf("messages %v", statusMessages)
	}
}

// TestStatusList_SpecExample reads the empty one-bit list of the
// specification's examples, made by another implementation.
func TestStatusList_SpecExample(t *testing.T) {
	const example = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
	for _, i := range []int{0, 94567, 131071} {
		if got, err := StatusListValue(example, i, 1); got != 0 || err != nil {
			t.Errorf("StatusListValue(example, %d) = %v, %v; want 0, nil", i, got, err)
		}
	}
	// As a list of two-bit entries it holds only 65,536: too few.
	if _, err := StatusListValue(example, 0, 2); err == nil {
		t.Error("a 16 KiB list read as two-bit entries was accepted")
	}
}

func TestStatusList_Errors(t *testing.T) {
	for _, v := range []struct {
		index int
		value uint8
	}{{-1, 1}, {131072, 1}, {0, 4}} {
		if _, err := EncodeStatusList(0, 2, map[int]uint8{v.index: v.value}); !errors.Is(err, ErrStatusListIndex) {
			t.Errorf("EncodeStatusList with %d=%d: error = %v, want ErrStatusListIndex", v.index, v.value, err)
		}
	}
	valid, err := EncodeStatusList(0, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	short := "u" + base64.RawURLEncoding.EncodeToString(gzipBytes(t, make([]byte, 100)))
	tests := []struct {
		name    string
		encoded string
		index   int
		want    error // nil: any error but ErrStatusListIndex
	}{
		{"NegativeIndex", valid, -1, ErrStatusListIndex},
		{"IndexBeyondList", valid, 131072, ErrStatusListIndex},
		{"NoMultibasePrefix", strings.TrimPrefix(valid, "u"), 0, nil},
		{"NotBase64url", "u!!!!", 0, nil},
		{"NotGzip", "u" + base64.RawURLEncoding.EncodeToString([]byte("geen gzip")), 0, nil},
		{"TooShort", short, 0, nil},
		{"Empty", "", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := StatusListValue(tt.encoded, tt.index, 2)
			switch {
			case err == nil:
				t.Error("StatusListValue succeeded, want an error")
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("error = %v, want %v", err, tt.want)
			case tt.want == nil && errors.Is(err, ErrStatusListIndex):
				t.Errorf("error = %v, want a malformed-list error", err)
			}
		})
	}
}

func gzipBytes(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestBuildStatusListCredential(t *testing.T) {
	validFrom := time.Date(2026, time.November, 22, 10, 0, 0, 0, time.UTC)
	cred := BuildStatusListCredential(testBaseURL, testIssuer(), "message", "uH4sI", validFrom)
	assertJSON(t, cred, `{
		"@context": ["https://www.w3.org/ns/credentials/v2"],
		"id": "https://leeromgeving.example.nl/api/v1/status-lists/message",
		"type": ["VerifiableCredential", "BitstringStatusListCredential"],
		"issuer": {
			"id": "https://leeromgeving.example.nl/api/v1/issuer",
			"type": ["Profile"],
			"name": "Programma Ambtenaar 2.0",
			"url": "https://leeromgeving.example.nl"
		},
		"validFrom": "2026-11-22T10:00:00Z",
		"credentialSubject": {
			"id": "https://leeromgeving.example.nl/api/v1/status-lists/message#list",
			"type": "BitstringStatusList",
			"statusPurpose": "message",
			"encodedList": "uH4sI"
		}
	}`)
	// It signs like any credential, its sub being the list.
	token := mustSign(t, mustKey(t), cred)
	parts := strings.Split(token, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if !strings.Contains(string(payload), `"sub":"https://leeromgeving.example.nl/api/v1/status-lists/message#list"`) {
		t.Errorf("payload %s", payload)
	}
}

func TestCredentialURL(t *testing.T) {
	for _, base := range []string{"https://leeromgeving.example.nl", "https://leeromgeving.example.nl/"} {
		if got := CredentialURL(base, "W20-CUR-2026-000005-X"); got != "https://leeromgeving.example.nl/certificaten/W20-CUR-2026-000005-X.json" {
			t.Errorf("CredentialURL(%q) = %q", base, got)
		}
		if got := KeyURL(base, "abc"); got != "https://leeromgeving.example.nl/api/v1/keys/abc" {
			t.Errorf("KeyURL(%q) = %q", base, got)
		}
	}
}
