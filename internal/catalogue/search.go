package catalogue

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/uptrace/bun"
)

// Hit is one offering in search results, with its provider's name and kind.
type Hit struct {
	Offering `bun:",extend"`
	// Matched says for each searched word whether the offering contains it.
	Matched []bool `bun:"matched,array,scanonly" json:"-"`
	// Missing are the searched words this offering does not contain; empty
	// when it contains them all.
	Missing []string `bun:"-" json:"-"`
}

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
	// Full is how many results contain every searched word.
	Full int
}

// Results is one page of a search.
type Results struct {
	Hits   []Hit
	Total  int
	Page   int
	Pages  int
	Facets Facets
	// Words are the words searched for (stop words left out).
	Words []string
	// Corrected is the text actually searched when a typed word was not in
	// the Gids and a near one was ("webcaer" → "webcare"); "" otherwise.
	Corrected string
	// Unknown are typed words that no offering contains; they are left out.
	Unknown []string
}

// Partial reports whether some results contain only part of the words.
func (r Results) Partial() bool { return len(r.Words) > 1 && r.Total > r.Facets.Full }

// maxWords is the number of words of a query that are searched.
const maxWords = 8

// candidates bounds the ranking of a broad text search: the best rated
// matches (all of them when there are fewer) are ranked by relevance.
const candidates = 200

// textQuery is the text of a search as PostgreSQL searches it.
type textQuery struct {
	words     []string // as searched (after correction)
	tsqueries []string // one tsquery per word
	min       int      // how many of the words a result must contain
	corrected string
	unknown   []string // typed words no offering contains (nor a near word)
}

func (t textQuery) empty() bool { return len(t.words) == 0 }

func (t textQuery) joined(op string) string {
	parts := make([]string, len(t.tsqueries))
	for i, q := range t.tsqueries {
		parts[i] = "(" + q + ")"
	}
	return strings.Join(parts, " "+op+" ")
}

// all is the tsquery of results with every word; any of those with at least one.
func (t textQuery) all() string { return t.joined("&") }
func (t textQuery) any() string { return t.joined("|") }

// perWord joins one SQL test per word, "o.search @@ ?::tsquery" wrapped
// as format says, with sep; and its arguments.
func (t textQuery) perWord(format, sep string) (string, []any) {
	parts := make([]string, len(t.tsqueries))
	args := make([]any, len(t.tsqueries))
	for i, q := range t.tsqueries {
		parts[i] = fmt.Sprintf(format, "o.search @@ ?::tsquery")
		args[i] = q
	}
	return strings.Join(parts, sep), args
}

// matchedExpr is an SQL array saying which of the words o contains.
func (t textQuery) matchedExpr() (string, []any) {
	sql, args := t.perWord("%s", ", ")
	return "ARRAY[" + sql + "]", args
}

// matchedCount is an SQL expression counting the words o contains.
func (t textQuery) matchedCount() (string, []any) {
	sql, args := t.perWord("(%s)::int", " + ")
	return "(" + sql + ")", args
}

// condition is the text's filter: any word, and at least min of them.
func (t textQuery) condition() condition {
	c := condition{dim: "q", sql: "o.search @@ ?::tsquery", args: []any{t.any()}}
	if t.min == len(t.words) && len(t.words) > 1 {
		c.args = []any{t.all()}
	} else if t.min > 1 {
		count, args := t.matchedCount()
		c.sql += " AND " + count + " >= " + strconv.Itoa(t.min)
		c.args = append(c.args, args...)
	}
	return c
}

// tokens splits a query into lower-case words of letters and digits (a
// version such as "2.0" stays one word).
func tokens(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' }) {
		w = strings.Trim(w, ".")
		if w != "" && len(w) <= 60 && !slices.Contains(out, w) && len(out) < maxWords {
			out = append(out, w)
		}
	}
	return out
}

// variant is the singular a Dutch stemmer misses: "cursussen" stems to
// "cursuss" but "cursus" to "cursus". It drops a plural "-en" and then
// the doubled consonant before it; "" when w has no such ending.
func variant(w string) string {
	r := []rune(w)
	if len(r) < 6 || string(r[len(r)-2:]) != "en" {
		return ""
	}
	base := r[:len(r)-2]
	if n := len(base); n >= 2 && base[n-1] == base[n-2] && strings.ContainsRune("bdfgklmnprst", base[n-1]) {
		return string(base[:n-1])
	}
	return ""
}

// analyse turns the typed text into the words to search: stop words left
// out, and a word the Gids does not contain replaced by the nearest word it
// does (unless exact), in one round trip plus one per unknown word.
func (s *store) analyse(ctx context.Context, q string, exact bool) (textQuery, error) {
	var t textQuery
	typed := tokens(q)
	if len(typed) == 0 {
		return t, nil
	}
	variants := make([]string, len(typed))
	for i, w := range typed {
		variants[i] = variant(w)
	}
	var rows []struct {
		W     string
		Q     string
		Found bool
	}
	// Each word's tsquery, with its singular when the stemmer misses it.
	err := s.db.NewRaw(`WITH t AS (SELECT w, CASE WHEN v = '' OR plainto_tsquery('catalogue_nl', v) = plainto_tsquery('catalogue_nl', w)
			THEN plainto_tsquery('catalogue_nl', w) ELSE plainto_tsquery('catalogue_nl', w) || plainto_tsquery('catalogue_nl', v) END AS q, i
		FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS u(w, v, i))
		SELECT t.w, t.q::text AS q,
		EXISTS (SELECT 1 FROM catalogue_offerings o WHERE o.listed AND o.search @@ t.q) AS found
		FROM t ORDER BY t.i`, textArray(typed), textArray(variants)).Scan(ctx, &rows)
	if err != nil {
		return t, fmt.Errorf("catalogue: analyse query: %w", err)
	}
	changed := false
	shown := make([]string, 0, len(rows))
	for _, r := range rows {
		word, tsq := r.W, r.Q
		if !r.Found && !exact && len([]rune(word)) >= 4 && tsq != "" {
			fix, fixQ, ok, err := s.correct(ctx, word)
			if err != nil {
				return t, err
			}
			if ok {
				word, tsq, changed = fix, fixQ, true
			}
		}
		shown = append(shown, word)
		switch {
		case tsq == "":
			continue // a stop word such as "de" or "voor"
		case !r.Found && word == r.W:
			// In no offering: it cannot narrow the search, only empty it.
			t.unknown = append(t.unknown, word)
			continue
		}
		t.words = append(t.words, word)
		t.tsqueries = append(t.tsqueries, tsq)
	}
	t.min = (len(t.words) + 1) / 2
	if changed {
		t.corrected = strings.Join(shown, " ")
	}
	return t, nil
}

// correct returns the word of the Gids' vocabulary nearest to w (by
// trigram similarity, accents ignored) and its tsquery, when there is one.
func (s *store) correct(ctx context.Context, w string) (string, string, bool, error) {
	var rows []struct {
		Word string
		Q    string
	}
	err := s.db.NewRaw(`SELECT word, plainto_tsquery('catalogue_nl', word)::text AS q FROM catalogue_words
		WHERE word % catalogue_unaccent(?) AND word <> catalogue_unaccent(?)
		ORDER BY word <-> catalogue_unaccent(?), word LIMIT 1`, w, w, w).Scan(ctx, &rows)
	if err != nil {
		return "", "", false, fmt.Errorf("catalogue: correct %q: %w", w, err)
	}
	if len(rows) == 0 || rows[0].Q == "" {
		return "", "", false, nil
	}
	return rows[0].Word, rows[0].Q, true, nil
}

// condition is one filter's SQL, tagged with the facet it belongs to.
type condition struct {
	dim  string
	sql  string
	args []any
}

func (f Filter) conditions(t textQuery) []condition {
	var cs []condition
	if !t.empty() {
		cs = append(cs, t.condition())
	}
	if len(f.Themes) > 0 {
		cs = append(cs, condition{"theme", "o.themes && ?", []any{textArray(f.Themes)}})
	}
	if len(f.Provinces) > 0 {
		cs = append(cs, condition{"province", "o.provinces && ?", []any{textArray(f.Provinces)}})
	}
	if len(f.Formats) > 0 {
		cs = append(cs, condition{"format", "o.format IN (?)", []any{bun.List(f.Formats)}})
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

// facetCache keeps facet counts and totals for a short while.
type facetCache interface {
	// do returns the cached counts of key, or computes them once however
	// many searches ask at the same time.
	do(key string, compute func() (Facets, int, error)) (Facets, int, error)
}

// search runs f: one page of hits, the total and the facet counts (from
// cache when it is not nil).
func (s *store) search(ctx context.Context, f Filter, cache facetCache) (Results, error) {
	t, err := s.analyse(ctx, f.Q, f.Exact)
	if err != nil {
		return Results{}, err
	}
	if t.empty() && len(t.unknown) > 0 {
		return Results{Page: 1, Pages: 1, Unknown: t.unknown, Corrected: t.corrected, Facets: emptyFacets(f)}, nil
	}
	if t.empty() && f.Sort == "relevance" {
		f.Sort = "rating"
	}
	cs := f.conditions(t)
	res := Results{Page: f.Page, Words: t.words, Corrected: t.corrected, Unknown: t.unknown}
	key := f.Values(APIParams)
	key.Del(APIParams.Sort)
	key.Set(APIParams.Q, strings.Join(t.words, " "))
	ck := key.Encode()
	type out struct {
		facets Facets
		total  int
		err    error
	}
	ch := make(chan out, 1)
	go func() {
		if cache == nil {
			fc, total, err := s.facets(ctx, f, t, cs)
			ch <- out{fc, total, err}
			return
		}
		// The computation is shared: one client leaving must not cancel it for the others.
		fc, total, err := cache.do(ck, func() (Facets, int, error) { return s.facets(context.WithoutCancel(ctx), f, t, cs) })
		ch <- out{fc, total, err}
	}()
	hits, err := s.hits(ctx, f, t, cs, PerPage, (f.Page-1)*PerPage)
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
		if hits, err = s.hits(ctx, f, t, cs, PerPage, (res.Page-1)*PerPage); err != nil {
			return res, err
		}
	}
	for i := range hits {
		for j, ok := range hits[i].Matched {
			if !ok && j < len(t.words) {
				hits[i].Missing = append(hits[i].Missing, t.words[j])
			}
		}
	}
	res.Hits = hits
	return res, nil
}

// emptyFacets are the facets of a search that finds nothing.
func emptyFacets(f Filter) Facets {
	list := func(opts Options, selected []string) []Facet {
		out := make([]Facet, 0, len(opts))
		for _, o := range opts {
			out = append(out, Facet{Value: o.Value, Label: o.Label, Selected: slices.Contains(selected, o.Value)})
		}
		return out
	}
	fc := Facets{Themes: list(Themes, f.Themes), Provinces: list(Provinces, f.Provinces), Formats: list(Formats, f.Formats)}
	for _, m := range []int{4, 3, 2} {
		fc.Ratings = append(fc.Ratings, Facet{Value: strconv.Itoa(m), Label: fmt.Sprintf("%d sterren of meer", m), Selected: f.MinRating == m})
	}
	return fc
}

// hits is one page of results. Ranked by relevance, an offering with more
// of the words comes first, then the better text match (title above kind,
// themes and provider, above place, above description), then the rating.
// A broad text match ranks its best rated candidates (see candidates).
func (s *store) hits(ctx context.Context, f Filter, t textQuery, cs []condition, limit, offset int) ([]Hit, error) {
	var hits []Hit
	w, args := where(cs, "")
	q := s.db.NewSelect().Model(&hits).ExcludeColumn("description").
		Relation("Provider", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Column("name", "kind") }).
		Limit(int64(limit)).Offset(int64(offset))
	if !t.empty() {
		expr, margs := t.matchedExpr()
		q = q.ColumnExpr(expr+" AS matched", margs...)
	}
	switch f.Sort {
	case "relevance":
		if offset+limit <= candidates {
			cw, cargs := where(cs, "q")
			all := "(SELECT o.id FROM catalogue_offerings o WHERE " + cw + " AND o.search @@ ?::tsquery ORDER BY o.rating_bayes DESC, o.id LIMIT " + strconv.Itoa(candidates) + ")"
			cand := all
			cargsAll := append(slices.Clone(cargs), t.all())
			if len(t.words) > 1 {
				cand = all + " UNION (SELECT o.id FROM catalogue_offerings o WHERE " + w + " ORDER BY o.rating_bayes DESC, o.id LIMIT " + strconv.Itoa(candidates) + ")"
				cargsAll = append(cargsAll, args...)
			}
			q = q.Where("o.id IN ("+cand+")", cargsAll...)
		}
		count, cargs := t.matchedCount()
		q = q.Where(w, args...).
			OrderExpr(count+" DESC", cargs...).
			OrderExpr("ts_rank_cd('{0.05, 0.2, 0.4, 1.0}', o.search, ?::tsquery, 1) DESC, o.rating_bayes DESC, o.id", t.any())
	case "price":
		q = q.Where(w, args...).OrderExpr("o.price_incl_cents, o.id")
	case "newest":
		q = q.Where(w, args...).OrderExpr("o.created_at DESC, o.id DESC")
	default:
		q = q.Where(w, args...).OrderExpr("o.rating_bayes DESC, o.id")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: search: %w", err)
	}
	return hits, nil
}

// facets counts, in one round trip, the total, the results with every
// word, and for each filter value the results it would give with the other
// filters kept.
func (s *store) facets(ctx context.Context, f Filter, t textQuery, cs []condition) (Facets, int, error) {
	var sb strings.Builder
	var args []any
	add := func(sel, skip, tail string, extra ...any) {
		w, a := where(cs, skip)
		if sb.Len() > 0 {
			sb.WriteString(" UNION ALL ")
		}
		sb.WriteString(sel + " WHERE " + w + tail)
		args = append(args, a...)
		args = append(args, extra...)
	}
	add("(SELECT 'total' AS dim, '' AS value, count(*) AS n FROM catalogue_offerings o", "", ")")
	if len(t.words) > 1 {
		add("(SELECT 'full', '', count(*) FROM catalogue_offerings o", "", " AND o.search @@ ?::tsquery)", t.all())
	}
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
		Full:      counts["total"][""],
	}
	if len(t.words) > 1 {
		fc.Full = counts["full"][""]
	}
	for _, m := range []int{4, 3, 2} {
		fc.Ratings = append(fc.Ratings, Facet{Value: strconv.Itoa(m), Label: fmt.Sprintf("%d sterren of meer", m),
			Count: counts["rating"][strconv.Itoa(m)], Selected: f.MinRating == m})
	}
	return fc, counts["total"][""], nil
}
