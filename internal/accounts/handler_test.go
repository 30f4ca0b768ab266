package accounts_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

const goodPassword = "zonnige dinsdag op het stadskantoor"

func registerValues(name, email string) map[string][]string {
	return webtest.Values("name", name, "email", email, "new_organisation", "Gemeente van "+email, "new_organisation_kind", "gemeente",
		"password", goodPassword, "password_confirm", goodPassword)
}

func TestRegister(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)

	t.Run("OK", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		res := c.PostForm("/registreren", registerValues("Fleur Bakker", "fleur@testdorp.example"))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/registreren/verstuurd" {
			t.Fatalf("redirect to %q", loc)
		}
		if page := c.Get("/registreren/verstuurd"); !strings.Contains(page.Body, "We hebben een e-mail gestuurd naar fleur@testdorp.example") {
			t.Fatalf("no confirmation:\n%s", page.Body)
		}
		res = c.PostForm("/inloggen", webtest.Values("email", "fleur@testdorp.example", "password", goodPassword))
		webtest.MustStatus(t, res, http.StatusForbidden)
		if !strings.Contains(res.Body, "nog niet bevestigd") || !strings.Contains(res.Body, "Stuur de bevestigingsmail opnieuw") {
			t.Fatalf("unconfirmed login:\n%s", res.Body)
		}
		verifyByMail(t, db, c, "fleur@testdorp.example")
		home := c.Get("/")
		if !strings.Contains(home.Body, "Fleur Bakker") || !strings.Contains(home.Body, "Uw e-mailadres is bevestigd") {
			t.Fatalf("home after confirming lacks the name or the welcome:\n%s", home.Body)
		}
	})
	t.Run("KnownAddressSameAnswer", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		res := c.PostForm("/registreren", registerValues("Iemand Anders", "FLEUR@Testdorp.example"))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/registreren/verstuurd" {
			t.Fatalf("redirect to %q", loc)
		}
		n := webtest.LastMail(t, db, "fleur@testdorp.example")
		if n.Subject != "U heeft al een account bij de Leeromgeving Werken 2.0" || n.ToName != "Fleur Bakker" ||
			!strings.HasPrefix(n.Link, "/wachtwoord-vergeten?email=") || len(n.Links) != 1 || n.Links[0].Path != "/inloggen" {
			t.Fatalf("mail to the known address: %+v", n)
		}
		var count int
		if err := db.NewRaw("SELECT count(*) FROM users WHERE lower(email) = 'fleur@testdorp.example'").Scan(t.Context(), &count); err != nil || count != 1 {
			t.Fatalf("%d users with the address (%v)", count, err)
		}
	})

	existingOrg := func() string {
		var id string
		if err := db.NewRaw("SELECT id::text FROM organisations LIMIT 1").Scan(context.Background(), &id); err != nil {
			t.Fatal(err)
		}
		return id
	}()

	tests := []struct {
		name      string
		mutate    func(v map[string][]string)
		field     string
		message   string
		keepValue string
	}{
		{"Empty", func(v map[string][]string) {
			for k := range v {
				if k != "_csrf" {
					v[k] = []string{""}
				}
			}
		}, "name", "Naam is verplicht", ""},
		{"TooLongName", func(v map[string][]string) { v["name"] = []string{strings.Repeat("a", 121)} }, "name", "maximaal 120", ""},
		{"MalformedEmail", func(v map[string][]string) { v["email"] = []string{"fleur@@x"} }, "email", "geen geldig e-mailadres", "fleur@@x"},
		{"CommonPassword", func(v map[string][]string) {
			v["password"], v["password_confirm"] = []string{"wachtwoord1234"}, []string{"wachtwoord1234"}
		}, "password", "te bekend", ""},
		{"ShortPassword", func(v map[string][]string) { v["password"], v["password_confirm"] = []string{"kort"}, []string{"kort"} }, "password", "minstens 12", ""},
		{"PasswordsDiffer", func(v map[string][]string) { v["password_confirm"] = []string{goodPassword + "x"} }, "password_confirm", "gelijk zijn aan", ""},
		{"NoOrganisation", func(v map[string][]string) { v["new_organisation"] = []string{""} }, "organisation", "Kies uw organisatie", ""},
		{"BothOrganisations", func(v map[string][]string) { v["organisation"] = []string{existingOrg} }, "organisation", "niet allebei", ""},
		{"UnknownOrganisation", func(v map[string][]string) {
			v["organisation"], v["new_organisation"] = []string{"99999"}, []string{""}
		}, "organisation", "uit de lijst", ""},
		{"GarbageOrganisation", func(v map[string][]string) {
			v["organisation"], v["new_organisation"] = []string{"1 OR 1=1"}, []string{""}
		}, "organisation", "uit de lijst", ""},
		{"BadKind", func(v map[string][]string) { v["new_organisation_kind"] = []string{"koninkrijk"} }, "new_organisation_kind", "Soort organisatie", ""},
		{"ExistingOrgName", func(v map[string][]string) {
			v["email"] = []string{"nieuw@testdorp.example"}
			v["new_organisation"] = []string{"GEMEENTE VAN FLEUR@TESTDORP.EXAMPLE"}
		}, "new_organisation", "kies haar uit de lijst", "GEMEENTE VAN FLEUR@TESTDORP.EXAMPLE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := webtest.NewClient(t, app)
			v := registerValues("Tweede Persoon", "tweede@testdorp.example")
			tt.mutate(v)
			res := c.PostForm("/registreren", v)
			webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
			if !strings.Contains(res.Body, `id="f-`+tt.field+`-error"`) || !strings.Contains(res.Body, tt.message) {
				t.Fatalf("no message %q at field %s:\n%s", tt.message, tt.field, res.Body)
			}
			if tt.keepValue != "" && !strings.Contains(res.Body, `value="`+tt.keepValue+`"`) {
				t.Errorf("entered value %q not kept", tt.keepValue)
			}
			if strings.Contains(res.Body, goodPassword) {
				t.Error("the password was sent back in the page")
			}
		})
	}

	t.Run("HTMLInNameShownEscaped", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		res := c.PostForm("/registreren", registerValues(`<b onmouseover="x()">Kwaad</b>`, "kwaad@testdorp.example"))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		verifyByMail(t, db, c, "kwaad@testdorp.example")
		home := c.Get("/")
		if strings.Contains(home.Body, `<b onmouseover`) || !strings.Contains(home.Body, `&lt;b onmouseover=&#34;x()&#34;&gt;Kwaad&lt;/b&gt;`) {
			t.Fatalf("name not escaped:\n%s", home.Body)
		}
	})
}

func FuzzRegisterForm(f *testing.F) {
	db := testdb.New(f)
	app := webtest.NewApp(f, db)
	f.Add("name=A&email=a%40b.nl&new_organisation=X&new_organisation_kind=rijk&password=1&password_confirm=1")
	f.Add("organisation=-1&organisation=2&name=%00%ff")
	f.Add("email=" + strings.Repeat("%", 300))
	f.Add("name[]=1&email[a]=2")
	f.Fuzz(func(t *testing.T, body string) {
		c := webtest.NewClient(t, app)
		c.Get("/registreren")
		res := c.PostRaw("/registreren", "application/x-www-form-urlencoded", "_csrf="+c.CSRFToken()+"&"+body)
		switch res.StatusCode {
		case http.StatusSeeOther, http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusForbidden, http.StatusConflict, http.StatusTooManyRequests:
		default:
			t.Fatalf("body %q: status %d", body, res.StatusCode)
		}
	})
}

func TestCSRF(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Cas", "cas@x.example", "Gemeente Cas")
	for _, path := range []string{"/registreren", "/inloggen", "/uitloggen", "/mijn/account/verwijderen", "/beheer/gebruikers/1/rollen"} {
		t.Run(path, func(t *testing.T) {
			c := webtest.NewClient(t, app)
			c.Login("cas@x.example", webtest.Password)
			for _, tok := range []string{"", "vervalst-token"} {
				res := c.PostForm(path, webtest.Values("_csrf", tok, "email", "cas@x.example", "password", webtest.Password, "confirm", "ja"))
				webtest.MustStatus(t, res, http.StatusForbidden)
				if !strings.Contains(res.Body, "Het formulier is verlopen") {
					t.Fatalf("no Dutch CSRF message:\n%s", res.Body)
				}
			}
			if res := c.Get("/mijn/account"); res.StatusCode != http.StatusOK {
				t.Fatalf("account gone after forged posts: %d", res.StatusCode)
			}
		})
	}
	t.Run("APIRequiresJSON", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		res := c.PostRaw("/api/v1/offerings/1/reviews", "application/x-www-form-urlencoded", "a=b")
		webtest.MustStatus(t, res, http.StatusUnsupportedMediaType)
		if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Fatalf("content type %q", ct)
		}
	})
}

func TestLoginLogout(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Lotte Leerling", "lotte@x.example", "Gemeente L")

	t.Run("WrongPassword", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		for _, email := range []string{"lotte@x.example", "onbekend@x.example"} {
			res := c.PostForm("/inloggen", webtest.Values("email", email, "password", "fout-wachtwoord-123"))
			webtest.MustStatus(t, res, http.StatusUnauthorized)
			if !strings.Contains(res.Body, "Het e-mailadres of het wachtwoord klopt niet.") || !strings.Contains(res.Body, `value="`+email+`"`) {
				t.Fatalf("%s: wrong page:\n%s", email, res.Body)
			}
		}
	})
	t.Run("NewSessionAndServerSideLogout", func(t *testing.T) {
		c := webtest.NewClient(t, app)
		c.Login("lotte@x.example", webtest.Password)
		first := c.Cookie("sessie")
		c.Login("LOTTE@x.example", webtest.Password)
		second := c.Cookie("sessie")
		if first == "" || first == second {
			t.Fatalf("login did not issue a new session id: %q then %q", first, second)
		}
		if res := c.Get("/mijn/account"); !strings.Contains(res.Body, "lotte@x.example") {
			t.Fatalf("account page:\n%s", res.Body)
		}
		webtest.MustStatus(t, c.PostForm("/uitloggen", nil), http.StatusSeeOther)
		// The old cookie, replayed, must no longer open a session.
		replay := webtest.NewClient(t, app)
		replay.SetCookie("sessie", second)
		res := replay.Get("/mijn/account")
		webtest.MustStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/inloggen?terug=") {
			t.Fatalf("redirect to %q", loc)
		}
		if page := replay.Get(res.Header.Get("Location")); !strings.Contains(page.Body, "Uw sessie is verlopen") {
			t.Fatalf("no expiry message")
		}
	})
	t.Run("GuesserWaitsOwnerLogsIn", func(t *testing.T) {
		guesser := webtest.NewClient(t, app)
		for range 5 {
			webtest.MustStatus(t, guesser.PostForm("/inloggen", webtest.Values("email", "lotte@x.example", "password", "fout-wachtwoord-123")), http.StatusUnauthorized)
		}
		res := guesser.PostForm("/inloggen", webtest.Values("email", "lotte@x.example", "password", webtest.Password))
		webtest.MustStatus(t, res, http.StatusTooManyRequests)
		if !strings.Contains(res.Body, "Te veel mislukte inlogpogingen. Probeer het over 30 seconden opnieuw") {
			t.Fatalf("no wait message:\n%s", res.Body)
		}
		owner := webtest.NewClient(t, app) // another browser, same client address
		owner.Login("lotte@x.example", webtest.Password)
		if n := webtest.LastMail(t, db, "lotte@x.example"); n.Subject != "Mislukte inlogpogingen op uw account" || !strings.HasPrefix(n.Link, "/wachtwoord-herstellen?token=") {
			t.Fatalf("owner's warning: %+v", n)
		}
	})
	t.Run("OpenRedirectRefused", func(t *testing.T) {
		webtest.MustUser(t, db, "R", "r@x.example", "")
		c := webtest.NewClient(t, app)
		res := c.PostForm("/inloggen", webtest.Values("email", "r@x.example", "password", webtest.Password, "terug", "//kwaad.example/"))
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Fatalf("redirected to %q", loc)
		}
	})
}

func TestAccountDataAndDeletion(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	u := webtest.MustUser(t, db, "Şükrü Yıldız-van Dijk", "sukru@x.example", "Gemeente Ş")
	c := webtest.NewClient(t, app)
	c.Login("sukru@x.example", webtest.Password)

	res := c.Get("/mijn/account/gegevens.json")
	webtest.MustStatus(t, res, http.StatusOK)
	var data struct {
		Account struct {
			Email, Name  string
			Organisation struct{ Name string }
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &data); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if data.Account.Name != "Şükrü Yıldız-van Dijk" || data.Account.Organisation.Name != "Gemeente Ş" || strings.Contains(res.Body, "argon2") {
		t.Fatalf("export = %s", res.Body)
	}
	if !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Error("export is not a download")
	}

	t.Run("NeedsConfirmationAndPassword", func(t *testing.T) {
		res := c.PostForm("/mijn/account/verwijderen", webtest.Values("password", webtest.Password))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		res = c.PostForm("/mijn/account/verwijderen", webtest.Values("confirm", "ja", "password", "niet-mijn-wachtwoord"))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "Het wachtwoord klopt niet.") {
			t.Fatalf("page:\n%s", res.Body)
		}
	})
	t.Run("Deletes", func(t *testing.T) {
		res := c.PostForm("/mijn/account/verwijderen", webtest.Values("confirm", "ja", "password", webtest.Password))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		if _, err := accounts.NewStore(db).User(context.Background(), u.ID); err == nil {
			t.Fatal("user still stored")
		}
		if n, _ := db.NewSelect().Table("sessions").Where("user_id = ?", u.ID).Count(context.Background()); n != 0 {
			t.Fatalf("%d sessions left", n)
		}
		if home := c.Get("/"); !strings.Contains(home.Body, "Uw account en uw gegevens zijn verwijderd.") {
			t.Fatal("no confirmation")
		}
	})
}

func TestChangeNameAndPassword(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Naam Oud", "naam@x.example", "")
	c := webtest.NewClient(t, app)
	c.Login("naam@x.example", webtest.Password)
	other := webtest.NewClient(t, app)
	other.Login("naam@x.example", webtest.Password)

	webtest.MustStatus(t, c.PostForm("/mijn/account/naam", webtest.Values("name", "  Naam Nieuw ")), http.StatusSeeOther)
	if res := c.Get("/mijn/account"); !strings.Contains(res.Body, `value="Naam Nieuw"`) {
		t.Fatal("name not changed")
	}
	res := c.PostForm("/mijn/account/naam", webtest.Values("name", ""))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)

	res = c.PostForm("/mijn/account/wachtwoord", webtest.Values("current_password", "fout", "new_password", goodPassword, "new_password_confirm", goodPassword))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	res = c.PostForm("/mijn/account/wachtwoord", webtest.Values("current_password", webtest.Password, "new_password", goodPassword, "new_password_confirm", goodPassword))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if res := other.Get("/mijn/account"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("other session survived a password change: %d", res.StatusCode)
	}
	webtest.NewClient(t, app).Login("naam@x.example", goodPassword)
}

func TestAdminUsers(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	admin := webtest.MustUser(t, db, "Bea Beheer", "bea@x.example", "", "admin")
	target := webtest.MustUser(t, db, "Tom Trainer", "tom@x.example", "")

	learner := webtest.NewClient(t, app)
	learner.Login("tom@x.example", webtest.Password)
	webtest.MustStatus(t, learner.Get("/beheer/gebruikers"), http.StatusForbidden)
	webtest.MustStatus(t, learner.PostForm("/beheer/gebruikers/1/rollen", webtest.Values("role", "admin", "action", "grant")), http.StatusForbidden)
	anon := webtest.NewClient(t, app)
	webtest.MustStatus(t, anon.Get("/beheer/gebruikers"), http.StatusSeeOther)

	c := webtest.NewClient(t, app)
	c.Login("bea@x.example", webtest.Password)
	res := c.Get("/beheer/gebruikers?q=tom&pagina=-3")
	webtest.MustStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body, "Tom Trainer") || strings.Contains(res.Body, "<td>Bea Beheer</td>") {
		t.Fatalf("search:\n%s", res.Body)
	}
	path := "/beheer/gebruikers/" + itoa(target.ID) + "/rollen"
	webtest.MustStatus(t, c.PostForm(path, webtest.Values("role", "trainer", "action", "grant")), http.StatusSeeOther)
	u, _ := accounts.NewStore(db).User(context.Background(), target.ID)
	if len(u.Roles) != 1 || u.Roles[0] != "trainer" {
		t.Fatalf("roles = %v", u.Roles)
	}
	webtest.MustStatus(t, c.PostForm(path, webtest.Values("role", "keizer", "action", "grant")), http.StatusConflict)
	webtest.MustStatus(t, c.PostForm("/beheer/gebruikers/abc/rollen", webtest.Values("role", "trainer", "action", "grant")), http.StatusNotFound)
	webtest.MustStatus(t, c.PostForm("/beheer/gebruikers/"+itoa(admin.ID)+"/rollen", webtest.Values("role", "admin", "action", "revoke")), http.StatusConflict)
	webtest.MustStatus(t, c.PostForm(path, webtest.Values("role", "trainer", "action", "revoke")), http.StatusSeeOther)
	u, _ = accounts.NewStore(db).User(context.Background(), target.ID)
	if len(u.Roles) != 0 {
		t.Fatalf("roles after revoke = %v", u.Roles)
	}
}

func TestPlumbing(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	c := webtest.NewClient(t, app)

	tests := []struct {
		path, contains, ctype string
		status                int
	}{
		{"/healthz", "ok", "text/plain", 200},
		{"/readyz", "ok", "text/plain", 200},
		{"/bestaat-niet", "Pagina niet gevonden", "text/html", 404},
		{"/api/v1/bestaat-niet", `"status":404`, "application/problem+json", 404},
		{"/api/v1/me", `"status":401`, "application/problem+json", 401},
		{"/api/v1/openapi.json", `"openapi": "3.1.0"`, "application/json", 200},
		{"/privacy", "AVG", "text/html", 200},
	}
	for _, tt := range tests {
		res := c.Get(tt.path)
		if res.StatusCode != tt.status || !strings.Contains(res.Body, tt.contains) || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.ctype) {
			t.Errorf("GET %s = %d %s\n%.300s", tt.path, res.StatusCode, res.Header.Get("Content-Type"), res.Body)
		}
	}
	res := c.Get("/")
	for h, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"X-Request-Id":            "-",
	} {
		if !strings.Contains(res.Header.Get(h), want) {
			t.Errorf("header %s = %q", h, res.Header.Get(h))
		}
	}
	if strings.Contains(res.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows inline code")
	}

	t.Run("ReadyzWhenDatabaseDown", func(t *testing.T) {
		down := testdb.Open(t, testdb.NewURL(t))
		app := webtest.NewApp(t, down)
		down.Close()
		res := webtest.NewClient(t, app).Get("/readyz")
		webtest.MustStatus(t, res, http.StatusServiceUnavailable)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// verifyByMail follows the confirmation link of the newest mail to email,
// as its reader would: open the page, press the button.
func verifyByMail(t *testing.T, db *bun.DB, c *webtest.Client, email string) {
	t.Helper()
	n := webtest.LastMail(t, db, email)
	if !strings.HasPrefix(n.Link, "/registreren/bevestigen?token=") {
		t.Fatalf("newest mail to %s is no confirmation: %+v", email, n)
	}
	page := c.Get(n.Link)
	webtest.MustStatus(t, page, http.StatusOK)
	tok := strings.TrimPrefix(n.Link, "/registreren/bevestigen?token=")
	webtest.MustStatus(t, c.PostForm("/registreren/bevestigen", webtest.Values("token", tok)), http.StatusSeeOther)
}
