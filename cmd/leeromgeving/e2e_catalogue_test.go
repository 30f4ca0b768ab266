package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// The Gouden Gids in a browser, on the demo content: a civil servant
// searches with a typo, filters, reviews and compares; an organisation
// manager asks two providers for a quote from the compare page, a provider
// answers and the manager accepts; the manager posts a pilot project, a
// certified adviser responds, the manager chooses, completes it with its
// outcome and reviews the adviser as a verified participant.
func TestBrowser_Gids(t *testing.T) {
	dbURL, demoPw := demoURL(t)
	pw := demoPw
	base := startApp(t, "DATABASE_URL", dbURL)
	db := testdb.Open(t, dbURL)

	// Each journey has a browser of its own: its own cookies and time.
	t.Run("search, review, compare", func(t *testing.T) {
		ctx := newBrowser(t)
		shots := newShooter(t, ctx)
		login(t, ctx, base, "lotte@utrecht.example", pw)
		must(t, ctx, "type a query with a typo", chromedp.Navigate(base+"/gids"), chromedp.SendKeys(chromedp.CSS("#q"), "webcaer"))
		leave(t, ctx, "search", chromedp.Click(chromedp.CSS(`button[form="zoek"]`)))
		if got := textOf(t, ctx, ".did-you-mean"); !strings.Contains(got, "Bedoelde u webcare?") {
			t.Fatalf("no correction offered: %q", got)
		}
		if got := textOf(t, ctx, "#resultaten"); !strings.HasPrefix(got, "10 resultaten voor “webcare”") {
			t.Fatalf("search heading %q", got)
		}
		shots.take("gids-zoeken")
		must(t, ctx, "tick a province", chromedp.Click(chromedp.CSS(`input[name="provincie"][value="utrecht"]`)))
		leave(t, ctx, "filter on province", chromedp.Click(chromedp.CSS(`#zoek button[type=submit]`)))
		if got := textOf(t, ctx, "#resultaten"); !strings.HasPrefix(got, "3 resultaten") {
			t.Fatalf("after filter: %q", got)
		}
		leave(t, ctx, "open the offering", chromedp.Click(chromedp.Search(`//a[text()="Webcare voor gemeenten"]`)))
		if got := textOf(t, ctx, "h1"); got != "Webcare voor gemeenten" {
			t.Fatalf("offering page %q", got)
		}
		before := textOf(t, ctx, "#reviews-titel")
		leave(t, ctx, "open the review form", chromedp.Click(chromedp.CSS(`#reviews a.button`)))
		must(t, ctx, "review it",
			chromedp.Click(chromedp.CSS(`input[name="overall"][value="4"]`)),
			chromedp.Click(chromedp.CSS(`input[name="content"][value="5"]`)),
			chromedp.Click(chromedp.CSS(`input[name="applicability"][value="4"]`)),
			chromedp.Click(chromedp.CSS(`input[name="teacher"][value="4"]`)),
			chromedp.Click(chromedp.CSS(`input[name="value"][value="3"]`)),
			chromedp.SendKeys(chromedp.CSS("#f-text"), "Goede dag over webcare: we reageren nu sneller en met een vriendelijker toon op inwoners."),
		)
		leave(t, ctx, "send the review", chromedp.Submit(chromedp.CSS("#f-text")))
		var n int
		fmt.Sscanf(before, "Reviews (%d)", &n)
		if got := textOf(t, ctx, "#reviews-titel"); got != fmt.Sprintf("Reviews (%d)", n+1) {
			t.Fatalf("reviews heading %q after %q", got, before)
		}
		must(t, ctx, "pick three offerings",
			chromedp.Navigate(base+"/gids?sorteer=prijs"),
			chromedp.Click(chromedp.CSS(`.hit:nth-child(1) input[name="id"]`)),
			chromedp.Click(chromedp.CSS(`.hit:nth-child(2) input[name="id"]`)),
			chromedp.Click(chromedp.CSS(`.hit:nth-child(3) input[name="id"]`)),
		)
		leave(t, ctx, "compare them", chromedp.Click(chromedp.CSS(`.gids-compare-form > button[type=submit]`)))
		if !strings.Contains(textOf(t, ctx, ".compare-table tbody"), "Prijs per uur incl. btw") {
			t.Fatal("compare table lacks the price per hour")
		}
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".compare-table thead th").length`))
		if err != nil || n != 4 {
			t.Fatalf("compare columns = %d (%v), want 1 + 3", n, err)
		}
		logout(t, ctx)
	})

	t.Run("a quote request from the compare page to the acceptance", func(t *testing.T) {
		ctx := newBrowser(t)
		shots := newShooter(t, ctx)
		a, b := offeringID(t, db, "Webcare voor gemeenten"), offeringID(t, db, "Webcare tijdens een crisis")
		login(t, ctx, base, "manager@utrecht.example", pw)
		must(t, ctx, "compare two webcare trainings", chromedp.Navigate(fmt.Sprintf("%s/gids/vergelijk?id=%d&id=%d", base, a, b)))
		leave(t, ctx, "ask them for a quote", chromedp.Click(chromedp.Search(`//a[contains(., "Vraag deze aanbieders om een offerte")]`)))
		day := func(d int) string { return time.Now().AddDate(0, 0, d).Format("2006-01-02") }
		must(t, ctx, "fill in the request",
			chromedp.SetValue(chromedp.CSS("#f-participants"), "12"),
			chromedp.SetValue(chromedp.CSS("#f-province"), "utrecht"),
			chromedp.SendKeys(chromedp.CSS("#f-location"), "Stadskantoor"),
			chromedp.SetValue(chromedp.CSS("#f-starts_after"), day(30)),
			chromedp.SetValue(chromedp.CSS("#f-ends_before"), day(90)),
			chromedp.SetValue(chromedp.CSS("#f-budget"), "5000-15000"),
			chromedp.SetValue(chromedp.CSS("#f-deadline"), day(10)),
		)
		shots.take("gids-offerte-aanvragen")
		leave(t, ctx, "send the request", chromedp.Submit(chromedp.CSS("#f-subject")))
		if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "verstuurd naar 2 aanbieders") {
			t.Fatalf("after sending: %q", got)
		}
		url := location(t, ctx)
		logout(t, ctx)

		login(t, ctx, base, "aanbieder@ambtenaar20.example", pw)
		must(t, ctx, "open the request", chromedp.Navigate(url))
		must(t, ctx, "answer with a price",
			chromedp.SendKeys(chromedp.CSS("#f-price"), "5.400"),
			chromedp.SetValue(chromedp.CSS("#f-vat"), "0"),
			chromedp.SendKeys(chromedp.CSS("#f-note"), "Inclusief voorbereiding, materiaal en een terugkomdag."),
		)
		leave(t, ctx, "send the quote", chromedp.Click(chromedp.CSS(`button[name="answer"][value="offer"]`)))
		if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "Uw offerte is verstuurd") {
			t.Fatalf("after answering: %q", got)
		}
		logout(t, ctx)

		login(t, ctx, base, "manager@utrecht.example", pw)
		must(t, ctx, "see the answers", chromedp.Navigate(url))
		shots.take("gids-offertes-naast-elkaar")
		if got := textOf(t, ctx, ".compare-table"); !strings.Contains(got, "€ 5.400") || !strings.Contains(got, "Nog geen antwoord") {
			t.Fatalf("comparison %q", got)
		}
		leave(t, ctx, "accept it", chromedp.Click(chromedp.CSS(`form[action$="/accepteren"] button`)))
		if got := textOf(t, ctx, ".lead"); !strings.Contains(got, "Offerte gekozen") {
			t.Fatalf("after accepting: %q", got)
		}
		logout(t, ctx)
	})

	t.Run("a pilot project from posting to completion", func(t *testing.T) {
		ctx := newBrowser(t)
		shots := newShooter(t, ctx)
		login(t, ctx, base, "manager@utrecht.example", pw)
		must(t, ctx, "fill in the pilot project",
			chromedp.Navigate(base+"/proefprojecten/nieuw"),
			chromedp.SendKeys(chromedp.CSS("#f-title"), "Online inspraak over het nieuwe park"),
			chromedp.SendKeys(chromedp.CSS("#f-goal"), "Bewoners praten online en in het park mee over de inrichting, en wij leren wat werkt."),
			chromedp.SetValue(chromedp.CSS("#f-theme"), "participatie"),
			chromedp.SetValue(chromedp.CSS("#f-province"), "utrecht"),
			chromedp.SetValue(chromedp.CSS("#f-starts_on"), time.Now().AddDate(0, 1, 0).Format("2006-01-02")),
			chromedp.SetValue(chromedp.CSS("#f-ends_on"), time.Now().AddDate(0, 7, 0).Format("2006-01-02")),
			chromedp.SetValue(chromedp.CSS("#f-budget"), "5000-15000"),
		)
		leave(t, ctx, "post it", chromedp.Submit(chromedp.CSS("#f-title")))
		url := location(t, ctx)
		if got := textOf(t, ctx, `section[aria-labelledby="voorstel"] ol`); !strings.Contains(got, "Fatima el Idrissi") {
			t.Fatalf("the certified adviser is not proposed: %q", got)
		}
		logout(t, ctx)

		login(t, ctx, base, "fatima@gelderland.example", pw)
		must(t, ctx, "my listing", chromedp.Navigate(base+"/gids/mijn"))
		leave(t, ctx, "open the matching pilot", chromedp.Click(chromedp.Search(`//a[text()="Online inspraak over het nieuwe park"]`)))
		must(t, ctx, "respond", chromedp.SendKeys(chromedp.CSS("#f-message"), "Graag: eerst een wandeling met bewoners, dan een online ronde en een slotavond."))
		leave(t, ctx, "send the response", chromedp.Submit(chromedp.CSS("#f-message")))
		if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "doorgegeven") {
			t.Fatalf("after responding: %q", got)
		}
		logout(t, ctx)

		login(t, ctx, base, "manager@utrecht.example", pw)
		must(t, ctx, "open the pilot", chromedp.Navigate(url))
		leave(t, ctx, "choose the adviser", chromedp.Click(chromedp.CSS(`form[action$="/kiezen"] button`)))
		if got := textOf(t, ctx, ".lead"); !strings.Contains(got, "Gekoppeld") || !strings.Contains(got, "Fatima el Idrissi") {
			t.Fatalf("after choosing: %q", got)
		}
		must(t, ctx, "record the outcome",
			chromedp.SendKeys(chromedp.CSS("#f-outcome_tried"), "Een online kaart waarop bewoners wensen voor het park zetten, en twee avonden in het park."),
			chromedp.SendKeys(chromedp.CSS("#f-outcome_result"), "Driehonderd reacties, veel jongeren; het ontwerp is aangepast en de kaart blijft."),
		)
		leave(t, ctx, "complete it", chromedp.Submit(chromedp.CSS("#f-outcome_tried")))
		shots.take("gids-proefproject-afgerond")
		if got := textOf(t, ctx, `section[aria-labelledby="uitkomst"]`); !strings.Contains(got, "Driehonderd reacties") {
			t.Fatalf("outcome %q", got)
		}
		leave(t, ctx, "review the adviser", chromedp.Click(chromedp.CSS(`#beoordelen a`)))
		must(t, ctx, "write the review",
			chromedp.Click(chromedp.CSS(`input[name="overall"][value="5"]`)),
			chromedp.Click(chromedp.CSS(`input[name="content"][value="5"]`)),
			chromedp.Click(chromedp.CSS(`input[name="applicability"][value="5"]`)),
			chromedp.Click(chromedp.CSS(`input[name="teacher"][value="5"]`)),
			chromedp.Click(chromedp.CSS(`input[name="value"][value="4"]`)),
			chromedp.SendKeys(chromedp.CSS("#f-text"), "Fatima hielp ons de inspraak over het park echt open te maken; bewoners voelden zich gehoord."),
		)
		leave(t, ctx, "send the review", chromedp.Submit(chromedp.CSS("#f-text")))
		if got := textOf(t, ctx, "#reviews article.review"); !strings.Contains(got, "Olaf Organisatie") || !strings.Contains(got, "Geverifieerde deelnemer") {
			t.Fatalf("the newest review is not the manager's verified one: %q", got)
		}
	})
}

// offeringID looks up a demo offering by its title.
func offeringID(t *testing.T, db *bun.DB, title string) int64 {
	t.Helper()
	var id int64
	if err := db.NewRaw("SELECT id FROM catalogue_offerings WHERE title = ?", title).Scan(context.Background(), &id); err != nil {
		t.Fatalf("offering %q: %v", title, err)
	}
	return id
}

// location is the address of the page the browser shows.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	return u
}
