package mail_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/server"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// Without an SMTP server the outbox is the mailbox: an admin lists the
// mails, reads one as its recipient would, and sees why it waits; with one,
// a mail that could not be sent says why and can be tried again.
func TestMailbox_Pages(t *testing.T) {
	for _, sending := range []bool{false, true} {
		t.Run(strconv.FormatBool(sending), func(t *testing.T) {
			db := testdb.New(t)
			cfg := server.Config{BaseURL: "https://leren.example.nl"}
			if sending {
				cfg.SMTPURL = "smtp://127.0.0.1:1" // nothing listens there
			}
			s := webtest.NewServer(t, db, cfg)
			webtest.MustUser(t, db, "Bea Beheer", "bea@x.example", "", web.RoleAdmin)
			id := queue(t, db, mail.Notice{Key: "page:1", To: "sukru@utrecht.example", ToName: "Şükrü", Topic: mail.TopicCertification,
				Subject: "Uw aanvraag is goedgekeurd – Şükrü", Body: "Goed nieuws.", Link: "/certificering/aanvragen/12", Action: "Bekijk uw aanvraag"})
			if sending {
				if _, err := s.Outbox.RunOnce(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			c := webtest.NewClient(t, s.App)
			c.Login("bea@x.example", webtest.Password)
			list := c.Get("/beheer/post?aan=SUKRU")
			webtest.MustStatus(t, list, http.StatusOK)
			if !strings.Contains(list.Body, "Uw aanvraag is goedgekeurd – Şükrü") || !strings.Contains(list.Body, "1 e-mail.") {
				t.Fatalf("list:\n%s", list.Body)
			}
			page := c.Get("/beheer/post/" + strconv.FormatInt(id, 10))
			webtest.MustStatus(t, page, http.StatusOK)
			for _, want := range []string{"https://leren.example.nl/certificering/aanvragen/12", "Beste Şükrü,", "Goed nieuws."} {
				if !strings.Contains(page.Body, want) {
					t.Errorf("mail page lacks %q", want)
				}
			}
			why := "geen SMTP-server ingesteld"
			if sending {
				why = "verbinden met smtp://127.0.0.1:1"
			}
			if !strings.Contains(page.Body, why) {
				t.Errorf("mail page does not say why it waits (%q):\n%s", why, page.Body)
			}
			html := c.Get("/beheer/post/" + strconv.FormatInt(id, 10) + "/html")
			if !strings.Contains(html.Body, `href="https://leren.example.nl/certificering/aanvragen/12"`) || !strings.Contains(html.Header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("HTML part: %s\n%s", html.Header.Get("Content-Security-Policy"), html.Body)
			}
			if sending {
				webtest.MustStatus(t, c.PostForm("/beheer/post/"+strconv.FormatInt(id, 10)+"/opnieuw", nil), http.StatusSeeOther)
			}
			webtest.MustStatus(t, c.Get("/beheer/post/999999"), http.StatusNotFound)
		})
	}
}
