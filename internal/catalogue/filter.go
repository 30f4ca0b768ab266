package catalogue

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// PerPage is the number of offerings on one page of search results.
const PerPage = 20

// MaxPriceEuros is the highest maximum price a search accepts; higher
// values are clamped to it.
const MaxPriceEuros = 1_000_000

// Filter is a search of the Gids: text, filters, sorting and page.
type Filter struct {
	Q             string
	Themes        []string
	Provinces     []string
	Formats       []string
	MaxPriceCents int64 // 0: no maximum
	CertifiedOnly bool
	MinRating     int // 0: no minimum; else 1–5 (mean score)
	Sort          string
	Page          int
	Exact         bool // search the words as typed, without typo correction
}

// Params names the query parameters of a search: Dutch in the pages,
// English in the API.
type Params struct {
	Q, Theme, Province, Format, MaxPrice, Certified, MinRating, Sort, Page, Exact string
	// SortValues maps the accepted sort values to the internal ones.
	SortValues map[string]string
}

// HTMLParams are the parameters of /gids.
var HTMLParams = Params{Q: "q", Theme: "thema", Province: "provincie", Format: "vorm", MaxPrice: "maxprijs",
	Certified: "gecertificeerd", MinRating: "minscore", Sort: "sorteer", Page: "pagina", Exact: "precies",
	SortValues: map[string]string{"relevantie": "relevance", "waardering": "rating", "prijs": "price", "nieuw": "newest"}}

// APIParams are the parameters of /api/v1/offerings.
var APIParams = Params{Q: "q", Theme: "theme", Province: "province", Format: "format", MaxPrice: "max_price",
	Certified: "certified", MinRating: "min_rating", Sort: "sort", Page: "page", Exact: "exact",
	SortValues: map[string]string{"relevance": "relevance", "rating": "rating", "price": "price", "newest": "newest"}}

// ParseFilter reads a search from query values. Unknown filter values are
// left out and reported per parameter with a Dutch message; absurd numbers
// are clamped silently.
func ParseFilter(v url.Values, p Params) (Filter, map[string]string) {
	problems := map[string]string{}
	f := Filter{Q: strings.TrimSpace(v.Get(p.Q)), Sort: "relevance", Page: 1}
	if r := []rune(f.Q); len(r) > 100 {
		f.Q = string(r[:100])
	}
	pick := func(param string, opts Options, what string) []string {
		var out, bad []string
		for _, raw := range v[param] {
			for _, x := range strings.Split(raw, ",") {
				x = strings.TrimSpace(x)
				switch {
				case x == "":
				case opts.Has(x):
					if !slices.Contains(out, x) {
						out = append(out, x)
					}
				default:
					bad = append(bad, x)
				}
			}
		}
		if len(bad) > 0 {
			problems[param] = fmt.Sprintf("Onbekende %s genegeerd: %s.", what, strings.Join(quoteAll(bad), ", "))
		}
		return out
	}
	f.Themes = pick(p.Theme, Themes, "thema's")
	f.Provinces = pick(p.Province, Provinces, "provincies")
	f.Formats = pick(p.Format, Formats, "vormen")
	if s := strings.TrimSpace(v.Get(p.MaxPrice)); s != "" {
		euros, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		switch {
		case err != nil || math.IsNaN(euros):
			problems[p.MaxPrice] = fmt.Sprintf("Maximumprijs %q is geen bedrag en is genegeerd.", truncate(s, 20))
		case euros <= 0:
			f.MaxPriceCents = 0
		default:
			f.MaxPriceCents = int64(math.Min(euros, MaxPriceEuros)*100 + 0.5)
		}
	}
	switch s := v.Get(p.Certified); s {
	case "", "0", "false", "nee":
	case "1", "true", "ja", "on":
		f.CertifiedOnly = true
	default:
		problems[p.Certified] = fmt.Sprintf("Waarde %q voor gecertificeerd is onbekend en genegeerd.", truncate(s, 20))
	}
	if s := strings.TrimSpace(v.Get(p.MinRating)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			problems[p.MinRating] = fmt.Sprintf("Minimumscore %q is geen getal en is genegeerd.", truncate(s, 20))
		} else {
			f.MinRating = min(max(n, 0), 5)
		}
	}
	if s := v.Get(p.Sort); s != "" {
		if internal, ok := p.SortValues[s]; ok {
			f.Sort = internal
		} else {
			problems[p.Sort] = fmt.Sprintf("Sortering %q is onbekend; er is op relevantie gesorteerd.", truncate(s, 20))
		}
	}
	switch v.Get(p.Exact) {
	case "1", "true", "ja":
		f.Exact = true
	}
	if f.Sort == "relevance" && f.Q == "" {
		f.Sort = "rating"
	}
	if s := v.Get(p.Page); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			n = 1
		}
		f.Page = min(n, 10000)
	}
	return f, problems
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.Quote(truncate(x, 30))
	}
	return out
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Values is the filter as query values under names p, for links that
// keep the search (page left out).
func (f Filter) Values(p Params) url.Values {
	v := url.Values{}
	if f.Q != "" {
		v.Set(p.Q, f.Q)
	}
	for _, x := range f.Themes {
		v.Add(p.Theme, x)
	}
	for _, x := range f.Provinces {
		v.Add(p.Province, x)
	}
	for _, x := range f.Formats {
		v.Add(p.Format, x)
	}
	if f.MaxPriceCents > 0 {
		v.Set(p.MaxPrice, strconv.FormatInt(f.MaxPriceCents/100, 10))
	}
	if f.CertifiedOnly {
		v.Set(p.Certified, "1")
	}
	if f.MinRating > 0 {
		v.Set(p.MinRating, strconv.Itoa(f.MinRating))
	}
	if f.Exact && f.Q != "" {
		v.Set(p.Exact, "1")
	}
	for k, internal := range p.SortValues {
		if internal == f.Sort && f.Sort != "relevance" && !(f.Sort == "rating" && f.Q == "") {
			v.Set(p.Sort, k)
		}
	}
	return v
}
