package accounts_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/oidctest"
	"github.com/ambtenaar20/leeromgeving/internal/server"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

const callback = "http://localhost:8080/inloggen/organisatie/terug"

// orgID returns the id of the organisation called name, making it.
func orgID(t *testing.T, db *bun.DB, name string) int64 {
	t.Helper()
	var id int64
	err := db.NewRaw("INSERT INTO organisations (name, kind) VALUES (?, 'gemeente') ON CONFLICT ((lower(name))) DO UPDATE SET kind = EXCLUDED.kind RETURNING id", name).
		Scan(context.Background(), &id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Logging in with one's organisation, against a real OpenID Connect
// provider (zitadel/oidc's op) started in the test: an admin registers the
// provider, a user types their work address, logs in at the provider and
// comes back logged in; every bad answer gets a Dutch page and changes
// nothing.
func TestOrganisationLogin(t *testing.T) {
	db := testdb.New(t)
	s := webtest.NewServer(t, db, server.Config{})
	app := s.App
	p := oidctest.Start(t, []oidctest.User{
		{Username: "anna", Email: "anna.devries@utrecht.nl", First: "Anna", Last: "de Vries", EmailVerified: true},
		{Username: "bestaand", Email: "Bert@Utrecht.nl", First: "Bert", Last: "Bestaand", EmailVerified: true},
		{Username: "prive", Email: "piet@gmail.example", First: "Piet", Last: "Privé", EmailVerified: true},
		{Username: "gelderland", Email: "gea@gelderland.nl", First: "Gea", EmailVerified: true},
	}, []oidctest.Client{
		{ID: "leeromgeving", Secret: "utrecht-geheim", RedirectURI: callback},
		{ID: "leeromgeving-gld", Secret: "gld-geheim", RedirectURI: callback},
	})
	utrecht, gelderland := orgID(t, db, "Gemeente Utrecht"), orgID(t, db, "Provincie Gelderland")
	bert := webtest.MustUser(t, db, "Bert Bestaand", "bert@utrecht.nl", "")
	webtest.MustUser(t, db, "Bea Beheer", "bea@beheer.example", "", web.RoleAdmin)

	admin := webtest.NewClient(t, app)
	admin.Login("bea@beheer.example", webtest.Password)
	res := admin.PostForm("/beheer/organisaties/"+strconv.FormatInt(utrecht, 10), webtest.Values(
		"issuer", "http://127.0.0.1:1/niemand", "client_id", "leeromgeving", "client_secret", "utrecht-geheim", "domains", "utrecht.nl"))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "antwoordt geen OpenID Connect-aanbieder") || !strings.Contains(res.Body, `value="leeromgeving"`) {
		t.Fatalf("unreachable issuer accepted or values lost:\n%s", res.Body)
	}
	for org, form := range map[int64][]string{
		utrecht:    {"issuer", p.Issuer, "client_id", "leeromgeving", "client_secret", "utrecht-geheim", "domains", "utrecht.nl, @Utrecht.example"},
		gelderland: {"issuer", p.Issuer, "client_id", "leeromgeving-gld", "client_secret", "gld-geheim", "domains", "gelderland.nl"},
	} {
		webtest.MustStatus(t, admin.PostForm("/beheer/organisaties/"+strconv.FormatInt(org, 10), webtest.Values(form...)), http.StatusSeeOther)
	}
	page := admin.Get("/beheer/organisaties/" + strconv.FormatInt(utrecht, 10))
	if !strings.Contains(page.Body, callback) || !strings.Contains(page.Body, "utrecht.example") || strings.Contains(page.Body, "utrecht-geheim") {
		t.Fatalf("organisation page:\n%s", page.Body)
	}
	res = admin.PostForm("/beheer/organisaties/"+strconv.FormatInt(gelderland, 10), webtest.Values(
		"issuer", p.Issuer, "client_id", "x", "domains", "utrecht.nl"))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Het domein utrecht.nl hoort al bij Gemeente Utrecht") {
		t.Fatalf("a domain of two organisations:\n%s", res.Body)
	}
	var sealed []byte
	if err := db.NewRaw("SELECT client_secret FROM identity_providers WHERE organisation_id = ?", utrecht).Scan(t.Context(), &sealed); err != nil || strings.Contains(string(sealed), "utrecht-geheim") {
		t.Fatalf("client secret stored readable (%v)", err)
	}

	// begin starts an organisation login for the work address and returns
	// the provider's address the browser is sent to.
	begin := func(c *webtest.Client, email string) string {
		t.Helper()
		res := c.PostForm("/inloggen/organisatie", webtest.Values("org_email", email, "terug", "/mijn/account"))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, p.Issuer) {
			t.Fatalf("sent to %q, not to the provider", loc)
		}
		return loc
	}
	back := func(c *webtest.Client, to *url.URL) *webtest.Response {
		t.Helper()
		if to.Scheme+"://"+to.Host+to.Path != callback {
			t.Fatalf("provider sent the browser to %s", to)
		}
		return c.Get(to.RequestURI())
	}
	users := func() int {
		n, err := db.NewSelect().Table("users").Count(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}

	t.Run("NewUserJustInTime", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		res := back(c, p.Login(t, begin(c, "Anna.deVries@utrecht.nl"), "anna"))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/mijn/account" {
			t.Fatalf("after login to %q", loc)
		}
		acct := c.Get("/mijn/account")
		webtest.MustStatus(t, acct, http.StatusOK)
		for _, want := range []string{"Anna de Vries", "anna.devries@utrecht.nl", "Gemeente Utrecht", "via uw organisatie"} {
			if !strings.Contains(acct.Body, want) {
				t.Errorf("account page lacks %q", want)
			}
		}
		// A second login is the same user, found by the provider's subject.
		before := users()
		c2 := webtest.NewClient(t, app)
		webtest.MustStatus(t, back(c2, p.Login(t, begin(c2, "anna.devries@utrecht.nl"), "anna")), http.StatusSeeOther)
		if users() != before {
			t.Error("a second login made another user")
		}
	})
	t.Run("ExistingUserMatchedByAddress", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		res := c.PostForm("/inloggen/organisatie", webtest.Values("organisation", "0", "org_email", ""))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		var provider string
		if err := db.NewRaw("SELECT id::text FROM identity_providers WHERE organisation_id = ?", utrecht).Scan(t.Context(), &provider); err != nil {
			t.Fatal(err)
		}
		res = c.PostForm("/inloggen/organisatie", webtest.Values("organisation", provider))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		webtest.MustStatus(t, back(c, p.Login(t, res.Header.Get("Location"), "bestaand")), http.StatusSeeOther)
		if acct := c.Get("/mijn/account"); !strings.Contains(acct.Body, "Bert Bestaand") {
			t.Fatalf("not logged in as the existing user:\n%s", acct.Body)
		}
		var linked int64
		if err := db.NewRaw("SELECT user_id FROM user_identities WHERE user_id = ?", bert.ID).Scan(t.Context(), &linked); err != nil {
			t.Fatalf("existing user not linked: %v", err)
		}
	})

	refused := func(t *testing.T, res *webtest.Response, status int, message string) {
		t.Helper()
		webtest.MustStatus(t, res, status)
		if !strings.Contains(res.Body, message) || !strings.Contains(res.Body, "Inloggen met uw organisatie is niet gelukt") {
			t.Fatalf("no Dutch message %q:\n%s", message, res.Body)
		}
		for _, ck := range res.Cookies() {
			if ck.Name == "sessie" && ck.Value != "" {
				t.Fatal("a session was started")
			}
		}
	}
	t.Run("WrongNonce", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		auth, _ := url.Parse(begin(c, "anna.devries@utrecht.nl"))
		q := auth.Query()
		q.Set("nonce", "een-andere-nonce-dan-de-onze")
		auth.RawQuery = q.Encode()
		before := users()
		refused(t, back(c, p.Login(t, auth.String(), "anna")), http.StatusForbidden, "bewijs van inloggen dat niet klopt")
		if users() != before {
			t.Error("a user was made")
		}
	})
	t.Run("Expired", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		before := users()
		to := p.Login(t, begin(c, "gea@gelderland.nl"), "gelderland")
		// The ID token lives an hour; the site reads it two hours later.
		acc := s.Domains.Accounts
		acc.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		defer func() { acc.Now = time.Now }()
		refused(t, back(c, to), http.StatusForbidden, "was al verlopen")
		if users() != before {
			t.Error("a user was made")
		}
	})
	t.Run("AddressOutsideTheDomains", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		refused(t, back(c, p.Login(t, begin(c, "iemand@utrecht.nl"), "prive")), http.StatusForbidden, "geen bevestigd e-mailadres")
	})
	t.Run("UnknownDomain", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		res := c.PostForm("/inloggen/organisatie", webtest.Values("org_email", "jan@onbekend.example"))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "Voor adressen op @onbekend.example is inloggen met de organisatie niet ingesteld") {
			t.Fatalf("unknown domain:\n%s", res.Body)
		}
	})
	t.Run("TamperedOrReplayedCallback", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		to := p.Login(t, begin(c, "anna.devries@utrecht.nl"), "anna")
		other := webtest.NewClient(t, app) // another browser brings the answer back
		refused(t, back(other, to), http.StatusForbidden, "niet in deze browser begonnen")
		q := to.Query()
		q.Set("state", q.Get("state")+"x")
		tampered := *to
		tampered.RawQuery = q.Encode()
		refused(t, back(c, &tampered), http.StatusForbidden, "niet in deze browser begonnen")
		webtest.MustStatus(t, back(c, to), http.StatusSeeOther) // the real answer still works, once
		again := webtest.NewClient(t, app)
		again.SetCookie("organisatie-login", to.Query().Get("state"))
		refused(t, back(again, to), http.StatusForbidden, "verlopen")
	})
	t.Run("Canceled", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		auth, _ := url.Parse(begin(c, "anna.devries@utrecht.nl"))
		res := c.Get("/inloggen/organisatie/terug?error=access_denied&state=" + url.QueryEscape(auth.Query().Get("state")))
		refused(t, res, http.StatusForbidden, "afgebroken of geweigerd")
	})
}
