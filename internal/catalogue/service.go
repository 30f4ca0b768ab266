package catalogue

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// ReviewsPerHour is how many reviews one user may write in an hour.
const ReviewsPerHour = 5

// Service holds the Gids' rules that span tables or other domains: owners
// only, certificates checked against the register, verified reviews,
// pilot project matching.
type Service struct {
	db       *bun.DB
	Store    *Store
	Register Register
	Learning Learning
	Metrics  ProgrammeMetrics
	Now      func() time.Time
	facets   *ttlCache
}

// NewService wires the Gids on db and the other domains' answers.
func NewService(db *bun.DB, reg Register, learn Learning, metrics ProgrammeMetrics) *Service {
	s := &Service{db: db, Store: NewStore(db), Register: reg, Learning: learn, Metrics: metrics, Now: time.Now}
	s.facets = newTTLCache(func() time.Time { return s.Now() })
	return s
}

// CreateProvider registers a provider listing owned by user; it shows in
// the Gids after an admin approves it.
func (s *Service) CreateProvider(ctx context.Context, user int64, p *Provider) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return NewStore(tx).CreateProvider(ctx, p, user)
	})
}

// SetProviderStatus approves or rejects a provider listing; approval puts
// its offerings in the Gids.
func (s *Service) SetProviderStatus(ctx context.Context, provider int64, status string) error {
	defer s.facets.clear()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return NewStore(tx).SetProviderStatus(ctx, provider, status)
	})
}

// mustOwn returns ErrForbidden unless user owns provider.
func mustOwn(ctx context.Context, st *Store, provider, user int64) error {
	ok, err := st.Owns(ctx, provider, user)
	if err != nil {
		return err
	}
	if !ok {
		return ErrForbidden
	}
	return nil
}

// CreateOffering adds o to the user's provider o.ProviderID.
func (s *Service) CreateOffering(ctx context.Context, user int64, o *Offering) error {
	defer s.facets.clear()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		if _, err := tx.NewRaw("SELECT id FROM catalogue_providers WHERE id = ? FOR SHARE", o.ProviderID).Exec(ctx); err != nil {
			return fmt.Errorf("catalogue: lock provider: %w", err)
		}
		if err := mustOwn(ctx, st, o.ProviderID, user); err != nil {
			return err
		}
		return st.CreateOffering(ctx, o)
	})
}

// LinkCertificate links the register certificate number to the user's
// provider, or to one of its offerings when offering is not 0. The
// certificate must be valid and held by one of the provider's owners.
func (s *Service) LinkCertificate(ctx context.Context, user, provider, offering int64, number string) error {
	number = strings.ToUpper(strings.TrimSpace(number))
	if number == "" || len(number) > 60 {
		return apperr.NewValidation("number", "Vul het nummer van het certificaat in, zoals het op het certificaat staat.")
	}
	if err := mustOwn(ctx, s.Store, provider, user); err != nil {
		return err
	}
	if offering != 0 {
		o, err := s.Store.Offering(ctx, offering)
		if err != nil {
			return err
		}
		if o.ProviderID != provider {
			return ErrForbidden
		}
	}
	rec, holder, ok, err := s.Register.ValidCertificate(ctx, number)
	if err != nil {
		return fmt.Errorf("catalogue: register: %w", err)
	}
	if !ok {
		return apperr.NewValidation("number", "Dit nummer staat niet als geldig certificaat in het register. Controleer het op /verifieer.")
	}
	owners, err := s.Store.Owners(ctx, provider)
	if err != nil {
		return err
	}
	if !slices.Contains(owners, holder) {
		return apperr.NewValidation("number", "Dit certificaat staat op naam van iemand anders. U kunt alleen certificaten koppelen die u zelf houdt.")
	}
	c := &Certificate{ProviderID: provider, Number: rec.Number, Kind: rec.Kind, Title: rec.Title,
		HolderName: rec.HolderName, HolderUserID: holder, ValidUntil: rec.ValidUntil}
	if offering != 0 {
		c.OfferingID = &offering
	}
	defer s.facets.clear()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return NewStore(tx).LinkCertificate(ctx, c)
	})
}

// Certificates returns a provider's linked certificates after checking each
// against the register again; those no longer valid stop counting.
func (s *Service) Certificates(ctx context.Context, provider int64) ([]Certificate, error) {
	cs, err := s.Store.Certificates(ctx, provider)
	if err != nil {
		return nil, err
	}
	var keep []Certificate
	var revoked []int64
	for _, c := range cs {
		rec, holder, ok, err := s.Register.ValidCertificate(ctx, c.Number)
		if err != nil {
			return nil, fmt.Errorf("catalogue: register: %w", err)
		}
		if !ok || holder != c.HolderUserID {
			revoked = append(revoked, c.ID)
			continue
		}
		c.ValidUntil = rec.ValidUntil
		keep = append(keep, c)
	}
	if len(revoked) > 0 {
		defer s.facets.clear()
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return NewStore(tx).MarkRevoked(ctx, provider, revoked)
		})
		if err != nil {
			return nil, err
		}
	}
	return keep, nil
}

// UpdateOffering saves o when user owns its provider; ErrNotFound otherwise.
func (s *Service) UpdateOffering(ctx context.Context, user int64, o *Offering) error {
	defer s.facets.clear()
	return s.Store.UpdateOffering(ctx, o, user)
}

// ReviewInput is what a reviewer enters.
type ReviewInput struct {
	Overall, Content, Applicability, Teacher, Value int
	Body                                            string
}

// SubmitReview creates user's review of offering, or updates it when it
// exists. The provider's owners cannot review; new reviews are rate
// limited; a second review of the same offering is ErrDuplicateReview
// (also when two arrive at once). It returns the saved review.
func (s *Service) SubmitReview(ctx context.Context, user, offering int64, in ReviewInput, update bool) (*Review, error) {
	o, err := s.Store.Offering(ctx, offering)
	if err != nil {
		return nil, err
	}
	if !o.Listed {
		return nil, ErrNotFound
	}
	if owns, err := s.Store.Owns(ctx, o.ProviderID, user); err != nil {
		return nil, err
	} else if owns {
		return nil, ErrOwnReview
	}
	verified, err := s.participated(ctx, user, o)
	if err != nil {
		return nil, err
	}
	defer s.facets.clear()
	r := &Review{OfferingID: offering, UserID: user, Overall: in.Overall, Content: in.Content,
		Applicability: in.Applicability, Teacher: in.Teacher, Value: in.Value, Body: strings.TrimSpace(in.Body), Verified: verified}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		existing, err := st.ReviewBy(ctx, offering, user)
		switch {
		case err == nil && update:
			r.ID = existing.ID
			if err := st.UpdateReview(ctx, r); err != nil {
				return err
			}
		case err == nil:
			return ErrDuplicateReview
		case errors.Is(err, ErrNotFound):
			n, err := st.RecentReviewCount(ctx, user, s.Now().Add(-time.Hour))
			if err != nil {
				return err
			}
			if n >= ReviewsPerHour {
				return ErrReviewSpam
			}
			if err := st.CreateReview(ctx, r); err != nil {
				return err
			}
		default:
			return err
		}
		return st.RecomputeRating(ctx, offering)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// participated reports whether our records prove that user took part: a
// completed course the offering delivers, or a pilot project of their
// organisation matched to the provider.
func (s *Service) participated(ctx context.Context, user int64, o *Offering) (bool, error) {
	if o.CourseSlug != "" {
		_, ok, err := s.Learning.CourseCompletion(ctx, user, o.CourseSlug)
		if err != nil {
			return false, fmt.Errorf("catalogue: learning: %w", err)
		}
		if ok {
			return true, nil
		}
	}
	return s.Store.ParticipatedInPilot(ctx, user, o.ProviderID)
}

// Moderate hides or restores a review with a reason, in one transaction.
func (s *Service) Moderate(ctx context.Context, admin, review int64, hide bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n < 5 || n > 1000 {
		return apperr.NewValidation("reason", "Geef een reden van 5 tot 1000 tekens; die wordt bewaard.")
	}
	defer s.facets.clear()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return NewStore(tx).Moderate(ctx, review, admin, hide, reason)
	})
}

// ExpressInterest records that the user's provider wants to guide a pilot
// project. Only approved advisory firms and independent advisers whose
// owners hold a valid adviser certificate may respond.
func (s *Service) ExpressInterest(ctx context.Context, user, pilot, provider int64, message string) error {
	message = strings.TrimSpace(message)
	if n := len([]rune(message)); n < 20 || n > 2000 {
		return apperr.NewValidation("message", "Schrijf in 20 tot 2000 tekens hoe u dit proefproject wilt begeleiden.")
	}
	if err := mustOwn(ctx, s.Store, provider, user); err != nil {
		return err
	}
	p, err := s.Store.Provider(ctx, provider)
	if err != nil {
		return err
	}
	if p.Status != "approved" || (p.Kind != "firm" && p.Kind != "independent") {
		return apperr.Msg(apperr.ErrForbidden, "Alleen goedgekeurde adviesbureaus en zelfstandig adviseurs kunnen op proefprojecten reageren.")
	}
	owners, err := s.Store.Owners(ctx, provider)
	if err != nil {
		return err
	}
	certs, err := s.Register.ValidCertificates(ctx, owners)
	if err != nil {
		return fmt.Errorf("catalogue: register: %w", err)
	}
	certified := false
	for _, cs := range certs {
		for _, c := range cs {
			certified = certified || c.Kind == "adviser"
		}
	}
	if !certified {
		return apperr.Msg(apperr.ErrForbidden, "Alleen gecertificeerde adviseurs kunnen op proefprojecten reageren. Vraag de certificering aan via Certificering.")
	}
	return s.Store.AddInterest(ctx, pilot, provider, message)
}
