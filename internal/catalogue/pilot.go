package catalogue

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

func (s *store) pilotQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("pp.*").
		ColumnExpr("coalesce(org.name, '') AS organisation, coalesce(prov.name, '') AS provider_name").
		Join("LEFT JOIN organisations AS org ON org.id = pp.organisation_id").
		Join("LEFT JOIN catalogue_providers AS prov ON prov.id = pp.provider_id")
}

// createPilot inserts a pilot project.
func (s *store) createPilot(ctx context.Context, p *Pilot) error {
	p.Status = "open"
	if _, err := s.db.NewInsert().Model(p).Returning("id, created_at").Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: create pilot: %w", err)
	}
	return nil
}

// pilot returns the pilot project with id, or ErrNotFound.
func (s *store) pilot(ctx context.Context, id int64) (*Pilot, error) {
	p := new(Pilot)
	if err := s.pilotQuery(p).Where("pp.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "pilot")
	}
	return p, nil
}

// pilots lists pilot projects, optionally in one status, newest first.
func (s *store) pilots(ctx context.Context, status string, limit, offset int) ([]Pilot, int, error) {
	var ps []Pilot
	q := s.pilotQuery(&ps).OrderExpr("pp.created_at DESC, pp.id DESC").Limit(int64(limit)).Offset(int64(offset))
	if status != "" {
		q = q.Where("pp.status = ?", status)
	}
	n, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("catalogue: pilots: %w", err)
	}
	return ps, int(n), nil
}

// pilotCounts counts pilot projects per status.
func (s *store) pilotCounts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Status string
		N      int
	}
	if err := s.db.NewRaw("SELECT status, count(*) AS n FROM catalogue_pilots GROUP BY status").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("catalogue: pilot counts: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// interests lists the advisers who responded to a pilot project.
func (s *store) interests(ctx context.Context, pilot int64) ([]Interest, error) {
	var is []Interest
	err := s.db.NewSelect().Model(&is).ColumnExpr("pi.*, p.name AS provider_name").
		Join("JOIN catalogue_providers AS p ON p.id = pi.provider_id").
		Where("pi.pilot_id = ?", pilot).OrderExpr("pi.created_at").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalogue: interests: %w", err)
	}
	return is, nil
}

// addInterest records a provider's interest in an open pilot project;
// a second time it updates the message. It reports whether the interest is new.
func (s *store) addInterest(ctx context.Context, pilot, provider, user int64, message string) (bool, error) {
	var fresh []bool
	err := s.db.NewRaw(`INSERT INTO catalogue_pilot_interests (pilot_id, provider_id, message, created_by)
		SELECT id, ?, ?, ? FROM catalogue_pilots WHERE id = ? AND status = 'open'
		ON CONFLICT (pilot_id, provider_id) DO UPDATE SET message = EXCLUDED.message
		RETURNING (xmax = 0) AS fresh`, provider, message, user, pilot).Scan(ctx, &fresh)
	if err != nil {
		return false, fmt.Errorf("catalogue: add interest: %w", err)
	}
	if len(fresh) == 0 {
		return false, ErrPilotState
	}
	return fresh[0], nil
}

// matchPilot records that the organisation chose provider, when the pilot
// is still open and the provider expressed interest.
func (s *store) matchPilot(ctx context.Context, pilot, provider int64) error {
	res, err := s.db.NewRaw(`UPDATE catalogue_pilots SET status = 'matched', provider_id = ?, matched_at = now()
		WHERE id = ? AND status = 'open'
		AND EXISTS (SELECT 1 FROM catalogue_pilot_interests WHERE pilot_id = ? AND provider_id = ?)`,
		provider, pilot, pilot, provider).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: match pilot: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrPilotState
	}
	return nil
}

// completePilot marks a matched pilot project completed with its outcome.
func (s *store) completePilot(ctx context.Context, pilot int64, tried, result string) error {
	res, err := s.db.NewRaw(`UPDATE catalogue_pilots SET status = 'completed', completed_at = now(), outcome_tried = ?, outcome_result = ?
		WHERE id = ? AND status = 'matched'`, tried, result, pilot).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: complete pilot: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrPilotState
	}
	return nil
}

// approvedProviders lists every approved provider.
func (s *store) approvedProviders(ctx context.Context) ([]Provider, error) {
	var ps []Provider
	if err := s.db.NewSelect().Model(&ps).Where("status = 'approved'").OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: approved providers: %w", err)
	}
	return ps, nil
}

// openPilotsFor lists open pilot projects on one of themes in one of provinces (or nationwide).
func (s *store) openPilotsFor(ctx context.Context, themes, provinces []string, limit int) ([]Pilot, error) {
	var ps []Pilot
	err := s.pilotQuery(&ps).Where("pp.status = 'open' AND pp.theme = ANY(?)", textArray(themes)).
		Where("(pp.province = ANY(?) OR ? OR pp.province IN ('landelijk', 'online'))", textArray(provinces), slices.Contains(provinces, "landelijk")).
		OrderExpr("pp.created_at DESC, pp.id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalogue: open pilots for: %w", err)
	}
	return ps, nil
}

// monthlyCounts counts rows of the Gids per calendar month between from and to.
func (s *store) monthlyCounts(ctx context.Context, what string, from, to time.Time) ([]MonthCount, error) {
	var q string
	switch what {
	case "pilots_matched":
		q = "SELECT date_trunc('month', matched_at) AS month, count(*) AS count FROM catalogue_pilots WHERE matched_at >= ? AND matched_at < ? GROUP BY 1 ORDER BY 1"
	case "offerings":
		q = "SELECT date_trunc('month', created_at) AS month, count(*) AS count FROM catalogue_offerings WHERE listed AND created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY 1"
	case "reviews":
		q = "SELECT date_trunc('month', created_at) AS month, count(*) AS count FROM catalogue_reviews WHERE NOT hidden AND created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY 1"
	case "quotes":
		q = "SELECT date_trunc('month', created_at) AS month, count(*) AS count FROM catalogue_quote_requests WHERE created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY 1"
	default:
		return nil, fmt.Errorf("catalogue: unknown monthly count %q", what)
	}
	var rows []MonthCount
	if err := s.db.NewRaw(q, from, to).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("catalogue: monthly %s: %w", what, err)
	}
	return rows, nil
}

// Totals are the Gids' own figures for the reporting page.
type Totals struct {
	Offerings, Reviews, VerifiedReviews, PilotsMatched int
	RatingMean                                         float64
}

// gidsTotals counts listed offerings, visible reviews, matched (or
// completed) pilot projects and the mean rating.
func (s *store) gidsTotals(ctx context.Context) (Totals, error) {
	var t Totals
	err := s.db.NewRaw(`SELECT
		(SELECT count(*) FROM catalogue_offerings WHERE listed) AS offerings,
		(SELECT count(*) FROM catalogue_reviews WHERE NOT hidden) AS reviews,
		(SELECT count(*) FROM catalogue_reviews WHERE NOT hidden AND verified) AS verified_reviews,
		(SELECT count(*) FROM catalogue_pilots WHERE matched_at IS NOT NULL) AS pilots_matched,
		(SELECT coalesce(avg(overall), 0) FROM catalogue_reviews WHERE NOT hidden) AS rating_mean`).Scan(ctx, &t)
	if err != nil {
		return t, fmt.Errorf("catalogue: totals: %w", err)
	}
	return t, nil
}

// providerThemes lists the themes of each provider's offerings.
func (s *store) providerThemes(ctx context.Context, providers []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(providers) == 0 {
		return out, nil
	}
	var rows []struct {
		ProviderID int64
		Themes     []string `bun:",array"`
	}
	err := s.db.NewRaw(`SELECT provider_id, array_agg(DISTINCT t) AS themes
		FROM catalogue_offerings, unnest(themes) t WHERE provider_id IN (?) GROUP BY provider_id`, bun.List(providers)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("catalogue: provider themes: %w", err)
	}
	for _, r := range rows {
		out[r.ProviderID] = r.Themes
	}
	return out, nil
}

// ownersOf returns the owner user ids of each provider.
func (s *store) ownersOf(ctx context.Context, providers []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(providers) == 0 {
		return out, nil
	}
	var rows []struct{ ProviderID, UserID int64 }
	if err := s.db.NewRaw("SELECT provider_id, user_id FROM catalogue_provider_owners WHERE provider_id IN (?)", bun.List(providers)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("catalogue: owners of: %w", err)
	}
	for _, r := range rows {
		out[r.ProviderID] = append(out[r.ProviderID], r.UserID)
	}
	return out, nil
}
