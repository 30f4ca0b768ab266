package catalogue_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

var idInPath = regexp.MustCompile(`/(\d+)$`)

// createListing has the provider user register a provider with one
// offering through the pages, and an admin approve it. It returns the
// provider's and the offering's id.
func createListing(t *testing.T, db *bun.DB, prov, admin *webtest.Client, name string) (int64, int64) {
	t.Helper()
	res := prov.PostForm("/gids/aanbieders", webtest.Values("kind", "institute", "name", name,
		"description", "Wij geven trainingen over Werken 2.0 aan ambtenaren.", "contact_email", "info@test.example",
		"provinces", "utrecht", "provinces", "online", "quality_marks", "crkbo"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	var pid, oid int64
	fmt.Sscan(idInPath.FindStringSubmatch(res.Header.Get("Location"))[1], &pid)
	res = prov.PostForm(fmt.Sprintf("/gids/aanbieders/%d/aanbod", pid), webtest.Values("kind", "training", "title", "Webcare training "+name,
		"description", "Leer reageren op inwoners. <script>alert(1)</script> **vet**", "themes", "webcare", "provinces", "utrecht",
		"format", "klassikaal", "study_hours", "7,5", "price", "1.000,00", "vat", "21", "language", "nl", "start_dates", "2027-03-15, 15-9-2027"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	fmt.Sscan(idInPath.FindStringSubmatch(res.Header.Get("Location"))[1], &oid)
	webtest.MustStatus(t, admin.PostForm(fmt.Sprintf("/beheer/gids/aanbieders/%d", pid), webtest.Values("action", "approve")), http.StatusSeeOther)
	return pid, oid
}

func TestHandler_ProviderSelfService(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Priya", "priya@test.example", "", web.RoleProvider)
	webtest.MustUser(t, db, "Piet", "piet@test.example", "", web.RoleProvider)
	webtest.MustUser(t, db, "Bea", "bea@test.example", "", web.RoleAdmin)
	priya, piet, admin, anon := webtest.NewClient(t, app), webtest.NewClient(t, app), webtest.NewClient(t, app), webtest.NewClient(t, app)
	priya.Login("priya@test.example", webtest.Password)
	piet.Login("piet@test.example", webtest.Password)
	admin.Login("bea@test.example", webtest.Password)

	t.Run("pending listing invisible until approved", func(t *testing.T) {
		res := priya.PostForm("/gids/aanbieders", webtest.Values("kind", "firm", "name", "Wachtend Bureau",
			"description", "Een bureau dat nog op goedkeuring wacht.", "contact_email", "w@test.example", "provinces", "utrecht"))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		webtest.MustStatus(t, anon.Get(res.Header.Get("Location")), http.StatusNotFound)
		webtest.MustStatus(t, priya.Get(res.Header.Get("Location")), http.StatusOK)
	})

	pid, oid := createListing(t, db, priya, admin, "Academie Test")

	t.Run("offering page shows sanitised Markdown and prices", func(t *testing.T) {
		res := anon.Get(fmt.Sprintf("/gids/aanbod/%d", oid))
		webtest.MustStatus(t, res, http.StatusOK)
		for _, want := range []string{"<strong>vet</strong>", "€ 1.210", "7,5", "15 maart 2027", "CRKBO"} {
			if want == "CRKBO" {
				res = anon.Get(fmt.Sprintf("/gids/aanbieders/%d", pid))
				want = "opgegeven door aanbieder"
			}
			if !strings.Contains(res.Body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(res.Body, "<script>alert") {
			t.Fatal("script survived")
		}
	})
	t.Run("another provider cannot edit", func(t *testing.T) {
		webtest.MustStatus(t, piet.Get(fmt.Sprintf("/gids/aanbieders/%d/bewerken", pid)), http.StatusForbidden)
		webtest.MustStatus(t, piet.PostForm(fmt.Sprintf("/gids/aanbod/%d/bewerken", oid), webtest.Values("kind", "training", "title", "Gekaapt",
			"description", "Deze titel hoort hier niet te komen.", "themes", "webcare", "provinces", "utrecht", "format", "online",
			"study_hours", "1", "price", "1", "vat", "0", "language", "nl")), http.StatusForbidden)
		webtest.MustStatus(t, piet.PostForm(fmt.Sprintf("/gids/aanbieders/%d/aanbod", pid), webtest.Values("kind", "training", "title", "Ingeschoven",
			"description", "Dit aanbod hoort niet bij Piet te komen.", "themes", "webcare", "provinces", "utrecht", "format", "online",
			"study_hours", "1", "price", "1", "vat", "0", "language", "nl")), http.StatusForbidden)
		if strings.Contains(anon.Get(fmt.Sprintf("/gids/aanbieders/%d", pid)).Body, "Gekaapt") {
			t.Fatal("listing changed")
		}
	})
	t.Run("bad offering input is explained next to the fields", func(t *testing.T) {
		res := priya.PostForm(fmt.Sprintf("/gids/aanbieders/%d/aanbod", pid), webtest.Values("kind", "training", "title", "Goede titel",
			"description", "kort", "themes", "geen-thema", "provinces", "utrecht", "format", "online", "study_hours", "veel",
			"price", "gratis", "vat", "21", "language", "nl", "start_dates", "morgen"))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		for _, field := range []string{"description", "themes", "study_hours", "price", "start_dates"} {
			if !strings.Contains(res.Body, `href="#f-`+field+`"`) {
				t.Errorf("no message for %s", field)
			}
		}
		if !strings.Contains(res.Body, `value="Goede titel"`) {
			t.Error("entered title lost")
		}
	})
	t.Run("provider cannot review itself", func(t *testing.T) {
		res := priya.PostForm(fmt.Sprintf("/gids/aanbod/%d/beoordelen", oid), webtest.Values("overall", "5", "content", "5",
			"applicability", "5", "teacher", "5", "value", "5", "text", strings.Repeat("Uitstekend! ", 6)))
		webtest.MustStatus(t, res, http.StatusForbidden)
	})
}

func TestHandler_ReviewsAndAPI(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Priya", "priya@test.example", "", web.RoleProvider)
	webtest.MustUser(t, db, "Bea", "bea@test.example", "", web.RoleAdmin)
	webtest.MustUser(t, db, "Lotte", "lotte@test.example", "")
	priya, admin, lotte, anon := webtest.NewClient(t, app), webtest.NewClient(t, app), webtest.NewClient(t, app), webtest.NewClient(t, app)
	priya.Login("priya@test.example", webtest.Password)
	admin.Login("bea@test.example", webtest.Password)
	lotte.Login("lotte@test.example", webtest.Password)
	_, oid := createListing(t, db, priya, admin, "Academie API")
	_, oid2 := createListing(t, db, priya, admin, "Academie Twee")
	path := fmt.Sprintf("/gids/aanbod/%d/beoordelen", oid)

	t.Run("invalid review re-rendered with messages", func(t *testing.T) {
		res := lotte.PostForm(path, webtest.Values("overall", "9", "text", "Te kort."))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "Te kort.") || !strings.Contains(res.Body, `href="#f-overall"`) || !strings.Contains(res.Body, `href="#f-content"`) {
			t.Fatal("messages or entered text missing")
		}
	})
	t.Run("HTML in a review is shown as text", func(t *testing.T) {
		body := `<script>alert("x")</script><b>vet</b> en verder een lange tekst over deze training voor de minimale lengte.`
		res := lotte.PostForm(path, webtest.Values("overall", "4", "content", "4", "applicability", "3", "teacher", "5", "value", "4", "text", body))
		webtest.MustStatus(t, res, http.StatusSeeOther)
		page := anon.Get(fmt.Sprintf("/gids/aanbod/%d", oid)).Body
		if strings.Contains(page, `<script>alert("x")`) || !strings.Contains(page, "&lt;script&gt;") {
			t.Fatal("review HTML not escaped")
		}
	})
	t.Run("duplicate review refused with 409", func(t *testing.T) {
		res := lotte.PostForm(path, webtest.Values("overall", "1", "content", "1", "applicability", "1", "teacher", "1", "value", "1", "text", strings.Repeat("Nog een keer. ", 5)))
		webtest.MustStatus(t, res, http.StatusConflict)
	})
	t.Run("provider replies once, visible to all", func(t *testing.T) {
		var rid int64
		if err := db.NewRaw("SELECT id FROM catalogue_reviews WHERE offering_id = ?", oid).Scan(context.Background(), &rid); err != nil {
			t.Fatal(err)
		}
		webtest.MustStatus(t, priya.PostForm(fmt.Sprintf("/gids/reviews/%d/reactie", rid), webtest.Values("reply", "kort")), http.StatusUnprocessableEntity)
		webtest.MustStatus(t, lotte.PostForm(fmt.Sprintf("/gids/reviews/%d/reactie", rid), webtest.Values("reply", "Ik ben de aanbieder niet.")), http.StatusForbidden)
		webtest.MustStatus(t, priya.PostForm(fmt.Sprintf("/gids/reviews/%d/reactie", rid), webtest.Values("reply", "Dank u wel voor uw review!")), http.StatusSeeOther)
		if !strings.Contains(anon.Get(fmt.Sprintf("/gids/aanbod/%d", oid)).Body, "Dank u wel voor uw review!") {
			t.Fatal("reply not shown")
		}
	})

	t.Run("API search with unknown filter is 422 problem+json", func(t *testing.T) {
		res := anon.Get("/api/v1/offerings?theme=onzin&format=online")
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") || !strings.Contains(res.Body, `"field":"theme"`) {
			t.Fatalf("%s %s", ct, res.Body)
		}
	})
	t.Run("API search, providers and reviews", func(t *testing.T) {
		var out struct {
			Items []struct {
				ID    int64  `json:"id"`
				Title string `json:"title"`
			} `json:"items"`
			Total  int `json:"total"`
			Facets struct {
				Theme map[string]int `json:"theme"`
			} `json:"facets"`
		}
		res := anon.Get("/api/v1/offerings?q=webcaer&max_price=99999999&page=500")
		webtest.MustStatus(t, res, http.StatusOK)
		if err := json.Unmarshal([]byte(res.Body), &out); err != nil || out.Total != 2 || out.Facets.Theme["webcare"] != 2 {
			t.Fatalf("%v %s", err, res.Body)
		}
		webtest.MustStatus(t, anon.Get("/api/v1/providers"), http.StatusOK)
		res = anon.Get(fmt.Sprintf("/api/v1/offerings/%d/reviews", oid))
		if !strings.Contains(res.Body, `"count":1`) || !strings.Contains(res.Body, `"provider_reply":"Dank u wel voor uw review!"`) {
			t.Fatal(res.Body)
		}
	})
	t.Run("API post review", func(t *testing.T) {
		p := fmt.Sprintf("/api/v1/offerings/%d/reviews", oid2)
		good := `{"overall":5,"content":5,"applicability":4,"teacher":5,"value":4,"text":"Heel bruikbaar voor ons team; we passen het elke week toe in de praktijk."}`
		webtest.MustStatus(t, anon.PostJSON(p, good), http.StatusUnauthorized)
		res := lotte.PostJSON(p, `{"overall":"vijf"}`)
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		res = lotte.PostJSON(p, `{"overall":6,"text":"kort"}`)
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, `"field":"overall"`) || !strings.Contains(res.Body, `"field":"text"`) {
			t.Fatal(res.Body)
		}
		webtest.MustStatus(t, lotte.PostJSON(p, good), http.StatusCreated)
		webtest.MustStatus(t, lotte.PostJSON(p, good), http.StatusConflict)
		webtest.MustStatus(t, anon.Get("/api/v1/offerings/999999/reviews"), http.StatusNotFound)
	})
	t.Run("compare and CSV", func(t *testing.T) {
		q := fmt.Sprintf("id=%d&id=%d", oid, oid2)
		res := anon.Get("/gids/vergelijk?" + q)
		webtest.MustStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, "Prijs per uur incl. btw") || !strings.Contains(res.Body, "€ 161,33") {
			t.Fatal("compare table incomplete")
		}
		res = anon.Get("/gids/vergelijk.csv?" + q)
		webtest.MustStatus(t, res, http.StatusOK)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !strings.Contains(res.Body, "Aantal reviews;1;1") {
			t.Fatal(res.Body)
		}
		webtest.MustStatus(t, anon.Get(fmt.Sprintf("/gids/vergelijk?id=%d", oid)), http.StatusUnprocessableEntity)
	})
	t.Run("moderation hides a reported review", func(t *testing.T) {
		var rid int64
		_ = db.NewRaw("SELECT id FROM catalogue_reviews WHERE offering_id = ?", oid).Scan(context.Background(), &rid)
		webtest.MustStatus(t, anon.PostForm(fmt.Sprintf("/gids/reviews/%d/melden", rid), webtest.Values("reason", "Ongepast.")), http.StatusUnauthorized)
		webtest.MustStatus(t, priya.PostForm(fmt.Sprintf("/gids/reviews/%d/melden", rid), webtest.Values("reason", "Ongepast taalgebruik.")), http.StatusSeeOther)
		webtest.MustStatus(t, lotte.Get("/beheer/gids"), http.StatusForbidden)
		if !strings.Contains(admin.Get("/beheer/gids").Body, "Ongepast taalgebruik.") {
			t.Fatal("report not in queue")
		}
		webtest.MustStatus(t, admin.PostForm(fmt.Sprintf("/beheer/gids/reviews/%d", rid), webtest.Values("action", "hide", "reason", "")), http.StatusUnprocessableEntity)
		webtest.MustStatus(t, admin.PostForm(fmt.Sprintf("/beheer/gids/reviews/%d", rid), webtest.Values("action", "hide", "reason", "Bevat HTML-spam.")), http.StatusSeeOther)
		if strings.Contains(anon.Get(fmt.Sprintf("/gids/aanbod/%d", oid)).Body, "&lt;script&gt;") {
			t.Fatal("hidden review still shown")
		}
	})
	t.Run("AVG export holds the user's reviews", func(t *testing.T) {
		res := lotte.Get("/mijn/account/gegevens.json")
		webtest.MustStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, `"gouden_gids"`) || !strings.Contains(res.Body, "Heel bruikbaar voor ons team") {
			t.Fatal(res.Body)
		}
	})
	t.Run("search page notices and pages without JavaScript", func(t *testing.T) {
		res := anon.Get("/gids?q=webcare&thema=onzin&pagina=77&maxprijs=1e99")
		webtest.MustStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, "Onbekende thema") || !strings.Contains(res.Body, "Pagina 77 bestaat niet") {
			t.Fatal("notices missing")
		}
		webtest.MustStatus(t, anon.Get("/rapportage"), http.StatusOK)
		webtest.MustStatus(t, anon.Get("/rapportage.csv"), http.StatusSeeOther)
		res = admin.Get("/rapportage.csv")
		if !strings.Contains(res.Body, "aanbod;Aanbod in de Gouden Gids;;;2;") {
			t.Fatal(res.Body)
		}
	})
}
