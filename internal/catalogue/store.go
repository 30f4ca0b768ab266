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

// store reads and writes the Gids' tables; the service owns every rule.
type store struct {
	db bun.IDB
}

func newStore(db bun.IDB) *store { return &store{db: db} }

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

// createProvider inserts p in p.Status with owner as its first owner.
// Returns ErrProviderTaken when the name is in use.
func (s *store) createProvider(ctx context.Context, p *Provider, owner int64) error {
	if p.ApprovedAt == nil && p.Status == "approved" {
		now := time.Now()
		p.ApprovedAt = &now
	}
	if _, err := s.db.NewInsert().Model(p).Returning("id, created_at, updated_at").Exec(ctx); err != nil {
		if isUniqueViolation(err, "catalogue_providers_name_key") {
			return ErrProviderTaken
		}
		return fmt.Errorf("catalogue: create provider: %w", err)
	}
	if owner == 0 {
		return nil
	}
	if _, err := s.db.NewRaw("INSERT INTO catalogue_provider_owners (provider_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", p.ID, owner).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: provider owner: %w", err)
	}
	return nil
}

// provider returns the provider with id in any status, or ErrNotFound.
func (s *store) provider(ctx context.Context, id int64) (*Provider, error) {
	p := new(Provider)
	if err := s.db.NewSelect().Model(p).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "provider")
	}
	return p, nil
}

// updateProvider saves the listing fields of p.
func (s *store) updateProvider(ctx context.Context, p *Provider) error {
	_, err := s.db.NewUpdate().Model(p).
		Column("kind", "name", "description", "website", "contact_email", "contact_phone", "provinces", "quality_marks").
		Set("updated_at = now()").WherePK().Exec(ctx)
	if err != nil {
		if isUniqueViolation(err, "catalogue_providers_name_key") {
			return ErrProviderTaken
		}
		return fmt.Errorf("catalogue: update provider: %w", err)
	}
	return nil
}

// owns reports whether user is an owner of provider.
func (s *store) owns(ctx context.Context, provider, user int64) (bool, error) {
	ok, err := s.db.NewSelect().Table("catalogue_provider_owners").
		Where("provider_id = ? AND user_id = ?", provider, user).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("catalogue: owns: %w", err)
	}
	return ok, nil
}

// owners lists the user ids of provider's owners.
func (s *store) owners(ctx context.Context, provider int64) ([]int64, error) {
	var ids []int64
	err := s.db.NewSelect().Table("catalogue_provider_owners").Column("user_id").
		Where("provider_id = ?", provider).OrderExpr("user_id").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("catalogue: owners: %w", err)
	}
	return ids, nil
}

// providersOf lists the providers user owns, in any status.
func (s *store) providersOf(ctx context.Context, user int64) ([]Provider, error) {
	var ps []Provider
	err := s.db.NewSelect().Model(&ps).
		Where("id IN (SELECT provider_id FROM catalogue_provider_owners WHERE user_id = ?)", user).
		OrderExpr("lower(name)").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalogue: providers of %d: %w", user, err)
	}
	return ps, nil
}

// listedProviders is one page of approved providers by name.
func (s *store) listedProviders(ctx context.Context, kind string, limit, offset int) ([]Provider, int, error) {
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

// createOffering inserts o; listed when its provider is approved.
func (s *store) createOffering(ctx context.Context, o *Offering) error {
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

// updateOffering saves the fields a provider edits.
func (s *store) updateOffering(ctx context.Context, o *Offering) error {
	if o.StartDates == nil {
		o.StartDates = []time.Time{}
	}
	_, err := s.db.NewUpdate().Model(o).
		Column("kind", "title", "description", "themes", "provinces", "format", "study_hours",
			"price_excl_cents", "vat_percent", "price_incl_cents", "language", "start_dates", "course_slug").
		Set("updated_at = now()").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: update offering: %w", err)
	}
	return nil
}

// offering returns the offering with id and its provider, or ErrNotFound.
func (s *store) offering(ctx context.Context, id int64) (*Offering, error) {
	o := new(Offering)
	if err := s.db.NewSelect().Model(o).Relation("Provider").Where("o.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "offering")
	}
	return o, nil
}

// offeringsByID returns the listed offerings with ids, in the order given.
func (s *store) offeringsByID(ctx context.Context, ids []int64) ([]Offering, error) {
	var os []Offering
	if len(ids) == 0 {
		return nil, nil
	}
	if err := s.db.NewSelect().Model(&os).Relation("Provider").
		Where("o.id IN (?)", bun.List(ids)).Where("o.listed").Scan(ctx); err != nil {
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

// offeringsOf lists a provider's offerings, newest first.
func (s *store) offeringsOf(ctx context.Context, provider int64) ([]Offering, error) {
	var os []Offering
	if err := s.db.NewSelect().Model(&os).
		Where("provider_id = ?", provider).OrderExpr("created_at DESC, id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: offerings of %d: %w", provider, err)
	}
	return os, nil
}

// linkCertificate stores c, replacing an earlier link of the same number
// to the same provider or offering.
func (s *store) linkCertificate(ctx context.Context, c *Certificate) error {
	_, err := s.db.NewInsert().Model(c).
		On("CONFLICT (provider_id, coalesce(offering_id, 0), number) DO UPDATE").
		Set("kind = EXCLUDED.kind, title = EXCLUDED.title, holder_name = EXCLUDED.holder_name").
		Set("holder_user_id = EXCLUDED.holder_user_id, valid_until = EXCLUDED.valid_until").
		Set("checked_at = now(), revoked_at = NULL").
		Returning("id").Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: link certificate: %w", err)
	}
	return s.refreshCertified(ctx, c.ProviderID)
}

// certificates lists the still counting certificates of a provider and its offerings.
func (s *store) certificates(ctx context.Context, provider int64) ([]Certificate, error) {
	var cs []Certificate
	if err := s.db.NewSelect().Model(&cs).Where("provider_id = ? AND revoked_at IS NULL", provider).
		OrderExpr("linked_at, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: certificates: %w", err)
	}
	return cs, nil
}

// markRevoked stops certificates from counting after a check found them
// no longer valid, and updates the certified flags.
func (s *store) markRevoked(ctx context.Context, provider int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.db.NewUpdate().Table("catalogue_certificates").Set("revoked_at = now(), checked_at = now()").
		Where("id IN (?) AND provider_id = ?", bun.List(ids), provider).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: revoke certificates: %w", err)
	}
	return s.refreshCertified(ctx, provider)
}

// refreshCertified recomputes the certified flag of a provider's offerings.
func (s *store) refreshCertified(ctx context.Context, provider int64) error {
	_, err := s.db.NewRaw(`UPDATE catalogue_offerings o SET certified = EXISTS (
		SELECT 1 FROM catalogue_certificates c WHERE c.provider_id = o.provider_id AND c.revoked_at IS NULL
		AND (c.offering_id IS NULL OR c.offering_id = o.id))
		WHERE o.provider_id = ?`, provider).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: refresh certified: %w", err)
	}
	return nil
}

// recipient is someone the Gids mails.
type recipient struct {
	UserID int64
	Email  string
	Name   string
}

// ownerRecipients lists the owners of provider with their addresses.
func (s *store) ownerRecipients(ctx context.Context, provider int64) ([]recipient, error) {
	var rs []recipient
	err := s.db.NewRaw(`SELECT u.id AS user_id, u.email, u.name FROM catalogue_provider_owners po
		JOIN users u ON u.id = po.user_id WHERE po.provider_id = ? ORDER BY u.id`, provider).Scan(ctx, &rs)
	if err != nil {
		return nil, fmt.Errorf("catalogue: owner addresses: %w", err)
	}
	return rs, nil
}

// userRecipient returns the address of user, or ok false when the account is gone.
func (s *store) userRecipient(ctx context.Context, user int64) (recipient, bool, error) {
	var rs []recipient
	if err := s.db.NewRaw("SELECT id AS user_id, email, name FROM users WHERE id = ?", user).Scan(ctx, &rs); err != nil {
		return recipient{}, false, fmt.Errorf("catalogue: user address: %w", err)
	}
	if len(rs) == 0 {
		return recipient{}, false, nil
	}
	return rs[0], true, nil
}

// once records that the submission key created target, in the caller's
// transaction. When the key was recorded before (also by a transaction
// that committed while this one waited), it returns that target and true.
func (s *store) once(ctx context.Context, key []byte, kind string, user int64) (target int64, seen bool, err error) {
	var ids []int64
	if err := s.db.NewRaw("SELECT target_id FROM catalogue_submissions WHERE key = ?", key).Scan(ctx, &ids); err != nil {
		return 0, false, fmt.Errorf("catalogue: submission: %w", err)
	}
	if len(ids) == 1 {
		return ids[0], true, nil
	}
	res, err := s.db.NewRaw(`INSERT INTO catalogue_submissions (key, kind, user_id, target_id) VALUES (?, ?, ?, 0)
		ON CONFLICT (key) DO NOTHING`, key, kind, user).Exec(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("catalogue: submission: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return 0, false, nil
	}
	if err := s.db.NewRaw("SELECT target_id FROM catalogue_submissions WHERE key = ?", key).Scan(ctx, &ids); err != nil || len(ids) != 1 {
		return 0, false, fmt.Errorf("catalogue: submission after wait: %w", err)
	}
	return ids[0], true, nil
}

// done records the target the submission key created.
func (s *store) done(ctx context.Context, key []byte, target int64) error {
	if _, err := s.db.NewRaw("UPDATE catalogue_submissions SET target_id = ? WHERE key = ?", target, key).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: submission done: %w", err)
	}
	return nil
}

// textArray wraps a string slice as a PostgreSQL text[] argument.
func textArray(v []string) any { return pgdialect.Array(v) }
