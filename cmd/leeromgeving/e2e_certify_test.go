package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// The whole certification journey in a browser: an admin sets up a scheme,
// a person applies with evidence, an assessor approves, the holder
// downloads the PDF, anyone verifies it as valid, an admin revokes it, and
// the public verify page says so.
func TestBrowser_CertifyApplyApproveVerifyRevoke(t *testing.T) {
	dbURL := testdb.NewURL(t)
	base := startApp(t, "DATABASE_URL", dbURL)
	db := testdb.Open(t, dbURL)
	webtest.MustUser(t, db, "Bea Beheer", "beheer@e2e.example", "Ministerie van E2E", web.RoleAdmin)
	webtest.MustUser(t, db, "Anouk Beoordelaar", "anouk@e2e.example", "", web.RoleAssessor)
	webtest.MustUser(t, db, "Şükrü Yıldız-van Dijk", "sukru@e2e.example", "Gemeente E2E")
	ctx := newBrowser(t)
	shots := newShooter(t, ctx)

	// The admin creates a scheme without required courses or exam (the
	// leeromgeving is not wired in this branch) that asks for a CV.
	login(t, ctx, base, "beheer@e2e.example")
	must(t, ctx, "new scheme",
		chromedp.Navigate(base+"/beheer/regelingen/nieuw"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Gecertificeerd E2E-adviseur"),
		chromedp.SendKeys(chromedp.CSS("#f-slug"), "e2e-adviseur"),
		chromedp.SetValue(chromedp.CSS("#f-kind"), "adviser"),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "Voor adviseurs in de browsertest."),
		chromedp.SendKeys(chromedp.CSS("#f-criteria"), "Een curriculum vitae en een beoordeling."),
		chromedp.SendKeys(chromedp.CSS("#f-evidence"), "1 × Curriculum vitae"),
	)
	leave(t, ctx, "save the scheme", chromedp.Submit(chromedp.CSS("#f-title")))
	must(t, ctx, "scheme saved", chromedp.WaitVisible(chromedp.CSS(`a[href="/certificering/regelingen/e2e-adviseur"]`)))
	logout(t, ctx)

	// The applicant applies, uploads their CV and submits.
	cv := filepath.Join(t.TempDir(), "cv-sukru.pdf")
	if err := os.WriteFile(cv, demoPDF("Curriculum vitae", "Sukru Yildiz-van Dijk"), 0o600); err != nil {
		t.Fatal(err)
	}
	login(t, ctx, base, "sukru@e2e.example")
	must(t, ctx, "schemes", chromedp.Navigate(base+"/certificering"))
	leave(t, ctx, "open the scheme", chromedp.Click(chromedp.CSS(`a[href="/certificering/regelingen/e2e-adviseur"]`)))
	leave(t, ctx, "start application", chromedp.Click(chromedp.CSS(`form[action="/certificering/regelingen/e2e-adviseur/aanvragen"] button`)))
	must(t, ctx, "choose the CV", chromedp.SetUploadFiles(chromedp.CSS("#f-file-curriculum-vitae"), []string{cv}))
	leave(t, ctx, "upload the CV", chromedp.Click(chromedp.CSS(`.upload-form button`)))
	must(t, ctx, "CV uploaded", chromedp.WaitVisible(chromedp.CSS(`a[href^="/certificering/bewijs/"]`)))
	shots.take("1-aanvraag")
	leave(t, ctx, "submit", chromedp.Click(chromedp.CSS(`form[action$="/indienen"] button`)))
	if got := textOf(t, ctx, "main"); !strings.Contains(got, "ingediend") {
		t.Fatalf("after submitting, the page says:\n%s", got)
	}
	logout(t, ctx)

	// The assessor takes it into review and approves it.
	login(t, ctx, base, "anouk@e2e.example")
	must(t, ctx, "queue", chromedp.Navigate(base+"/beoordelen"))
	leave(t, ctx, "open the application", chromedp.Click(chromedp.CSS(`a[href^="/beoordelen/"]`)))
	shots.take("2-beoordelen")
	leave(t, ctx, "take into review", chromedp.Click(chromedp.CSS(`form[action$="/in-behandeling"] button`)))
	shots.take("2b-besluit")
	must(t, ctx, "fill in the decision",
		chromedp.Click(chromedp.CSS(`input[name="decision"][value="approved"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-reason"), "Het curriculum vitae toont ruime ervaring als adviseur."),
	)
	leave(t, ctx, "send the decision", chromedp.Click(chromedp.CSS(`form[action$="/besluit"] button`)))
	flash := textOf(t, ctx, ".flash-succes")
	number := regexp.MustCompile(`W20-ADV-\d{4}-\d{6}-[0-9X]`).FindString(flash)
	if number == "" {
		t.Fatalf("approval flash names no certificate: %q", flash)
	}
	logout(t, ctx)

	// The holder downloads the PDF from Mijn certificaten.
	login(t, ctx, base, "sukru@e2e.example")
	must(t, ctx, "my certificates", chromedp.Navigate(base+"/mijn/certificaten"), chromedp.WaitVisible(chromedp.CSS(".cert-card")))
	shots.take("3-mijn-certificaten")
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.cert-card a[download]`), "href"))
	if err != nil || href.Value != "/certificaten/"+number+".pdf" {
		t.Fatalf("download link = %+v, %v", href, err)
	}
	pdf := fetch(t, base+href.Value)
	if text := pdfText(t, pdf); !strings.Contains(text, "Şükrü Yıldız-van Dijk") || !strings.Contains(text, number) || strings.Contains(text, "INGETROKKEN") {
		t.Fatalf("PDF text:\n%s", text)
	}
	logout(t, ctx)

	// Anyone verifies it, typing the number the way people do.
	must(t, ctx, "type the number",
		chromedp.Navigate(base+"/verifieer"),
		chromedp.SendKeys(chromedp.CSS("#f-nummer"), strings.ToLower(strings.ReplaceAll(number, "-", " "))),
	)
	leave(t, ctx, "verify", chromedp.Click(chromedp.CSS(`form[action="/verifieer"] button`)))
	shots.take("4-geldig")
	if got := textOf(t, ctx, ".verdict"); !strings.Contains(got, "Geldig certificaat") || !strings.Contains(got, "Şükrü Yıldız-van Dijk") {
		t.Fatalf("verify page says %q", got)
	}

	// An admin revokes it, with a reason.
	login(t, ctx, base, "beheer@e2e.example")
	must(t, ctx, "certificate admin page",
		chromedp.Navigate(base+"/beheer/certificaten/"+number),
		chromedp.WaitVisible(chromedp.CSS(`input[name="action"][value="revoke"]`)),
	)
	shots.take("4b-beheer")
	must(t, ctx, "fill in the revocation",
		chromedp.Click(chromedp.CSS(`input[name="action"][value="revoke"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-reason"), "Bij controle bleek het curriculum vitae niet te kloppen."),
	)
	leave(t, ctx, "revoke with a reason", chromedp.Click(chromedp.CSS(`form[action$="/status"] button`)))
	logout(t, ctx)

	must(t, ctx, "verify again", chromedp.Navigate(base+"/verifieer/"+number), chromedp.WaitVisible(chromedp.CSS(".verdict-headline")))
	shots.take("5-ingetrokken")
	if got := textOf(t, ctx, ".verdict"); !strings.Contains(got, "Ingetrokken certificaat") || !strings.Contains(got, "curriculum vitae niet te kloppen") {
		t.Fatalf("verify page after revocation says %q", got)
	}
	if text := pdfText(t, fetch(t, base+"/certificaten/"+number+".pdf")); !strings.Contains(text, "INGETROKKEN") {
		t.Fatalf("PDF after revocation lacks the banner:\n%s", text)
	}
}

// login logs in with the e-mail address and password (webtest.Password
// when none is given) and waits until the header shows the account.
func login(t *testing.T, ctx context.Context, base, email string, password ...string) {
	t.Helper()
	pw := webtest.Password
	if len(password) > 0 {
		pw = password[0]
	}
	must(t, ctx, "fill in the login form for "+email,
		chromedp.Navigate(base+"/inloggen"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), pw),
	)
	leave(t, ctx, "log in as "+email, chromedp.Submit(chromedp.CSS("#f-password")))
	must(t, ctx, "logged in as "+email, chromedp.WaitVisible(chromedp.CSS(".account-name")))
}

func logout(t *testing.T, ctx context.Context) {
	t.Helper()
	leave(t, ctx, "log out", chromedp.Click(chromedp.CSS(`form[action="/uitloggen"] button`)))
	must(t, ctx, "logged out", chromedp.WaitVisible(chromedp.CSS(`a[href="/inloggen"]`)))
}

func fetch(t *testing.T, url string) []byte {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
	}
	return b
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("not a PDF: %.40q", pdf)
	}
	in := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext (apt-get install poppler-utils): %v\n%s", err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// shooter saves full-page screenshots to $E2E_SCREENSHOTS, when set, to
// look at what the test saw.
type shooter struct {
	t   *testing.T
	ctx context.Context
	dir string
}

func newShooter(t *testing.T, ctx context.Context) shooter {
	return shooter{t: t, ctx: ctx, dir: os.Getenv("E2E_SCREENSHOTS")}
}

func (s shooter) take(name string) {
	if s.dir == "" {
		return
	}
	png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(s.dir, fmt.Sprintf("certify-%s.png", name)), png, 0o644); err != nil {
		s.t.Logf("screenshot %s: %v", name, err)
	}
}
