package accounts_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/server"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// Mailed links work once and for a while; an expired, reused or tampered
// link gets a Dutch page and changes nothing.
func TestResetPassword(t *testing.T) {
	db := testdb.New(t)
	s := webtest.NewServer(t, db, server.Config{})
	acc := s.Domains.Accounts
	webtest.MustUser(t, db, "Rik Reset", "rik@x.example", "")
	other := webtest.NewClient(t, s.App)
	other.Login("rik@x.example", webtest.Password)

	c := webtest.NewClient(t, s.App)
	c.Get("/inloggen")
	res := c.PostForm("/wachtwoord-vergeten", webtest.Values("email", "onbekend@x.example"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	unknownFlash := c.Get(res.Header.Get("Location")).Body
	res = c.PostForm("/wachtwoord-vergeten", webtest.Values("email", "RIK@x.example"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if !strings.Contains(unknownFlash, "hebben we er een link naartoe gestuurd") {
		t.Fatalf("unknown address answered differently:\n%s", unknownFlash)
	}
	var mails int
	if err := db.NewRaw("SELECT count(*) FROM outbox WHERE payload->>'to' = 'onbekend@x.example'").Scan(t.Context(), &mails); err != nil || mails != 0 {
		t.Fatalf("%d mails to an unknown address (%v)", mails, err)
	}
	n := webtest.LastMail(t, db, "rik@x.example")
	tok := strings.TrimPrefix(n.Link, "/wachtwoord-herstellen?token=")
	if n.Subject != "Nieuw wachtwoord instellen voor de Leeromgeving Werken 2.0" || len(tok) != 43 {
		t.Fatalf("reset mail: %+v", n)
	}

	t.Run("Tampered", func(t *testing.T) {
		last := "A"
		if tok[42] == 'A' {
			last = "B"
		}
		bad := tok[:42] + last
		for _, link := range []string{"/wachtwoord-herstellen?token=" + bad, "/wachtwoord-herstellen?token=", "/wachtwoord-herstellen?token=%3Cscript%3E"} {
			res := c.Get(link)
			webtest.MustStatus(t, res, http.StatusNotFound)
			if !strings.Contains(res.Body, "Deze link is niet geldig") {
				t.Fatalf("%s:\n%s", link, res.Body)
			}
		}
		res := c.PostForm("/wachtwoord-herstellen", webtest.Values("token", bad, "password", goodPassword, "password_confirm", goodPassword))
		webtest.MustStatus(t, res, http.StatusNotFound)
	})
	t.Run("WeakPasswordKeepsTheLink", func(t *testing.T) {
		webtest.MustStatus(t, c.Get(n.Link), http.StatusOK)
		res := c.PostForm("/wachtwoord-herstellen", webtest.Values("token", tok, "password", "kort", "password_confirm", "kort"))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "minstens 12") || !strings.Contains(res.Body, tok) {
			t.Fatalf("weak password page:\n%s", res.Body)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		acc.Now = func() time.Time { return time.Now().Add(61 * time.Minute) }
		defer func() { acc.Now = time.Now }()
		res := c.Get(n.Link)
		webtest.MustStatus(t, res, http.StatusGone)
		if !strings.Contains(res.Body, "Deze link is verlopen") || !strings.Contains(res.Body, "Vraag een nieuwe link aan") {
			t.Fatalf("expired link:\n%s", res.Body)
		}
		res = c.PostForm("/wachtwoord-herstellen", webtest.Values("token", tok, "password", goodPassword, "password_confirm", goodPassword))
		webtest.MustStatus(t, res, http.StatusGone)
	})
	t.Run("OK", func(t *testing.T) {
		res := c.PostForm("/wachtwoord-herstellen", webtest.Values("token", tok, "password", goodPassword, "password_confirm", goodPassword))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		if home := c.Get("/"); !strings.Contains(home.Body, "Rik Reset") || !strings.Contains(home.Body, "nieuwe wachtwoord is ingesteld") {
			t.Fatalf("not logged in after the reset:\n%s", home.Body)
		}
		if res := other.Get("/mijn/account"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("another session survived the reset: %d", res.StatusCode)
		}
		webtest.NewClient(t, s.App).Login("rik@x.example", goodPassword)
		if m := webtest.LastMail(t, db, "rik@x.example"); m.Subject != "Uw wachtwoord is gewijzigd" {
			t.Errorf("no notice of the change: %+v", m)
		}
	})
	t.Run("Reused", func(t *testing.T) {
		res := c.Get(n.Link)
		webtest.MustStatus(t, res, http.StatusConflict)
		if !strings.Contains(res.Body, "Deze link is al gebruikt") {
			t.Fatalf("reused link:\n%s", res.Body)
		}
		res = c.PostForm("/wachtwoord-herstellen", webtest.Values("token", tok, "password", "een ander lang wachtwoord", "password_confirm", "een ander lang wachtwoord"))
		webtest.MustStatus(t, res, http.StatusConflict)
		webtest.NewClient(t, s.App).Login("rik@x.example", goodPassword) // unchanged
	})
	t.Run("ThrottledPerAddressAndClient", func(t *testing.T) {
		before := countMails(t, s, "rik@x.example")
		for range 5 {
			webtest.MustStatus(t, c.PostForm("/wachtwoord-vergeten", webtest.Values("email", "rik@x.example")), http.StatusSeeOther)
		}
		if got := countMails(t, s, "rik@x.example"); got != before+2 { // three an hour per address, one was sent above
			t.Errorf("%d more mails, want 2", got-before)
		}
		var res *webtest.Response
		for range 20 {
			res = c.PostForm("/wachtwoord-vergeten", webtest.Values("email", "iemand@x.example"))
		}
		webtest.MustStatus(t, res, http.StatusTooManyRequests)
		if !strings.Contains(res.Body, "te veel van deze e-mails aangevraagd") {
			t.Fatalf("no Dutch message:\n%s", res.Body)
		}
	})
}

func countMails(t *testing.T, s *server.Server, to string) int {
	t.Helper()
	_, n, err := s.Domains.Mail.List(t.Context(), mail.Filter{To: to}, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestVerifyLinks(t *testing.T) {
	db := testdb.New(t)
	s := webtest.NewServer(t, db, server.Config{})
	acc := s.Domains.Accounts
	c := webtest.NewClient(t, s.App)
	webtest.MustStatus(t, c.PostForm("/registreren", registerValues("Vera Verloop", "vera@x.example")), http.StatusSeeOther)
	n := webtest.LastMail(t, db, "vera@x.example")
	tok := strings.TrimPrefix(n.Link, "/registreren/bevestigen?token=")

	acc.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	res := c.Get(n.Link)
	webtest.MustStatus(t, res, http.StatusGone)
	if !strings.Contains(res.Body, "Deze link is verlopen") || !strings.Contains(res.Body, "Stuur een nieuwe link") {
		t.Fatalf("expired confirmation:\n%s", res.Body)
	}
	acc.Now = time.Now
	webtest.MustStatus(t, c.PostForm("/registreren/opnieuw", webtest.Values("email", "vera@x.example")), http.StatusSeeOther)
	fresh := webtest.LastMail(t, db, "vera@x.example")
	if fresh.Link == n.Link {
		t.Fatal("no new link")
	}
	verifyByMail(t, db, c, "vera@x.example")
	res = c.PostForm("/registreren/bevestigen", webtest.Values("token", strings.TrimPrefix(fresh.Link, "/registreren/bevestigen?token=")))
	webtest.MustStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.Body, "al gebruikt") || !strings.Contains(res.Body, "inloggen") {
		t.Fatalf("reused confirmation:\n%s", res.Body)
	}
	// The older link died with the newer one's use.
	webtest.MustStatus(t, c.Get("/registreren/bevestigen?token="+tok), http.StatusConflict)
}
