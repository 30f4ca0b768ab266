package catalogue_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// A pilot project from posting to completion: a certified adviser whose
// themes and province match sees it and responds, an uncertified one is
// told how to qualify, the organisation chooses, completes with an outcome
// and reviews the adviser as a verified participant. Every refusal on the
// way changes nothing.
func TestHTTP_PilotJourney(t *testing.T) {
	e := newEnv(t)
	olaf, _ := e.user("Olaf", "Gemeente Pilot", web.RoleOrgManager)
	other, _ := e.user("Otto", "Gemeente Anders", web.RoleOrgManager)
	learner, _ := e.user("Lea", "")
	fatima, fatimaID := e.user("Fatima", "")
	bram, _ := e.user("Bram", "")
	fp := e.listing(fatima, "independent", "Fatima Advies", "utrecht")
	fo := e.offering(fatima, fp, "advice", "Begeleiding participatie", "themes", "participatie", "price", "2400")
	bp := e.listing(bram, "independent", "Bram Advies", "utrecht")
	e.offering(bram, bp, "advice", "Advies participatie", "themes", "participatie")
	e.certify(fatimaID, certify.KindAdviser, "Fatima")

	t.Run("who may post is explained", func(t *testing.T) {
		res := learner.Get("/proefprojecten/nieuw")
		webtest.MustStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, "organisatiebeheerder") || strings.Contains(res.Body, `action="/proefprojecten"`) {
			t.Fatal("a learner sees the form or no explanation")
		}
	})
	start := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	end := time.Now().AddDate(0, 7, 0).Format("2006-01-02")
	v := webtest.Values("title", "Wijkapp voor participatie", "goal", "Samen met bewoners een halfjaar een wijkapp gebruiken en leren wat werkt.",
		"theme", "participatie", "province", "utrecht", "starts_on", start, "ends_on", end, "budget", "5000-15000")
	var pilot int64
	t.Run("posting: bad dates refused, a double post is one pilot", func(t *testing.T) {
		bad := webtest.Values("title", "Te vroeg geëindigd", "goal", "Een proefproject dat eindigt voordat het begint, als test.",
			"theme", "participatie", "province", "utrecht", "starts_on", end, "ends_on", start, "budget", "tot-5000")
		webtest.MustStatus(t, olaf.PostForm("/proefprojecten", bad), http.StatusUnprocessableEntity)
		webtest.MustStatus(t, learner.PostForm("/proefprojecten", v), http.StatusForbidden)
		res := olaf.PostForm("/proefprojecten", v)
		webtest.MustStatus(t, res, http.StatusSeeOther)
		pilot = idOf(t, res)
		webtest.MustStatus(t, olaf.PostForm("/proefprojecten", v), http.StatusSeeOther)
		if n := e.count("catalogue_pilots", "true"); n != 1 {
			t.Fatalf("%d pilots", n)
		}
	})
	path := fmt.Sprintf("/proefprojecten/%d", pilot)
	t.Run("the certified adviser sees it; the uncertified one learns how to qualify", func(t *testing.T) {
		if !strings.Contains(fatima.Get("/gids/mijn").Body, "Wijkapp voor participatie") {
			t.Fatal("the matching pilot is not among the adviser's")
		}
		if !strings.Contains(olaf.Get(path).Body, "Fatima Advies") {
			t.Fatal("the certified adviser is not proposed")
		}
		page := bram.Get(path)
		if !strings.Contains(page.Body, "geldig certificaat als Overheid 2.0-adviseur") || strings.Contains(page.Body, `/interesse"`) {
			t.Fatal("the uncertified adviser gets the form or no explanation")
		}
		res := bram.PostForm(path+"/interesse", webtest.Values("provider", fmt.Sprint(bp), "message", "Ik begeleid dit graag, met veel ervaring in Utrecht."))
		webtest.MustStatus(t, res, http.StatusForbidden)
		if !strings.Contains(res.Body, "gecertificeerde adviseurs") {
			t.Fatal("refusal not explained")
		}
	})
	t.Run("responding: short notes and other people's listings refused", func(t *testing.T) {
		webtest.MustStatus(t, fatima.PostForm(path+"/interesse", webtest.Values("provider", fmt.Sprint(fp), "message", "Kort.")), http.StatusUnprocessableEntity)
		webtest.MustStatus(t, fatima.PostForm(path+"/interesse", webtest.Values("provider", fmt.Sprint(bp), "message", "Namens een ander bureau reageren mag niet.")), http.StatusUnprocessableEntity)
		webtest.MustStatus(t, fatima.PostForm(path+"/interesse", webtest.Values("provider", fmt.Sprint(fp), "message", "Ik begeleid dit graag: eerst een wijkgesprek, dan de app.")), http.StatusSeeOther)
		if e.count("outbox", "dedupe_key LIKE 'gids-pilot-interest:%'") != 1 {
			t.Fatal("the organisation was not told")
		}
	})
	t.Run("choosing: only the organisation, only someone who responded", func(t *testing.T) {
		webtest.MustStatus(t, other.PostForm(path+"/kiezen", webtest.Values("provider", fmt.Sprint(fp))), http.StatusNotFound)
		webtest.MustStatus(t, olaf.PostForm(path+"/kiezen", webtest.Values("provider", fmt.Sprint(bp))), http.StatusConflict)
		webtest.MustStatus(t, olaf.PostForm(path+"/afronden", webtest.Values("outcome_tried", strings.Repeat("a", 30), "outcome_result", strings.Repeat("b", 30))), http.StatusConflict)
		webtest.MustStatus(t, olaf.PostForm(path+"/kiezen", webtest.Values("provider", fmt.Sprint(fp))), http.StatusSeeOther)
		if e.count("outbox", "dedupe_key LIKE 'gids-pilot-chosen:%'") != 1 {
			t.Fatal("the adviser was not told")
		}
		if !strings.Contains(webtest.NewClient(t, e.app).Get("/rapportage").Body, "Proefprojecten met professionele begeleiding") {
			t.Fatal("report lacks the pilot indicator")
		}
		var matched int
		_ = e.db.NewRaw("SELECT count(*) FROM catalogue_pilots WHERE matched_at IS NOT NULL").Scan(context.Background(), &matched)
		if matched != 1 {
			t.Fatal("not counted as guided")
		}
	})
	t.Run("completing with an outcome; then the review is verified", func(t *testing.T) {
		webtest.MustStatus(t, other.PostForm(path+"/afronden", webtest.Values("outcome_tried", strings.Repeat("a", 30), "outcome_result", strings.Repeat("b", 30))), http.StatusNotFound)
		res := olaf.PostForm(path+"/afronden", webtest.Values("outcome_tried", "kort", "outcome_result", ""))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, `href="#f-outcome_tried"`) || !strings.Contains(res.Body, `href="#f-outcome_result"`) {
			t.Fatal("outcome messages missing")
		}
		webtest.MustStatus(t, olaf.PostForm(path+"/afronden", webtest.Values("outcome_tried", "Een wijkapp met drie straten, zes maanden lang.",
			"outcome_result", "Twee keer zoveel reacties als bij een bewonersavond; de app blijft.")), http.StatusSeeOther)
		page := olaf.Get(path)
		if !strings.Contains(page.Body, "Twee keer zoveel reacties") || !strings.Contains(page.Body, fmt.Sprintf(`/gids/aanbod/%d/beoordelen`, fo)) {
			t.Fatal("outcome or review link missing")
		}
		webtest.MustStatus(t, olaf.PostForm(fmt.Sprintf("/gids/aanbod/%d/beoordelen", fo), webtest.Values("overall", "5", "content", "5", "applicability", "5",
			"teacher", "5", "value", "4", "text", "Fatima hielp ons de wijkapp op te zetten en de bewoners echt te betrekken. Aanrader.")), http.StatusSeeOther)
		if e.count("catalogue_reviews", "offering_id = ? AND verified", fo) != 1 {
			t.Fatal("the pilot's review is not verified")
		}
		webtest.MustStatus(t, fatima.PostForm(path+"/interesse", webtest.Values("provider", fmt.Sprint(fp), "message", "Nog een keer reageren na afloop kan niet.")), http.StatusConflict)
	})
}

// A quote request from the compare page to three providers: one offers,
// one declines, one lets it be; bad input is refused; only the two sides
// see it; the manager accepts one and the others are told; the answers
// download as CSV; the report counts it.
func TestHTTP_QuoteJourney(t *testing.T) {
	e := newEnv(t)
	olaf, _ := e.user("Olaf", "Gemeente Offerte", web.RoleOrgManager)
	learner, _ := e.user("Lea", "")
	a, _ := e.user("Anna", "")
	b, _ := e.user("Bert", "")
	c, _ := e.user("Cor", "")
	pa, pb, pc := e.listing(a, "institute", "Academie A"), e.listing(b, "institute", "Academie B"), e.listing(c, "firm", "Bureau C")
	oa := e.offering(a, pa, "training", "Webcare A", "price", "500", "vat", "0")
	ob := e.offering(b, pb, "training", "Webcare B")
	oc := e.offering(c, pc, "advice", "Webcare-advies C")

	t.Run("the form explains who may ask", func(t *testing.T) {
		res := learner.Get(fmt.Sprintf("/gids/offertes/nieuw?aanbod=%d", oa))
		if !strings.Contains(res.Body, "organisatiebeheerder") || strings.Contains(res.Body, `action="/gids/offertes"`) {
			t.Fatal("a learner sees the form or no explanation")
		}
		compare := olaf.Get(fmt.Sprintf("/gids/vergelijk?id=%d&id=%d&id=%d", oa, ob, oc))
		if !strings.Contains(compare.Body, fmt.Sprintf(`/gids/offertes/nieuw?aanbod=%d&amp;aanbod=%d&amp;aanbod=%d`, oa, ob, oc)) {
			t.Fatal("no quote link on the compare page")
		}
		form := olaf.Get(fmt.Sprintf("/gids/offertes/nieuw?aanbod=%d&aanbod=%d&aanbod=%d", oa, ob, oc))
		for _, name := range []string{"Academie A", "Academie B", "Bureau C"} {
			if !strings.Contains(form.Body, name) {
				t.Errorf("form lacks %s", name)
			}
		}
	})
	day := func(days int) string { return time.Now().AddDate(0, 0, days).Format("2006-01-02") }
	req := webtest.Values("subject", "Webcaretraining voor het klantcontactcentrum", "details", "Voor twaalf medewerkers.", "participants", "12",
		"province", "utrecht", "location", "Stadskantoor", "starts_after", day(30), "ends_before", day(120), "budget", "5000-15000", "deadline", day(14))
	for _, id := range []int64{oa, ob, oc} {
		req.Add("aanbod", fmt.Sprint(id))
	}
	var rid int64
	t.Run("bad requests refused; a double submit is one request", func(t *testing.T) {
		bad := webtest.Values("subject", "x", "participants", "-3", "province", "utrecht", "starts_after", day(-10), "ends_before", day(-20),
			"budget", "5000-15000", "deadline", day(-1))
		res := olaf.PostForm("/gids/offertes", bad)
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		for _, f := range []string{"subject", "participants"} {
			if !strings.Contains(res.Body, `href="#f-`+f+`"`) {
				t.Errorf("no message for %s", f)
			}
		}
		bad = webtest.Values("subject", "Een geldige vraag", "participants", "3", "province", "utrecht", "starts_after", day(-10), "ends_before", day(-20),
			"budget", "5000-15000", "deadline", day(-1))
		res = olaf.PostForm("/gids/offertes", bad)
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		for _, f := range []string{"providers", "starts_after", "ends_before", "deadline"} {
			if !strings.Contains(res.Body, `href="#f-`+f+`"`) {
				t.Errorf("no message for %s", f)
			}
		}
		webtest.MustStatus(t, learner.PostForm("/gids/offertes", req), http.StatusForbidden)
		first := olaf.PostForm("/gids/offertes", req)
		webtest.MustStatus(t, first, http.StatusSeeOther)
		rid = idOf(t, first)
		webtest.MustStatus(t, olaf.PostForm("/gids/offertes", req), http.StatusSeeOther)
		if e.count("catalogue_quote_requests", "true") != 1 || e.count("catalogue_quotes", "request_id = ?", rid) != 3 {
			t.Fatal("a double submit made two requests")
		}
		if n := e.count("outbox", "dedupe_key LIKE 'gids-quote-asked:%'"); n != 3 {
			t.Fatalf("%d providers told", n)
		}
	})
	path := fmt.Sprintf("/gids/offertes/%d", rid)
	t.Run("only the two sides see it", func(t *testing.T) {
		webtest.MustStatus(t, learner.Get(path), http.StatusNotFound)
		stranger, _ := e.user("Sven", "")
		e.listing(stranger, "firm", "Bureau Vreemd")
		webtest.MustStatus(t, stranger.Get(path), http.StatusNotFound)
		if page := a.Get(path); page.StatusCode != http.StatusOK || strings.Contains(page.Body, "Academie B") {
			t.Fatal("a provider does not see the request, or sees a competitor")
		}
		webtest.MustStatus(t, e.admin.Get(path), http.StatusOK)
	})
	t.Run("answers: bad prices refused, one offers, one declines", func(t *testing.T) {
		res := a.PostForm(path+"/antwoord", webtest.Values("provider", fmt.Sprint(pa), "answer", "offer", "price", "-100", "vat", "0", "note", "Inclusief materiaal."))
		webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
		webtest.MustStatus(t, a.PostForm(path+"/antwoord", webtest.Values("provider", fmt.Sprint(pb), "answer", "offer", "price", "100", "vat", "0", "note", "Namens een ander.")), http.StatusNotFound)
		webtest.MustStatus(t, a.PostForm(path+"/antwoord", webtest.Values("provider", fmt.Sprint(pa), "answer", "offer", "price", "5.100,00", "vat", "0",
			"start_dates", day(40), "note", "Inclusief voorbereiding en materiaal, twee trainers.")), http.StatusSeeOther)
		webtest.MustStatus(t, b.PostForm(path+"/antwoord", webtest.Values("provider", fmt.Sprint(pb), "answer", "decline", "note", "")), http.StatusSeeOther)
		page := olaf.Get(path)
		for _, want := range []string{"€ 5.100", "Afgezien", "Nog geen antwoord", "€ 6.000"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("comparison lacks %q", want)
			}
		}
		if n := e.count("outbox", "dedupe_key LIKE 'gids-quote-answered:%'"); n != 2 {
			t.Fatalf("%d answers told", n)
		}
	})
	t.Run("accepting one tells the others; the CSV and the log follow", func(t *testing.T) {
		var qa, qb int64
		_ = e.db.NewRaw("SELECT id FROM catalogue_quotes WHERE request_id = ? AND provider_id = ?", rid, pa).Scan(context.Background(), &qa)
		_ = e.db.NewRaw("SELECT id FROM catalogue_quotes WHERE request_id = ? AND provider_id = ?", rid, pb).Scan(context.Background(), &qb)
		webtest.MustStatus(t, a.PostForm(path+"/accepteren", webtest.Values("quote", fmt.Sprint(qa))), http.StatusForbidden)
		webtest.MustStatus(t, olaf.PostForm(path+"/accepteren", webtest.Values("quote", fmt.Sprint(qb))), http.StatusConflict)
		webtest.MustStatus(t, olaf.PostForm(path+"/accepteren", webtest.Values("quote", fmt.Sprint(qa))), http.StatusSeeOther)
		webtest.MustStatus(t, olaf.PostForm(path+"/accepteren", webtest.Values("quote", fmt.Sprint(qa))), http.StatusConflict)
		if n := e.count("outbox", "dedupe_key LIKE 'gids-quote-decided:%'"); n != 2 {
			t.Fatalf("%d providers told of the decision", n)
		}
		webtest.MustStatus(t, c.PostForm(path+"/antwoord", webtest.Values("provider", fmt.Sprint(pc), "answer", "offer", "price", "900", "vat", "21", "note", "Te laat, na het besluit.")), http.StatusConflict)
		if n := e.count("catalogue_quote_events", "request_id = ?", rid); n < 7 {
			t.Fatalf("%d state changes logged", n)
		}
		csv := olaf.Get(path + "/offertes.csv")
		webtest.MustStatus(t, csv, http.StatusOK)
		for _, want := range []string{"Academie A;Webcare A;Geaccepteerd;5100,00;0;5100,00;6000,00", "http://localhost:8080/gids/aanbod/", "Niet gekozen"} {
			if !strings.Contains(csv.Body, want) {
				t.Errorf("CSV lacks %q:\n%s", want, csv.Body)
			}
		}
		webtest.MustStatus(t, a.Get(path+"/offertes.csv"), http.StatusNotFound)
		report := e.admin.Get("/rapportage.csv")
		if !strings.Contains(report.Body, "offertes;Offerteaanvragen via de Gids;;;1;") || !strings.Contains(report.Body, ";1;5100,00;") {
			t.Fatalf("report CSV:\n%s", report.Body)
		}
	})
}

// A provider registers participants, typed and as a CSV; a participant
// confirms on their own account and their review becomes verified.
func TestHTTP_Participants(t *testing.T) {
	e := newEnv(t)
	prov, _ := e.user("Priya", "")
	pid := e.listing(prov, "institute", "Academie Deelnemers")
	oid := e.offering(prov, pid, "training", "Webcare met deelnemerslijst")
	webtest.MustUser(t, e.db, "Lotte", "lotte@gemeente.example", "")
	lotte := e.login("lotte@gemeente.example")
	other, _ := e.user("Otto", "")
	path := fmt.Sprintf("/gids/aanbod/%d/deelnemers", oid)

	webtest.MustStatus(t, other.Get(path), http.StatusForbidden)
	res := prov.PostForm(path, webtest.Values("emails", "geen-adres, nog@een", "took_part_on", "2099-01-01"))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "geen-adres") || !strings.Contains(res.Body, `href="#f-took_part_on"`) {
		t.Fatal("bad addresses not named")
	}
	prov.Get(path)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", prov.CSRFToken())
	_ = w.WriteField("emails", "Lotte@Gemeente.example")
	fw, _ := w.CreateFormFile("csv", "deelnemers.csv")
	fmt.Fprint(fw, "\uFEFFnaam;e-mail\r\nLotte;lotte@gemeente.example\r\nKees;kees@gemeente.example\r\n")
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	webtest.MustStatus(t, prov.Do(req), http.StatusSeeOther)
	if n := e.count("catalogue_participations", "offering_id = ?", oid); n != 2 {
		t.Fatalf("%d participations", n)
	}
	webtest.MustStatus(t, lotte.PostForm(fmt.Sprintf("/gids/aanbod/%d/beoordelen", oid), webtest.Values("overall", "4", "content", "4", "applicability", "4",
		"teacher", "4", "value", "4", "text", "Een goede dag over webcare, met veel oefeningen uit de praktijk van gemeenten.")), http.StatusSeeOther)
	page := lotte.Get("/gids/deelnames")
	if !strings.Contains(page.Body, "Webcare met deelnemerslijst") {
		t.Fatal("the participant does not see the registration")
	}
	var part int64
	_ = e.db.NewRaw("SELECT id FROM catalogue_participations WHERE email = 'lotte@gemeente.example'").Scan(context.Background(), &part)
	webtest.MustStatus(t, other.PostForm(fmt.Sprintf("/gids/deelnames/%d", part), webtest.Values("answer", "confirm")), http.StatusNotFound)
	webtest.MustStatus(t, lotte.PostForm(fmt.Sprintf("/gids/deelnames/%d", part), webtest.Values("answer", "confirm")), http.StatusSeeOther)
	if e.count("catalogue_reviews", "offering_id = ? AND verified", oid) != 1 {
		t.Fatal("the review did not become verified")
	}
	if !strings.Contains(webtest.NewClient(t, e.app).Get(fmt.Sprintf("/gids/aanbod/%d", oid)).Body, "Geverifieerde deelnemer") {
		t.Fatal("the label is not shown")
	}
}

// Reviews: HTML shown as text, one reply by the provider (and the reviewer
// is told), reports and moderation, the API.
func TestHTTP_ReviewsRepliesModeration(t *testing.T) {
	e := newEnv(t)
	prov, _ := e.user("Priya", "")
	pid := e.listing(prov, "institute", "Academie Reviews")
	oid := e.offering(prov, pid, "training", "Te beoordelen training")
	lotte, _ := e.user("Lotte", "")
	anon := webtest.NewClient(t, e.app)
	path := fmt.Sprintf("/gids/aanbod/%d/beoordelen", oid)

	res := lotte.PostForm(path, webtest.Values("overall", "9", "text", "Te kort."))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Te kort.") || !strings.Contains(res.Body, `href="#f-overall"`) {
		t.Fatal("messages or entered text missing")
	}
	webtest.MustStatus(t, prov.PostForm(path, webtest.Values("overall", "5", "content", "5", "applicability", "5", "teacher", "5", "value", "5",
		"text", strings.Repeat("Uitstekend! ", 6))), http.StatusForbidden)
	body := `<script>alert("x")</script><b>vet</b> en verder een lange tekst over deze training voor de minimale lengte.`
	webtest.MustStatus(t, lotte.PostForm(path, webtest.Values("overall", "4", "content", "4", "applicability", "3", "teacher", "5", "value", "4", "text", body)), http.StatusSeeOther)
	page := anon.Get(fmt.Sprintf("/gids/aanbod/%d", oid)).Body
	if strings.Contains(page, `<script>alert("x")`) || !strings.Contains(page, "&lt;script&gt;") || !strings.Contains(page, "Deelname niet aangetoond") {
		t.Fatal("review HTML not escaped, or the missing proof not shown")
	}
	var rid int64
	_ = e.db.NewRaw("SELECT id FROM catalogue_reviews WHERE offering_id = ?", oid).Scan(context.Background(), &rid)
	webtest.MustStatus(t, prov.PostForm(fmt.Sprintf("/gids/reviews/%d/reactie", rid), webtest.Values("reply", "kort")), http.StatusUnprocessableEntity)
	webtest.MustStatus(t, lotte.PostForm(fmt.Sprintf("/gids/reviews/%d/reactie", rid), webtest.Values("reply", "Ik ben de aanbieder niet.")), http.StatusForbidden)
	webtest.MustStatus(t, prov.PostForm(fmt.Sprintf("/gids/reviews/%d/reactie", rid), webtest.Values("reply", "Dank u wel voor uw review!")), http.StatusSeeOther)
	webtest.MustStatus(t, prov.PostForm(fmt.Sprintf("/gids/reviews/%d/reactie", rid), webtest.Values("reply", "Nog een reactie erbij.")), http.StatusConflict)
	if e.count("outbox", "dedupe_key = ?", fmt.Sprintf("gids-reply:%d", rid)) != 1 {
		t.Fatal("the reviewer was not told of the reply")
	}
	webtest.MustStatus(t, anon.PostForm(fmt.Sprintf("/gids/reviews/%d/melden", rid), webtest.Values("reason", "Ongepast.")), http.StatusUnauthorized)
	webtest.MustStatus(t, prov.PostForm(fmt.Sprintf("/gids/reviews/%d/melden", rid), webtest.Values("reason", "Ongepast taalgebruik.")), http.StatusSeeOther)
	if !strings.Contains(e.admin.Get("/beheer/gids").Body, "Ongepast taalgebruik.") {
		t.Fatal("report not in queue")
	}
	webtest.MustStatus(t, e.admin.PostForm(fmt.Sprintf("/beheer/gids/reviews/%d", rid), webtest.Values("action", "hide", "reason", "")), http.StatusUnprocessableEntity)
	webtest.MustStatus(t, e.admin.PostForm(fmt.Sprintf("/beheer/gids/reviews/%d", rid), webtest.Values("action", "hide", "reason", "Bevat HTML-spam.")), http.StatusSeeOther)
	if strings.Contains(anon.Get(fmt.Sprintf("/gids/aanbod/%d", oid)).Body, "&lt;script&gt;") {
		t.Fatal("hidden review still shown")
	}
	api := fmt.Sprintf("/api/v1/offerings/%d/reviews", oid)
	webtest.MustStatus(t, anon.Get(api), http.StatusOK)
	webtest.MustStatus(t, anon.PostJSON(api, `{"overall":5}`), http.StatusUnauthorized)
	res = lotte.PostJSON(api, `{"overall":6,"text":"kort"}`)
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `"field":"overall"`) || !strings.Contains(res.Body, `"field":"text"`) {
		t.Fatal(res.Body)
	}
	webtest.MustStatus(t, anon.Get("/api/v1/offerings/999999/reviews"), http.StatusNotFound)
	export := lotte.Get("/mijn/account/gegevens.json")
	if !strings.Contains(export.Body, `"gouden_gids"`) || !strings.Contains(export.Body, "minimale lengte") {
		t.Fatal(export.Body)
	}
}
