package lti_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// An admin registers, changes and removes platforms at /beheer/lti; every
// bad value gets a Dutch message next to its field and stores nothing.
func TestAdmin_Platforms(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	webtest.MustUser(t, f.db, "Ada Beheer", "ada@programma.example", "", web.RoleAdmin)
	admin := webtest.NewClient(t, f.s.App)
	admin.Login("ada@programma.example", webtest.Password)

	page := admin.Get("/beheer/lti")
	webtest.MustStatus(t, page, http.StatusOK)
	for _, want := range []string{"Moodle Gemeente Proef", "http://localhost:8080/lti/login", "http://localhost:8080/lti/launch",
		"http://localhost:8080/lti/jwks", "Initiate login URL", "Gemeente Proef"} {
		if !strings.Contains(page.Body, want) {
			t.Fatalf("admin page lacks %q", want)
		}
	}

	res := admin.PostForm("/beheer/lti/nieuw", url.Values{"name": {"x"}, "issuer": {"leren.gemeente.nl"}, "auth_url": {"http://leren.gemeente.nl/auth"},
		"token_url": {"ftp://leren.gemeente.nl/token"}, "deployment_ids": {"met spatie"}, "organisation_id": {"999999"}})
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	for _, want := range []string{"De naam is 2 tot 100 tekens lang.", "Het platform-ID (issuer) is een volledig webadres",
		"De client-ID is verplicht", "zonder spaties", "De authenticatie-URL moet met https:// beginnen", "De token-URL is een volledig webadres",
		"De URL van de sleutelset is verplicht.", "Kies de organisatie", `value="leren.gemeente.nl"`} {
		if !strings.Contains(res.Body, want) {
			t.Fatalf("form lacks %q:\n%s", want, res.Body)
		}
	}
	if strings.Index(res.Body, "De naam is") > strings.Index(res.Body, "Kies de organisatie") {
		t.Fatal("messages are not in the order of the fields")
	}

	good := url.Values{"name": {"Canvas Provincie Proef"}, "issuer": {"https://canvas.instructure.com"}, "client_id": {"10000000000042"},
		"deployment_ids": {"42:8865aa05b4b79b64a91a86042e43af5ea8ae79eb\r\n42:2\r\n42:2"}, "auth_url": {"https://sso.canvaslms.com/api/lti/authorize_redirect"},
		"token_url": {"https://sso.canvaslms.com/login/oauth2/token"}, "jwks_url": {"https://sso.canvaslms.com/api/lti/security/jwks"},
		"organisation_id": {fmt.Sprint(f.orgID)}}
	res = admin.PostForm("/beheer/lti/nieuw", good)
	webtest.MustStatus(t, res, http.StatusSeeOther)
	ps, _, err := f.s.Domains.LTI.Platforms(ctx)
	if err != nil || len(ps) != 2 {
		t.Fatalf("platforms %v %v", ps, err)
	}
	var canvas int64
	for _, p := range ps {
		if p.Name == "Canvas Provincie Proef" {
			canvas = p.ID
			if len(p.DeploymentIDs) != 2 || p.DeploymentIDs[1] != "42:2" || p.OrganisationName != "Gemeente Proef" {
				t.Fatalf("stored %+v", p)
			}
		}
	}

	// The same issuer and client id again.
	res = admin.PostForm("/beheer/lti/nieuw", good)
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "is al geregistreerd") {
		t.Fatalf("duplicate:\n%s", res.Body)
	}

	edit := url.Values{}
	for k, v := range good {
		edit[k] = v
	}
	edit.Set("name", "Canvas Provincie")
	edit.Set("token_audience", "https://canvas.instructure.com/login/oauth2/token")
	webtest.MustStatus(t, admin.PostForm(fmt.Sprintf("/beheer/lti/%d", canvas), edit), http.StatusSeeOther)
	p, err := f.s.Domains.LTI.Platform(ctx, canvas)
	if err != nil || p.Name != "Canvas Provincie" || p.Audience() != "https://canvas.instructure.com/login/oauth2/token" {
		t.Fatalf("after editing: %+v %v", p, err)
	}
	if res := admin.Get("/beheer/lti/999999"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown platform: %d", res.StatusCode)
	}

	del := admin.Get(fmt.Sprintf("/beheer/lti/%d/verwijderen", canvas))
	webtest.MustStatus(t, del, http.StatusOK)
	if !strings.Contains(del.Body, "De koppelingen van 0 deelnemers vervallen") {
		t.Fatalf("delete page:\n%s", del.Body)
	}
	webtest.MustStatus(t, admin.PostForm(fmt.Sprintf("/beheer/lti/%d/verwijderen", canvas), nil), http.StatusSeeOther)
	if _, err := f.s.Domains.LTI.Platform(ctx, canvas); err == nil {
		t.Fatal("platform still there")
	}

	// A new key: the admin page and the key set show both.
	webtest.MustStatus(t, admin.PostForm("/beheer/lti/sleutel", nil), http.StatusSeeOther)
	if page := admin.Get("/beheer/lti"); strings.Count(page.Body, "vervangen ") != 1 || !strings.Contains(page.Body, "huidig") {
		t.Fatal("admin page does not show the old and the current key")
	}
}

// /lti/config and /lti/jwks are what a platform reads to register the tool.
func TestToolConfiguration(t *testing.T) {
	f := newFixture(t)
	c := webtest.NewClient(t, f.s.App)
	res := c.Get("/lti/config")
	webtest.MustStatus(t, res, http.StatusOK)
	var cfg map[string]any
	if err := json.Unmarshal([]byte(res.Body), &cfg); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"title": "Leeromgeving Werken 2.0", "target_link_uri": launchURL, "oidc_initiation_url": "http://localhost:8080/lti/login",
		"jwks_uri": "http://localhost:8080/lti/jwks", "initiate_login_uri": "http://localhost:8080/lti/login",
		"token_endpoint_auth_method": "private_key_jwt",
	}
	for k, v := range want {
		if cfg[k] != v {
			t.Fatalf("config %s = %v, want %v", k, cfg[k], v)
		}
	}
	if fmt.Sprint(cfg["redirect_uris"]) != "["+launchURL+"]" || fmt.Sprint(cfg["scopes"]) != "[https://purl.imsglobal.org/spec/lti-ags/scope/score]" {
		t.Fatalf("config %v", cfg)
	}
	tc := cfg["https://purl.imsglobal.org/spec/lti-tool-configuration"].(map[string]any)
	msgs := fmt.Sprint(tc["messages"])
	if tc["domain"] != "localhost:8080" || !strings.Contains(msgs, "LtiDeepLinkingRequest") || !strings.Contains(msgs, "LtiResourceLinkRequest") {
		t.Fatalf("tool configuration %v", tc)
	}

	res = c.Get("/lti/jwks")
	webtest.MustStatus(t, res, http.StatusOK)
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal([]byte(res.Body), &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("key set %s", res.Body)
	}
	k := set.Keys[0]
	if k["kty"] != "RSA" || k["alg"] != "RS256" || k["use"] != "sig" || k["kid"] == "" || k["d"] != nil {
		t.Fatalf("key %v", k)
	}
	res = c.Get("/api/v1/lti/tool")
	webtest.MustStatus(t, res, http.StatusOK)
	var tool struct {
		Configuration map[string]any `json:"configuration"`
		Keys          struct {
			Keys []map[string]any `json:"keys"`
		} `json:"keys"`
	}
	if err := json.Unmarshal([]byte(res.Body), &tool); err != nil || tool.Configuration["jwks_uri"] != "http://localhost:8080/lti/jwks" ||
		len(tool.Keys.Keys) != 1 || tool.Keys.Keys[0]["kid"] != k["kid"] {
		t.Fatalf("API tool document %s", res.Body)
	}
	if doc := c.Get("/api/v1/openapi.json"); !strings.Contains(doc.Body, `"/lti/tool"`) {
		t.Fatal("OpenAPI lacks the LTI tool")
	}
}
