package catalogue

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/uptrace/bun"
)

func (s *Store) pilotQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("pp.*").
		ColumnExpr("coalesce(org.name, '') AS organisation, coalesce(prov.name, '') AS provider_name").
		Join("LEFT JOIN organisations AS org ON org.id = pp.organisation_id").
		Join("LEFT JOIN catalogue_providers AS prov ON prov.id = pp.provider_id")
}

// CreatePilot inserts a pilot project.
func (s *Store) CreatePilot(ctx context.Context, p *Pilot) error {
	p.Status = "open"
	if _, err := s.db.NewInsert().Model(p).Returning("id, created_at").Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: create pilot: %w", err)
	}
	return nil
}

// Pilot returns the pilot project with id, or ErrNotFound.
func (s *Store) Pilot(ctx context.Context, id int64) (*Pilot, error) {
	p := new(Pilot)
	if err := s.pilotQuery(p).Where("pp.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "pilot")
	}
	return p, nil
}

// Pilots lists pilot projects, optionally in one status, newest first.
func (s *Store) Pilots(ctx context.Context, status string, limit, offset int) ([]Pilot, int, error) {
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

// PilotCounts counts pilot projects per status.
func (s *Store) PilotCounts(ctx context.Context) (map[string]int, error) {
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

// Interests lists the advisers who responded to a pilot project.
func (s *Store) Interests(ctx context.Context, pilot int64) ([]Interest, error) {
	var is []Interest
	err := s.db.NewSelect().Model(&is).ColumnExpr("pi.*, p.name AS provider_name").
		Join("JOIN catalogue_providers AS p ON p.id = pi.provider_id").
		Where("pi.pilot_id = ?", pilot).OrderExpr("pi.created_at").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalogue: interests: %w", err)
	}
	return is, nil
}

// AddInterest records a provider's interest in an open pilot project;
// a second time it updates the message.
func (s *Store) AddInterest(ctx context.Context, pilot, provider int64, message string) error {
	res, err := s.db.NewRaw(`INSERT INTO catalogue_pilot_interests (pilot_id, provider_id, message)
		SELECT id, ?, ? FROM catalogue_pilots WHERE id = ? AND status = 'open'
		ON CONFLICT (pilot_id, provider_id) DO UPDATE SET message = EXCLUDED.message`, provider, message, pilot).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: add interest: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrPilotState
	}
	return nil
}

// MatchPilot records that the organisation chose provider, when the pilot
// is still open, belongs to the manager's organisation and the provider
// expressed interest.
func (s *Store) MatchPilot(ctx context.Context, pilot, provider, manager int64, orgID int64) error {
	res, err := s.db.NewRaw(`UPDATE catalogue_pilots SET status = 'matched', provider_id = ?, matched_at = now()
		WHERE id = ? AND status = 'open' AND (created_by = ? OR organisation_id = ?)
		AND EXISTS (SELECT 1 FROM catalogue_pilot_interests WHERE pilot_id = ? AND provider_id = ?)`,
		provider, pilot, manager, orgID, pilot, provider).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: match pilot: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrPilotState
	}
	return nil
}

// CompletePilot marks a matched pilot project of the manager's organisation completed.
func (s *Store) CompletePilot(ctx context.Context, pilot, manager, orgID int64) error {
	res, err := s.db.NewRaw(`UPDATE catalogue_pilots SET status = 'completed', completed_at = now()
		WHERE id = ? AND status = 'matched' AND (created_by = ? OR organisation_id = ?)`, pilot, manager, orgID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: complete pilot: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrPilotState
	}
	return nil
}

// Candidate is a certified adviser proposed for a pilot project.
type Candidate struct {
	Provider     Provider
	Certificates []CertifiedRecord
	ThemeMatch   bool
	RegionMatch  bool
	Reviews      int
	Bayes        float64
	score        float64
}

// Candidates proposes certified advisers for p: approved advisory firms and
// independent advisers whose owners hold a valid adviser certificate,
// ranked by theme, province and Bayesian rating.
func (s *Store) Candidates(ctx context.Context, reg Register, p *Pilot, limit int) ([]Candidate, error) {
	var ps []Provider
	if err := s.db.NewSelect().Model(&ps).Where("status = 'approved' AND kind IN ('firm', 'independent')").
		OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: candidate providers: %w", err)
	}
	if len(ps) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(ps))
	for i, x := range ps {
		ids[i] = x.ID
	}
	owners, err := s.ownersOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	var users []int64
	for _, us := range owners {
		users = append(users, us...)
	}
	certs, err := reg.ValidCertificates(ctx, users)
	if err != nil {
		return nil, fmt.Errorf("catalogue: register: %w", err)
	}
	themes, err := s.providerThemes(ctx, ids)
	if err != nil {
		return nil, err
	}
	ratings, err := s.providerRatings(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, prov := range ps {
		var held []CertifiedRecord
		for _, u := range owners[prov.ID] {
			for _, c := range certs[u] {
				if c.Kind == "adviser" {
					held = append(held, c)
				}
			}
		}
		if len(held) == 0 {
			continue
		}
		r := ratings[prov.ID]
		c := Candidate{Provider: prov, Certificates: held, Reviews: int(r[0]), Bayes: Bayesian(r[1], int(r[0])),
			ThemeMatch:  slices.Contains(themes[prov.ID], p.Theme),
			RegionMatch: slices.Contains(prov.Provinces, p.Province) || slices.Contains(prov.Provinces, "landelijk")}
		c.score = c.Bayes
		if c.ThemeMatch {
			c.score += 10
		}
		if c.RegionMatch {
			c.score += 5
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// MonthlyCounts counts rows of the Gids per calendar month between from and to.
func (s *Store) MonthlyCounts(ctx context.Context, what string, from, to time.Time) ([]MonthCount, error) {
	var q string
	switch what {
	case "pilots_matched":
		q = "SELECT date_trunc('month', matched_at) AS month, count(*) AS count FROM catalogue_pilots WHERE matched_at >= ? AND matched_at < ? GROUP BY 1 ORDER BY 1"
	case "offerings":
		q = "SELECT date_trunc('month', created_at) AS month, count(*) AS count FROM catalogue_offerings WHERE listed AND created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY 1"
	case "reviews":
		q = "SELECT date_trunc('month', created_at) AS month, count(*) AS count FROM catalogue_reviews WHERE NOT hidden AND created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY 1"
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
	Offerings, Reviews, PilotsMatched int
	RatingMean                        float64
}

// GidsTotals counts listed offerings, visible reviews, matched (or
// completed) pilot projects and the mean rating.
func (s *Store) GidsTotals(ctx context.Context) (Totals, error) {
	var t Totals
	err := s.db.NewRaw(`SELECT
		(SELECT count(*) FROM catalogue_offerings WHERE listed) AS offerings,
		(SELECT count(*) FROM catalogue_reviews WHERE NOT hidden) AS reviews,
		(SELECT count(*) FROM catalogue_pilots WHERE matched_at IS NOT NULL) AS pilots_matched,
		(SELECT coalesce(avg(overall), 0) FROM catalogue_reviews WHERE NOT hidden) AS rating_mean`).Scan(ctx, &t)
	if err != nil {
		return t, fmt.Errorf("catalogue: totals: %w", err)
	}
	return t, nil
}
