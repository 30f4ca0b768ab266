package catalogue

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type searchPage struct {
	base
	Filter   Filter
	Results  Results
	Query    string // the search as a query string, page left out
	MaxPrice string
	// Typed is what the visitor typed, when the search was corrected.
	Typed string
	// SortChoice is the order the form shows: relevance unless one was
	// chosen, so typing a query after browsing ranks by relevance.
	SortChoice string
}

// PageURL is the link to page n of the same search.
func (p searchPage) PageURL(n int) string {
	v, _ := url.ParseQuery(p.Query)
	v.Set("pagina", strconv.Itoa(n))
	return "/gids?" + v.Encode()
}

// ExactURL is the link to the search for the words as typed.
func (p searchPage) ExactURL() string {
	v, _ := url.ParseQuery(p.Query)
	v.Set("q", p.Typed)
	v.Set("precies", "1")
	return "/gids?" + v.Encode()
}

// CorrectedURL is the link to the search for the corrected words.
func (p searchPage) CorrectedURL() string {
	v, _ := url.ParseQuery(p.Query)
	v.Set("q", p.Results.Corrected)
	return "/gids?" + v.Encode()
}

// GET /gids
func (h *Handler) search(c *fiber.Ctx) error {
	f, problems := ParseFilter(queryValues(c), HTMLParams)
	res, err := h.svc.Search(c.UserContext(), f)
	if err != nil {
		return err
	}
	page := searchPage{base: newBase(c, "Gouden Gids"), Filter: f, Results: res, Query: f.Values(HTMLParams).Encode(), SortChoice: f.Sort}
	if s := c.Query(HTMLParams.Sort); s == "" || s == "relevantie" {
		page.SortChoice = "relevance"
	}
	if f.MaxPriceCents > 0 {
		page.MaxPrice = strconv.FormatInt(f.MaxPriceCents/100, 10)
	}
	keys := make([]string, 0, len(problems))
	for k := range problems {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		page.Notices = append(page.Notices, problems[k])
	}
	if res.Corrected != "" {
		page.Typed = f.Q
	}
	if f.Page != res.Page {
		page.Notices = append(page.Notices, fmt.Sprintf("Pagina %d bestaat niet; u ziet de laatste pagina.", f.Page))
	}
	return web.Render(c, fiber.StatusOK, "catalogue/search", page)
}

type comparePage struct {
	base
	Offerings  []Offering
	Aggregates map[int64]Aggregate
	Errors     web.FieldErrors
}

// CSVURL is the link to the same comparison as CSV.
func (p comparePage) CSVURL() template.URL { return template.URL("/gids/vergelijk.csv?" + p.query()) } //nolint:gosec // built from numeric ids

// QuoteURL is the link to ask these providers for a quote.
func (p comparePage) QuoteURL() template.URL {
	return template.URL("/gids/offertes/nieuw?" + strings.ReplaceAll(p.query(), "id=", "aanbod=")) //nolint:gosec // numeric ids
}

func (p comparePage) query() string {
	v := url.Values{}
	for _, o := range p.Offerings {
		v.Add("id", strconv.FormatInt(o.ID, 10))
	}
	return v.Encode()
}

// GET /gids/vergelijk
func (h *Handler) compare(c *fiber.Ctx) error {
	os, aggs, err := h.svc.Compare(c.UserContext(), ids(queryValues(c), "id"))
	if ve, ok := apperr.AsValidation(err); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/compare", comparePage{base: newBase(c, "Vergelijken"), Errors: web.FormErrors(ve, nil)})
	}
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/compare", comparePage{base: newBase(c, "Vergelijken"), Offerings: os, Aggregates: aggs})
}

// GET /gids/vergelijk.csv — one column per offering, prices and scores as
// numbers, links absolute.
func (h *Handler) compareCSV(c *fiber.Ctx) error {
	os, aggs, err := h.svc.Compare(c.UserContext(), ids(queryValues(c), "id"))
	if err != nil {
		return err
	}
	header := []string{"Kenmerk"}
	for _, o := range os {
		header = append(header, o.Title)
	}
	out := web.NewCSV(header...)
	row := func(label string, cell func(o Offering, a Aggregate) any) {
		r := []any{label}
		for _, o := range os {
			r = append(r, cell(o, aggs[o.ID]))
		}
		out.Row(r...)
	}
	score := func(x float64, a Aggregate) any {
		if a.Count == 0 {
			return nil
		}
		return web.Decimal{Value: x, Places: 1}
	}
	row("Aanbieder", func(o Offering, _ Aggregate) any { return o.Provider.Name })
	row("Soort", func(o Offering, _ Aggregate) any { return OfferingKinds.Label(o.Kind) })
	row("Adres in de Gids", func(o Offering, _ Aggregate) any { return h.svc.URL(fmt.Sprintf("/gids/aanbod/%d", o.ID)) })
	row("Prijs excl. btw (euro)", func(o Offering, _ Aggregate) any { return web.Money(o.PriceExclCents) })
	row("Btw (%)", func(o Offering, _ Aggregate) any { return o.VATPercent })
	row("Prijs incl. btw (euro)", func(o Offering, _ Aggregate) any { return web.Money(o.PriceInclCents) })
	row("Prijs per uur incl. btw (euro)", func(o Offering, _ Aggregate) any { return web.Money(o.PricePerHourCents()) })
	row("Studie-uren", func(o Offering, _ Aggregate) any { return o.StudyHours })
	row("Vorm", func(o Offering, _ Aggregate) any { return Formats.Label(o.Format) })
	row("Provincies", func(o Offering, _ Aggregate) any { return labels(Provinces, o.Provinces) })
	row("Thema's", func(o Offering, _ Aggregate) any { return labels(Themes, o.Themes) })
	row("Gecertificeerd", func(o Offering, _ Aggregate) any { return yesNo(o.Certified) })
	row("Totaaloordeel (1-5)", func(_ Offering, a Aggregate) any { return score(a.Mean, a) })
	for _, cr := range Criteria {
		row(cr.Label+" (1-5)", func(_ Offering, a Aggregate) any { return score(a.Criteria[cr.Value], a) })
	}
	row("Rangscore (Bayesiaans)", func(_ Offering, a Aggregate) any { return web.Decimal{Value: a.Bayes, Places: 2} })
	row("Aantal reviews", func(_ Offering, a Aggregate) any { return a.Count })
	row("Waarvan van aantoonbare deelnemers", func(_ Offering, a Aggregate) any { return a.Verified })
	return out.Send(c, "gouden-gids-vergelijking.csv")
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee"
}
