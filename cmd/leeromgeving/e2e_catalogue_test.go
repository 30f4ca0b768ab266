package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// A civil servant searches the Gouden Gids, filters, opens an offering,
// reviews it, and compares three offerings side by side.
func TestBrowser_GidsSearchReviewCompare(t *testing.T) {
	dbURL := testdb.NewURL(t)
	var seedOut strings.Builder
	env := map[string]string{"DATABASE_URL": dbURL, "LEEROMGEVING_DATA_DIR": t.TempDir(), "LEEROMGEVING_LOG_LEVEL": "warn"}
	if err := run(t.Context(), []string{"seed", "--demo"}, func(k string) string { return env[k] }, &seedOut); err != nil {
		t.Fatalf("seed: %v", err)
	}
	m := regexp.MustCompile(`wachtwoord voor allemaal: (\S+)\)`).FindStringSubmatch(seedOut.String())
	if m == nil {
		t.Fatalf("no demo password in %q", seedOut.String())
	}
	base := startApp(t, "DATABASE_URL", dbURL)
	ctx := newBrowser(t)

	login(t, ctx, base, "lotte@utrecht.example", m[1])
	must(t, ctx, "type a query with a typo",
		chromedp.Navigate(base+"/gids"),
		chromedp.SendKeys(chromedp.CSS("#q"), "webcaer"),
	)
	leave(t, ctx, "search", chromedp.Click(chromedp.CSS(`button[form="zoek"]`)))
	if got := textOf(t, ctx, "#resultaten"); !strings.HasPrefix(got, "2 resultaten") {
		t.Fatalf("search heading %q", got)
	}
	must(t, ctx, "tick a province", chromedp.Click(chromedp.CSS(`input[name="provincie"][value="utrecht"]`)))
	leave(t, ctx, "filter on province", chromedp.Click(chromedp.CSS(`#zoek button[type=submit]`)))
	if got := textOf(t, ctx, "#resultaten"); !strings.HasPrefix(got, "1 resultaat") {
		t.Fatalf("after filter: %q", got)
	}
	leave(t, ctx, "open the offering", chromedp.Click(chromedp.CSS(".hit h3 a")))
	if got := textOf(t, ctx, "h1"); got != "Webcare voor gemeenten" {
		t.Fatalf("offering page %q", got)
	}
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
	if got := textOf(t, ctx, "#reviews-titel"); got != "Reviews (2)" {
		t.Fatalf("reviews heading %q", got)
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
}
