package lti_test

import (
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

var (
	tokenField = regexp.MustCompile(`name="token" value="([^"]+)"`)
	returnForm = regexp.MustCompile(`<form method="post" action="([^"]+)" data-autosubmit>\s*<input type="hidden" name="JWT" value="([^"]+)">`)
)

const launchURL = "http://localhost:8080/lti/launch"

// deepLinkLaunch starts a teacher's deep-linking request in the platform's
// frame (Moodle's "Inhoud selecteren" dialog) and returns the picker.
func (f *fixture) deepLinkLaunch(t *testing.T, c *webtest.Client, edit func(map[string]any)) *webtest.Response {
	t.Helper()
	state, nonce := f.p.login(t, c, launchURL)
	claims := f.p.teacherDeepLinking(f.p.claims(nonce, launchURL))
	if edit != nil {
		edit(claims)
	}
	return launch(t, c, f.p.sign(t, claims), state, true)
}

func pick(c *webtest.Client, token, course, action string) *webtest.Response {
	v := url.Values{"token": {token}, "action": {action}}
	if course != "" {
		v.Set("course", course)
	}
	req := v.Encode()
	return c.PostRaw("/lti/deeplink", "application/x-www-form-urlencoded", req)
}

// A teacher picks a course in the platform's dialog; the tool answers with
// an LtiDeepLinkingResponse signed with its key (verified here against
// /lti/jwks), carrying an ltiResourceLink with a line item and the data
// claim as it came; the platform's launch of that link opens the course.
func TestDeepLinking_RoundTrip(t *testing.T) {
	f := newFixture(t)
	c := webtest.NewClient(t, f.s.App)
	before := f.counts(t)
	res := f.deepLinkLaunch(t, c, nil)
	webtest.MustStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body, "Kies een cursus") || !strings.Contains(res.Body, "Werken 2.0 via uw leeromgeving") {
		t.Fatalf("picker:\n%s", res.Body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self' "+f.p.srv.URL) || res.Header.Get("X-Frame-Options") != "" {
		t.Fatalf("picker not frameable by the platform: %q", csp)
	}
	after := f.counts(t)
	if after["users"] != before["users"] || after["sessions"] != before["sessions"] || after["lti_deep_links"] != 1 {
		t.Fatalf("deep linking stored %v → %v", before, after)
	}
	m := tokenField.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatal("no token on the picker")
	}
	tok := m[1]

	// Choosing nothing shows the picker again with a message.
	res = pick(c, tok, "", "kiezen")
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Kies een cursus uit de lijst.") {
		t.Fatalf("no message:\n%s", res.Body)
	}
	res = pick(c, tok, "bestaat-niet", "kiezen")
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)

	res = pick(c, tok, "lti-proef", "kiezen")
	webtest.MustStatus(t, res, http.StatusOK)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+f.p.srv.URL) {
		t.Fatalf("the answer cannot be posted to the platform: CSP %q", csp)
	}
	form := returnForm.FindStringSubmatch(res.Body)
	if form == nil {
		t.Fatalf("no return form:\n%s", res.Body)
	}
	if html.UnescapeString(form[1]) != f.p.srv.URL+"/mod/lti/contentitem_return.php?course=2&id=1&sesskey=abc" {
		t.Fatalf("posts to %q", form[1])
	}
	claims, err := verifyWithSet(form[2], []byte(c.Get("/lti/jwks").Body))
	if err != nil {
		t.Fatalf("response JWT does not verify with /lti/jwks: %v", err)
	}
	want := map[string]any{
		"iss": f.p.clientID, "aud": f.p.issuer,
		"https://purl.imsglobal.org/spec/lti/claim/message_type":  "LtiDeepLinkingResponse",
		"https://purl.imsglobal.org/spec/lti/claim/version":       "1.3.0",
		"https://purl.imsglobal.org/spec/lti/claim/deployment_id": f.p.deploy,
		"https://purl.imsglobal.org/spec/lti-dl/claim/data":       "moodle-dl-7f3a",
	}
	for k, v := range want {
		if claims[k] != v {
			t.Fatalf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	if claims["exp"] == nil || claims["iat"] == nil || claims["nonce"] == nil {
		t.Fatalf("claims %v", claims)
	}
	items, _ := claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"].([]any)
	if len(items) != 1 {
		t.Fatalf("content items %v", claims)
	}
	item := items[0].(map[string]any)
	line, _ := item["lineItem"].(map[string]any)
	custom, _ := item["custom"].(map[string]any)
	if item["type"] != "ltiResourceLink" || item["title"] != "Werken 2.0 via uw leeromgeving" || item["url"] != target ||
		custom["cursus"] != "lti-proef" || line["scoreMaximum"] != 100.0 || line["label"] != "Werken 2.0 via uw leeromgeving" || item["window"] == nil {
		t.Fatalf("content item %v", item)
	}

	// Choosing again (a double click) answers again.
	webtest.MustStatus(t, pick(c, tok, "lti-proef", "kiezen"), http.StatusOK)

	// The platform now launches the link as it was given: its url as the
	// target link URI, its custom parameters as the custom claim.
	student := webtest.NewClient(t, f.s.App)
	state, nonce := f.p.login(t, student, item["url"].(string))
	lc := f.p.claims(nonce, item["url"].(string))
	lc["https://purl.imsglobal.org/spec/lti/claim/custom"] = custom
	res = launch(t, student, f.p.sign(t, lc), state, false)
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/cursussen/lti-proef" {
		t.Fatalf("the chosen link opens %q", res.Header.Get("Location"))
	}

	t.Run("Cancel", func(t *testing.T) {
		res := pick(c, tok, "", "annuleren")
		webtest.MustStatus(t, res, http.StatusOK)
		form := returnForm.FindStringSubmatch(res.Body)
		claims, err := verifyWithSet(form[2], []byte(c.Get("/lti/jwks").Body))
		if err != nil {
			t.Fatal(err)
		}
		if items, _ := claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"].([]any); len(items) != 0 {
			t.Fatalf("cancel sent items %v", items)
		}
	})

	t.Run("UnknownToken", func(t *testing.T) {
		res := pick(c, "verzonnen", "lti-proef", "kiezen")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "verlopen") {
			t.Fatalf("%d %s", res.StatusCode, res.Body)
		}
	})

	t.Run("Student", func(t *testing.T) {
		before := f.counts(t)
		res := f.deepLinkLaunch(t, webtest.NewClient(t, f.s.App), func(m map[string]any) {
			m["https://purl.imsglobal.org/spec/lti/claim/roles"] = []string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"}
		})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Alleen docenten") || !maps.Equal(before, f.counts(t)) {
			t.Fatalf("student deep linking: %d %s", res.StatusCode, res.Body)
		}
	})

	t.Run("OtherContentTypes", func(t *testing.T) {
		res := f.deepLinkLaunch(t, webtest.NewClient(t, f.s.App), func(m map[string]any) {
			m["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"].(map[string]any)["accept_types"] = []string{"file", "html"}
		})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "ltiResourceLink") {
			t.Fatalf("%d %s", res.StatusCode, res.Body)
		}
	})

	t.Run("MissingReturnURL", func(t *testing.T) {
		res := f.deepLinkLaunch(t, webtest.NewClient(t, f.s.App), func(m map[string]any) {
			delete(m["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"].(map[string]any), "deep_link_return_url")
		})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "deep_link_return_url") {
			t.Fatalf("%d %s", res.StatusCode, res.Body)
		}
	})

	t.Run("KeyRotation", func(t *testing.T) {
		// After rotation the answer is signed with the new key, and the
		// key set still lists the old one.
		old := c.Get("/lti/jwks").Body
		if _, err := f.s.Domains.LTI.RotateKey(t.Context()); err != nil {
			t.Fatal(err)
		}
		set := c.Get("/lti/jwks").Body
		if strings.Count(set, `"kid"`) != 2 {
			t.Fatalf("key set after rotation: %s", set)
		}
		form := returnForm.FindStringSubmatch(pick(c, tok, "lti-proef", "kiezen").Body)
		if _, err := verifyWithSet(form[2], []byte(old)); err == nil {
			t.Fatal("signed with the old key after rotation")
		}
		if _, err := verifyWithSet(form[2], []byte(set)); err != nil {
			t.Fatal(err)
		}
	})
}
