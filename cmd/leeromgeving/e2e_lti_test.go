package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-jose/go-jose/v4"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// browserPlatform is an LMS for the browser test: its pages on
// https://localhost (another site than the tool on 127.0.0.1), its key set
// and token endpoint on plain http for the tool's server-side calls.
type browserPlatform struct {
	t      *testing.T
	tool   string // the tool's public (https) address
	key    *rsa.PrivateKey
	pages  *httptest.Server
	api    *httptest.Server
	origin string // https://localhost:port

	mu       sync.Mutex
	returned []string // deep-linking answers received, as JWTs
}

var platformPage = template.Must(template.New("").Parse(`<!doctype html><html><head><title>Moodle</title></head><body>
<h1>Werken 2.0 bij de gemeente</h1>
{{range .}}<form id="{{.ID}}" method="post" action="{{.Action}}"{{with .Target}} target="{{.}}"{{end}}>
{{range $k, $v := .Fields}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}<button type="submit">{{.ID}}</button></form>
{{end}}<iframe name="lti-frame" title="Externe tool" src="about:blank" style="width:100%;height:700px"></iframe>
</body></html>`))

var autoPost = template.Must(template.New("").Parse(`<!doctype html><html><body>
<form method="post" action="{{.Action}}">{{range $k, $v := .Fields}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}</form>
<script>document.forms[0].submit()</script></body></html>`))

type platformForm struct {
	ID, Action, Target string
	Fields             map[string]string
}

func newBrowserPlatform(t *testing.T, tool string) *browserPlatform {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &browserPlatform{t: t, tool: tool, key: key}
	pages := http.NewServeMux()
	pages.HandleFunc("GET /course/view.php", p.course)
	pages.HandleFunc("GET /mod/lti/auth.php", p.auth)
	pages.HandleFunc("POST /mod/lti/contentitem_return.php", p.contentItemReturn)
	p.pages = httptest.NewUnstartedServer(pages)
	p.pages.StartTLS()
	t.Cleanup(p.pages.Close)
	p.origin = strings.Replace(p.pages.URL, "127.0.0.1", "localhost", 1)
	api := http.NewServeMux()
	api.HandleFunc("GET /mod/lti/certs.php", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "moodle-1", Algorithm: "RS256", Use: "sig"}}})
	})
	p.api = httptest.NewServer(api)
	t.Cleanup(p.api.Close)
	return p
}

// course is a Moodle course page with three ways into the tool: an
// activity that opens in the window, one embedded in the page's iframe,
// and a teacher's "Select content" that opens in the iframe.
func (p *browserPlatform) course(w http.ResponseWriter, _ *http.Request) {
	login := func(id, hint, target, frame string) platformForm {
		return platformForm{ID: id, Action: p.tool + "/lti/login", Target: frame, Fields: map[string]string{
			"iss": p.origin, "login_hint": "17", "target_link_uri": target, "lti_message_hint": hint, "client_id": "e2e-client", "lti_deployment_id": "1"}}
	}
	_ = platformPage.Execute(w, []platformForm{
		login("venster", "window", p.tool+"/cursussen/lti-e2e", ""),
		login("ingebed", "iframe", p.tool+"/cursussen/lti-e2e", "lti-frame"),
		login("inhoud-kiezen", "deeplinking", p.tool+"/lti/launch", "lti-frame"),
	})
}

// auth answers the tool's authentication request as Moodle's auth.php
// does: an auto-submitted form that posts the signed id_token and the state
// to the redirect URI.
func (p *browserPlatform) auth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("scope") != "openid" || q.Get("response_mode") != "form_post" || q.Get("redirect_uri") != p.tool+"/lti/launch" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	now := time.Now()
	hint := q.Get("lti_message_hint")
	claims := map[string]any{
		"iss": p.origin, "aud": "e2e-client", "sub": "17", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "nonce": q.Get("nonce"),
		"name": "Femke de Vries", "email": "femke@e2e.example",
		"https://purl.imsglobal.org/spec/lti/claim/deployment_id":       "1",
		"https://purl.imsglobal.org/spec/lti/claim/version":             "1.3.0",
		"https://purl.imsglobal.org/spec/lti/claim/message_type":        "LtiResourceLinkRequest",
		"https://purl.imsglobal.org/spec/lti/claim/roles":               []string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"},
		"https://purl.imsglobal.org/spec/lti/claim/target_link_uri":     p.tool + "/cursussen/lti-e2e",
		"https://purl.imsglobal.org/spec/lti/claim/resource_link":       map[string]any{"id": "4", "title": "Werken 2.0"},
		"https://purl.imsglobal.org/spec/lti/claim/launch_presentation": map[string]any{"document_target": hint},
	}
	if hint == "deeplinking" {
		claims["sub"], claims["name"], claims["email"] = "5", "Docent Daan", "daan@e2e.example"
		claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiDeepLinkingRequest"
		claims["https://purl.imsglobal.org/spec/lti/claim/roles"] = []string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"}
		claims["https://purl.imsglobal.org/spec/lti/claim/target_link_uri"] = p.tool + "/lti/launch"
		claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = map[string]any{
			"deep_link_return_url": p.origin + "/mod/lti/contentitem_return.php?course=2&id=1&sesskey=e2e",
			"accept_types":         []string{"ltiResourceLink"}, "accept_presentation_document_targets": []string{"iframe", "window"}, "data": "e2e-data"}
		delete(claims, "https://purl.imsglobal.org/spec/lti/claim/resource_link")
	}
	payload, _ := json.Marshal(claims)
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: p.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "moodle-1"))
	jws, _ := signer.Sign(payload)
	tok, _ := jws.CompactSerialize()
	_ = autoPost.Execute(w, platformForm{Action: q.Get("redirect_uri"), Fields: map[string]string{"id_token": tok, "state": q.Get("state")}})
}

func (p *browserPlatform) contentItemReturn(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	p.mu.Lock()
	p.returned = append(p.returned, r.PostForm.Get("JWT"))
	p.mu.Unlock()
	fmt.Fprint(w, `<!doctype html><html><body><h1>Inhoud ontvangen</h1></body></html>`)
}

func (p *browserPlatform) answers() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.returned...)
}

// frame attaches to the platform's iframe once it shows a page at prefix
// (Chrome runs a cross-site iframe as a target of its own).
func frame(t *testing.T, ctx context.Context, prefix, sel string) context.Context {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			if info.Type != "iframe" || !strings.HasPrefix(info.URL, prefix) {
				continue
			}
			fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
			t.Cleanup(cancel)
			// Attach on fctx itself: a context with a deadline used first
			// would end the attachment when it expires.
			if _, err := chromedp.Run(fctx, chromedp.Evaluate[string]("location.href")); err != nil {
				continue
			}
			wctx, wcancel := context.WithTimeout(fctx, 5*time.Second)
			_, err := chromedp.Run(wctx, chromedp.WaitVisible(chromedp.CSS(sel)))
			wcancel()
			if err == nil {
				return fctx
			}
		}
	}
	t.Fatalf("the iframe never showed %s at %s", sel, prefix)
	return nil
}

// A real browser follows a Moodle-like platform into the tool over https:
// the login and launch cross from the platform's site to the tool's (so the
// tool's LTI cookie must be SameSite=None), a launch in the window ends on
// the course logged in, one in the platform's iframe offers a new window,
// and a teacher picks a course in the iframe and the signed answer goes
// back to the platform.
func TestBrowser_LTILaunchFromPlatform(t *testing.T) {
	var app atomic.Pointer[httputil.ReverseProxy]
	front := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { app.Load().ServeHTTP(w, r) }))
	front.StartTLS()
	t.Cleanup(front.Close)
	tool := front.URL
	base, db := startAppDB(t, "LEEROMGEVING_BASE_URL", tool)
	direct, _ := url.Parse(base)
	app.Store(httputil.NewSingleHostReverseProxy(direct))
	p := newBrowserPlatform(t, tool)

	ctx := context.Background()
	svc := courses.NewService(db)
	doc, err := courses.ReadFolder(fstest.MapFS{
		"course.yaml": {Data: []byte("slug: lti-e2e\ntitle: Werken 2.0 in uw eigen leeromgeving\nsummary: Voor de LTI-browsertest.\nstudy_hours: 2\nmodules:\n" +
			"  - title: Alles\n    items:\n      - lesson: les.md\n")},
		"les.md": {Data: []byte("---\ntitle: De les\nminutes: 3\n---\nWelkom.\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := svc.Import(ctx, doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetPublished(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = db.NewRaw(`INSERT INTO lti_platforms (name, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url)
		VALUES ('Moodle E2E', ?, 'e2e-client', '{1}', ?, ?, ?)`,
		p.origin, p.origin+"/mod/lti/auth.php", p.api.URL+"/mod/lti/token.php", p.api.URL+"/mod/lti/certs.php").Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}

	browser := newBrowser(t, chromedp.Flag("ignore-certificate-errors", true))
	shots := newShooter(t, browser)
	must(t, browser, "open the platform's course", chromedp.Navigate(p.origin+"/course/view.php"))

	// In the window: login, the platform's auto-post, the course, logged in.
	leave(t, browser, "start the activity in the window", chromedp.Click(chromedp.CSS(`#venster button`)))
	waitText(t, browser, "h1", "Werken 2.0 in uw eigen leeromgeving")
	if got := textOf(t, browser, ".account-name"); got != "Femke de Vries" {
		t.Fatalf("logged in as %q", got)
	}
	waitText(t, browser, ".flash", "U bent ingelogd vanuit Moodle E2E.")

	// In the platform's iframe: the tool offers to continue in a new window.
	must(t, browser, "back to the platform", chromedp.Navigate(p.origin+"/course/view.php"))
	must(t, browser, "start the activity in the iframe", chromedp.Click(chromedp.CSS(`#ingebed button`)))
	inFrame := frame(t, browser, tool+"/lti/launch", `a[href^="/lti/open/"]`)
	href, err := chromedp.Run(inFrame, chromedp.AttributeValue(chromedp.CSS(`a[href^="/lti/open/"]`), "href"))
	if err != nil || !href.Exists {
		t.Fatalf("no button to a new window: %v", err)
	}
	target, _ := chromedp.Run(inFrame, chromedp.AttributeValue(chromedp.CSS(`a[href^="/lti/open/"]`), "target"))
	if target.Value != "_blank" {
		t.Fatalf("the button opens in %q", target.Value)
	}
	must(t, browser, "open the hand-off as the new window would", chromedp.Navigate(tool+href.Value))
	waitText(t, browser, "h1", "Werken 2.0 in uw eigen leeromgeving")

	// A teacher's "Select content" in the iframe: pick, and the answer goes back.
	must(t, browser, "back to the platform", chromedp.Navigate(p.origin+"/course/view.php"))
	for i, width := range []int{1280, 390} {
		must(t, browser, "window width", chromedp.EmulateViewport(int64(width), 900))
		must(t, browser, "select content", chromedp.Click(chromedp.CSS(`#inhoud-kiezen button`)))
		picker := frame(t, browser, tool+"/lti/launch", `input[value="lti-e2e"]`)
		shots.take(fmt.Sprintf("lti-picker-%d", width))
		must(t, picker, "pick the course", chromedp.Click(chromedp.CSS(`input[value="lti-e2e"]`)),
			chromedp.Click(chromedp.CSS(`button[value="kiezen"]`)))
		for deadline := time.Now().Add(time.Minute); len(p.answers()) <= i; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the answer never reached the platform")
			}
		}
	}
	answers := p.answers()
	if len(answers) != 2 {
		t.Fatalf("the platform received %d answers", len(answers))
	}
	res, err := http.Get(base + "/lti/jwks")
	if err != nil {
		t.Fatal(err)
	}
	set, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var ks jose.JSONWebKeySet
	if err := json.Unmarshal(set, &ks); err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSignedCompact(answers[0], []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	payload, err := jws.Verify(ks.Key(jws.Signatures[0].Header.KeyID)[0].Key)
	if err != nil || !strings.Contains(string(payload), `"url":"`+tool+`/cursussen/lti-e2e"`) || !strings.Contains(string(payload), `"e2e-data"`) {
		t.Fatalf("answer %s (%v)", payload, err)
	}

	// The admin's page, at both widths.
	webtest.MustUser(t, db, "Ada Beheer", "ada@e2e.example", "", web.RoleAdmin)
	login(t, browser, tool, "ada@e2e.example")
	for _, width := range []int{1280, 390} {
		must(t, browser, "admin page", chromedp.EmulateViewport(int64(width), 900), chromedp.Navigate(tool+"/beheer/lti"))
		waitText(t, browser, "main", "Moodle E2E")
		shots.take(fmt.Sprintf("lti-admin-%d", width))
	}
}
