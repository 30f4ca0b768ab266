package certify

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
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
		HolderName:             "Şükrü Yıldız-van Dijk",
		AchievementID:          "https://leeromgeving.example.nl/certificering/regelingen/adviseur-werken-2-0",
		AchievementName:        "Adviseur Werken 2.0",
		AchievementDescription: "Gecertificeerd adviseur voor Werken 2.0 bij de overheid.",
		Criteria:               "Twee praktijkopdrachten, een examen en een beoordeling door een assessor.",
		AchievementType:        "Certification",
		IssuedAt:               time.Date(2026, time.November, 22, 10, 30, 0, 0, time.FixedZone("CET", 3600)),
		ExpiresAt:              &expires,
		StatusListURL:          StatusListURL(testBaseURL, "revocation"),
		StatusListIndex:        94567,
	}
}

func mustGenerateKey(tb testing.TB) SigningKey {
	tb.Helper()
	key, err := GenerateKey(time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatalf("GenerateKey: %v", err)
	}
	return key
}

func mustSign(tb testing.TB, key SigningKey, cred any) string {
	tb.Helper()
	token, err := SignCredential(key, testIssuer().ID, cred)
	if err != nil {
		tb.Fatalf("SignCredential: %v", err)
	}
	return token
}

func mustJWKS(tb testing.TB, keys ...SigningKey) []byte {
	tb.Helper()
	jwks, err := JWKS(keys)
	if err != nil {
		tb.Fatalf("JWKS: %v", err)
	}
	return jwks
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
			"type": ["AchievementSubject"],
			"name": "Şükrü Yıldız-van Dijk",
			"identifier": [{
				"type": "IdentityObject",
				"identityType": "name",
				"identityHash": "Şükrü Yıldız-van Dijk",
				"hashed": false
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
			"id": "https://leeromgeving.example.nl/api/v1/status-lists/revocation#94567",
			"type": "BitstringStatusListEntry",
			"statusPurpose": "revocation",
			"statusListIndex": "94567",
			"statusListCredential": "https://leeromgeving.example.nl/api/v1/status-lists/revocation"
		}
	}`)
}

// With a suspension list as well, credentialStatus is an array of two
// entries at the same index: one per purpose.
func TestBuildCredential_RevocationAndSuspension(t *testing.T) {
	d := testCredentialData()
	d.SuspensionListURL = StatusListURL(testBaseURL, "suspension")
	cred := BuildCredential(testBaseURL, testIssuer(), d)
	assertJSON(t, cred["credentialStatus"], `[
		{
			"id": "https://leeromgeving.example.nl/api/v1/status-lists/revocation#94567",
			"type": "BitstringStatusListEntry",
			"statusPurpose": "revocation",
			"statusListIndex": "94567",
			"statusListCredential": "https://leeromgeving.example.nl/api/v1/status-lists/revocation"
		},
		{
			"id": "https://leeromgeving.example.nl/api/v1/status-lists/suspension#94567",
			"type": "BitstringStatusListEntry",
			"statusPurpose": "suspension",
			"statusListIndex": "94567",
			"statusListCredential": "https://leeromgeving.example.nl/api/v1/status-lists/suspension"
		}
	]`)
}

func TestBuildCredential_Optional(t *testing.T) {
	d := testCredentialData()
	d.ExpiresAt, d.StatusListURL, d.AchievementType = nil, "", ""
	cred := BuildCredential(testBaseURL, testIssuer(), d)
	for _, field := range []string{"validUntil", "credentialStatus"} {
		if _, ok := cred[field]; ok {
			t.Errorf("credential has %s, want none", field)
		}
	}
	achievement := cred["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	if _, ok := achievement["achievementType"]; ok {
		t.Error("achievement has achievementType, want none")
	}
}

func TestGenerateKey(t *testing.T) {
	now := time.Date(2026, time.November, 22, 10, 0, 0, 0, time.UTC)
	a, err := GenerateKey(now)
	if err != nil {
		t.Fatal(err)
	}
	b := mustGenerateKey(t)
	if len(a.Private) != ed25519.PrivateKeySize || !a.CreatedAt.Equal(now) {
		t.Errorf("key = %d bytes created %v, want %d bytes created %v", len(a.Private), a.CreatedAt, ed25519.PrivateKeySize, now)
	}
	if a.ID == b.ID || a.Private.Equal(b.Private) {
		t.Error("two generated keys are the same")
	}
	// The kid is the RFC 7638 thumbprint: SHA-256 over {"crv","kty","x"}.
	want, err := thumbprint(a.Private.Public().(ed25519.PublicKey))
	if err != nil || a.ID != want || len(a.ID) != 43 {
		t.Errorf("ID = %q, want thumbprint %q (%v)", a.ID, want, err)
	}
}

func TestJWKS(t *testing.T) {
	key := mustGenerateKey(t)
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(mustJWKS(t, key), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 1 {
		t.Fatalf("JWKS has %d keys, want 1", len(set.Keys))
	}
	x := base64.RawURLEncoding.EncodeToString(key.Private.Public().(ed25519.PublicKey))
	want := map[string]string{"kty": "OKP", "crv": "Ed25519", "kid": key.ID, "alg": "EdDSA", "use": "sig", "x": x}
	if !reflect.DeepEqual(set.Keys[0], want) {
		t.Errorf("JWK = %v, want %v (and no private part)", set.Keys[0], want)
	}
}

func TestJWKS_Errors(t *testing.T) {
	key := mustGenerateKey(t)
	tests := []struct {
		name string
		key  SigningKey
	}{
		{"NoID", SigningKey{Private: key.Private}},
		{"NoPrivateKey", SigningKey{ID: key.ID}},
		{"ShortPrivateKey", SigningKey{ID: key.ID, Private: key.Private[:32]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := JWKS([]SigningKey{key, tt.key}); err == nil {
				t.Error("JWKS succeeded, want an error")
			}
			if _, err := SignCredential(tt.key, testIssuer().ID, map[string]any{}); err == nil {
				t.Error("SignCredential succeeded, want an error")
			}
		})
	}
}

func TestJWKS_Empty(t *testing.T) {
	if got := string(mustJWKS(t)); got != `{"keys":[]}` {
		t.Errorf("JWKS() = %s, want an empty set", got)
	}
}

// TestSignCredential_IndependentVerifier checks the token with golang-jwt,
// which shares no code with go-jose, against the published key set read
// by hand.
func TestSignCredential_IndependentVerifier(t *testing.T) {
	key := mustGenerateKey(t)
	token := mustSign(t, key, BuildCredential(testBaseURL, testIssuer(), testCredentialData()))
	keys := parseJWKSByHand(t, mustJWKS(t, key))

	parsed, err := jwt.Parse(token, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		k, ok := keys[kid]
		if !ok {
			return nil, errors.New("unknown kid")
		}
		return k, nil
	},
		jwt.WithValidMethods([]string{"EdDSA"}),
		jwt.WithIssuer(testIssuer().ID),
		jwt.WithTimeFunc(func() time.Time { return time.Date(2027, time.June, 1, 0, 0, 0, 0, time.UTC) }),
	)
	if err != nil {
		t.Fatalf("golang-jwt rejects the token: %v", err)
	}
	for name, want := range map[string]any{"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": key.ID} {
		if parsed.Header[name] != want {
			t.Errorf("header %s = %v, want %v", name, parsed.Header[name], want)
		}
	}
	claims := parsed.Claims.(jwt.MapClaims)
	wantClaims := map[string]any{
		"iss": testIssuer().ID,
		"jti": "https://leeromgeving.example.nl/certificaten/W20-ADV-2026-000123-2.json",
		"nbf": float64(time.Date(2026, time.November, 22, 9, 30, 0, 0, time.UTC).Unix()),
		"exp": float64(time.Date(2029, time.November, 22, 9, 30, 0, 0, time.UTC).Unix()),
	}
	for name, want := range wantClaims {
		if claims[name] != want {
			t.Errorf("claim %s = %v, want %v", name, claims[name], want)
		}
	}
	subject := claims["credentialSubject"].(map[string]any)
	if subject["name"] != "Şükrü Yıldız-van Dijk" {
		t.Errorf("credentialSubject.name = %v", subject["name"])
	}
}

// parseJWKSByHand reads Ed25519 keys from a JWK Set without go-jose.
func parseJWKSByHand(tb testing.TB, jwks []byte) map[string]ed25519.PublicKey {
	tb.Helper()
	var set struct {
		Keys []struct{ Kty, Crv, Kid, X string } `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil {
		tb.Fatal(err)
	}
	keys := map[string]ed25519.PublicKey{}
	for _, k := range set.Keys {
		x, err := base64.RawURLEncoding.DecodeString(k.X)
		if err != nil || k.Kty != "OKP" || k.Crv != "Ed25519" || len(x) != ed25519.PublicKeySize {
			tb.Fatalf("bad JWK %+v: %v", k, err)
		}
		keys[k.Kid] = ed25519.PublicKey(x)
	}
	return keys
}

func TestSignCredential_Deterministic(t *testing.T) {
	key := mustGenerateKey(t)
	cred := BuildCredential(testBaseURL, testIssuer(), testCredentialData())
	if mustSign(t, key, cred) != mustSign(t, key, cred) {
		t.Error("signing the same credential twice gives different tokens")
	}
}

func TestSignCredential_Errors(t *testing.T) {
	key := mustGenerateKey(t)
	tests := []struct {
		name string
		iss  string
		cred any
	}{
		{"NotAnObject", testIssuer().ID, []int{1, 2}},
		{"Null", testIssuer().ID, nil},
		{"NotMarshallable", testIssuer().ID, map[string]any{"f": func() {}}},
		{"IssuerDiffers", "https://elders.example.nl/issuer", BuildCredential(testBaseURL, testIssuer(), testCredentialData())},
		{"IssuerStringDiffers", "https://elders.example.nl/issuer", map[string]any{"issuer": testIssuer().ID}},
		{"BadDate", testIssuer().ID, map[string]any{"issuer": testIssuer().ID, "validFrom": "22-11-2026"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := SignCredential(key, tt.iss, tt.cred); err == nil {
				t.Error("SignCredential succeeded, want an error")
			}
		})
	}
}

func TestVerifyCredential(t *testing.T) {
	key := mustGenerateKey(t)
	cred := BuildCredential(testBaseURL, testIssuer(), testCredentialData())
	got, err := VerifyCredential(mustSign(t, key, cred), mustJWKS(t, key))
	if err != nil {
		t.Fatalf("VerifyCredential: %v", err)
	}
	// The payload is the credential plus the JWT claims.
	for _, claim := range []string{"iss", "jti", "nbf", "exp"} {
		if _, ok := got[claim]; !ok {
			t.Errorf("payload lacks claim %s", claim)
		}
		delete(got, claim)
	}
	raw, _ := json.Marshal(cred)
	assertJSON(t, got, string(raw))
}

func TestVerifyCredential_Errors(t *testing.T) {
	key, foreign := mustGenerateKey(t), mustGenerateKey(t)
	jwks := mustJWKS(t, key)
	cred := BuildCredential(testBaseURL, testIssuer(), testCredentialData())
	token := mustSign(t, key, cred)

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"TamperedPayload", tamper(t, token), ErrBadSignature},
		{"ForeignKeyUnderOurKid", mustSign(t, SigningKey{ID: key.ID, Private: foreign.Private}, cred), ErrBadSignature},
		{"SignatureCut", token[:len(token)-4], ErrBadSignature},
		{"UnknownKid", mustSign(t, foreign, cred), ErrUnknownKey},
		{"Empty", "", ErrMalformedToken},
		{"Garbage", "dit is geen token", ErrMalformedToken},
		{"ThreeDots", "a.b.c", ErrMalformedToken},
		{"JSONSerialization", `{"payload":"e30","signatures":[]}`, ErrMalformedToken},
		{"AlgNone", unsigned(t, key.ID), ErrMalformedToken},
		{"HS256", hmacToken(t, key.ID), ErrMalformedToken},
		{"WrongTyp", joseToken(t, key, "JWT", `{"a":1}`), ErrMalformedToken},
		{"NoKid", joseToken(t, SigningKey{Private: key.Private}, credentialType, `{"a":1}`), ErrMalformedToken},
		{"PayloadNotObject", joseToken(t, key, credentialType, `[1,2]`), ErrMalformedToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerifyCredential(tt.token, jwks)
			if !errors.Is(err, tt.want) {
				t.Errorf("VerifyCredential error = %v, want %v", err, tt.want)
			}
			if got != nil {
				t.Errorf("VerifyCredential returned a payload on error: %v", got)
			}
		})
	}
}

func TestVerifyCredential_BadKeySet(t *testing.T) {
	key := mustGenerateKey(t)
	token := mustSign(t, key, BuildCredential(testBaseURL, testIssuer(), testCredentialData()))
	_, err := VerifyCredential(token, []byte("geen sleutels"))
	if err == nil || errors.Is(err, ErrUnknownKey) || errors.Is(err, ErrBadSignature) || errors.Is(err, ErrMalformedToken) {
		t.Errorf("VerifyCredential with a broken key set: error = %v, want a plain error", err)
	}
}

func TestVerifyCredential_KeyRotation(t *testing.T) {
	old, current := mustGenerateKey(t), mustGenerateKey(t)
	cred := BuildCredential(testBaseURL, testIssuer(), testCredentialData())
	oldToken, newToken := mustSign(t, old, cred), mustSign(t, current, cred)

	both := mustJWKS(t, current, old)
	for name, token := range map[string]string{"old": oldToken, "new": newToken} {
		if _, err := VerifyCredential(token, both); err != nil {
			t.Errorf("token of the %s key against both keys: %v", name, err)
		}
	}
	if _, err := VerifyCredential(oldToken, mustJWKS(t, current)); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("token of a withdrawn key: error = %v, want ErrUnknownKey", err)
	}
}

// tamper changes the holder's name in a token's payload, keeping its
// signature.
func tamper(tb testing.TB, token string) string {
	tb.Helper()
	parts := strings.Split(token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		tb.Fatal(err)
	}
	changed := bytes.Replace(payload, []byte("Şükrü"), []byte("Sukru"), 1)
	if bytes.Equal(changed, payload) {
		tb.Fatal("tamper: name not found in payload")
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(changed)
	return strings.Join(parts, ".")
}

// unsigned returns an alg "none" token.
func unsigned(tb testing.TB, kid string) string {
	tb.Helper()
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"vc+jwt","kid":"` + kid + `"}`))
	return header + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"a":1}`)) + "."
}

// hmacToken returns a token signed with HS256 using kid as the secret, the
// classic confusion attack on keys published for asymmetric algorithms.
func hmacToken(tb testing.TB, kid string) string {
	tb.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"a": 1})
	tok.Header["kid"], tok.Header["typ"] = kid, credentialType
	s, err := tok.SignedString([]byte(kid))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// joseToken signs payload with key under the given typ, without the checks of
// SignCredential.
func joseToken(tb testing.TB, key SigningKey, typ, payload string) string {
	tb.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.EdDSA,
		Key:       jose.JSONWebKey{Key: key.Private, KeyID: key.ID},
	}, (&jose.SignerOptions{}).WithType(jose.ContentType(typ)))
	if err != nil {
		tb.Fatal(err)
	}
	jws, err := signer.Sign([]byte(payload))
	if err != nil {
		tb.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestStatusList_RoundTrip(t *testing.T) {
	set := []int{0, 1, 7, 8, 94567, 131071}
	encoded, err := EncodeStatusList(1000, set)
	if err != nil {
		t.Fatalf("EncodeStatusList: %v", err)
	}
	if !strings.HasPrefix(encoded, "u") || strings.ContainsAny(encoded, "+/=") {
		t.Errorf("encoded list %.20q… is not multibase base64url without padding", encoded)
	}
	isSet := map[int]bool{}
	for _, i := range set {
		isSet[i] = true
	}
	for _, i := range []int{0, 1, 2, 6, 7, 8, 9, 94566, 94567, 94568, 131070, 131071} {
		got, err := StatusListBit(encoded, i)
		if err != nil {
			t.Fatalf("StatusListBit(%d): %v", i, err)
		}
		if got != isSet[i] {
			t.Errorf("StatusListBit(%d) = %v, want %v", i, got, isSet[i])
		}
	}
}

// TestStatusList_BitOrder checks the layout the specification prescribes:
// GZIP, at least 16 KiB, and entry 0 as the most significant (left-most) bit
// of the first byte.
func TestStatusList_BitOrder(t *testing.T) {
	encoded, err := EncodeStatusList(0, []int{0, 7, 9, 131071})
	if err != nil {
		t.Fatal(err)
	}
	compressed, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(encoded, "u"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		t.Fatalf("not GZIP: %v", err)
	}
	var bits bytes.Buffer
	if _, err := bits.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	b := bits.Bytes()
	if len(b) != 16384 {
		t.Fatalf("bitstring is %d bytes, want 16384", len(b))
	}
	if b[0] != 0b1000_0001 || b[1] != 0b0100_0000 || b[16383] != 0b0000_0001 {
		t.Errorf("bytes = %08b %08b … %08b, want 10000001 01000000 … 00000001", b[0], b[1], b[16383])
	}
}

// TestStatusListBit_SpecExample reads the empty list of the specification's
// examples, made by another implementation.
func TestStatusListBit_SpecExample(t *testing.T) {
	const example = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
	for _, i := range []int{0, 94567, 131071} {
		if got, err := StatusListBit(example, i); got || err != nil {
			t.Errorf("StatusListBit(example, %d) = %v, %v; want false, nil", i, got, err)
		}
	}
}

func TestEncodeStatusList_Size(t *testing.T) {
	encoded, err := EncodeStatusList(200001, []int{200000})
	if err != nil {
		t.Fatal(err)
	}
	// 200001 entries take 25001 bytes, so the list holds 200008 entries.
	if got, err := StatusListBit(encoded, 200000); !got || err != nil {
		t.Errorf("StatusListBit(200000) = %v, %v; want true", got, err)
	}
	if _, err := StatusListBit(encoded, 200008); !errors.Is(err, ErrStatusListIndex) {
		t.Errorf("StatusListBit(200008) error = %v, want ErrStatusListIndex", err)
	}
}

func TestStatusList_Errors(t *testing.T) {
	for _, index := range []int{-1, 131072} {
		if _, err := EncodeStatusList(0, []int{index}); !errors.Is(err, ErrStatusListIndex) {
			t.Errorf("EncodeStatusList with entry %d: error = %v, want ErrStatusListIndex", index, err)
		}
	}
	valid, err := EncodeStatusList(0, nil)
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
			_, err := StatusListBit(tt.encoded, tt.index)
			switch {
			case err == nil:
				t.Error("StatusListBit succeeded, want an error")
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
	cred := BuildStatusListCredential(testBaseURL, testIssuer(), "revocation", "uH4sI", validFrom)
	assertJSON(t, cred, `{
		"@context": ["https://www.w3.org/ns/credentials/v2"],
		"id": "https://leeromgeving.example.nl/api/v1/status-lists/revocation",
		"type": ["VerifiableCredential", "BitstringStatusListCredential"],
		"issuer": {
			"id": "https://leeromgeving.example.nl/api/v1/issuer",
			"type": ["Profile"],
			"name": "Programma Ambtenaar 2.0",
			"url": "https://leeromgeving.example.nl"
		},
		"validFrom": "2026-11-22T10:00:00Z",
		"credentialSubject": {
			"id": "https://leeromgeving.example.nl/api/v1/status-lists/revocation#list",
			"type": "BitstringStatusList",
			"statusPurpose": "revocation",
			"encodedList": "uH4sI"
		}
	}`)
	// It signs and verifies like any credential.
	key := mustGenerateKey(t)
	if _, err := VerifyCredential(mustSign(t, key, cred), mustJWKS(t, key)); err != nil {
		t.Errorf("status list credential does not verify: %v", err)
	}
}

func TestCredentialURL(t *testing.T) {
	for _, base := range []string{"https://leeromgeving.example.nl", "https://leeromgeving.example.nl/"} {
		if got := CredentialURL(base, "W20-CUR-2026-000005-X"); got != "https://leeromgeving.example.nl/certificaten/W20-CUR-2026-000005-X.json" {
			t.Errorf("CredentialURL(%q) = %q", base, got)
		}
	}
}
