// Package webtest drives the real application in handler tests: it builds
// the app as the binary does (on a test database) and offers a client that
// keeps cookies and sends CSRF tokens like a browser.
package webtest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/server"
)

// NewApp builds the application on db with a silent logger.
func NewApp(tb testing.TB, db *bun.DB) *fiber.App {
	tb.Helper()
	return NewServer(tb, db, server.Config{}).App
}

// NewServer builds the application on db as the binary does, with cfg's
// zero fields filled in for tests (a silent logger, http://localhost:8080).
// Its background work does not run unless the test starts it.
func NewServer(tb testing.TB, db *bun.DB, cfg server.Config) *server.Server {
	tb.Helper()
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:8080"
	}
	if cfg.Version == "" {
		cfg.Version = "test"
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.SecretKey == nil {
		cfg.SecretKey = []byte("webtest-key-32-bytes-long-000000")
	}
	s, err := server.New(context.Background(), db, cfg)
	if err != nil {
		tb.Fatalf("webtest: build app: %v", err)
	}
	return s
}

// Client is a browser-like client: it keeps cookies and the last CSRF token.
// Like a browser with several tabs, it may be used from several goroutines.
type Client struct {
	tb   testing.TB
	app  *fiber.App
	mu   sync.Mutex
	jar  map[string]string
	csrf string
}

// NewClient returns a client without cookies.
func NewClient(tb testing.TB, app *fiber.App) *Client {
	return &Client{tb: tb, app: app, jar: map[string]string{}}
}

// Response is a finished response with its body read.
type Response struct {
	*http.Response
	Body string
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Do sends req with the client's cookies and remembers the cookies and CSRF
// token of the response.
func (c *Client) Do(req *http.Request) *Response {
	c.tb.Helper()
	c.mu.Lock()
	for k, v := range c.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	c.mu.Unlock()
	res, err := c.app.Test(req, -1)
	if err != nil {
		c.tb.Fatalf("webtest: %s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.tb.Fatalf("webtest: read body: %v", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now())) {
			delete(c.jar, ck.Name)
		} else {
			c.jar[ck.Name] = ck.Value
		}
	}
	if m := csrfInput.FindStringSubmatch(string(b)); m != nil {
		c.csrf = m[1]
	}
	return &Response{Response: res, Body: string(b)}
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.tb.Helper()
	return c.Do(httptest.NewRequest(http.MethodGet, path, nil))
}

// PostForm posts vals to path with the current CSRF token (fetching the
// login form first when the client has none yet).
func (c *Client) PostForm(path string, vals url.Values) *Response {
	c.tb.Helper()
	if c.CSRFToken() == "" {
		c.Get("/inloggen")
	}
	v := url.Values{}
	for k, vs := range vals {
		v[k] = vs
	}
	if _, ok := v["_csrf"]; !ok {
		v.Set("_csrf", c.CSRFToken())
	}
	return c.PostRaw(path, "application/x-www-form-urlencoded", v.Encode())
}

// PostRaw posts body with content type ct, adding nothing.
func (c *Client) PostRaw(path, ct, body string) *Response {
	c.tb.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", ct)
	return c.Do(req)
}

// PostJSON posts a JSON body to the API.
func (c *Client) PostJSON(path, body string) *Response {
	c.tb.Helper()
	return c.PostRaw(path, "application/json", body)
}

// Cookie is the client's value of cookie name.
func (c *Client) Cookie(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.jar[name]
}

// Login logs the client in, failing the test when that does not work.
func (c *Client) Login(email, password string) {
	c.tb.Helper()
	res := c.PostForm("/inloggen", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.tb.Fatalf("webtest: login %s: status %d: %s", email, res.StatusCode, res.Body)
	}
}

// Password is the password of users made by MustUser.
const Password = "een-lang-testwachtwoord-42"

// MustUser creates a user with roles (and a fresh organisation named org
// when org is not empty) and returns it.
func MustUser(tb testing.TB, db *bun.DB, name, email, org string, roles ...string) *accounts.User {
	tb.Helper()
	in := accounts.NewUser{Name: name, Email: email, Password: Password, Roles: roles}
	if org != "" {
		in.NewOrgName, in.NewOrgKind = org, "gemeente"
	}
	u, err := accounts.NewService(db, false).Register(context.Background(), in)
	if err != nil {
		tb.Fatalf("webtest: create user %s: %v", email, err)
	}
	return u
}

// MustStatus fails the test when res does not have status want.
func MustStatus(tb testing.TB, res *Response, want int) {
	tb.Helper()
	if res.StatusCode != want {
		body := res.Body
		if len(body) > 2000 {
			body = body[:2000] + "…"
		}
		tb.Fatalf("status = %d, want %d; body:\n%s", res.StatusCode, want, body)
	}
}

// Values is a shorthand for url.Values from pairs.
func Values(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// SetCookie sets a cookie as if the server had.
func (c *Client) SetCookie(name, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.jar[name] = value
}

// CSRFToken is the last CSRF token seen in a page.
func (c *Client) CSRFToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.csrf
}

// LastMail returns the newest mail queued for the address to, failing the
// test when there is none.
func LastMail(tb testing.TB, db *bun.DB, to string) mail.Notice {
	tb.Helper()
	var payload []byte
	err := db.NewRaw("SELECT payload FROM outbox WHERE kind = ? AND lower(payload->>'to') = lower(?) ORDER BY id DESC LIMIT 1", mail.Kind, to).
		Scan(context.Background(), &payload)
	if err != nil {
		tb.Fatalf("webtest: no mail to %s: %v", to, err)
	}
	var n mail.Notice
	if err := json.Unmarshal(payload, &n); err != nil {
		tb.Fatalf("webtest: mail to %s: %v", to, err)
	}
	return n
}
