package catalogue

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

const scaleChunk = 2000

// SeedScale generates a large synthetic catalogue for benchmarks: offerings
// offerings, one provider per ten offerings, one reviewer account per five
// offerings (they cannot log in) and about ten reviews per offering, all
// approved and listed. Progress goes to out. Each run adds a new batch.
func SeedScale(ctx context.Context, db *bun.DB, offerings int, out io.Writer) error {
	if offerings < 10 {
		return fmt.Errorf("kies --scale 10 of meer")
	}
	tag := time.Now().UTC().Format("20060102150405")
	users := max(50, offerings/5)
	if users%7919 == 0 {
		users++
	}
	providers := max(1, offerings/10)
	chunks := func(n int) int { return (n + scaleChunk - 1) / scaleChunk }
	bar := progressbar.NewOptions(chunks(users)+chunks(providers)+2*chunks(offerings),
		progressbar.OptionSetWriter(out), progressbar.OptionSetDescription("Gouden Gids op schaal"),
		progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
	step := func(q string, total int, args func(from, to int) []any) error {
		for from := 1; from <= total; from += scaleChunk {
			to := min(total, from+scaleChunk-1)
			if _, err := db.NewRaw(q, args(from, to)...).Exec(ctx); err != nil {
				return fmt.Errorf("catalogue: scale: %w", err)
			}
			_ = bar.Add(1)
		}
		return nil
	}
	err := step(`INSERT INTO users (email, name, password_hash)
		SELECT 'schaal-' || ? || '-' || g || '@schaal.example', 'Deelnemer ' || g, '!'
		FROM generate_series(?::int, ?::int) g`, users, func(f, t int) []any { return []any{tag, f, t} })
	if err != nil {
		return err
	}
	var userIDs []int64
	if err := db.NewRaw("SELECT id FROM users WHERE email LIKE ? ORDER BY id", "schaal-"+tag+"-%").Scan(ctx, &userIDs); err != nil {
		return fmt.Errorf("catalogue: scale users: %w", err)
	}
	var firstProvider int64
	err = step(`INSERT INTO catalogue_providers (kind, name, description, contact_email, provinces, status, approved_at)
		SELECT (ARRAY['institute', 'firm', 'independent'])[1 + g % 3], 'Schaalaanbieder ' || ? || '-' || g,
		'Synthetische aanbieder voor belastingtests.', 'schaal@schaal.example',
		ARRAY[(ARRAY['drenthe','flevoland','friesland','gelderland','groningen','limburg','noord-brabant','noord-holland','overijssel','utrecht','zeeland','zuid-holland'])[1 + g % 12], 'online'],
		'approved', now()
		FROM generate_series(?::int, ?::int) g`, providers, func(f, t int) []any { return []any{tag, f, t} })
	if err != nil {
		return err
	}
	if err := db.NewRaw("SELECT min(id) FROM catalogue_providers WHERE name LIKE ?", "Schaalaanbieder "+tag+"-%").Scan(ctx, &firstProvider); err != nil {
		return fmt.Errorf("catalogue: scale providers: %w", err)
	}
	err = step(`SET LOCAL catalogue.bulk = 'on';
		INSERT INTO catalogue_offerings (provider_id, kind, title, description, themes, provinces, format, study_hours,
		price_excl_cents, vat_percent, price_incl_cents, language, listed, certified, created_at)
		SELECT ?::bigint + (g % ?::int), CASE WHEN g % 4 = 0 THEN 'advice' ELSE 'training' END,
		(ARRAY['Training', 'Workshop', 'Masterclass', 'Leergang', 'Adviestraject', 'Cursus'])[1 + g % 6] || ' ' ||
		(ARRAY['webcare', 'sociale media', 'online samenwerken', 'kennisdelen', 'leiderschap 2.0', 'participatie', 'open data', 'open overheid', 'digitale vaardigheden', 'netwerkorganisatie'])[1 + (g / 7) % 10] || ' ' ||
		(ARRAY['voor gemeenten', 'voor provincies', 'voor het Rijk', 'voor waterschappen', 'voor beginners', 'voor gevorderden', 'in de praktijk'])[1 + (g / 3) % 7] || ' ' || g,
		'Synthetisch aanbod ' || g || ' over ' || (ARRAY['trainingen en oefeningen', 'samenwerken in netwerken', 'reageren op inwoners', 'data delen', 'leidinggeven op afstand'])[1 + g % 5] || '.',
		ARRAY[(ARRAY['webcare','sociale-media','online-samenwerken','kennisdelen','leiderschap','participatie','open-data','open-overheid','digitale-vaardigheden','netwerkorganisatie'])[1 + (g / 7) % 10],
		      (ARRAY['webcare','sociale-media','online-samenwerken','kennisdelen','leiderschap','participatie','open-data','open-overheid','digitale-vaardigheden','netwerkorganisatie'])[1 + (g / 11) % 10]],
		ARRAY[(ARRAY['drenthe','flevoland','friesland','gelderland','groningen','limburg','noord-brabant','noord-holland','overijssel','utrecht','zeeland','zuid-holland','landelijk','online'])[1 + g % 14]],
		(ARRAY['klassikaal','online','blended','incompany'])[1 + g % 4], 2 + g % 60,
		(10000 + (g * 7919) % 490000), CASE WHEN g % 3 = 0 THEN 0 ELSE 21 END,
		CASE WHEN g % 3 = 0 THEN (10000 + (g * 7919) % 490000) ELSE round((10000 + (g * 7919) % 490000) * 1.21) END,
		'nl', true, g % 5 = 0, now() - (g % 365) * interval '1 day'
		FROM generate_series(?::int, ?::int) g`, offerings, func(f, t int) []any { return []any{firstProvider, providers, f, t} })
	if err != nil {
		return err
	}
	var firstOffering int64
	if err := db.NewRaw("SELECT min(id) FROM catalogue_offerings WHERE provider_id >= ?", firstProvider).Scan(ctx, &firstOffering); err != nil {
		return fmt.Errorf("catalogue: scale offerings: %w", err)
	}
	// The words of the batch for typo correction, once (the rows were loaded without).
	if _, err := db.NewRaw(`INSERT INTO catalogue_words (word)
		SELECT DISTINCT w FROM (SELECT DISTINCT regexp_replace(title, '[0-9]+$', '') AS t, themes FROM catalogue_offerings WHERE id >= ?) o,
		regexp_split_to_table(catalogue_unaccent(lower(o.t || ' ' || catalogue_slug_words(o.themes))), '[^[:alnum:]]+') w
		WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$' ON CONFLICT DO NOTHING`, firstOffering).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: scale words: %w", err)
	}
	ids := pgdialect.Array(userIDs)
	// The reviews trigger recomputes each chunk's ratings.
	err = step(`WITH o AS (SELECT id FROM catalogue_offerings WHERE id BETWEEN ?::bigint + ?::int - 1 AND ?::bigint + ?::int - 1)
		INSERT INTO catalogue_reviews (offering_id, user_id, overall, content, applicability, teacher, value, body, verified, created_at)
		SELECT o.id, (?::bigint[])[1 + ((o.id * 37 + k * 7919) % ?::int)],
			CASE WHEN (o.id + k) % 10 < 6 THEN 5 - (o.id % 2) ELSE 1 + (o.id * 3 + k) % 5 END,
			1 + (o.id + k) % 5, 1 + (o.id + 2 * k) % 5, 1 + (o.id + 3 * k) % 5, 1 + (o.id + 4 * k) % 5,
			'Synthetische review voor belastingtests van de Gouden Gids, nummer ' || k || '.',
			(o.id + k) % 4 <> 0, now() - ((o.id + k) % 365) * interval '1 day'
		FROM o, generate_series(0, 20) k WHERE k < o.id % 21
		ON CONFLICT DO NOTHING`, offerings, func(f, t int) []any {
		return []any{firstOffering, f, firstOffering, t, ids, len(userIDs)}
	})
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "ANALYZE catalogue_offerings, catalogue_reviews, catalogue_providers, users"); err != nil {
		return fmt.Errorf("catalogue: scale analyze: %w", err)
	}
	var n struct{ Offerings, Reviews int }
	if err := db.NewRaw("SELECT (SELECT count(*) FROM catalogue_offerings) AS offerings, (SELECT count(*) FROM catalogue_reviews) AS reviews").Scan(ctx, &n); err != nil {
		return fmt.Errorf("catalogue: scale count: %w", err)
	}
	fmt.Fprintf(out, "Klaar: %d aanbieders en %d aanbiedingen toegevoegd; de Gids telt nu %d aanbiedingen en %d reviews.\n",
		providers, offerings, n.Offerings, n.Reviews)
	return nil
}
