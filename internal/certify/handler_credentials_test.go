package certify_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// keyByKidURL is a golang-jwt key function that dereferences the token's
// kid over the app, as a verifier on the internet would, and reads the JWK
// with go-jose.
func keyByKidURL(t *testing.T, c *webtest.Client) jwt.Keyfunc {
	return func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		path, ok := strings.CutPrefix(kid, base)
		if !ok {
			return nil, fmt.Errorf("kid %q is not a URL of ours", kid)
		}
		res := c.Get(path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/jwk+json") {
			return nil, fmt.Errorf("kid %s: %d %s", kid, res.StatusCode, res.Header.Get("Content-Type"))
		}
		var jwk jose.JSONWebKey
		if err := json.Unmarshal([]byte(res.Body), &jwk); err != nil {
			return nil, err
		}
		if jwk.KeyID != kid || !jwk.IsPublic() {
			return nil, fmt.Errorf("JWK %s is not the public key named %s", jwk.KeyID, kid)
		}
		return jwk.Key, nil
	}
}

// parseJWT verifies token with golang-jwt against the key its kid URL
// serves, as section 8.2 of Open Badges 3.0 asks.
func parseJWT(t *testing.T, c *webtest.Client, token string, at time.Time) (*jwt.Token, jwt.MapClaims, error) {
	t.Helper()
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(token, claims, keyByKidURL(t, c),
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(base+"/api/v1/issuer"),
		jwt.WithTimeFunc(func() time.Time { return at }))
	return tok, claims, err
}

func getJSON(t *testing.T, c *webtest.Client, path string) map[string]any {
	t.Helper()
	res := c.Get(path)
	webtest.MustStatus(t, res, http.StatusOK)
	var out map[string]any
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

// statusOf reads a certificate's status the way a verifier does: follow
// the credential's one credentialStatus to the signed list, expand the list
// by hand (multibase u, base64url, GZIP) and read statusSize bits at the
// index, most significant first, then look the value up in statusMessage.
func statusOf(t *testing.T, c *webtest.Client, number string) string {
	t.Helper()
	cred := getJSON(t, c, "/certificaten/"+number+".json")
	entry, ok := cred["credentialStatus"].(map[string]any)
	if !ok {
		t.Fatalf("credentialStatus is not one object: %v", cred["credentialStatus"])
	}
	if entry["type"] != "BitstringStatusListEntry" || entry["statusPurpose"] != "message" {
		t.Fatalf("entry %v", entry)
	}
	index, err := strconv.Atoi(entry["statusListIndex"].(string))
	size := int(entry["statusSize"].(float64))
	if err != nil || size != 2 {
		t.Fatalf("index %v size %v", entry["statusListIndex"], entry["statusSize"])
	}
	listURL := entry["statusListCredential"].(string)
	res := c.Get(strings.TrimPrefix(listURL, base))
	webtest.MustStatus(t, res, http.StatusOK)
	_, claims, err := parseJWT(t, c, res.Body, time.Now())
	if err != nil {
		t.Fatalf("status list does not verify: %v", err)
	}
	subject := claims["credentialSubject"].(map[string]any)
	if claims["id"] != listURL || subject["statusPurpose"] != "message" || claims["sub"] != subject["id"] {
		t.Fatalf("status list claims %v", claims)
	}
	encoded := subject["encodedList"].(string)
	compressed, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(encoded, "u"))
	if err != nil || encoded[0] != 'u' {
		t.Fatalf("encodedList: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		t.Fatal(err)
	}
	var bits bytes.Buffer
	if _, err := bits.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	b := bits.Bytes()
	if len(b)*8/size < 131072 {
		t.Fatalf("list of %d bytes holds fewer than 131072 entries", len(b))
	}
	value := 0
	for j := range size {
		pos := index*size + j
		value = value<<1 | int(b[pos/8]>>(7-pos%8)&1)
	}
	for _, m := range entry["statusMessage"].([]any) {
		m := m.(map[string]any)
		if m["status"] == fmt.Sprintf("0x%x", value) {
			return m["message"].(string)
		}
	}
	t.Fatalf("no statusMessage for 0x%x", value)
	return ""
}

func TestHTTP_Credentials(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	holder := webtest.MustUser(t, e.db, "Şükrü Yıldız-van Dijk", "Sukru@Test.example", "Gemeente Test")
	other := webtest.MustUser(t, e.db, "Zoë Ćosić", "zoe@test.example", "Gemeente Twee")
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	cert := e.approved(t, sc, actor(holder), actor(assessor))
	second := e.approved(t, sc, actor(other), actor(assessor))
	c := webtest.NewClient(t, e.app)

	tokenRes := c.Get("/certificaten/" + cert.Number + ".jwt")
	webtest.MustStatus(t, tokenRes, http.StatusOK)
	if ct := tokenRes.Header.Get("Content-Type"); ct != "application/vc+jwt" {
		t.Errorf("Content-Type = %q", ct)
	}
	token := tokenRes.Body
	tok, claims, err := parseJWT(t, c, token, time.Now())
	if err != nil {
		t.Fatalf("golang-jwt rejects the credential: %v", err)
	}
	if len(tok.Header) != 3 || tok.Header["alg"] != "RS256" || tok.Header["typ"] != "JWT" || !strings.HasPrefix(tok.Header["kid"].(string), base+"/api/v1/keys/") {
		t.Errorf("header %v, want only alg RS256, typ JWT and a kid URL", tok.Header)
	}
	cred := getJSON(t, c, "/certificaten/"+cert.Number+".json")
	subject := cred["credentialSubject"].(map[string]any)
	subjectID, _ := subject["id"].(string)
	if !strings.HasPrefix(subjectID, "urn:uuid:") || strings.Contains(strings.ToLower(fmt.Sprint(cred)), "sukru@") {
		t.Errorf("subject id %q; the e-mail address must not show anywhere", subjectID)
	}
	exp, _ := time.Parse(time.RFC3339, cred["validUntil"].(string))
	nbf, _ := time.Parse(time.RFC3339, cred["validFrom"].(string))
	for name, want := range map[string]any{"iss": base + "/api/v1/issuer", "jti": cred["id"], "sub": subjectID,
		"nbf": float64(nbf.Unix()), "exp": float64(exp.Unix())} {
		if claims[name] != want {
			t.Errorf("claim %s = %v, want %v", name, claims[name], want)
		}
	}
	// The payload is the credential with those claims, nothing else.
	for k := range claims {
		if _, inCred := cred[k]; !inCred && !strings.Contains("iss jti sub nbf exp", k) {
			t.Errorf("payload has %s, the credential does not", k)
		}
	}
	for k, v := range cred {
		if fmt.Sprint(claims[k]) != fmt.Sprint(v) {
			t.Errorf("%s differs between .json and .jwt", k)
		}
	}
	// The identity hash lets a verifier told the address check it.
	id := subject["identifier"].([]any)[0].(map[string]any)
	sum := sha256.Sum256([]byte("sukru@test.example" + id["salt"].(string)))
	if id["type"] != "IdentityObject" || id["identityType"] != "emailAddress" || id["hashed"] != true || id["identityHash"] != "sha256$"+hex.EncodeToString(sum[:]) {
		t.Errorf("identifier %v", id)
	}
	if again := c.Get("/certificaten/" + cert.Number + ".jwt").Body; again != token {
		t.Error("the same record gives another token")
	}
	// The same person keeps their subject id on their next certificate.
	if err := e.svc.IssueCourseCertificate(ctx, e.db, certify.CourseCompletion{UserID: holder.ID, HolderName: holder.Name,
		CourseSlug: "werken-20-de-basis", CourseTitle: "Werken 2.0 — de basis", CompletedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	courseCerts, _, err := e.svc.Certificates(ctx, certify.CertificateFilter{CourseSlug: "werken-20-de-basis"})
	if err != nil || len(courseCerts) != 1 || courseCerts[0].SubjectID != subjectID {
		t.Errorf("course certificate subject %v (%v), want %s", courseCerts, err, subjectID)
	}
	if otherSubject := getJSON(t, c, "/certificaten/"+second.Number+".json")["credentialSubject"].(map[string]any)["id"]; otherSubject == subjectID {
		t.Error("two holders share a subject id")
	}

	// The issuer profile is where the credential says.
	issuer := getJSON(t, c, "/api/v1/issuer")
	if issuer["id"] != base+"/api/v1/issuer" || issuer["name"] != "Programma Ambtenaar 2.0" {
		t.Errorf("issuer: %v", issuer)
	}

	// One status entry says valid, suspended or revoked.
	if statusOf(t, c, cert.Number) != "valid" || statusOf(t, c, second.Number) != "valid" {
		t.Fatal("a fresh certificate is not valid in the status list")
	}
	if _, err := e.svc.ChangeStatus(ctx, actor(assessor), cert.Number, certify.ActionRevoke, "Bewijs van praktijkervaring vervalst."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ChangeStatus(ctx, actor(assessor), second.Number, certify.ActionSuspend, "Lopend onderzoek naar een klacht."); err != nil {
		t.Fatal(err)
	}
	if got := statusOf(t, c, cert.Number); got != "revoked" {
		t.Errorf("revoked certificate reads %s", got)
	}
	if got := statusOf(t, c, second.Number); got != "suspended" {
		t.Errorf("suspended certificate reads %s", got)
	}
	if _, err := e.svc.ChangeStatus(ctx, actor(assessor), second.Number, certify.ActionReinstate, "Klacht ongegrond verklaard."); err != nil {
		t.Fatal(err)
	}
	if got := statusOf(t, c, second.Number); got != "valid" {
		t.Errorf("reinstated certificate reads %s", got)
	}
	// The one-bit lists of earlier credentials stay published.
	for _, purpose := range []string{"revocation", "suspension"} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/status-lists/"+purpose, nil)
		req.Header.Set("Accept", "application/json")
		res := c.Do(req)
		webtest.MustStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, `"statusPurpose": "`+purpose+`"`) {
			t.Errorf("list %s: %.300s", purpose, res.Body)
		}
	}
	if res := c.Get("/api/v1/status-lists/vergeten"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown list: %d", res.StatusCode)
	}
	if res := c.Get("/api/v1/keys/onbekend"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown key: %d", res.StatusCode)
	}

	// After a key rotation the old credential keeps its token (so it keeps
	// verifying) and new ones carry the new key's URL.
	newKey, err := e.svc.RotateKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(c.Get("/.well-known/jwks.json").Body), &set); err != nil || len(set.Keys) != 2 {
		t.Fatalf("%d published keys after rotation, want 2 (%v)", len(set.Keys), err)
	}
	if got := c.Get("/certificaten/" + second.Number + ".jwt").Body; got != c.Get("/certificaten/"+second.Number+".jwt").Body {
		t.Error("token not stable")
	}
	if _, _, err := parseJWT(t, c, c.Get("/certificaten/"+second.Number+".jwt").Body, time.Now()); err != nil {
		t.Errorf("old credential after rotation: %v", err)
	}
	third := e.approved(t, e.openScheme(t, "opleiding", certify.KindTraining), actor(webtest.MustUser(t, e.db, "Priya", "priya@test.example", "Kennislab", web.RoleProvider)), actor(assessor))
	tok, _, err = parseJWT(t, c, c.Get("/certificaten/"+third.Number+".jwt").Body, time.Now())
	if err != nil || tok.Header["kid"] != certify.KeyURL(base, newKey.ID) {
		t.Errorf("new credential: kid %v, want the new key (%v)", tok.Header["kid"], err)
	}
}

// Credentials issued under an Ed25519 key of an earlier release: their
// tokens are now RS256 too, and the old key stays published under the bare
// kid its tokens carry.
func TestHTTP_CredentialsOfLegacyKeys(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, err := e.db.ExecContext(ctx, `UPDATE cert_signing_keys SET retired_at = now() WHERE retired_at IS NULL;
		INSERT INTO cert_signing_keys (kid, alg, private_key, created_at) VALUES ('oude-ed25519-sleutel', 'EdDSA', ?, now())`, bytes.Repeat([]byte{7}, 64))
	if err != nil {
		t.Fatal(err)
	}
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	holder := webtest.MustUser(t, e.db, "Lotte", "lotte@test.example", "Gemeente Test")
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	cert := e.approved(t, sc, actor(holder), actor(assessor))
	if cert.SigningKID != "oude-ed25519-sleutel" {
		t.Fatalf("issued under %s", cert.SigningKID)
	}
	if _, err := e.svc.RotateKey(ctx); err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, e.app)
	tok, _, err := parseJWT(t, c, c.Get("/certificaten/"+cert.Number+".jwt").Body, time.Now())
	if err != nil || tok.Header["alg"] != "RS256" {
		t.Fatalf("legacy certificate's token: %v %v", tok, err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(c.Get("/.well-known/jwks.json").Body), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Key("oude-ed25519-sleutel")) != 1 {
		t.Errorf("the Ed25519 key is no longer published: %v", set)
	}
}

// verifyAPI posts a credential to the API and returns its verdict.
func verifyAPI(t *testing.T, c *webtest.Client, credential any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"credential": credential})
	res := c.PostJSON("/api/v1/verifications", string(body))
	webtest.MustStatus(t, res, http.StatusOK)
	var out map[string]any
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func signWith(t *testing.T, header map[string]any, claims map[string]any, sign func([]byte) []byte) string {
	t.Helper()
	h, _ := json.Marshal(header)
	p, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p)
	return input + "." + base64.RawURLEncoding.EncodeToString(sign([]byte(input)))
}

func TestHTTP_CheckCredential(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	holder := webtest.MustUser(t, e.db, "Şükrü Yıldız-van Dijk", "sukru@test.example", "Gemeente Test")
	revokedHolder := webtest.MustUser(t, e.db, "Zoë Ćosić", "zoe@test.example", "Gemeente Twee")
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	cert := e.approved(t, sc, actor(holder), actor(assessor))
	revoked := e.approved(t, sc, actor(revokedHolder), actor(assessor))
	if _, err := e.svc.ChangeStatus(ctx, actor(assessor), revoked.Number, certify.ActionRevoke, "Bewijs van praktijkervaring vervalst."); err != nil {
		t.Fatal(err)
	}
	// An expired one: issued four years ago under a three-year scheme.
	expiredHolder := webtest.MustUser(t, e.db, "Piet Verlopen", "piet@test.example", "Gemeente Drie")
	expiredNumber, err := e.svc.SeedCertificateOnce(ctx, e.db, certify.SeedCertificate{Scheme: sc, HolderUserID: expiredHolder.ID,
		HolderName: "Piet Verlopen", IssuedAt: time.Now().AddDate(-4, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, e.app)
	token := c.Get("/certificaten/" + cert.Number + ".jwt").Body
	credJSON := c.Get("/certificaten/" + cert.Number + ".json").Body
	parts := strings.Split(token, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	var header map[string]any
	h, _ := base64.RawURLEncoding.DecodeString(parts[0])
	_ = json.Unmarshal(h, &header)

	foreignKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	signRS256 := func(k *rsa.PrivateKey) func([]byte) []byte {
		return func(input []byte) []byte {
			sig, err := jwt.SigningMethodRS256.Sign(string(input), k)
			if err != nil {
				t.Fatal(err)
			}
			return sig
		}
	}
	tamperedClaims := map[string]any{}
	for k, v := range claims {
		tamperedClaims[k] = v
	}
	tamperedClaims["exp"] = float64(time.Now().AddDate(20, 0, 0).Unix())
	otherIssuer := map[string]any{}
	for k, v := range claims {
		otherIssuer[k] = v
	}
	otherIssuer["iss"] = "https://badges.elders.example/issuer"
	otherIssuer["issuer"] = map[string]any{"id": "https://badges.elders.example/issuer", "type": []any{"Profile"}, "name": "Elders Academie"}
	var tamperedJSON map[string]any
	_ = json.Unmarshal([]byte(credJSON), &tamperedJSON)
	tamperedJSON["credentialSubject"].(map[string]any)["name"] = "Mallory"
	publicPEM, _ := json.Marshal(header) // any bytes: HS256 with something public as the secret

	tests := []struct {
		name       string
		credential any
		result     string
		reason     string // part of a reason
	}{
		{"GenuineJWT", token, "valid", "handtekening is echt"},
		{"GenuineJSON", credJSON, "valid", "woord voor woord"},
		{"GenuineJSONObject", json.RawMessage(credJSON), "valid", "woord voor woord"},
		{"TamperedPayload", parts[0] + "." + base64.RawURLEncoding.EncodeToString(bytes.Replace(payload, []byte("Şükrü"), []byte("Mallory"), 1)) + "." + parts[2], "forged", "handtekening klopt niet"},
		{"TamperedExpiry", signWith(t, header, tamperedClaims, func([]byte) []byte { sig, _ := base64.RawURLEncoding.DecodeString(parts[2]); return sig }), "forged", "handtekening klopt niet"},
		{"ForeignKeyUnderOurKid", signWith(t, header, claims, signRS256(foreignKey)), "forged", "handtekening klopt niet"},
		{"ForeignKid", signWith(t, map[string]any{"alg": "RS256", "typ": "JWT", "kid": "https://aanvaller.example/jwks#1"}, claims, signRS256(foreignKey)), "forged", "sleutel die niet van ons is"},
		{"AlgNone", signWith(t, map[string]any{"alg": "none", "typ": "JWT"}, claims, func([]byte) []byte { return nil }), "forged", "alg: none"},
		{"AlgNoneUpper", signWith(t, map[string]any{"alg": "NONE"}, claims, func([]byte) []byte { return nil }), "forged", "niet ondertekend"},
		{"HS256WithPublicSecret", signWith(t, map[string]any{"alg": "HS256", "kid": header["kid"]}, claims, func(in []byte) []byte {
			sig, _ := jwt.SigningMethodHS256.Sign(string(in), publicPEM)
			return sig
		}), "forged", "HS256"},
		{"OtherIssuerJWT", signWith(t, map[string]any{"alg": "RS256", "kid": "https://badges.elders.example/k"}, otherIssuer, signRS256(foreignKey)), "foreign", "badges.elders.example"},
		{"TamperedJSON", tamperedJSON, "forged", "credentialSubject.name"},
		{"Revoked", c.Get("/certificaten/" + revoked.Number + ".jwt").Body, "revoked", "ingetrokken"},
		{"Expired", c.Get("/certificaten/" + expiredNumber + ".jwt").Body, "expired", "verlopen"},
		{"ExpiredJSON", c.Get("/certificaten/" + expiredNumber + ".json").Body, "expired", "verlopen"},
		{"Garbage", "hallo wereld", "unreadable", "geen VC-JWT"},
		{"ThreeDots", "a.b.c", "unreadable", "geen VC-JWT"},
		{"BrokenJSON", `{"@context": [`, "unreadable", "geen geldige JSON"},
		{"JSONNotACredential", `{"naam": "Piet"}`, "unreadable", "VerifiableCredential"},
		{"UnknownNumber", strings.Replace(credJSON, cert.Number, certify.NewNumber(certify.KindAdviser, 2026, 999).String(), -1), "forged", "geen certificaat met dit kenmerk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := verifyAPI(t, c, tt.credential)
			if got["result"] != tt.result || !strings.Contains(fmt.Sprint(got["reasons"]), tt.reason) {
				t.Errorf("result %v, reasons %v; want %s with %q", got["result"], got["reasons"], tt.result, tt.reason)
			}
			if got["valid"] != (tt.result == "valid") || got["headline"] == "" || got["message"] == "" {
				t.Errorf("verdict %v", got)
			}
		})
	}
	got := verifyAPI(t, c, token)
	if got["holder_name"] != "Şükrü Yıldız-van Dijk" || got["number"] != cert.Number || got["issuer"] != "Programma Ambtenaar 2.0" || got["verify"] != base+"/verifieer/"+cert.Number {
		t.Errorf("who, what and by whom: %v", got)
	}

	// Requests that are not a credential at all.
	for body, status := range map[string]int{
		`{"credential": ""}`: http.StatusUnprocessableEntity,
		`{}`:                 http.StatusUnprocessableEntity,
		`{"credential": 42}`: http.StatusUnprocessableEntity,
		`{"credential": "` + strings.Repeat("a", certify.MaxCredentialSize+1) + `"}`: http.StatusUnprocessableEntity,
		`niet eens json`: http.StatusBadRequest,
		`[1, 2]`:         http.StatusBadRequest,
	} {
		res := c.PostJSON("/api/v1/verifications", body)
		if res.StatusCode != status || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%.40s: %d %s, want %d problem+json", body, res.StatusCode, res.Header.Get("Content-Type"), status)
		}
	}

	// The verify page, pasted and uploaded.
	c.Get("/verifieer")
	for _, tt := range []struct {
		credential, want string
	}{
		{token, "Echt en geldig"},
		{c.Get("/certificaten/" + revoked.Number + ".jwt").Body, "Echt, maar ingetrokken"},
		{tests[3].credential.(string), "Vervalst of veranderd"},
		{"hallo wereld", "Geen leesbaar certificaat"},
	} {
		res := c.PostForm("/verifieer", url.Values{"credential": {tt.credential}})
		webtest.MustStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, tt.want) {
			t.Errorf("page for %.20s… lacks %q", tt.credential, tt.want)
		}
	}
	res := c.PostForm("/verifieer", url.Values{"credential": {"  "}})
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Plak een digitaal certificaat") {
		t.Error("empty form lacks its message")
	}
	upload := func(name string, data []byte) *webtest.Response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("_csrf", c.CSRFToken())
		fw, _ := mw.CreateFormFile("bestand", name)
		_, _ = fw.Write(data)
		_ = mw.Close()
		return c.PostRaw("/verifieer", mw.FormDataContentType(), body.String())
	}
	if res := upload("certificaat.jwt", []byte(token)); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Echt en geldig") {
		t.Errorf("uploaded token: %d", res.StatusCode)
	}
	if res := upload("foto.png", pngFile(t)); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "geen tekst") {
		t.Errorf("uploaded picture: %d", res.StatusCode)
	}
}
