package catalogue

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// reviewQuery selects a review with its author's name.
func (s *store) reviewQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("r.*").ColumnExpr("u.name AS author_name").
		Join("JOIN users AS u ON u.id = r.user_id")
}

// createReview inserts r; ErrDuplicateReview when the user already reviewed the offering.
func (s *store) createReview(ctx context.Context, r *Review) error {
	if _, err := s.db.NewInsert().Model(r).Returning("id, created_at, updated_at").Exec(ctx); err != nil {
		if isUniqueViolation(err, "catalogue_reviews_one_per_user") {
			return ErrDuplicateReview
		}
		return fmt.Errorf("catalogue: create review: %w", err)
	}
	return nil
}

// updateReview saves the author's changes to r (scores, text, verified).
func (s *store) updateReview(ctx context.Context, r *Review) error {
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

// review returns the review with id, hidden or not.
func (s *store) review(ctx context.Context, id int64) (*Review, error) {
	r := new(Review)
	if err := s.reviewQuery(r).Where("r.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "review")
	}
	return r, nil
}

// reviewBy returns user's review of offering, or ErrNotFound.
func (s *store) reviewBy(ctx context.Context, offering, user int64) (*Review, error) {
	r := new(Review)
	if err := s.reviewQuery(r).Where("r.offering_id = ? AND r.user_id = ?", offering, user).Scan(ctx); err != nil {
		return nil, notFound(err, "review by user")
	}
	return r, nil
}

// reviews is one page of the visible reviews of offering, newest first.
func (s *store) reviews(ctx context.Context, offering int64, limit, offset int) ([]Review, error) {
	var rs []Review
	if err := s.reviewQuery(&rs).Where("r.offering_id = ? AND NOT r.hidden", offering).
		OrderExpr("r.created_at DESC, r.id DESC").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: reviews: %w", err)
	}
	return rs, nil
}

// recentReviewCount counts the reviews user wrote since t.
func (s *store) recentReviewCount(ctx context.Context, user int64, since time.Time) (int, error) {
	n, err := s.db.NewSelect().Table("catalogue_reviews").Where("user_id = ? AND created_at >= ?", user, since).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("catalogue: recent reviews: %w", err)
	}
	return int(n), nil
}

// markVerified marks user's reviews of offering as backed by proof.
func (s *store) markVerified(ctx context.Context, offering, user int64) error {
	if _, err := s.db.NewRaw("UPDATE catalogue_reviews SET verified = true WHERE offering_id = ? AND user_id = ? AND NOT verified",
		offering, user).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: mark verified: %w", err)
	}
	return nil
}

// aggregateRow is the raw material of an Aggregate.
type aggregateRow struct {
	N                                     int `bun:"n"`
	NV                                    int `bun:"nv"`
	Overall, Content, Applic, Teach, Valu float64
	WSum                                  float64 `bun:"w_sum"`
	WN                                    float64 `bun:"w_n"`
	S1, S2, S3, S4, S5                    int
}

func (a aggregateRow) aggregate() Aggregate {
	agg := Aggregate{Count: a.N, Verified: a.NV, Mean: a.Overall, Distribution: [5]int{a.S1, a.S2, a.S3, a.S4, a.S5},
		Criteria: map[string]float64{"content": a.Content, "applicability": a.Applic, "teacher": a.Teach, "value": a.Valu}}
	agg.Bayes = Bayesian(a.WSum, a.WN)
	return agg
}

// aggregateColumns summarise the visible reviews r; the weights are those of rating.go.
var aggregateColumns = fmt.Sprintf(`count(*) AS n, count(*) FILTER (WHERE r.verified) AS nv,
	coalesce(avg(overall), 0) AS overall, coalesce(avg(content), 0) AS content,
	coalesce(avg(applicability), 0) AS applic, coalesce(avg(teacher), 0) AS teach, coalesce(avg(value), 0) AS valu,
	coalesce(sum(overall * CASE WHEN r.verified THEN 1 ELSE %[1]g END), 0) AS w_sum,
	coalesce(sum(CASE WHEN r.verified THEN 1 ELSE %[1]g END), 0) AS w_n,
	count(*) FILTER (WHERE overall = 1) AS s1, count(*) FILTER (WHERE overall = 2) AS s2,
	count(*) FILTER (WHERE overall = 3) AS s3, count(*) FILTER (WHERE overall = 4) AS s4,
	count(*) FILTER (WHERE overall = 5) AS s5`, UnverifiedWeight)

// offeringAggregate summarises the visible reviews of offering.
func (s *store) offeringAggregate(ctx context.Context, offering int64) (Aggregate, error) {
	var a aggregateRow
	if err := s.db.NewRaw("SELECT "+aggregateColumns+" FROM catalogue_reviews r WHERE NOT r.hidden AND r.offering_id = ?", offering).Scan(ctx, &a); err != nil {
		return Aggregate{}, fmt.Errorf("catalogue: aggregate: %w", err)
	}
	return a.aggregate(), nil
}

// offeringAggregates summarises the visible reviews of each of offerings.
func (s *store) offeringAggregates(ctx context.Context, offerings []int64) (map[int64]Aggregate, error) {
	out := make(map[int64]Aggregate, len(offerings))
	if len(offerings) == 0 {
		return out, nil
	}
	var rows []struct {
		OfferingID int64
		aggregateRow
	}
	q := "SELECT offering_id, " + aggregateColumns + " FROM catalogue_reviews r WHERE NOT r.hidden AND r.offering_id IN (?) GROUP BY offering_id"
	if err := s.db.NewRaw(q, bun.List(offerings)).Scan(ctx, &rows); err != nil {
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

// providerAggregates summarises the visible reviews of all offerings of each provider.
func (s *store) providerAggregates(ctx context.Context, providers []int64) (map[int64]Aggregate, error) {
	out := make(map[int64]Aggregate, len(providers))
	if len(providers) == 0 {
		return out, nil
	}
	var rows []struct {
		ProviderID int64
		aggregateRow
	}
	q := "SELECT o.provider_id, " + aggregateColumns + ` FROM catalogue_reviews r JOIN catalogue_offerings o ON o.id = r.offering_id
		WHERE NOT r.hidden AND o.provider_id IN (?) GROUP BY o.provider_id`
	if err := s.db.NewRaw(q, bun.List(providers)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("catalogue: provider aggregates: %w", err)
	}
	for _, id := range providers {
		out[id] = aggregateRow{}.aggregate()
	}
	for _, r := range rows {
		out[r.ProviderID] = r.aggregate()
	}
	return out, nil
}

// setReply stores the provider's one public reply to a review; the caller
// has checked that the user may reply.
func (s *store) setReply(ctx context.Context, review int64, text string) error {
	res, err := s.db.NewRaw("UPDATE catalogue_reviews SET reply = ?, replied_at = now() WHERE id = ? AND reply = ''", text, review).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: reply: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrReplyExists
	}
	return nil
}

// report records user's report of a review; a second open report by the
// same user is ignored. It reports whether the report is new.
func (s *store) report(ctx context.Context, review, user int64, reason string) (bool, error) {
	res, err := s.db.NewRaw(`INSERT INTO catalogue_review_reports (review_id, user_id, reason) VALUES (?, ?, ?)
		ON CONFLICT (review_id, user_id) DO UPDATE SET reason = EXCLUDED.reason, created_at = now(), resolved_at = NULL
		WHERE catalogue_review_reports.resolved_at IS NOT NULL`, review, user, reason).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("catalogue: report: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// moderate hides or restores a review with a reason and resolves its open
// reports; the rating follows through the reviews trigger.
func (s *store) moderate(ctx context.Context, review, admin int64, hide bool, reason string) error {
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
	return nil
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

// moderationQueue lists reviews with open reports, then hidden reviews.
func (s *store) moderationQueue(ctx context.Context, limit int) ([]QueueItem, error) {
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

// UserData is what the Gids stores about a user, for the AVG data export.
type UserData struct {
	Reviews        []Review         `json:"reviews"`
	Reports        []map[string]any `json:"review_reports"`
	Providers      []Provider       `json:"provider_listings"`
	Pilots         []Pilot          `json:"pilot_projects"`
	Participations []Participation  `json:"participations"`
	QuoteRequests  []QuoteRequest   `json:"quote_requests"`
}

// exportUser gathers the user's reviews, reports, listings, pilot projects,
// participations and quote requests.
func (s *store) exportUser(ctx context.Context, user int64) (UserData, error) {
	d := UserData{Reviews: []Review{}, Reports: []map[string]any{}, Providers: []Provider{}, Pilots: []Pilot{},
		Participations: []Participation{}, QuoteRequests: []QuoteRequest{}}
	if err := s.reviewQuery(&d.Reviews).Where("r.user_id = ?", user).OrderExpr("r.created_at").Scan(ctx); err != nil {
		return d, fmt.Errorf("catalogue: export reviews: %w", err)
	}
	if err := s.db.NewRaw("SELECT review_id, reason, created_at FROM catalogue_review_reports WHERE user_id = ? ORDER BY created_at", user).Scan(ctx, &d.Reports); err != nil {
		return d, fmt.Errorf("catalogue: export reports: %w", err)
	}
	ps, err := s.providersOf(ctx, user)
	if err != nil {
		return d, err
	}
	d.Providers = append(d.Providers, ps...)
	if err := s.pilotQuery(&d.Pilots).Where("pp.created_by = ?", user).OrderExpr("pp.created_at").Scan(ctx); err != nil {
		return d, fmt.Errorf("catalogue: export pilots: %w", err)
	}
	if err := s.participationQuery(&d.Participations).Where("pa.user_id = ?", user).OrderExpr("pa.created_at").Scan(ctx); err != nil {
		return d, fmt.Errorf("catalogue: export participations: %w", err)
	}
	if err := s.quoteRequestQuery(&d.QuoteRequests).Where("qr.created_by = ?", user).OrderExpr("qr.created_at").Scan(ctx); err != nil {
		return d, fmt.Errorf("catalogue: export quote requests: %w", err)
	}
	return d, nil
}
