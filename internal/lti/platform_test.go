package lti_test

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/lti"
	"github.com/ambtenaar20/leeromgeving/internal/server"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// platform is an LMS simulated in the test, shaped after Moodle 4.x: its
// own RSA key and key set, a token endpoint that checks the tool's client
// assertion against the tool's published key set, and line item score
// endpoints that record what they receive.
type platform struct {
	t        *testing.T
	srv      *httptest.Server
	issuer   string
	clientID string
	deploy   string
	toolJWKS func() []byte // the tool's /lti/jwks, as a platform would fetch it

	mu         sync.Mutex
	key        *rsa.PrivateKey
	kid        string
	jwksHits   int
	tokenReqs  []url.Values
	assertions []map[string]any
	scores     []recordedScore
	scoreFail  []int // statuses to answer the next score posts with
	tokenFail  int   // status to answer token requests with (0: answer normally)
	tokensMade int
}

type recordedScore struct {
	Path, Query, ContentType, Auth string
	Score                          map[string]any
}

func newPlatform(t *testing.T, toolJWKS func() []byte) *platform {
	t.Helper()
	p := &platform{t: t, clientID: "Xk3bLa9qTzW1", deploy: "3", toolJWKS: toolJWKS}
	p.rotateKey()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /mod/lti/certs.php", p.serveJWKS)
	mux.HandleFunc("POST /mod/lti/token.php", p.serveToken)
	mux.HandleFunc("POST /mod/lti/services.php/2/lineitems/{item}/lineitem/scores", p.serveScore)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	p.issuer = p.srv.URL
	return p
}

// rotateKey gives the platform a new key; its key set then holds only that one.
func (p *platform) rotateKey() {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.key, p.kid = k, fmt.Sprintf("moodle-%d", time.Now().UnixNano())
}

func (p *platform) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.jwksHits++
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: p.kid, Algorithm: "RS256", Use: "sig"}}}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(set)
}

// serveToken answers like mod/lti/token.php: a form post with a client
// assertion (RS256, verified against the tool's key set), grant type and
// scope.
func (p *platform) serveToken(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, e string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error": %q}`, e)
	}
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); ct != "application/x-www-form-urlencoded" {
		fail(400, "invalid_request")
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(400, "invalid_request")
		return
	}
	p.mu.Lock()
	p.tokenReqs = append(p.tokenReqs, r.PostForm)
	failWith := p.tokenFail
	p.mu.Unlock()
	if failWith != 0 {
		fail(failWith, "temporarily_unavailable")
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "client_credentials" || f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		fail(400, "unsupported_grant_type")
		return
	}
	if f.Get("scope") != lti.ScopeScore {
		fail(400, "invalid_scope")
		return
	}
	claims, err := verifyWithSet(f.Get("client_assertion"), p.toolJWKS())
	if err != nil {
		fail(401, "invalid_client: "+err.Error())
		return
	}
	exp, _ := claims["exp"].(float64)
	if claims["iss"] != p.clientID || claims["sub"] != p.clientID || claims["aud"] != p.issuer+"/mod/lti/token.php" ||
		claims["jti"] == nil || time.Unix(int64(exp), 0).Before(time.Now()) {
		fail(401, "invalid_client")
		return
	}
	p.mu.Lock()
	p.assertions = append(p.assertions, claims)
	p.tokensMade++
	tok := fmt.Sprintf("tok-%d", p.tokensMade)
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"access_token": %q, "token_type": "Bearer", "expires_in": 3600, "scope": %q}`, tok, lti.ScopeScore)
}

func (p *platform) serveScore(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var sc map[string]any
	_ = json.Unmarshal(b, &sc)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.scores = append(p.scores, recordedScore{Path: r.URL.Path, Query: r.URL.RawQuery, ContentType: r.Header.Get("Content-Type"),
		Auth: r.Header.Get("Authorization"), Score: sc})
	if len(p.scoreFail) > 0 {
		status := p.scoreFail[0]
		p.scoreFail = p.scoreFail[1:]
		http.Error(w, "fout", status)
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer tok-") || r.Header.Get("Content-Type") != "application/vnd.ims.lis.v1.score+json" {
		http.Error(w, "geen toegang", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (p *platform) keySetFetches() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.jwksHits
}

func (p *platform) recorded() (tokens []url.Values, scores []recordedScore) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.tokenReqs...), append([]recordedScore(nil), p.scores...)
}

// lineItem is the line item URL of Moodle's gradebook column item.
func (p *platform) lineItem(item int) string {
	return fmt.Sprintf("%s/mod/lti/services.php/2/lineitems/%d/lineitem?type_id=1", p.srv.URL, item)
}

// register registers the platform with the tool.
func (p *platform) register(t *testing.T, s *server.Server, orgID int64) *lti.Platform {
	t.Helper()
	pl, err := s.Domains.LTI.SavePlatform(context.Background(), 0, lti.PlatformInput{
		Name: "Moodle Gemeente Proef", Issuer: p.issuer, ClientID: p.clientID, DeploymentIDs: p.deploy + "\n7",
		AuthURL: p.srv.URL + "/mod/lti/auth.php", TokenURL: p.srv.URL + "/mod/lti/token.php", JWKSURL: p.srv.URL + "/mod/lti/certs.php",
		OrganisationID: fmt.Sprint(orgID),
	})
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

// login initiates a login as the platform does and returns the state and
// nonce the tool sent to the platform's authentication URL.
func (p *platform) login(t *testing.T, c *webtest.Client, target string) (state, nonce string) {
	t.Helper()
	q := url.Values{"iss": {p.issuer}, "login_hint": {"17"}, "target_link_uri": {target}, "lti_message_hint": {`{"cmid":4,"launchid":"ltilaunch1_x"}`},
		"client_id": {p.clientID}, "lti_deployment_id": {p.deploy}}
	res := c.PostRaw("/lti/login", "application/x-www-form-urlencoded", q.Encode())
	webtest.MustStatus(t, res, http.StatusFound)
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), p.srv.URL+"/mod/lti/auth.php?") {
		t.Fatalf("login redirect %q", res.Header.Get("Location"))
	}
	a := loc.Query()
	want := map[string]string{"scope": "openid", "response_type": "id_token", "response_mode": "form_post", "prompt": "none",
		"client_id": p.clientID, "redirect_uri": "http://localhost:8080/lti/launch", "login_hint": "17", "lti_message_hint": q.Get("lti_message_hint")}
	for k, v := range want {
		if a.Get(k) != v {
			t.Fatalf("auth request %s = %q, want %q (%s)", k, a.Get(k), v, loc)
		}
	}
	if a.Get("state") == "" || a.Get("nonce") == "" || a.Get("state") == a.Get("nonce") {
		t.Fatalf("auth request without state and nonce: %s", loc)
	}
	return a.Get("state"), a.Get("nonce")
}

// claims are the claims of a Moodle 4.x launch of a student in course 2.
func (p *platform) claims(nonce, target string) map[string]any {
	now := time.Now()
	return map[string]any{
		"iss": p.issuer, "aud": p.clientID, "sub": "17", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "nonce": nonce,
		"name": "Femke de Vries", "given_name": "Femke", "family_name": "de Vries", "email": "femke.devries@gemeente-proef.nl",
		"https://purl.imsglobal.org/spec/lti/claim/deployment_id":   p.deploy,
		"https://purl.imsglobal.org/spec/lti/claim/target_link_uri": target,
		"https://purl.imsglobal.org/spec/lti/claim/lis":             map[string]any{"person_sourcedid": "", "course_section_sourcedid": ""},
		"https://purl.imsglobal.org/spec/lti/claim/roles":           []string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"},
		"https://purl.imsglobal.org/spec/lti/claim/context": map[string]any{"id": "2", "label": "WERK20", "title": "Werken 2.0 bij de gemeente",
			"type": []string{"CourseSection"}},
		"https://purl.imsglobal.org/spec/lti/claim/resource_link":   map[string]any{"title": "Werken 2.0 — de basis", "description": "", "id": "4"},
		"https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome": map[string]any{"lis_result_sourcedid": "x", "lis_outcome_service_url": p.srv.URL + "/mod/lti/service.php"},
		"https://purl.imsglobal.org/spec/lti/claim/tool_platform": map[string]any{"product_family_code": "moodle", "version": "2024100700",
			"guid": "leren.gemeente-proef.nl", "name": "Gemeente Proef", "description": "Leren bij de gemeente"},
		"https://purl.imsglobal.org/spec/lti/claim/launch_presentation": map[string]any{"locale": "nl", "document_target": "window",
			"return_url": p.srv.URL + "/mod/lti/return.php?course=2&launch_container=4&instanceid=1&sesskey=abc"},
		"https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiResourceLinkRequest",
		"https://purl.imsglobal.org/spec/lti/claim/version":      "1.3.0",
		"https://purl.imsglobal.org/spec/lti/claim/custom":       map[string]any{"cursus": "lti-proef"},
		"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": map[string]any{
			"scope": []string{"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem", "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
				"https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly", "https://purl.imsglobal.org/spec/lti-ags/scope/score"},
			"lineitems": p.srv.URL + "/mod/lti/services.php/2/lineitems?type_id=1",
			"lineitem":  p.lineItem(7),
		},
		"https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": map[string]any{
			"context_memberships_url": p.srv.URL + "/mod/lti/services.php/CourseSection/2/bindings/1/memberships", "service_versions": []string{"1.0", "2.0"}},
	}
}

// teacherDeepLinking turns claims into a Moodle deep-linking request of a teacher.
func (p *platform) teacherDeepLinking(c map[string]any) map[string]any {
	c["sub"] = "5"
	c["name"] = "Docent Daan"
	c["https://purl.imsglobal.org/spec/lti/claim/roles"] = []string{"http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
		"http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper", "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
		"http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator"}
	c["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiDeepLinkingRequest"
	c["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = map[string]any{
		"deep_link_return_url":                 p.srv.URL + "/mod/lti/contentitem_return.php?course=2&id=1&sesskey=abc",
		"accept_types":                         []string{"ltiResourceLink"},
		"accept_presentation_document_targets": []string{"frame", "iframe", "window"},
		"accept_copy_advice":                   false, "accept_multiple": true, "accept_unsigned": false, "auto_create": false, "can_confirm": false,
		"title": "Werken 2.0", "text": "", "data": "moodle-dl-7f3a",
	}
	delete(c, "https://purl.imsglobal.org/spec/lti/claim/resource_link")
	delete(c, "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint")
	delete(c, "https://purl.imsglobal.org/spec/lti/claim/custom")
	return c
}

// sign signs claims with the platform's key as its id_tokens are.
func (p *platform) sign(t *testing.T, claims map[string]any) string {
	t.Helper()
	p.mu.Lock()
	key, kid := p.key, p.kid
	p.mu.Unlock()
	return signRS256(t, key, kid, claims)
}

func signRS256(t *testing.T, key *rsa.PrivateKey, kid string, claims any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// hs256WithPublicKey is the classic key-confusion forgery: an HMAC token
// whose secret is the platform's public key in PEM.
func (p *platform) hs256WithPublicKey(t *testing.T, claims map[string]any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&p.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	secret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	head := b64(fmt.Sprintf(`{"alg":"HS256","typ":"JWT","kid":%q}`, p.kid))
	body, _ := json.Marshal(claims)
	signing := head + "." + base64.RawURLEncoding.EncodeToString(body)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// unsigned is a token with alg none.
func unsigned(claims map[string]any) string {
	body, _ := json.Marshal(claims)
	return b64(`{"alg":"none","typ":"JWT"}`) + "." + base64.RawURLEncoding.EncodeToString(body) + "."
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// launch posts id_token and state to /lti/launch as the platform's
// auto-submitted form does, optionally inside an iframe.
func launch(t *testing.T, c *webtest.Client, idToken, state string, frame bool) *webtest.Response {
	t.Helper()
	body := url.Values{"id_token": {idToken}, "state": {state}}.Encode()
	req := httptest.NewRequest(http.MethodPost, "/lti/launch", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://leren.gemeente-proef.nl")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if frame {
		req.Header.Set("Sec-Fetch-Dest", "iframe")
	} else {
		req.Header.Set("Sec-Fetch-Dest", "document")
	}
	return c.Do(req)
}

// verifyWithSet checks an RS256 token against a JWK Set (JSON) and
// returns its claims.
func verifyWithSet(token string, set []byte) (map[string]any, error) {
	var ks jose.JSONWebKeySet
	if err := json.Unmarshal(set, &ks); err != nil {
		return nil, err
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, err
	}
	keys := ks.Key(jws.Signatures[0].Header.KeyID)
	if len(keys) != 1 {
		return nil, fmt.Errorf("kid %q not in the key set", jws.Signatures[0].Header.KeyID)
	}
	payload, err := jws.Verify(keys[0].Key)
	if err != nil {
		return nil, err
	}
	var claims map[string]any
	return claims, json.Unmarshal(payload, &claims)
}

// fixture is the application with one registered platform and a course.
type fixture struct {
	s      *server.Server
	db     *bun.DB
	p      *platform
	pl     *lti.Platform
	orgID  int64
	course *courses.Course
}

// The course of the tests: a lesson and a quiz of two questions (pass mark 50).
var courseFolder = fstest.MapFS{
	"course.yaml": {Data: []byte("slug: lti-proef\ntitle: Werken 2.0 via uw leeromgeving\nsummary: Een proefcursus.\nstudy_hours: 1\nmodules:\n" +
		"  - title: Eén\n    items:\n      - lesson: les.md\n      - quiz: toets.yaml\n")},
	"les.md": {Data: []byte("---\ntitle: Les één\nminutes: 5\n---\nTekst.\n")},
	"toets.yaml": {Data: []byte("title: Toets\npass_mark: 50\nquestions:\n" +
		"  - type: truefalse\n    text: Waar?\n    answer: true\n" +
		"  - type: numeric\n    text: Hoeveel?\n    answer: 72\n")},
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.New(t)
	s := webtest.NewServer(t, db, server.Config{})
	tool := webtest.NewClient(t, s.App)
	f := &fixture{s: s, db: db}
	f.p = newPlatform(t, func() []byte { return []byte(tool.Get("/lti/jwks").Body) })
	ctx := context.Background()
	if err := db.NewRaw("INSERT INTO organisations (name, kind) VALUES ('Gemeente Proef', 'gemeente') RETURNING id").Scan(ctx, &f.orgID); err != nil {
		t.Fatal(err)
	}
	f.pl = f.p.register(t, s, f.orgID)
	doc, err := courses.ReadFolder(courseFolder)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := s.Domains.Learning.Import(ctx, doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Domains.Learning.SetPublished(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	f.course, _ = s.Domains.Learning.CourseBySlug(ctx, "lti-proef")
	return f
}

// target is the target link URI of the test course.
const target = "http://localhost:8080/cursussen/lti-proef"

// launchAs runs a whole resource-link launch with claims changed by edit.
func (f *fixture) launchAs(t *testing.T, c *webtest.Client, edit func(map[string]any)) *webtest.Response {
	t.Helper()
	state, nonce := f.p.login(t, c, target)
	claims := f.p.claims(nonce, target)
	if edit != nil {
		edit(claims)
	}
	return launch(t, c, f.p.sign(t, claims), state, false)
}

// counts are the rows a launch may leave behind.
func (f *fixture) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"users", "sessions", "lti_users", "lti_nonces", "lti_grade_links", "lti_handoffs", "lti_deep_links", "outbox"} {
		n, err := f.db.NewSelect().TableExpr(table).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out[table] = int(n)
	}
	return out
}
