package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Store reads and writes the Gids' tables.
type Store struct {
	db bun.IDB
}

// NewStore returns a store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

func isUniqueViolation(err error, constraint string) bool {
	var pe pgdriver.Error
	return errors.As(err, &pe) && pe.Field('C') == "23505" && (constraint == "" || pe.Field('n') == constraint)
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("catalogue: %s: %w", what, err)
}

// CreateProvider inserts p (pending approval) with owner as its first owner.
// Returns ErrProviderTaken when the name is in use.
func (s *Store) CreateProvider(ctx context.Context, p *Provider, owner int64) error {
	p.Status = "pending"
	if _, err := s.db.NewInsert().Model(p).Returning("*").Exec(ctx); err != nil {
		if isUniqueViolation(err, "catalogue_providers_name_key") {
			return ErrProviderTaken
		}
		return fmt.Errorf("catalogue: create provider: %w", err)
	}
	if _, err := s.db.NewRaw("INSERT INTO catalogue_provider_owners (provider_id, user_id) VALUES (?, ?)", p.ID, owner).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: provider owner: %w", err)
	}
	return nil
}

// Provider returns the provider with id in any status, or ErrNotFound.
func (s *Store) Provider(ctx context.Context, id int64) (*Provider, error) {
	p := new(Provider)
	if err := s.db.NewSelect().Model(p).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "provider")
	}
	return p, nil
}

// UpdateProvider saves p's listing when user owns it; ErrNotFound otherwise.
func (s *Store) UpdateProvider(ctx context.Context, p *Provider, user int64) error {
	res, err := s.db.NewUpdate().Model(p).
		Column("kind", "name", "description", "website", "contact_email", "contact_phone", "provinces", "quality_marks").
		Set("updated_at = now()").
		Where("p.id = ?", p.ID).Where("p.id IN (SELECT provider_id FROM catalogue_provider_owners WHERE user_id = ?)", user).
		Exec(ctx)
	if err != nil {
		if isUniqueViolation(err, "catalogue_providers_name_key") {
			return ErrProviderTaken
		}
		return fmt.Errorf("catalogue: update provider: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Owns reports whether user is an owner of provider.
func (s *Store) Owns(ctx context.Context, provider, user int64) (bool, error) {
	ok, err := s.db.NewSelect().Table("catalogue_provider_owners").
		Where("provider_id = ? AND user_id = ?", provider, user).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("catalogue: owns: %w", err)
	}
	return ok, nil
}

// Owners lists the user ids of provider's owners.
func (s *Store) Owners(ctx context.Context, provider int64) ([]int64, error) {
	var ids []int64
	err := s.db.NewSelect().Table("catalogue_provider_owners").Column("user_id").
		Where("provider_id = ?", provider).OrderExpr("user_id").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("catalogue: owners: %w", err)
	}
	return ids, nil
}

// ProvidersOf lists the providers user owns, in any status.
func (s *Store) ProvidersOf(ctx context.Context, user int64) ([]Provider, error) {
	var ps []Provider
	err := s.db.NewSelect().Model(&ps).
		Where("id IN (SELECT provider_id FROM catalogue_provider_owners WHERE user_id = ?)", user).
		OrderExpr("lower(name)").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalogue: providers of %d: %w", user, err)
	}
	return ps, nil
}

// ProvidersByStatus lists providers in status, oldest first.
func (s *Store) ProvidersByStatus(ctx context.Context, status string, limit int) ([]Provider, error) {
	var ps []Provider
	if err := s.db.NewSelect().Model(&ps).Where("status = ?", status).OrderExpr("created_at, id").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: providers %s: %w", status, err)
	}
	return ps, nil
}

// ListedProviders is one page of approved providers by name.
func (s *Store) ListedProviders(ctx context.Context, kind string, limit, offset int) ([]Provider, int, error) {
	var ps []Provider
	q := s.db.NewSelect().Model(&ps).Where("status = 'approved'").OrderExpr("lower(name), id").Limit(int64(limit)).Offset(int64(offset))
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	n, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("catalogue: listed providers: %w", err)
	}
	return ps, int(n), nil
}

// SetProviderStatus approves or rejects a provider; approval lists its offerings.
func (s *Store) SetProviderStatus(ctx context.Context, id int64, status string) error {
	res, err := s.db.NewUpdate().Table("catalogue_providers").Set("status = ?", status).
		Set("approved_at = CASE WHEN ? = 'approved' THEN now() ELSE NULL END", status).
		Set("updated_at = now()").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: provider status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	_, err = s.db.NewUpdate().Table("catalogue_offerings").Set("listed = ?", status == "approved").
		Where("provider_id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: list offerings: %w", err)
	}
	return nil
}

// CreateOffering inserts o; the caller has checked that the provider is the user's.
func (s *Store) CreateOffering(ctx context.Context, o *Offering) error {
	if o.StartDates == nil {
		o.StartDates = []time.Time{}
	}
	_, err := s.db.NewInsert().Model(o).
		Value("listed", "(SELECT status = 'approved' FROM catalogue_providers WHERE id = ?)", o.ProviderID).
		Value("certified", "EXISTS (SELECT 1 FROM catalogue_certificates WHERE provider_id = ? AND offering_id IS NULL AND revoked_at IS NULL)", o.ProviderID).
		Returning("id, listed, certified, created_at, updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: create offering: %w", err)
	}
	return nil
}

// UpdateOffering saves o when user owns its provider; ErrNotFound otherwise.
func (s *Store) UpdateOffering(ctx context.Context, o *Offering, user int64) error {
	if o.StartDates == nil {
		o.StartDates = []time.Time{}
	}
	res, err := s.db.NewUpdate().Model(o).
		Column("kind", "title", "description", "themes", "provinces", "format", "study_hours",
			"price_excl_cents", "vat_percent", "price_incl_cents", "language", "start_dates", "course_slug").
		Set("updated_at = now()").
		Where("o.id = ?", o.ID).Where("o.provider_id IN (SELECT provider_id FROM catalogue_provider_owners WHERE user_id = ?)", user).
		Returning("provider_id").Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: update offering: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Offering returns the offering with id and its provider, or ErrNotFound.
func (s *Store) Offering(ctx context.Context, id int64) (*Offering, error) {
	o := new(Offering)
	if err := s.db.NewSelect().Model(o).Relation("Provider").Where("o.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "offering")
	}
	return o, nil
}

// OfferingsByID returns the listed offerings with ids, in the order given.
func (s *Store) OfferingsByID(ctx context.Context, ids []int64) ([]Offering, error) {
	var os []Offering
	if len(ids) == 0 {
		return nil, nil
	}
	if err := s.db.NewSelect().Model(&os).Relation("Provider").
		Where("o.id IN (?)", bun.In(ids)).Where("o.listed").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: offerings by id: %w", err)
	}
	byID := make(map[int64]Offering, len(os))
	for _, o := range os {
		byID[o.ID] = o
	}
	out := make([]Offering, 0, len(ids))
	for _, id := range ids {
		if o, ok := byID[id]; ok {
			out = append(out, o)
		}
	}
	return out, nil
}

// OfferingsOf lists a provider's offerings, newest first.
func (s *Store) OfferingsOf(ctx context.Context, provider int64) ([]Offering, error) {
	var os []Offering
	if err := s.db.NewSelect().Model(&os).
		Where("provider_id = ?", provider).OrderExpr("created_at DESC, id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: offerings of %d: %w", provider, err)
	}
	return os, nil
}

// LinkCertificate stores c, replacing an earlier link of the same number
// to the same provider or offering.
func (s *Store) LinkCertificate(ctx context.Context, c *Certificate) error {
	_, err := s.db.NewInsert().Model(c).
		On("CONFLICT (provider_id, coalesce(offering_id, 0), number) DO UPDATE").
		Set("kind = EXCLUDED.kind, title = EXCLUDED.title, holder_name = EXCLUDED.holder_name").
		Set("holder_user_id = EXCLUDED.holder_user_id, valid_until = EXCLUDED.valid_until").
		Set("checked_at = now(), revoked_at = NULL").
		Returning("id").Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: link certificate: %w", err)
	}
	return s.RefreshCertified(ctx, c.ProviderID)
}

// Certificates lists the still counting certificates of a provider and its offerings.
func (s *Store) Certificates(ctx context.Context, provider int64) ([]Certificate, error) {
	var cs []Certificate
	if err := s.db.NewSelect().Model(&cs).Where("provider_id = ? AND revoked_at IS NULL", provider).
		OrderExpr("linked_at, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: certificates: %w", err)
	}
	return cs, nil
}

// MarkRevoked stops certificates from counting after a check found them
// no longer valid, and updates the certified flags.
func (s *Store) MarkRevoked(ctx context.Context, provider int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.db.NewUpdate().Table("catalogue_certificates").Set("revoked_at = now(), checked_at = now()").
		Where("id IN (?) AND provider_id = ?", bun.In(ids), provider).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: revoke certificates: %w", err)
	}
	return s.RefreshCertified(ctx, provider)
}

// RefreshCertified recomputes the certified flag of a provider's offerings.
func (s *Store) RefreshCertified(ctx context.Context, provider int64) error {
	_, err := s.db.NewRaw(`UPDATE catalogue_offerings o SET certified = EXISTS (
		SELECT 1 FROM catalogue_certificates c WHERE c.provider_id = o.provider_id AND c.revoked_at IS NULL
		AND (c.offering_id IS NULL OR c.offering_id = o.id))
		WHERE o.provider_id = ?`, provider).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: refresh certified: %w", err)
	}
	return nil
}

// reviewColumns selects a review with its author's name.
func (s *Store) reviewQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("r.*").ColumnExpr("u.name AS author_name").
		Join("JOIN users AS u ON u.id = r.user_id")
}

// CreateReview inserts r; ErrDuplicateReview when the user already reviewed the offering.
func (s *Store) CreateReview(ctx context.Context, r *Review) error {
	if _, err := s.db.NewInsert().Model(r).Returning("id, created_at, updated_at").Exec(ctx); err != nil {
		if isUniqueViolation(err, "catalogue_reviews_one_per_user") {
			return ErrDuplicateReview
		}
		return fmt.Errorf("catalogue: create review: %w", err)
	}
	return nil
}

// UpdateReview saves the author's changes to r (scores, text, verified).
func (s *Store) UpdateReview(ctx context.Context, r *Review) error {
	res, err := s.db.NewUpdate().Model(r).Column("overall", "content", "applicability", "teacher", "value", "body", "verified").
		Set("updated_at = now()").Where("id = ? AND user_id = ?", r.ID, r.UserID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: update review: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Review returns the review with id, hidden or not.
func (s *Store) Review(ctx context.Context, id int64) (*Review, error) {
	r := new(Review)
	if err := s.reviewQuery(r).Where("r.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "review")
	}
	return r, nil
}

// ReviewBy returns user's review of offering, or ErrNotFound.
func (s *Store) ReviewBy(ctx context.Context, offering, user int64) (*Review, error) {
	r := new(Review)
	if err := s.reviewQuery(r).Where("r.offering_id = ? AND r.user_id = ?", offering, user).Scan(ctx); err != nil {
		return nil, notFound(err, "review by user")
	}
	return r, nil
}

// Reviews is one page of the visible reviews of offering, newest first.
func (s *Store) Reviews(ctx context.Context, offering int64, limit, offset int) ([]Review, error) {
	var rs []Review
	if err := s.reviewQuery(&rs).Where("r.offering_id = ? AND NOT r.hidden", offering).
		OrderExpr("r.created_at DESC, r.id DESC").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: reviews: %w", err)
	}
	return rs, nil
}

// UserData is what the Gids stores about a user, for the AVG data export.
type UserData struct {
	Reviews   []Review         `json:"reviews"`
	Reports   []map[string]any `json:"review_reports"`
	Providers []Provider       `json:"provider_listings"`
	Pilots    []Pilot          `json:"pilot_projects"`
}

// ExportUser gathers the user's reviews, reports, listings and pilot projects.
func (s *Store) ExportUser(ctx context.Context, user int64) (UserData, error) {
	d := UserData{Reviews: []Review{}, Reports: []map[string]any{}, Providers: []Provider{}, Pilots: []Pilot{}}
	if err := s.reviewQuery(&d.Reviews).Where("r.user_id = ?", user).OrderExpr("r.created_at").Scan(ctx); err != nil {
		return d, fmt.Errorf("catalogue: export reviews: %w", err)
	}
	if err := s.db.NewRaw("SELECT review_id, reason, created_at FROM catalogue_review_reports WHERE user_id = ? ORDER BY created_at", user).Scan(ctx, &d.Reports); err != nil {
		return d, fmt.Errorf("catalogue: export reports: %w", err)
	}
	ps, err := s.ProvidersOf(ctx, user)
	if err != nil {
		return d, err
	}
	d.Providers = append(d.Providers, ps...)
	if err := s.pilotQuery(&d.Pilots).Where("pp.created_by = ?", user).OrderExpr("pp.created_at").Scan(ctx); err != nil {
		return d, fmt.Errorf("catalogue: export pilots: %w", err)
	}
	return d, nil
}

// RecentReviewCount counts the reviews user wrote since t.
func (s *Store) RecentReviewCount(ctx context.Context, user int64, since time.Time) (int, error) {
	n, err := s.db.NewSelect().Table("catalogue_reviews").Where("user_id = ? AND created_at >= ?", user, since).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("catalogue: recent reviews: %w", err)
	}
	return int(n), nil
}

// RecomputeRating refreshes the stored count, mean and Bayesian average of
// offering from its visible reviews.
func (s *Store) RecomputeRating(ctx context.Context, offering int64) error {
	_, err := s.db.NewRaw(`UPDATE catalogue_offerings o SET review_count = a.n,
		rating_mean = CASE WHEN a.n = 0 THEN 0 ELSE round(a.total::numeric / a.n, 3) END,
		rating_bayes = round((?::numeric * ? + a.total) / (? + a.n), 3)
		FROM (SELECT count(*) AS n, coalesce(sum(overall), 0) AS total FROM catalogue_reviews
		      WHERE offering_id = ? AND NOT hidden) a
		WHERE o.id = ?`, PriorWeight, PriorMean, PriorWeight, offering, offering).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: recompute rating %d: %w", offering, err)
	}
	return nil
}

// aggregateRow is the raw material of an Aggregate.
type aggregateRow struct {
	N                                     int
	Overall, Content, Applic, Teach, Valu float64
	S1, S2, S3, S4, S5                    int
}

func (a aggregateRow) aggregate() Aggregate {
	agg := Aggregate{Count: a.N, Mean: a.Overall, Distribution: [5]int{a.S1, a.S2, a.S3, a.S4, a.S5},
		Criteria: map[string]float64{"content": a.Content, "applicability": a.Applic, "teacher": a.Teach, "value": a.Valu}}
	agg.Bayes = Bayesian(a.Overall*float64(a.N), a.N)
	return agg
}

const aggregateSelect = `SELECT count(*) AS n,
	coalesce(avg(overall), 0) AS overall, coalesce(avg(content), 0) AS content,
	coalesce(avg(applicability), 0) AS applic, coalesce(avg(teacher), 0) AS teach, coalesce(avg(value), 0) AS valu,
	count(*) FILTER (WHERE overall = 1) AS s1, count(*) FILTER (WHERE overall = 2) AS s2,
	count(*) FILTER (WHERE overall = 3) AS s3, count(*) FILTER (WHERE overall = 4) AS s4,
	count(*) FILTER (WHERE overall = 5) AS s5
	FROM catalogue_reviews r WHERE NOT r.hidden AND `

// OfferingAggregate summarises the visible reviews of offering.
func (s *Store) OfferingAggregate(ctx context.Context, offering int64) (Aggregate, error) {
	var a aggregateRow
	if err := s.db.NewRaw(aggregateSelect+"r.offering_id = ?", offering).Scan(ctx, &a); err != nil {
		return Aggregate{}, fmt.Errorf("catalogue: aggregate: %w", err)
	}
	return a.aggregate(), nil
}

// OfferingAggregates summarises the visible reviews of each of offerings.
func (s *Store) OfferingAggregates(ctx context.Context, offerings []int64) (map[int64]Aggregate, error) {
	out := make(map[int64]Aggregate, len(offerings))
	if len(offerings) == 0 {
		return out, nil
	}
	var rows []struct {
		OfferingID int64
		aggregateRow
	}
	q := "SELECT offering_id, " + aggregateSelect[len("SELECT "):] + "r.offering_id IN (?) GROUP BY offering_id"
	if err := s.db.NewRaw(q, bun.In(offerings)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("catalogue: aggregates: %w", err)
	}
	for _, id := range offerings {
		out[id] = aggregateRow{}.aggregate()
	}
	for _, r := range rows {
		out[r.OfferingID] = r.aggregate()
	}
	return out, nil
}

// ProviderAggregate summarises the visible reviews of all of provider's offerings.
func (s *Store) ProviderAggregate(ctx context.Context, provider int64) (Aggregate, error) {
	var a aggregateRow
	if err := s.db.NewRaw(aggregateSelect+"r.offering_id IN (SELECT id FROM catalogue_offerings WHERE provider_id = ?)", provider).Scan(ctx, &a); err != nil {
		return Aggregate{}, fmt.Errorf("catalogue: provider aggregate: %w", err)
	}
	return a.aggregate(), nil
}

// SetReply stores the provider's one public reply to a review, when user
// owns the reviewed offering's provider and no reply exists yet.
func (s *Store) SetReply(ctx context.Context, review, user int64, text string) error {
	res, err := s.db.NewRaw(`UPDATE catalogue_reviews r SET reply = ?, replied_at = now()
		FROM catalogue_offerings o
		WHERE r.id = ? AND o.id = r.offering_id AND r.reply = ''
		AND o.provider_id IN (SELECT provider_id FROM catalogue_provider_owners WHERE user_id = ?)`, text, review, user).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: reply: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		r, err := s.Review(ctx, review)
		if err != nil {
			return err
		}
		if r.Reply != "" {
			return ErrReplyExists
		}
		return ErrForbidden
	}
	return nil
}

// Report records user's report of a review; a second report by the same
// user is ignored. It reports whether the report is new.
func (s *Store) Report(ctx context.Context, review, user int64, reason string) (bool, error) {
	res, err := s.db.NewRaw(`INSERT INTO catalogue_review_reports (review_id, user_id, reason) VALUES (?, ?, ?)
		ON CONFLICT (review_id, user_id) DO UPDATE SET reason = EXCLUDED.reason, created_at = now(), resolved_at = NULL
		WHERE catalogue_review_reports.resolved_at IS NOT NULL`, review, user, reason).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("catalogue: report: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Moderate hides or restores a review with a reason, resolves its open
// reports and refreshes the offering's rating.
func (s *Store) Moderate(ctx context.Context, review, admin int64, hide bool, reason string) error {
	var offering int64
	err := s.db.NewRaw("UPDATE catalogue_reviews SET hidden = ? WHERE id = ? RETURNING offering_id", hide, review).Scan(ctx, &offering)
	if err != nil {
		return notFound(err, "moderate")
	}
	action := "restore"
	if hide {
		action = "hide"
	}
	if _, err := s.db.NewRaw("INSERT INTO catalogue_moderations (review_id, admin_id, action, reason) VALUES (?, ?, ?, ?)",
		review, admin, action, reason).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: moderation log: %w", err)
	}
	if _, err := s.db.NewRaw("UPDATE catalogue_review_reports SET resolved_at = now() WHERE review_id = ? AND resolved_at IS NULL", review).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: resolve reports: %w", err)
	}
	return s.RecomputeRating(ctx, offering)
}

// QueueItem is a review waiting for or under moderation.
type QueueItem struct {
	Review
	OfferingTitle string
	Reports       int
	Reasons       []string `bun:",array"`
	LastAction    string
	LastReason    string
}

// ModerationQueue lists reviews with open reports, then hidden reviews.
func (s *Store) ModerationQueue(ctx context.Context, limit int) ([]QueueItem, error) {
	var items []QueueItem
	err := s.db.NewRaw(`SELECT r.*, u.name AS author_name, o.title AS offering_title,
		coalesce(rep.n, 0) AS reports, coalesce(rep.reasons, '{}') AS reasons,
		coalesce(m.action, '') AS last_action, coalesce(m.reason, '') AS last_reason
		FROM catalogue_reviews r
		JOIN users u ON u.id = r.user_id
		JOIN catalogue_offerings o ON o.id = r.offering_id
		LEFT JOIN LATERAL (SELECT count(*) AS n, array_agg(reason ORDER BY created_at) AS reasons
			FROM catalogue_review_reports WHERE review_id = r.id AND resolved_at IS NULL) rep ON true
		LEFT JOIN LATERAL (SELECT action, reason FROM catalogue_moderations WHERE review_id = r.id
			ORDER BY created_at DESC, id DESC LIMIT 1) m ON true
		WHERE r.hidden OR rep.n > 0
		ORDER BY (rep.n > 0) DESC, r.updated_at DESC LIMIT ?`, limit).Scan(ctx, &items)
	if err != nil {
		return nil, fmt.Errorf("catalogue: moderation queue: %w", err)
	}
	return items, nil
}

// ParticipatedInPilot reports whether user's organisation had a pilot
// project matched to provider.
func (s *Store) ParticipatedInPilot(ctx context.Context, user, provider int64) (bool, error) {
	ok, err := s.db.NewSelect().Table("catalogue_pilots").
		Where("provider_id = ? AND status IN ('matched', 'completed')", provider).
		Where("(created_by = ? OR organisation_id = (SELECT organisation_id FROM users WHERE id = ?))", user, user).
		Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("catalogue: pilot participation: %w", err)
	}
	return ok, nil
}

// ProviderThemes lists the themes of each listed provider's offerings.
func (s *Store) providerThemes(ctx context.Context, providers []int64) (map[int64][]string, error) {
	var rows []struct {
		ProviderID int64
		Themes     []string `bun:",array"`
	}
	err := s.db.NewRaw(`SELECT provider_id, array_agg(DISTINCT t) AS themes
		FROM catalogue_offerings, unnest(themes) t WHERE provider_id IN (?) GROUP BY provider_id`, bun.In(providers)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("catalogue: provider themes: %w", err)
	}
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.ProviderID] = r.Themes
	}
	return out, nil
}

// providerRatings returns the review count and review sum of each provider.
func (s *Store) providerRatings(ctx context.Context, providers []int64) (map[int64][2]float64, error) {
	var rows []struct {
		ProviderID int64
		N          int64
		Total      int64
	}
	err := s.db.NewRaw(`SELECT o.provider_id, count(r.id) AS n, coalesce(sum(r.overall), 0) AS total
		FROM catalogue_offerings o LEFT JOIN catalogue_reviews r ON r.offering_id = o.id AND NOT r.hidden
		WHERE o.provider_id IN (?) GROUP BY o.provider_id`, bun.In(providers)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("catalogue: provider ratings: %w", err)
	}
	out := map[int64][2]float64{}
	for _, r := range rows {
		out[r.ProviderID] = [2]float64{float64(r.N), float64(r.Total)}
	}
	return out, nil
}

// ownersOf returns the owner user ids of each provider.
func (s *Store) ownersOf(ctx context.Context, providers []int64) (map[int64][]int64, error) {
	var rows []struct{ ProviderID, UserID int64 }
	if err := s.db.NewRaw("SELECT provider_id, user_id FROM catalogue_provider_owners WHERE provider_id IN (?)", bun.In(providers)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("catalogue: owners of: %w", err)
	}
	out := map[int64][]int64{}
	for _, r := range rows {
		out[r.ProviderID] = append(out[r.ProviderID], r.UserID)
	}
	return out, nil
}

// textArray wraps a string slice as a PostgreSQL text[] argument.
func textArray(v []string) any { return pgdialect.Array(v) }
