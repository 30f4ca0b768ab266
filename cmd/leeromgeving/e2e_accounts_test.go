package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// A person registers, confirms the address with the link in the mail,
// logs out, forgets the password, sets a new one with the mailed link,
// logs in with it, and gets the Dutch message for a wrong password.
func TestBrowser_RegisterVerifyResetLogin(t *testing.T) {
	base, db := startAppDB(t)
	ctx := newBrowser(t)
	const pw, pw2 = "drie koffie op het gemeentehuis", "vier thee in het provinciehuis"
	const email = "sukru@zwolle.example"

	must(t, ctx, "register",
		chromedp.Navigate(base+"/registreren"),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Şükrü Yıldız-van Dijk"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-new_organisation"), "Gemeente Zwolle"),
		chromedp.SetValue(chromedp.CSS("#f-new_organisation_kind"), "gemeente"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), pw),
		chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), pw),
	)
	leave(t, ctx, "send the registration", chromedp.Click(chromedp.CSS(`button[type=submit].button`)))
	if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "We hebben een e-mail gestuurd naar "+email) {
		t.Fatalf("flash after registering = %q", got)
	}
	verify := webtest.LastMail(t, db, email)
	if verify.Subject != "Bevestig uw e-mailadres voor de Leeromgeving Werken 2.0" {
		t.Fatalf("first mail: %+v", verify)
	}
	must(t, ctx, "open the confirmation link", chromedp.Navigate(base+verify.Link), chromedp.WaitVisible(chromedp.CSS("#bevestigen")))
	leave(t, ctx, "confirm", chromedp.Click(chromedp.CSS("#bevestigen")))
	must(t, ctx, "confirmed and logged in", chromedp.WaitVisible(chromedp.CSS(".account-name")))
	if got := textOf(t, ctx, ".account-name"); got != "Şükrü Yıldız-van Dijk" {
		t.Fatalf("header shows %q", got)
	}
	logout(t, ctx)

	must(t, ctx, "forgot the password", chromedp.Navigate(base+"/inloggen"))
	leave(t, ctx, "follow Wachtwoord vergeten?", chromedp.Click(chromedp.CSS("#wachtwoord-vergeten")))
	must(t, ctx, "ask for a link", chromedp.SendKeys(chromedp.CSS("#f-email"), email))
	leave(t, ctx, "send the request", chromedp.Submit(chromedp.CSS("#f-email")))
	if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "hebben we er een link naartoe gestuurd") {
		t.Fatalf("flash after asking = %q", got)
	}
	reset := webtest.LastMail(t, db, email)
	if !strings.HasPrefix(reset.Link, "/wachtwoord-herstellen?token=") {
		t.Fatalf("reset mail: %+v", reset)
	}
	must(t, ctx, "open the reset link",
		chromedp.Navigate(base+reset.Link),
		chromedp.SendKeys(chromedp.CSS("#f-password"), pw2),
		chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), pw2),
	)
	leave(t, ctx, "set the new password", chromedp.Submit(chromedp.CSS("#f-password")))
	if got := waitText(t, ctx, ".flash", "nieuwe wachtwoord is ingesteld"); !strings.Contains(got, "ingelogd") {
		t.Fatalf("flash after reset = %q", got)
	}
	logout(t, ctx)

	must(t, ctx, "wrong password",
		chromedp.Navigate(base+"/inloggen"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), pw),
	)
	leave(t, ctx, "send the old password", chromedp.Submit(chromedp.CSS("#f-password")))
	if got := textOf(t, ctx, "#login-error"); got != "Het e-mailadres of het wachtwoord klopt niet." {
		t.Fatalf("login error = %q", got)
	}
	must(t, ctx, "type the new password", chromedp.SendKeys(chromedp.CSS("#f-password"), pw2))
	leave(t, ctx, "log in", chromedp.Submit(chromedp.CSS("#f-password")))
	must(t, ctx, "logged in", chromedp.WaitVisible(chromedp.CSS(".account-name")))
	if got := textOf(t, ctx, ".account-name"); got != "Şükrü Yıldız-van Dijk" {
		t.Fatalf("header after login shows %q", got)
	}
	must(t, ctx, "the used link is refused", chromedp.Navigate(base+reset.Link), chromedp.WaitVisible(chromedp.CSS("#link-problem")))
	if got := textOf(t, ctx, "#link-problem"); !strings.Contains(got, "al gebruikt") {
		t.Fatalf("reused link says %q", got)
	}
}

// Real HTTP limits that app.Test cannot show: a body announced as larger
// than the limit is refused with 413 and the Dutch page before it is read.
func TestHTTP_OversizedBody(t *testing.T) {
	base := startApp(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\nemail=", 13<<20)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "Te groot") {
		t.Fatalf("status %d, want 413 with a Dutch page; body %.300s", res.StatusCode, body)
	}
}

// A request head beyond the server's read buffer (an absurdly long URL) is
// answered 431 with the Dutch page; a long but sensible one is served.
func TestHTTP_OversizedHead(t *testing.T) {
	base := startApp(t)
	long := "/gids?q=" + strings.Repeat("webcare+", 1000) // 8 KB, a filter-heavy search
	if res, err := http.Get(base + long); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("an 8 KB URL: %v %v", res, err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /gids?q=%s HTTP/1.1\r\nHost: x\r\n\r\n", strings.Repeat("a", 64<<10))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge || !strings.Contains(string(body), "te lang") {
		t.Fatalf("status %d, want 431 with a Dutch page; body %.300s", res.StatusCode, body)
	}
}

// Invalid configuration is refused at start, naming the variable.
func TestRun_InvalidConfig(t *testing.T) {
	tests := map[string]string{
		"LEEROMGEVING_ADDR":      "geen-adres",
		"LEEROMGEVING_BASE_URL":  "ftp://x",
		"DATABASE_URL":           "mysql://x",
		"LEEROMGEVING_LOG_LEVEL": "luid",
	}
	for k, v := range tests {
		var out strings.Builder
		err := run(t.Context(), nil, func(key string) string {
			if key == k {
				return v
			}
			return ""
		}, &out)
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: err = %v", k, v, err)
		}
	}
}

func TestRun_HelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"seed", "--help"}, {"user", "--help"}, {"version"}} {
		var out strings.Builder
		if err := run(t.Context(), args, func(string) string { return "" }, &out); err != nil {
			t.Errorf("%v: %v", args, err)
		}
		if !strings.Contains(out.String(), "leeromgeving") {
			t.Errorf("%v printed %q", args, out.String())
		}
	}
}
