package lti_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// A student follows a Moodle activity: the platform initiates the login,
// the tool sends it to the platform's authentication URL with state and
// nonce, the platform posts a signed id_token back, and the student lands
// on the course, logged in to a new account in the platform's organisation.
func TestLaunch_ResourceLink(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := webtest.NewClient(t, f.s.App)
	res := f.launchAs(t, c, nil)
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/cursussen/lti-proef" {
		t.Fatalf("launch goes to %q", loc)
	}
	page := c.Get("/cursussen/lti-proef")
	webtest.MustStatus(t, page, http.StatusOK)
	if !strings.Contains(page.Body, "Femke de Vries") || !strings.Contains(page.Body, "U bent ingelogd vanuit Moodle Gemeente Proef.") {
		t.Fatalf("course page does not show the logged-in learner:\n%s", page.Body)
	}
	var u struct {
		ID             int64
		Email, Name    string
		OrganisationID int64
	}
	if err := f.db.NewRaw("SELECT id, email, name, organisation_id FROM users WHERE email = 'femke.devries@gemeente-proef.nl'").Scan(ctx, &u); err != nil {
		t.Fatal(err)
	}
	if u.Name != "Femke de Vries" || u.OrganisationID != f.orgID {
		t.Fatalf("user %+v, want in organisation %d", u, f.orgID)
	}
	var link struct {
		UserID      int64
		LineItemURL string `bun:"lineitem_url"`
	}
	if err := f.db.NewRaw("SELECT g.user_id, g.lineitem_url FROM lti_grade_links g").Scan(ctx, &link); err != nil {
		t.Fatal(err)
	}
	if link.UserID != u.ID || link.LineItemURL != f.p.lineItem(7) {
		t.Fatalf("gradebook column %+v", link)
	}

	// The person's data export names the link and the column.
	export := c.Get("/mijn/account/gegevens.json")
	var data struct {
		LTI []struct {
			Issuer, Subject string
			Columns         []string `json:"gradebook_columns"`
		} `json:"lti"`
	}
	if err := json.Unmarshal([]byte(export.Body), &data); err != nil || len(data.LTI) != 1 || data.LTI[0].Issuer != f.p.issuer ||
		data.LTI[0].Subject != "17" || len(data.LTI[0].Columns) != 1 || data.LTI[0].Columns[0] != f.p.lineItem(7) {
		t.Fatalf("data export %s (%v)", export.Body, err)
	}

	// A second launch of the same person finds the same account.
	before := f.counts(t)
	c2 := webtest.NewClient(t, f.s.App)
	webtest.MustStatus(t, f.launchAs(t, c2, nil), http.StatusSeeOther)
	after := f.counts(t)
	if after["users"] != before["users"] || after["lti_users"] != before["lti_users"] || after["lti_grade_links"] != before["lti_grade_links"] {
		t.Fatalf("second launch: %v → %v", before, after)
	}
	if after["sessions"] != before["sessions"]+1 || after["lti_nonces"] != before["lti_nonces"]+1 {
		t.Fatalf("second launch started no session or used no nonce: %v → %v", before, after)
	}

	t.Run("NoEmailNoName", func(t *testing.T) {
		c := webtest.NewClient(t, f.s.App)
		res := f.launchAs(t, c, func(m map[string]any) {
			m["sub"] = "88"
			for _, k := range []string{"email", "name", "given_name", "family_name"} {
				delete(m, k)
			}
		})
		webtest.MustStatus(t, res, http.StatusSeeOther)
		var name, email string
		if err := f.db.NewRaw("SELECT u.name, u.email FROM users u JOIN lti_users lu ON lu.user_id = u.id WHERE lu.subject = '88'").Scan(ctx, &name, &email); err != nil {
			t.Fatal(err)
		}
		if name != "Deelnemer via Moodle Gemeente Proef" || !strings.HasSuffix(email, "@lti.invalid") {
			t.Fatalf("user without claims: %q <%s>", name, email)
		}
	})

	t.Run("ControlCharactersInClaims", func(t *testing.T) {
		c := webtest.NewClient(t, f.s.App)
		res := f.launchAs(t, c, func(m map[string]any) {
			m["sub"] = "89"
			m["name"] = "Jan\u0000 \u001b[31mJansen\u2028"
			m["email"] = "jan@\u0000gemeente.nl"
		})
		webtest.MustStatus(t, res, http.StatusSeeOther)
		var name, email string
		if err := f.db.NewRaw("SELECT u.name, u.email FROM users u JOIN lti_users lu ON lu.user_id = u.id WHERE lu.subject = '89'").Scan(ctx, &name, &email); err != nil {
			t.Fatal(err)
		}
		if name != "Jan [31mJansen" || !strings.HasSuffix(email, "@lti.invalid") {
			t.Fatalf("stored %q <%s>", name, email)
		}
	})

	t.Run("NoCourseNamed", func(t *testing.T) {
		c := webtest.NewClient(t, f.s.App)
		state, nonce := f.p.login(t, c, "http://localhost:8080/lti/launch")
		claims := f.p.claims(nonce, "http://localhost:8080/lti/launch")
		delete(claims, "https://purl.imsglobal.org/spec/lti/claim/custom")
		res := launch(t, c, f.p.sign(t, claims), state, false)
		webtest.MustStatus(t, res, http.StatusSeeOther)
		if res.Header.Get("Location") != "/cursussen" {
			t.Fatalf("to %q", res.Header.Get("Location"))
		}
	})

	t.Run("UnknownCourse", func(t *testing.T) {
		c := webtest.NewClient(t, f.s.App)
		before := f.counts(t)
		res := f.launchAs(t, c, func(m map[string]any) {
			m["https://purl.imsglobal.org/spec/lti/claim/custom"] = map[string]any{"cursus": "bestaat-niet"}
		})
		webtest.MustStatus(t, res, http.StatusNotFound)
		if !strings.Contains(res.Body, "bestaat niet (meer)") || !maps.Equal(before, f.counts(t)) {
			t.Fatalf("unknown course: %s; stored %v → %v", res.Body, before, f.counts(t))
		}
	})
}

// Two first launches of one person at the same moment make one account.
func TestLaunch_ConcurrentFirstLaunches(t *testing.T) {
	f := newFixture(t)
	const n = 4
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		c := webtest.NewClient(t, f.s.App)
		state, nonce := f.p.login(t, c, target)
		tok := f.p.sign(t, f.p.claims(nonce, target))
		wg.Go(func() { statuses[i] = launch(t, c, tok, state, false).StatusCode })
	}
	wg.Wait()
	for _, s := range statuses {
		if s != http.StatusSeeOther {
			t.Fatalf("statuses %v", statuses)
		}
	}
	got := f.counts(t)
	if got["users"] != 1 || got["lti_users"] != 1 || got["lti_grade_links"] != 1 || got["sessions"] != n {
		t.Fatalf("after %d concurrent first launches: %v", n, got)
	}
}

// Launched inside the platform's iframe, where the tool's session cookie
// cannot live, the learner gets a button that opens the course in a new
// window, once, and only for a short while.
func TestLaunch_InFrame(t *testing.T) {
	f := newFixture(t)
	c := webtest.NewClient(t, f.s.App)
	state, nonce := f.p.login(t, c, target)
	res := launch(t, c, f.p.sign(t, f.p.claims(nonce, target)), state, true)
	webtest.MustStatus(t, res, http.StatusOK)
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'self' "+f.p.srv.URL) || res.Header.Get("X-Frame-Options") != "" {
		t.Fatalf("not frameable by the platform: CSP %q, XFO %q", csp, res.Header.Get("X-Frame-Options"))
	}
	if c.Cookie("sessie") != "" || f.counts(t)["sessions"] != 0 {
		t.Fatal("a session started inside the frame")
	}
	i := strings.Index(res.Body, `href="/lti/open/`)
	if i < 0 || !strings.Contains(res.Body, `target="_blank"`) {
		t.Fatalf("no button to a new window:\n%s", res.Body)
	}
	open := res.Body[i+len(`href="`):]
	open = open[:strings.IndexByte(open, '"')]
	window := webtest.NewClient(t, f.s.App)
	res = window.Get(open)
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/cursussen/lti-proef" || window.Cookie("sessie") == "" {
		t.Fatalf("open: %q, cookie %q", res.Header.Get("Location"), window.Cookie("sessie"))
	}
	if res := window.Get(open); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "verlopen of al gebruikt") {
		t.Fatalf("second use of the hand-off: %d", res.StatusCode)
	}
}

// A person whose e-mail address already has an account must log in to it
// before it is linked; nobody else can take it over.
func TestLaunch_LinkExistingAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner := webtest.MustUser(t, f.db, "Femke de Vries", "Femke.deVries@gemeente-proef.nl", "")
	webtest.MustUser(t, f.db, "Ander Iemand", "ander@gemeente-proef.nl", "")
	c := webtest.NewClient(t, f.s.App)
	before := f.counts(t)
	res := f.launchAs(t, c, nil)
	webtest.MustStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body, "Er is al een account") || c.Cookie("sessie") != "" {
		t.Fatalf("link page:\n%s", res.Body)
	}
	after := f.counts(t)
	if after["users"] != before["users"] || after["lti_users"] != 0 || after["sessions"] != before["sessions"] {
		t.Fatalf("linked or created without a login: %v → %v", before, after)
	}
	i := strings.Index(res.Body, `href="/lti/koppelen/`)
	link := res.Body[i+len(`href="`):]
	link = link[:strings.IndexByte(link, '"')]

	// Someone else, logged in, cannot take the link.
	other := webtest.NewClient(t, f.s.App)
	other.Login("ander@gemeente-proef.nl", webtest.Password)
	if page := other.Get(link); !strings.Contains(page.Body, "maar Moodle Gemeente Proef noemt") {
		t.Fatalf("other account's page:\n%s", page.Body)
	}
	if res := other.PostForm(link, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("other account linked: %d", res.StatusCode)
	}
	// A visitor is sent to log in first.
	if res := webtest.NewClient(t, f.s.App).Get(link); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/inloggen?terug=") {
		t.Fatalf("visitor: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	me := webtest.NewClient(t, f.s.App)
	me.Login("Femke.deVries@gemeente-proef.nl", webtest.Password)
	webtest.MustStatus(t, me.Get(link), http.StatusOK)
	res = me.PostForm(link, nil)
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/cursussen/lti-proef" {
		t.Fatalf("after linking to %q", res.Header.Get("Location"))
	}
	var linked int64
	if err := f.db.NewRaw("SELECT user_id FROM lti_users WHERE subject = '17'").Scan(ctx, &linked); err != nil || linked != owner.ID {
		t.Fatalf("linked to %d (%v), want %d", linked, err, owner.ID)
	}
	// The next launch logs straight in to the linked account.
	next := webtest.NewClient(t, f.s.App)
	webtest.MustStatus(t, f.launchAs(t, next, nil), http.StatusSeeOther)
	if page := next.Get("/mijn/account"); !strings.Contains(page.Body, "Femke.deVries@gemeente-proef.nl") {
		t.Fatal("launch after linking is not the linked account")
	}
}

// Hostile and broken launches each get a Dutch page (400 or 401, never a
// 500) and leave nothing behind: no account, link, session or used nonce.
func TestLaunch_HostileTokens(t *testing.T) {
	f := newFixture(t)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	type build func(t *testing.T, claims map[string]any) string
	signed := func(edit func(map[string]any)) build {
		return func(t *testing.T, c map[string]any) string {
			edit(c)
			return f.p.sign(t, c)
		}
	}
	drop := func(path ...string) build {
		return signed(func(c map[string]any) {
			m := c
			for _, k := range path[:len(path)-1] {
				m = m[k].(map[string]any)
			}
			delete(m, path[len(path)-1])
		})
	}
	cases := []struct {
		name   string
		token  build
		status int
		text   string
	}{
		{"AlgNone", func(t *testing.T, c map[string]any) string { return unsigned(c) }, 401, "niet ondertekend"},
		{"HS256WithPublicKey", func(t *testing.T, c map[string]any) string { return f.p.hs256WithPublicKey(t, c) }, 401, "gedeeld geheim"},
		{"OtherAlgorithm", func(t *testing.T, c map[string]any) string {
			tok := f.p.sign(t, c)
			_, rest, _ := strings.Cut(tok, ".")
			return b64(`{"alg":"PS256","kid":"x"}`) + "." + rest
		}, 401, "RS256"},
		{"WrongKid", func(t *testing.T, c map[string]any) string { return signRS256(t, f.p.key, "onbekend", c) }, 401, "kid onbekend"},
		{"OtherKeySameKid", func(t *testing.T, c map[string]any) string { return signRS256(t, other, f.p.kid, c) }, 401, "handtekening"},
		{"Tampered", func(t *testing.T, c map[string]any) string {
			tok := f.p.sign(t, c)
			parts := strings.Split(tok, ".")
			c["sub"] = "1"
			body, _ := json.Marshal(c)
			return parts[0] + "." + base64.RawURLEncoding.EncodeToString(body) + "." + parts[2]
		}, 401, "handtekening"},
		{"WrongIssuer", signed(func(c map[string]any) { c["iss"] = "https://moodle.elders.example" }), 401, "niet geregistreerd"},
		{"WrongAudience", signed(func(c map[string]any) { c["aud"] = "andere-tool" }), 401, "andere tool"},
		{"SeveralAudiencesNoAZP", signed(func(c map[string]any) { c["aud"] = []string{f.p.clientID, "andere-tool"} }), 401, "andere tool"},
		{"WrongAZP", signed(func(c map[string]any) { c["azp"] = "andere-tool" }), 401, "andere tool"},
		{"Expired", signed(func(c map[string]any) {
			c["iat"], c["exp"] = time.Now().Add(-10*time.Minute).Unix(), time.Now().Add(-5*time.Minute).Unix()
		}), 401, "verlopen"},
		{"IssuedInTheFuture", signed(func(c map[string]any) {
			c["iat"], c["exp"] = time.Now().Add(10*time.Minute).Unix(), time.Now().Add(11*time.Minute).Unix()
		}), 401, "toekomst"},
		{"OtherNonce", signed(func(c map[string]any) { c["nonce"] = "niet-de-onze" }), 401, "nonce"},
		{"UnknownDeployment", signed(func(c map[string]any) { c["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "99" }), 400, "deployment"},
		{"WrongMessageType", signed(func(c map[string]any) {
			c["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiSubmissionReviewRequest"
		}), 400, "soort bericht"},
		{"WrongVersion", signed(func(c map[string]any) { c["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.1" }), 400, "LTI-versie"},
		{"ForeignTarget", signed(func(c map[string]any) {
			c["https://purl.imsglobal.org/spec/lti/claim/target_link_uri"] = "https://elders.example/cursussen/lti-proef"
		}), 400, "ander adres"},
		{"RolesNotAList", signed(func(c map[string]any) { c["https://purl.imsglobal.org/spec/lti/claim/roles"] = "Learner" }), 400, "verkeerde type"},
		{"MissingSub", drop("sub"), 400, "sub"},
		{"MissingNonce", drop("nonce"), 400, "nonce"},
		{"MissingExp", drop("exp"), 400, "exp"},
		{"MissingIat", drop("iat"), 400, "iat"},
		{"MissingMessageType", drop("https://purl.imsglobal.org/spec/lti/claim/message_type"), 400, "message_type"},
		{"MissingVersion", drop("https://purl.imsglobal.org/spec/lti/claim/version"), 400, "version"},
		{"MissingDeployment", drop("https://purl.imsglobal.org/spec/lti/claim/deployment_id"), 400, "deployment_id"},
		{"MissingRoles", drop("https://purl.imsglobal.org/spec/lti/claim/roles"), 400, "roles"},
		{"MissingResourceLinkID", drop("https://purl.imsglobal.org/spec/lti/claim/resource_link", "id"), 400, "resource_link.id"},
		{"MissingTargetLinkURI", drop("https://purl.imsglobal.org/spec/lti/claim/target_link_uri"), 400, "target_link_uri"},
		{"MissingIssuer", drop("iss"), 400, "iss"},
		{"NotAJWT", func(*testing.T, map[string]any) string { return "dit-is-geen-token" }, 400, "geen geldig"},
		{"Empty", func(*testing.T, map[string]any) string { return "" }, 400, "geen bewijs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := webtest.NewClient(t, f.s.App)
			state, nonce := f.p.login(t, c, target)
			before := f.counts(t)
			res := launch(t, c, tc.token(t, f.p.claims(nonce, target)), state, false)
			if res.StatusCode != tc.status || !strings.Contains(res.Body, tc.text) || !strings.Contains(res.Body, "Starten vanuit uw leeromgeving lukt niet") {
				t.Fatalf("status %d, want %d with %q:\n%s", res.StatusCode, tc.status, tc.text, res.Body)
			}
			if after := f.counts(t); !maps.Equal(before, after) {
				t.Fatalf("a refused launch stored something: %v → %v", before, after)
			}
			if c.Cookie("sessie") != "" {
				t.Fatal("a refused launch set a session cookie")
			}
		})
	}

	t.Run("Replay", func(t *testing.T) {
		c := webtest.NewClient(t, f.s.App)
		state, nonce := f.p.login(t, c, target)
		tok := f.p.sign(t, f.p.claims(nonce, target))
		webtest.MustStatus(t, launch(t, c, tok, state, false), http.StatusSeeOther)
		before := f.counts(t)
		// The same post again: its login is used up.
		if res := launch(t, c, tok, state, false); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "onbekend of verlopen") {
			t.Fatalf("replay: %d %s", res.StatusCode, res.Body)
		}
		// The same token with a fresh login: the nonce is not that login's.
		state2, _ := f.p.login(t, c, target)
		if res := launch(t, c, tok, state2, false); res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "nonce") {
			t.Fatalf("replay on a new login: %d %s", res.StatusCode, res.Body)
		}
		if after := f.counts(t); !maps.Equal(before, after) {
			t.Fatalf("replays stored something: %v → %v", before, after)
		}
	})

	t.Run("NonceUsedTwice", func(t *testing.T) {
		// A nonce the tool accepted once is refused even if a login
		// carried it again (stored with a unique key until it expires).
		c := webtest.NewClient(t, f.s.App)
		state, nonce := f.p.login(t, c, target)
		webtest.MustStatus(t, launch(t, c, f.p.sign(t, f.p.claims(nonce, target)), state, false), http.StatusSeeOther)
		state2, _ := f.p.login(t, c, target)
		if _, err := f.db.NewRaw("UPDATE lti_logins SET nonce = ? WHERE state = ?", nonce, state2).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		before := f.counts(t)
		res := launch(t, c, f.p.sign(t, f.p.claims(nonce, target)), state2, false)
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "al eens gebruikt") || !maps.Equal(before, f.counts(t)) {
			t.Fatalf("reused nonce: %d %s", res.StatusCode, res.Body)
		}
	})

	t.Run("OtherBrowser", func(t *testing.T) {
		c := webtest.NewClient(t, f.s.App)
		state, nonce := f.p.login(t, c, target)
		tok := f.p.sign(t, f.p.claims(nonce, target))
		thief := webtest.NewClient(t, f.s.App)
		before := f.counts(t)
		if res := launch(t, thief, tok, state, false); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "andere browser") {
			t.Fatalf("launch from another browser: %d %s", res.StatusCode, res.Body)
		}
		if !maps.Equal(before, f.counts(t)) {
			t.Fatal("stored something")
		}
		// The right browser can still use its login.
		webtest.MustStatus(t, launch(t, c, tok, state, false), http.StatusSeeOther)
	})

	t.Run("PlatformRefused", func(t *testing.T) {
		c := webtest.NewClient(t, f.s.App)
		state, _ := f.p.login(t, c, target)
		res := c.PostRaw("/lti/launch", "application/x-www-form-urlencoded", url.Values{"error": {"access_denied"}, "state": {state}}.Encode())
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "geweigerd (access_denied)") {
			t.Fatalf("platform error: %d %s", res.StatusCode, res.Body)
		}
	})

	t.Run("PlatformKeysDown", func(t *testing.T) {
		f := newFixture(t)
		c := webtest.NewClient(t, f.s.App)
		state, nonce := f.p.login(t, c, target)
		tok := f.p.sign(t, f.p.claims(nonce, target))
		f.p.srv.Close()
		if res := launch(t, c, tok, state, false); res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(res.Body, "niet op te halen") {
			t.Fatalf("key set down: %d %s", res.StatusCode, res.Body)
		}
	})
}

// The platform rotates its key: a token with the new kid makes the tool
// fetch the key set again; one with a kid that stays unknown does not make
// it fetch more than once per few seconds.
func TestLaunch_PlatformKeyRotation(t *testing.T) {
	f := newFixture(t)
	c := webtest.NewClient(t, f.s.App)
	webtest.MustStatus(t, f.launchAs(t, c, nil), http.StatusSeeOther)
	f.p.rotateKey()
	clock := time.Now()
	f.s.Domains.LTI.Now = func() time.Time { return clock }
	clock = clock.Add(11 * time.Second)
	webtest.MustStatus(t, f.launchAs(t, c, nil), http.StatusSeeOther)
	hits := f.p.keySetFetches()
	if hits != 2 {
		t.Fatalf("key set fetched %d times, want 2", hits)
	}
	for range 3 {
		state, nonce := f.p.login(t, c, target)
		res := launch(t, c, signRS256(t, f.p.key, "verzonnen", f.p.claims(nonce, target)), state, false)
		webtest.MustStatus(t, res, http.StatusUnauthorized)
	}
	if n := f.p.keySetFetches(); n != hits {
		t.Fatalf("forged kids made the tool fetch the key set %d more times", n-hits)
	}
}

// Login initiation: what is missing or unknown gets a Dutch page.
func TestLogin_Refused(t *testing.T) {
	f := newFixture(t)
	good := url.Values{"iss": {f.p.issuer}, "login_hint": {"17"}, "target_link_uri": {target}, "client_id": {f.p.clientID}, "lti_deployment_id": {f.p.deploy}}
	cases := []struct {
		name   string
		edit   func(url.Values)
		status int
		text   string
	}{
		{"NoIssuer", func(v url.Values) { v.Del("iss") }, 400, "iss"},
		{"NoLoginHint", func(v url.Values) { v.Del("login_hint") }, 400, "login_hint"},
		{"NoTarget", func(v url.Values) { v.Del("target_link_uri") }, 400, "target_link_uri"},
		{"ForeignTarget", func(v url.Values) { v.Set("target_link_uri", "https://phishing.example/") }, 400, "ander adres"},
		{"UnknownIssuer", func(v url.Values) { v.Set("iss", "https://onbekend.example") }, 401, "niet geregistreerd"},
		{"UnknownClient", func(v url.Values) { v.Set("client_id", "anders") }, 401, "niet geregistreerd"},
		{"UnknownDeployment", func(v url.Values) { v.Set("lti_deployment_id", "99") }, 400, "deployment"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := url.Values{}
			maps.Copy(v, good)
			tc.edit(v)
			res := webtest.NewClient(t, f.s.App).Get("/lti/login?" + v.Encode())
			if res.StatusCode != tc.status || !strings.Contains(res.Body, tc.text) {
				t.Fatalf("%d, want %d with %q:\n%s", res.StatusCode, tc.status, tc.text, res.Body)
			}
		})
	}
	t.Run("GetWithoutClientID", func(t *testing.T) {
		v := url.Values{}
		maps.Copy(v, good)
		v.Del("client_id")
		res := webtest.NewClient(t, f.s.App).Get("/lti/login?" + v.Encode())
		webtest.MustStatus(t, res, http.StatusFound)
	})
}

// The hourly purge forgets logins, nonces, deep links and hand-offs once
// they have expired, and nothing that is still live.
func TestPurge(t *testing.T) {
	f := newFixture(t)
	c := webtest.NewClient(t, f.s.App)
	webtest.MustStatus(t, f.launchAs(t, c, nil), http.StatusSeeOther)
	f.p.login(t, c, target)
	webtest.MustStatus(t, launch(t, c, "", "", false), http.StatusBadRequest)
	ctx := context.Background()
	count := func(table string) int {
		n, err := f.db.NewSelect().TableExpr(table).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	if err := f.s.Jobs.RunNow(ctx, "lti-purge", time.Now()); err != nil {
		t.Fatal(err)
	}
	if count("lti_logins") != 1 || count("lti_nonces") != 1 {
		t.Fatal("the purge removed live rows")
	}
	if err := f.s.Jobs.RunNow(ctx, "lti-purge", time.Now().Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if count("lti_logins") != 0 || count("lti_nonces") != 0 || count("lti_users") != 1 {
		t.Fatalf("after the purge: %d logins, %d nonces, %d linked users", count("lti_logins"), count("lti_nonces"), count("lti_users"))
	}
}
