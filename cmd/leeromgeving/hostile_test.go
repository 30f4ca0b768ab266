package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/server"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// hostileValues are what a careless or malicious visitor types: empty,
// huge, negative, out of range, markup, SQL, a NUL byte, control
// characters, invalid UTF-8, right-to-left override, path tricks.
var hostileValues = []string{
	"", "-1", "99999999999999999999", "1e309", strings.Repeat("Ü", 10000),
	`<script>alert("x")</script>'; DROP TABLE users;--`, "a\x00b", "\x1b[31m\x0b\x0c", "\xff\xfe", "\u202egnp.exe", "../../etc/passwd",
	"2026-13-45", "=HYPERLINK(\"http://kwaad.example\")",
}

var (
	formField = regexp.MustCompile(`name="([A-Za-z_][A-Za-z0-9_\-\[\]\.]*)"`)
	csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
)

// Every route, as an admin (who may enter everywhere), with every field
// name any page's forms use set to each hostile value: in the path, the
// query, a form and a JSON body. No answer is a 500, and afterwards no text
// column holds a NUL, a control character or invalid UTF-8.
func TestHostileInputCampaign(t *testing.T) {
	dbURL, demoPw := demoURL(t)
	base := startWith(t, map[string]string{"DATABASE_URL": dbURL})
	db := testdb.Open(t, dbURL)
	routes := webtest.NewServer(t, db, server.Config{}).Routes

	admin := newCampaignClient(t, base, "beheer@ambtenaar20.example", demoPw)
	// Collect the field names of every page's forms.
	names := map[string]bool{}
	for _, r := range routes {
		if r.Method != http.MethodGet || strings.Contains(r.Path, ".") {
			continue
		}
		_, body := admin.do(http.MethodGet, concreteRoute(r.Path, "1"), "", "")
		for _, mm := range formField.FindAllStringSubmatch(body, -1) {
			names[mm[1]] = true
		}
	}
	delete(names, "_csrf")
	fields := slices.Sorted(func(yield func(string) bool) {
		for n := range names {
			if !yield(n) {
				return
			}
		}
	})
	if len(fields) < 30 {
		t.Fatalf("only %d form fields found on the pages: %v", len(fields), fields)
	}

	var failures []string
	requests := 0
	for _, r := range routes {
		if skipInCampaign(r.Method, r.Path) {
			continue
		}
		for _, v := range hostileValues {
			path := concreteRoute(r.Path, url.PathEscape(truncate(v, 200)))
			if v == "" {
				path = concreteRoute(r.Path, "1")
			}
			q := url.Values{}
			for _, f := range fields {
				// A query string is part of the request head, which has a
				// size limit (TestHTTP_OversizedHead); huge values go into
				// bodies only.
				q.Set(f, truncate(v, 20))
			}
			var status int
			var body string
			switch {
			case r.Method == http.MethodGet:
				status, body = admin.do(http.MethodGet, path+"?"+q.Encode(), "", "")
			case strings.HasPrefix(r.Path, "/api/"):
				js := "{"
				for i, f := range fields {
					if i > 0 {
						js += ","
					}
					js += fmt.Sprintf("%q:%q", f, v)
				}
				status, body = admin.do(r.Method, concreteRoute(r.Path, "1"), "application/json", strings.ToValidUTF8(js+"}", "?"))
			default:
				form := url.Values{}
				for _, f := range fields {
					form.Set(f, v)
				}
				status, body = admin.post(concreteRoute(r.Path, "1"), form)
			}
			requests++
			if status >= 500 || status == 0 {
				failures = append(failures, fmt.Sprintf("%s %s with %.20q: %d %.200s", r.Method, r.Path, v, status, body))
			}
		}
	}
	t.Logf("%d hostile requests over %d routes with %d field names", requests, len(routes), len(fields))
	if len(failures) > 0 {
		t.Errorf("%d answers of 500 or more:\n%s", len(failures), strings.Join(failures[:min(len(failures), 25)], "\n"))
	}

	// No garbage stored: scan every text column.
	var cols []struct {
		Table  string `bun:"table_name"`
		Column string `bun:"column_name"`
	}
	if err := db.NewRaw(`SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')`).Scan(t.Context(), &cols); err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		var n int
		// Control characters, or U+FFFD where invalid UTF-8 was replaced.
		q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE %q ~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]'`, c.Table, c.Column)
		if err := db.NewRaw(q).Scan(t.Context(), &n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n > 0 {
			t.Errorf("%s.%s holds %d values with control characters or replaced invalid UTF-8", c.Table, c.Column, n)
		}
	}
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// skipInCampaign leaves out what would end the admin's session or is a
// download the campaign cannot judge by status alone.
func skipInCampaign(method, path string) bool {
	return path == "/uitloggen" || path == "/mijn/account/verwijderen" && method == http.MethodPost
}

var routeParamRe = regexp.MustCompile(`:[A-Za-z0-9_]+(<[^>]+>)?|\*`)
var regexChoice = regexp.MustCompile(`<regex\(([^|)]+)`)

// concreteRoute fills a route's parameters with v (the first allowed value
// for a regex constraint).
func concreteRoute(path, v string) string {
	return routeParamRe.ReplaceAllStringFunc(path, func(p string) string {
		if m := regexChoice.FindStringSubmatch(p); m != nil {
			return m[1]
		}
		return v
	})
}

// campaignClient is a logged-in browser over real HTTP.
type campaignClient struct {
	t     *testing.T
	base  string
	c     *http.Client
	token string
	email string
	pw    string
}

func newCampaignClient(t *testing.T, base, email, password string) *campaignClient {
	jar, _ := cookiejar.New(nil)
	cc := &campaignClient{t: t, base: base, email: email, pw: password,
		c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	cc.login()
	return cc
}

func (cc *campaignClient) login() {
	cc.do(http.MethodGet, "/inloggen", "", "")
	if st, _ := cc.post("/inloggen", url.Values{"email": {cc.email}, "password": {cc.pw}}); st != http.StatusSeeOther {
		cc.t.Fatalf("log in as %s: %d", cc.email, st)
	}
}

func (cc *campaignClient) do(method, path, ct, body string) (int, string) {
	req, err := http.NewRequest(method, cc.base+path, strings.NewReader(body))
	if err != nil {
		return 0, err.Error() // a path the client cannot even send is not the server's fault
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	res, err := cc.c.Do(req)
	if err != nil {
		return 0, fmt.Sprintf("%.200s", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		cc.token = string(m[1])
	}
	return res.StatusCode, string(b)
}

func (cc *campaignClient) post(path string, vals url.Values) (int, string) {
	if cc.token == "" {
		cc.do(http.MethodGet, "/", "", "")
	}
	v := url.Values{}
	for k, vs := range vals {
		v[k] = vs
	}
	v.Set("_csrf", cc.token)
	return cc.do(http.MethodPost, path, "application/x-www-form-urlencoded", v.Encode())
}
