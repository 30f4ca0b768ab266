// Package oidctest starts a real OpenID Connect provider for tests: the
// op package of zitadel/oidc with its example storage and login page, on
// a local port. Tests log in through its HTML login form as a person would.
package oidctest

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"
)

// Password is the password of every user of the provider.
const Password = "verysecure"

// User is a person who can log in at the provider.
type User struct {
	Username, Email, First, Last string
	EmailVerified                bool
}

// Client is an application registered at the provider.
type Client struct {
	ID, Secret  string
	RedirectURI string
}

// Provider is a running provider.
type Provider struct {
	Issuer string
	http   *http.Client
}

type userStore struct{ users map[string]*storage.User }

func (u userStore) GetUserByID(id string) *storage.User { return u.users[id] }
func (u userStore) GetUserByUsername(name string) *storage.User {
	for _, x := range u.users {
		if x.Username == name {
			return x
		}
	}
	return nil
}
func (u userStore) ExampleClientID() string { return "service" }

// Start runs a provider with users and clients until the test ends.
func Start(t testing.TB, users []User, clients []Client) *Provider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String()
	us := userStore{users: map[string]*storage.User{}}
	for i, u := range users {
		id := "id" + string(rune('a'+i))
		us.users[id] = &storage.User{ID: id, Username: u.Username, Password: Password, FirstName: u.First, LastName: u.Last,
			Email: u.Email, EmailVerified: u.EmailVerified, PreferredLanguage: language.Dutch}
	}
	cs := map[string]*storage.Client{}
	for _, c := range clients {
		cs[c.ID] = storage.WebClient(c.ID, c.Secret, c.RedirectURI)
	}
	st := storage.NewStorageWithClients(us, cs)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	prev := slog.Default()
	handler := exampleop.SetupServer(issuer, st, quiet, false)
	slog.SetDefault(prev) // SetupServer replaces the process's logger
	srv := httptest.NewUnstartedServer(handler)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return &Provider{Issuer: issuer, http: &http.Client{Timeout: 10 * time.Second}}
}

// Login follows authURL (the provider's authorization address an app sent
// the browser to) as a browser would: it fills in the provider's login form
// for username and follows the redirects until they leave the provider. It
// returns the address the provider sent the browser back to.
func (p *Provider) Login(t testing.TB, authURL, username string) *url.URL {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if !strings.HasPrefix(next.String(), p.Issuer) {
			return next
		}
		var res *http.Response
		if next.Path == "/login/username" {
			res, err = hc.PostForm(next.String(), url.Values{"username": {username}, "password": {Password}, "id": {next.Query().Get("authRequestID")}})
		} else {
			res, err = hc.Get(next.String())
		}
		if err != nil {
			t.Fatalf("oidctest: %s: %v", next, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		loc := res.Header.Get("Location")
		if loc == "" {
			t.Fatalf("oidctest: %s answered %d without a redirect:\n%s", next, res.StatusCode, body)
		}
		if next, err = next.Parse(loc); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("oidctest: too many redirects from %s", authURL)
	return nil
}
