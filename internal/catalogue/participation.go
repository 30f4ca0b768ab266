package catalogue

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Participation is a provider's record that someone took part in an
// offering. Once the participant confirms it on their own account, it is
// the proof behind a "verified participant" review.
type Participation struct {
	bun.BaseModel `bun:"table:catalogue_participations,alias:pa"`

	ID            int64      `bun:",pk,autoincrement" json:"-"`
	OfferingID    int64      `bun:",notnull" json:"offering_id"`
	OfferingTitle string     `bun:",scanonly" json:"offering"`
	ProviderName  string     `bun:",scanonly" json:"provider"`
	Email         string     `bun:",notnull" json:"email"`
	TookPartOn    *time.Time `bun:",type:date" json:"took_part_on,omitempty"`
	RegisteredBy  *int64     `json:"-"`
	UserID        *int64     `json:"-"`
	CreatedAt     time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"registered_at"`
	ConfirmedAt   *time.Time `json:"confirmed_at,omitempty"`
	DeclinedAt    *time.Time `json:"declined_at,omitempty"`
}

// State is "open", "confirmed" or "declined".
func (p *Participation) State() string {
	switch {
	case p.ConfirmedAt != nil:
		return "confirmed"
	case p.DeclinedAt != nil:
		return "declined"
	}
	return "open"
}

func (s *store) participationQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("pa.*").
		ColumnExpr("o.title AS offering_title, p.name AS provider_name").
		Join("JOIN catalogue_offerings AS o ON o.id = pa.offering_id").
		Join("JOIN catalogue_providers AS p ON p.id = o.provider_id")
}

// addParticipations registers emails as participants of offering; an
// address already registered for it is left as it is. It returns the
// addresses that are new.
func (s *store) addParticipations(ctx context.Context, offering, by int64, emails []string, on *time.Time) ([]string, error) {
	if len(emails) == 0 {
		return nil, nil
	}
	var added []string
	err := s.db.NewRaw(`INSERT INTO catalogue_participations (offering_id, email, took_part_on, registered_by)
		SELECT ?, e, ?, ? FROM unnest(?::text[]) AS e
		ON CONFLICT ON CONSTRAINT catalogue_participations_one DO NOTHING RETURNING email`,
		offering, on, by, textArray(emails)).Scan(ctx, &added)
	if err != nil {
		return nil, fmt.Errorf("catalogue: add participations: %w", err)
	}
	return added, nil
}

// participationsOf lists the participants registered for offering.
func (s *store) participationsOf(ctx context.Context, offering int64) ([]Participation, error) {
	var ps []Participation
	if err := s.participationQuery(&ps).Where("pa.offering_id = ?", offering).OrderExpr("pa.created_at DESC, pa.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: participations of %d: %w", offering, err)
	}
	return ps, nil
}

// participationsFor lists the participations registered under email or
// confirmed by user, newest first.
func (s *store) participationsFor(ctx context.Context, user int64, email string) ([]Participation, error) {
	var ps []Participation
	if err := s.participationQuery(&ps).Where("(pa.email = lower(?) OR pa.user_id = ?)", email, user).
		OrderExpr("pa.created_at DESC, pa.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: participations for %d: %w", user, err)
	}
	return ps, nil
}

// participation returns the participation with id, or ErrNotFound.
func (s *store) participation(ctx context.Context, id int64) (*Participation, error) {
	p := new(Participation)
	if err := s.participationQuery(p).Where("pa.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "participation")
	}
	return p, nil
}

// answerParticipation records the participant's answer, once.
func (s *store) answerParticipation(ctx context.Context, id, user int64, confirm bool) (bool, error) {
	col := "declined_at"
	if confirm {
		col = "confirmed_at"
	}
	res, err := s.db.NewRaw("UPDATE catalogue_participations SET user_id = ?, "+col+" = now() WHERE id = ? AND confirmed_at IS NULL AND declined_at IS NULL",
		user, id).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("catalogue: answer participation: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// confirmedParticipation reports whether user confirmed taking part in offering.
func (s *store) confirmedParticipation(ctx context.Context, offering, user int64) (bool, error) {
	ok, err := s.db.NewSelect().Table("catalogue_participations").
		Where("offering_id = ? AND user_id = ? AND confirmed_at IS NOT NULL", offering, user).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("catalogue: confirmed participation: %w", err)
	}
	return ok, nil
}

// participatedInPilot reports whether user posted, or belongs to the
// organisation of, a pilot project guided by provider.
func (s *store) participatedInPilot(ctx context.Context, user, provider int64) (bool, error) {
	ok, err := s.db.NewSelect().Table("catalogue_pilots").
		Where("provider_id = ? AND status IN ('matched', 'completed')", provider).
		Where("(created_by = ? OR organisation_id = (SELECT organisation_id FROM users WHERE id = ?))", user, user).
		Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("catalogue: pilot participation: %w", err)
	}
	return ok, nil
}

// openParticipationCount counts the participations waiting for user's answer.
func (s *store) openParticipationCount(ctx context.Context, email string) (int, error) {
	n, err := s.db.NewSelect().Table("catalogue_participations").
		Where("email = lower(?) AND confirmed_at IS NULL AND declined_at IS NULL", email).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("catalogue: open participations: %w", err)
	}
	return int(n), nil
}
