package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/server"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var (
	param  = regexp.MustCompile(`:[a-z]+(<[^>]+>)?`)
	choice = regexp.MustCompile(`<regex\(([^|)]+)`)
)

// concrete fills a route's parameters: 1, or the first value a regex
// constraint allows.
func concrete(path string) string {
	return param.ReplaceAllStringFunc(path, func(p string) string {
		if m := choice.FindStringSubmatch(p); m != nil {
			return m[1]
		}
		return "1"
	})
}

// Every route the app answers is in the route table with who may enter it,
// and a route that is not public lets neither a visitor nor (when it needs
// a role) a plain learner in: a visitor is sent to the login page (401 for
// the API), a learner gets 403.
func TestRoutes_DeclareWhoMayEnter(t *testing.T) {
	db := testdb.New(t)
	s := webtest.NewServer(t, db, server.Config{})
	declared := map[string]web.Access{}
	for _, r := range s.Routes {
		declared[r.Method+" "+r.Path] = r.Access
	}
	for _, r := range s.App.GetRoutes(true) {
		if r.Method == fiber.MethodHead || r.Method == "USE" {
			continue
		}
		if _, ok := declared[r.Method+" "+r.Path]; !ok {
			t.Errorf("%s %s is not in the route table: register it through web.Router", r.Method, r.Path)
		}
	}

	webtest.MustUser(t, db, "Lea Leerling", "lea@routes.example", "Gemeente Route")
	anon := webtest.NewClient(t, s.App)
	anon.Get("/")
	learner := webtest.NewClient(t, s.App)
	learner.Login("lea@routes.example", webtest.Password)
	for _, r := range s.Routes {
		if r.Access.Public() {
			continue
		}
		path := concrete(r.Path)
		t.Run(r.Method+" "+r.Path, func(t *testing.T) {
			res := send(anon, r.Method, path)
			switch {
			case strings.HasPrefix(path, "/api/"):
				if res.StatusCode != http.StatusUnauthorized {
					t.Errorf("visitor: %d, want 401", res.StatusCode)
				}
			case r.Method == fiber.MethodGet:
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/inloggen?terug=") {
					t.Errorf("visitor: %d to %q, want a redirect to the login page", res.StatusCode, res.Header.Get("Location"))
				}
			default:
				if res.StatusCode != http.StatusUnauthorized {
					t.Errorf("visitor: %d, want 401", res.StatusCode)
				}
			}
			if len(r.Access.Roles) == 0 {
				return
			}
			if res := send(learner, r.Method, path); res.StatusCode != http.StatusForbidden {
				t.Errorf("learner: %d, want 403", res.StatusCode)
			}
		})
	}
}

func send(c *webtest.Client, method, path string) *webtest.Response {
	switch method {
	case fiber.MethodGet:
		return c.Get(path)
	case fiber.MethodPost:
		if strings.HasPrefix(path, "/api/") {
			return c.PostJSON(path, "{}")
		}
		return c.PostForm(path, url.Values{})
	}
	req, _ := http.NewRequest(method, path, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRFToken())
	return c.Do(req)
}

// Text that cannot be stored (a NUL byte, invalid UTF-8, control
// characters) is refused with 400 and a Dutch message before any handler
// sees it, wherever it comes: path, query, form or JSON.
func TestHostileText_Refused(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Hans Hostiel", "hans@hostile.example", "Gemeente Hostiel")
	c := webtest.NewClient(t, app)
	c.Login("hans@hostile.example", webtest.Password)
	for _, bad := range []string{"a\x00b", "\xff\xfe", "a\x1bb", "a\x0bb", "a\x0cb", "\u0085"} {
		q := url.QueryEscape(bad)
		for _, path := range []string{"/gids?q=" + q, "/register?q=" + q, "/cursussen/" + url.PathEscape(bad), "/verifieer/" + url.PathEscape(bad)} {
			res := c.Get(path)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "niet kunnen verwerken") {
				t.Errorf("GET %s: %d, want 400 with the Dutch message", path, res.StatusCode)
			}
		}
		res := c.Get("/api/v1/offerings?q=" + q)
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("API query %q: %d %s", bad, res.StatusCode, res.Header.Get("Content-Type"))
		}
		res = c.PostForm("/mijn/account/naam", url.Values{"name": {bad}})
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("form %q: %d, want 400", bad, res.StatusCode)
		}
		anon := webtest.NewClient(t, app)
		anon.Get("/inloggen")
		if res := anon.PostForm("/inloggen", url.Values{"email": {bad}, "password": {"x"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("login %q: %d, want 400", bad, res.StatusCode)
		}
	}
	var name string
	if err := db.NewRaw("SELECT name FROM users WHERE email = 'hans@hostile.example'").Scan(t.Context(), &name); err != nil || name != "Hans Hostiel" {
		t.Errorf("stored name %q (%v), want it unchanged", name, err)
	}
	for _, body := range []string{`{"rating": "\u0000"}`, `{"a": 1} {"b": 2}`, `{"a":`, "{\"a\": \"\xff\"}"} {
		res := c.PostJSON("/api/v1/offerings/1/reviews", body)
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("JSON %q: %d %s", body, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	// Line breaks and tabs are text; a single-line field gets spaces.
	res := c.PostForm("/mijn/account/naam", url.Values{"name": {" Hans\r\n\tHostiel "}})
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if err := db.NewRaw("SELECT name FROM users WHERE email = 'hans@hostile.example'").Scan(t.Context(), &name); err != nil || name != "Hans Hostiel" {
		t.Errorf("stored name %q (%v)", name, err)
	}
}

// Served over https (behind a proxy that ends TLS), every response carries
// HSTS and every cookie is Secure.
func TestHTTPS_HSTSAndSecureCookies(t *testing.T) {
	db := testdb.New(t)
	s := webtest.NewServer(t, db, server.Config{BaseURL: "https://leren.example.nl", Secure: true})
	webtest.MustUser(t, db, "Sam Secure", "sam@https.example", "")
	c := webtest.NewClient(t, s.App)
	c.Get("/inloggen")
	res := c.PostForm("/inloggen", url.Values{"email": {"sam@https.example"}, "password": {webtest.Password}})
	webtest.MustStatus(t, res, http.StatusSeeOther)
	for _, r := range []*webtest.Response{res, c.Get("/"), c.Get("/bestaat-niet")} {
		if got := r.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=31536000") {
			t.Errorf("HSTS = %q", got)
		}
		for _, ck := range r.Cookies() {
			if !ck.Secure {
				t.Errorf("cookie %s is not Secure", ck.Name)
			}
		}
	}
	if len(res.Cookies()) < 2 {
		t.Errorf("login set %d cookies, want the session and the flash", len(res.Cookies()))
	}
}

// The API follows the Dutch API Design Rules at the door: API-Version on
// every response, 404 for a trailing slash (pages redirect), 405 with Allow
// for a method the path does not take whatever the body, and CORS only for
// what anyone may read.
func TestAPIConventions(t *testing.T) {
	db := testdb.New(t)
	s := webtest.NewServer(t, db, server.Config{CORSOrigins: []string{"https://intranet.example"}})
	c := webtest.NewClient(t, s.App)
	res := c.Get("/api/v1/courses")
	webtest.MustStatus(t, res, http.StatusOK)
	if res.Header.Get("API-Version") != web.APIVersion {
		t.Errorf("API-Version = %q", res.Header.Get("API-Version"))
	}
	res = c.Get("/api/v1/courses/")
	if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") != "application/problem+json" || res.Header.Get("API-Version") == "" {
		t.Errorf("trailing slash: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res := c.Get("/cursussen/?q=woo"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/cursussen?q=woo" {
		t.Errorf("page with a trailing slash: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	for _, body := range []string{"a=b", "{}", "{kapot"} {
		res := c.PostRaw("/api/v1/courses", "application/x-www-form-urlencoded", body)
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD, OPTIONS" || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("POST %q to a GET path: %d Allow %q", body, res.StatusCode, res.Header.Get("Allow"))
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, "/api/v1/attempts/12/submit", nil)
	if res := c.Do(req); res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "POST, OPTIONS" {
		t.Errorf("DELETE on a POST path: %d Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	cors := func(method, path, origin string) *webtest.Response {
		req, _ := http.NewRequest(method, path, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "GET")
		return c.Do(req)
	}
	if res := cors(http.MethodGet, "/api/v1/courses", "https://intranet.example"); res.Header.Get("Access-Control-Allow-Origin") != "https://intranet.example" {
		t.Errorf("CORS on a public read: %q", res.Header.Get("Access-Control-Allow-Origin"))
	}
	if res := cors(http.MethodOptions, "/api/v1/offerings", "https://intranet.example"); res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Methods") == "" {
		t.Errorf("preflight: %d %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Methods"))
	}
	for _, tc := range [][2]string{{"/api/v1/courses", "https://kwaad.example"}, {"/api/v1/me/progress", "https://intranet.example"}} {
		if res := cors(http.MethodGet, tc[0], tc[1]); res.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("CORS for %s from %s: %q", tc[0], tc[1], res.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}
