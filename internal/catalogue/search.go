package catalogue

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
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
}

// Params names the query parameters of a search: Dutch in the pages,
// English in the API.
type Params struct {
	Q, Theme, Province, Format, MaxPrice, Certified, MinRating, Sort, Page string
	// SortValues maps the accepted sort values to the internal ones.
	SortValues map[string]string
}

// HTMLParams are the parameters of /gids.
var HTMLParams = Params{Q: "q", Theme: "thema", Province: "provincie", Format: "vorm", MaxPrice: "maxprijs",
	Certified: "gecertificeerd", MinRating: "minscore", Sort: "sorteer", Page: "pagina",
	SortValues: map[string]string{"relevantie": "relevance", "waardering": "rating", "prijs": "price", "nieuw": "newest"}}

// APIParams are the parameters of /api/v1/offerings.
var APIParams = Params{Q: "q", Theme: "theme", Province: "province", Format: "format", MaxPrice: "max_price",
	Certified: "certified", MinRating: "min_rating", Sort: "sort", Page: "page",
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
	for k, internal := range p.SortValues {
		if internal == f.Sort && f.Sort != "relevance" && !(f.Sort == "rating" && f.Q == "") {
			v.Set(p.Sort, k)
		}
	}
	return v
}

// Hit is one offering in search results, with its provider.
type Hit = Offering

// Facet is the number of results a filter value would give, all other
// filters kept.
type Facet struct {
	Value, Label string
	Count        int
	Selected     bool
}

// Facets are the counts next to each filter value.
type Facets struct {
	Themes, Provinces, Formats, Ratings []Facet
	Certified                           int
}

// Results is one page of a search.
type Results struct {
	Hits   []Hit
	Total  int
	Page   int
	Pages  int
	Facets Facets
	// Corrected is the text actually searched when the original, with a
	// typo, found nothing; "" otherwise.
	Corrected string
}

// condition is one filter's SQL, tagged with the facet it belongs to.
type condition struct {
	dim  string
	sql  string
	args []any
}

func (f Filter) conditions() []condition {
	var cs []condition
	if f.Q != "" {
		cs = append(cs, condition{"q", "o.search @@ websearch_to_tsquery('dutch', ?)", []any{f.Q}})
	}
	if len(f.Themes) > 0 {
		cs = append(cs, condition{"theme", "o.themes && ?", []any{textArray(f.Themes)}})
	}
	if len(f.Provinces) > 0 {
		cs = append(cs, condition{"province", "o.provinces && ?", []any{textArray(f.Provinces)}})
	}
	if len(f.Formats) > 0 {
		cs = append(cs, condition{"format", "o.format IN (?)", []any{bun.In(f.Formats)}})
	}
	if f.MaxPriceCents > 0 {
		cs = append(cs, condition{"price", "o.price_incl_cents <= ?", []any{f.MaxPriceCents}})
	}
	if f.CertifiedOnly {
		cs = append(cs, condition{"certified", "o.certified", nil})
	}
	if f.MinRating > 0 {
		cs = append(cs, condition{"rating", "o.review_count > 0 AND o.rating_mean >= ?", []any{f.MinRating}})
	}
	return cs
}

// where joins the conditions except those of dimension skip.
func where(cs []condition, skip string) (string, []any) {
	parts := []string{"o.listed"}
	var args []any
	for _, c := range cs {
		if c.dim == skip {
			continue
		}
		parts = append(parts, c.sql)
		args = append(args, c.args...)
	}
	return strings.Join(parts, " AND "), args
}

// Search runs f: one page of hits, the total and the facet counts. A text
// that finds nothing is retried once with its words corrected for typos
// (Results.Corrected says to what).
func (s *Store) Search(ctx context.Context, f Filter) (Results, error) {
	return s.search(ctx, f, nil)
}

// facetCache keeps facet counts and totals for a short while.
type facetCache interface {
	// do returns the cached counts of key, or computes them once however
	// many searches ask at the same time.
	do(key string, compute func() (Facets, int, error)) (Facets, int, error)
}

func (s *Store) search(ctx context.Context, f Filter, cache facetCache) (Results, error) {
	if f.Q != "" {
		found, err := s.db.NewSelect().Table("catalogue_offerings").Where("listed AND search @@ websearch_to_tsquery('dutch', ?)", f.Q).Exists(ctx)
		if err != nil {
			return Results{}, fmt.Errorf("catalogue: search: %w", err)
		}
		if !found {
			corrected, err := s.correct(ctx, f.Q)
			if err != nil {
				return Results{}, err
			}
			if corrected != f.Q {
				res, err := s.search(ctx, Filter{Q: corrected, Themes: f.Themes, Provinces: f.Provinces, Formats: f.Formats,
					MaxPriceCents: f.MaxPriceCents, CertifiedOnly: f.CertifiedOnly, MinRating: f.MinRating, Sort: f.Sort, Page: f.Page}, cache)
				res.Corrected = corrected
				return res, err
			}
		}
	}
	cs := f.conditions()
	res := Results{Page: f.Page}
	key := f.Values(APIParams)
	key.Del(APIParams.Sort)
	ck := key.Encode()
	type out struct {
		facets Facets
		total  int
		err    error
	}
	ch := make(chan out, 1)
	go func() {
		if cache == nil {
			fc, total, err := s.facets(ctx, f, cs)
			ch <- out{fc, total, err}
			return
		}
		// The computation is shared: one client leaving must not cancel it for the others.
		fc, total, err := cache.do(ck, func() (Facets, int, error) { return s.facets(context.WithoutCancel(ctx), f, cs) })
		ch <- out{fc, total, err}
	}()
	hits, err := s.hits(ctx, f, cs, PerPage, (f.Page-1)*PerPage)
	fo := <-ch
	if err != nil {
		return res, err
	}
	if fo.err != nil {
		return res, fo.err
	}
	res.Facets, res.Total = fo.facets, fo.total
	res.Pages = max(1, (res.Total+PerPage-1)/PerPage)
	if f.Page > res.Pages {
		res.Page = res.Pages
		if hits, err = s.hits(ctx, f, cs, PerPage, (res.Page-1)*PerPage); err != nil {
			return res, err
		}
	}
	res.Hits = hits
	return res, nil
}

// correct replaces each word of q by the most similar word in the Gids'
// vocabulary, for a second try after a search that found nothing.
func (s *Store) correct(ctx context.Context, q string) (string, error) {
	words := strings.Fields(strings.ToLower(q))
	changed := false
	for i, w := range words {
		if len([]rune(w)) < 4 || len(w) > 40 {
			continue
		}
		var best []string
		err := s.db.NewRaw("SELECT word FROM catalogue_words WHERE word % ? ORDER BY word <-> ?, word LIMIT 1", w, w).Scan(ctx, &best)
		if err != nil {
			return q, fmt.Errorf("catalogue: correct %q: %w", w, err)
		}
		if len(best) == 1 && best[0] != w {
			words[i], changed = best[0], true
		}
	}
	if !changed {
		return q, nil
	}
	return strings.Join(words, " "), nil
}

func (s *Store) hits(ctx context.Context, f Filter, cs []condition, limit, offset int) ([]Hit, error) {
	var hits []Hit
	w, args := where(cs, "")
	q := s.db.NewSelect().Model(&hits).ExcludeColumn("description").
		Relation("Provider", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Column("name", "kind") }).
		Where(w, args...).Limit(int64(limit)).Offset(int64(offset))
	switch f.Sort {
	case "relevance":
		q = q.OrderExpr("ts_rank_cd(o.search, websearch_to_tsquery('dutch', ?), 1) DESC, o.rating_bayes DESC, o.id", f.Q)
	case "price":
		q = q.OrderExpr("o.price_incl_cents, o.id")
	case "newest":
		q = q.OrderExpr("o.created_at DESC, o.id DESC")
	default:
		q = q.OrderExpr("o.rating_bayes DESC, o.id")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: search: %w", err)
	}
	return hits, nil
}

// facets counts, in one round trip, the total and for each filter value
// the results it would give with the other filters kept.
func (s *Store) facets(ctx context.Context, f Filter, cs []condition) (Facets, int, error) {
	var sb strings.Builder
	var args []any
	add := func(sel, skip, tail string) {
		w, a := where(cs, skip)
		if sb.Len() > 0 {
			sb.WriteString(" UNION ALL ")
		}
		sb.WriteString(sel + " WHERE " + w + tail)
		args = append(args, a...)
	}
	add("(SELECT 'total' AS dim, '' AS value, count(*) AS n FROM catalogue_offerings o", "", ")")
	add("(SELECT 'theme', t, count(*) FROM catalogue_offerings o, unnest(o.themes) t", "theme", " GROUP BY t)")
	add("(SELECT 'province', t, count(*) FROM catalogue_offerings o, unnest(o.provinces) t", "province", " GROUP BY t)")
	add("(SELECT 'format', o.format, count(*) FROM catalogue_offerings o", "format", " GROUP BY o.format)")
	add("(SELECT 'certified', '1', count(*) FROM catalogue_offerings o", "certified", " AND o.certified)")
	add("(SELECT 'rating', m::text, count(*) FROM catalogue_offerings o, (VALUES (4), (3), (2)) AS v(m)", "rating",
		" AND o.review_count > 0 AND o.rating_mean >= m GROUP BY m)")
	var rows []struct {
		Dim, Value string
		N          int
	}
	if err := s.db.NewRaw(sb.String(), args...).Scan(ctx, &rows); err != nil {
		return Facets{}, 0, fmt.Errorf("catalogue: facets: %w", err)
	}
	counts := map[string]map[string]int{}
	for _, r := range rows {
		if counts[r.Dim] == nil {
			counts[r.Dim] = map[string]int{}
		}
		counts[r.Dim][r.Value] = r.N
	}
	list := func(opts Options, dim string, selected []string) []Facet {
		out := make([]Facet, 0, len(opts))
		for _, o := range opts {
			out = append(out, Facet{Value: o.Value, Label: o.Label, Count: counts[dim][o.Value], Selected: slices.Contains(selected, o.Value)})
		}
		return out
	}
	fc := Facets{
		Themes:    list(Themes, "theme", f.Themes),
		Provinces: list(Provinces, "province", f.Provinces),
		Formats:   list(Formats, "format", f.Formats),
		Certified: counts["certified"]["1"],
	}
	for _, m := range []int{4, 3, 2} {
		fc.Ratings = append(fc.Ratings, Facet{Value: strconv.Itoa(m), Label: fmt.Sprintf("%d sterren of meer", m),
			Count: counts["rating"][strconv.Itoa(m)], Selected: f.MinRating == m})
	}
	return fc, counts["total"][""], nil
}
