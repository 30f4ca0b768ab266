package catalogue

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// ProviderRequest is a registered user's request to be listed as a
// provider. An admin approves it (the listing is made and the user gets the
// provider role) or refuses it with a reason.
type ProviderRequest struct {
	bun.BaseModel `bun:"table:catalogue_provider_requests,alias:pr"`

	ID           int64      `bun:",pk,autoincrement"`
	UserID       *int64     ``
	UserName     string     `bun:",scanonly"`
	UserEmail    string     `bun:",scanonly"`
	Kind         string     `bun:",notnull"`
	Name         string     `bun:",notnull"`
	KVK          string     `bun:"kvk,notnull"`
	Website      string     `bun:",notnull"`
	ContactEmail string     `bun:",notnull"`
	Description  string     `bun:",notnull"`
	Provinces    []string   `bun:",array,notnull"`
	Motivation   string     `bun:",notnull"`
	Status       string     `bun:",notnull"`
	Reason       string     `bun:",notnull"`
	DecidedBy    *int64     ``
	DecidedAt    *time.Time ``
	ProviderID   *int64     ``
	CreatedAt    time.Time  `bun:",nullzero,notnull,default:current_timestamp"`
}

// KindLabel is the Dutch name of the requested kind.
func (r *ProviderRequest) KindLabel() string { return ProviderKinds.Label(r.Kind) }

// RequestStatuses are the states of a provider request with Dutch labels.
var RequestStatuses = Options{{"pending", "Wacht op het programmabureau"}, {"approved", "Goedgekeurd"}, {"refused", "Afgewezen"}}

// StatusLabel is the Dutch name of the request's state.
func (r *ProviderRequest) StatusLabel() string { return RequestStatuses.Label(r.Status) }

func (s *store) requestQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("pr.*").
		ColumnExpr("coalesce(u.name, '') AS user_name, coalesce(u.email, '') AS user_email").
		Join("LEFT JOIN users AS u ON u.id = pr.user_id")
}

func (s *store) createRequest(ctx context.Context, r *ProviderRequest) error {
	r.Status = "pending"
	if _, err := s.db.NewInsert().Model(r).Returning("id, created_at").Exec(ctx); err != nil {
		if isUniqueViolation(err, "catalogue_provider_requests_pending_name") {
			return apperr.NewValidation("name", "Voor deze naam loopt al een aanmelding.")
		}
		return fmt.Errorf("catalogue: create provider request: %w", err)
	}
	return nil
}

func (s *store) request(ctx context.Context, id int64) (*ProviderRequest, error) {
	r := new(ProviderRequest)
	if err := s.requestQuery(r).Where("pr.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "provider request")
	}
	return r, nil
}

func (s *store) requestsOf(ctx context.Context, user int64) ([]ProviderRequest, error) {
	var rs []ProviderRequest
	if err := s.requestQuery(&rs).Where("pr.user_id = ?", user).OrderExpr("pr.created_at DESC, pr.id DESC").Limit(20).Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: requests of %d: %w", user, err)
	}
	return rs, nil
}

func (s *store) pendingRequests(ctx context.Context, limit int) ([]ProviderRequest, error) {
	var rs []ProviderRequest
	if err := s.requestQuery(&rs).Where("pr.status = 'pending'").OrderExpr("pr.created_at, pr.id").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: pending requests: %w", err)
	}
	return rs, nil
}

// decideRequest records the decision on a pending request; ErrRequestDecided otherwise.
func (s *store) decideRequest(ctx context.Context, r *ProviderRequest) error {
	res, err := s.db.NewUpdate().Model(r).Column("status", "reason", "decided_by", "provider_id").Set("decided_at = now()").
		WherePK().Where("status = 'pending'").Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: decide request: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrRequestDecided
	}
	return nil
}

// RequestListing records v's request to be listed, once for identical
// submissions; ErrProviderTaken when a listing of that name exists.
func (s *Service) RequestListing(ctx context.Context, v Actor, r *ProviderRequest) (int64, error) {
	r.UserID = &v.ID
	return s.createOnce(ctx, "provider-request", v.ID, r, func(ctx context.Context, tx bun.Tx, st *store) (int64, error) {
		taken, err := tx.NewSelect().Table("catalogue_providers").Where("lower(name) = lower(?)", r.Name).Exists(ctx)
		if err != nil {
			return 0, fmt.Errorf("catalogue: provider name: %w", err)
		}
		if taken {
			return 0, ErrProviderTaken
		}
		if err := st.createRequest(ctx, r); err != nil {
			return 0, err
		}
		return r.ID, nil
	})
}

// MyRequests lists v's requests, newest first.
func (s *Service) MyRequests(ctx context.Context, v Actor) ([]ProviderRequest, error) {
	return s.st.requestsOf(ctx, v.ID)
}

// DecideRequest approves (creating the listing, owned by the requester,
// and granting the provider role, in one transaction) or refuses, with a
// reason (5–1000 characters, required when refusing), and tells the
// requester. A request decided before is ErrRequestDecided.
func (s *Service) DecideRequest(ctx context.Context, admin Actor, id int64, approve bool, reason string) (*ProviderRequest, error) {
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); (!approve && n < 5) || n > 1000 {
		return nil, apperr.NewValidation(fmt.Sprintf("reason-%d", id), "Geef bij een afwijzing een reden van 5 tot 1000 tekens; de aanvrager krijgt die te lezen.")
	}
	r, err := s.st.request(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != "pending" {
		return nil, ErrRequestDecided
	}
	r.Reason, r.DecidedBy = reason, &admin.ID
	r.Status = "refused"
	if approve {
		r.Status = "approved"
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := newStore(tx)
		if approve {
			if r.UserID == nil {
				return apperr.Msg(apperr.ErrConflict, "De aanvrager heeft zijn account opgeheven; deze aanmelding kan alleen worden afgewezen.")
			}
			p := &Provider{Kind: r.Kind, Name: r.Name, Description: r.Description, Website: r.Website, ContactEmail: r.ContactEmail,
				Provinces: r.Provinces, QualityMarks: []string{}, KVK: r.KVK, Status: "approved"}
			if err := st.createProvider(ctx, p, *r.UserID); err != nil {
				if err == ErrProviderTaken {
					return apperr.Msg(apperr.ErrConflict, "Er staat inmiddels al een aanbieder met deze naam in de Gids; wijs deze aanmelding af met die reden.")
				}
				return err
			}
			r.ProviderID = &p.ID
			if err := s.roles.GrantRole(ctx, tx, *r.UserID, "provider"); err != nil {
				return fmt.Errorf("catalogue: grant provider role: %w", err)
			}
		}
		if err := st.decideRequest(ctx, r); err != nil {
			return err
		}
		return s.noticeRequestDecided(ctx, tx, st, r)
	})
	if err != nil {
		return nil, err
	}
	s.facets.clear()
	return r, nil
}

// AdminOverview is what /beheer/gids shows.
type AdminOverview struct {
	Requests []ProviderRequest
	Queue    []QueueItem
}

// Admin gathers the admin page: pending provider requests and the moderation queue.
func (s *Service) Admin(ctx context.Context) (AdminOverview, error) {
	var a AdminOverview
	var err error
	if a.Requests, err = s.st.pendingRequests(ctx, 100); err != nil {
		return a, err
	}
	a.Queue, err = s.st.moderationQueue(ctx, 100)
	return a, err
}

// Listing is one of a user's provider listings with its offerings.
type Listing struct {
	Provider  Provider
	Offerings []Offering
	// Pilots are open pilot projects that match the listing, for an adviser.
	Pilots []Pilot
}

// MineView is what /gids/mijn shows: the user's listings, their requests
// for one, the quote requests sent to them and what waits for their answer.
type MineView struct {
	Listings []Listing
	Requests []ProviderRequest
	Quotes   []ProviderQuote
	// Pending reports whether a request waits for the programme office.
	Pending bool
	// OpenParticipations counts participations waiting for the user's confirmation.
	OpenParticipations int
}

// Mine gathers /gids/mijn for v.
func (s *Service) Mine(ctx context.Context, v Actor) (*MineView, error) {
	mv := &MineView{}
	ps, err := s.st.providersOf(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	pilots, err := s.PilotsFor(ctx, v)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		os, err := s.st.offeringsOf(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		mv.Listings = append(mv.Listings, Listing{Provider: p, Offerings: os, Pilots: pilots[p.ID]})
	}
	if mv.Requests, err = s.st.requestsOf(ctx, v.ID); err != nil {
		return nil, err
	}
	for _, r := range mv.Requests {
		mv.Pending = mv.Pending || r.Status == "pending"
	}
	if len(ps) > 0 {
		if mv.Quotes, err = s.st.quotesForOwner(ctx, v.ID); err != nil {
			return nil, err
		}
	}
	mv.OpenParticipations, err = s.st.openParticipationCount(ctx, v.Email)
	return mv, err
}
