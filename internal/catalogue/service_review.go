package catalogue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// ReviewsPerHour is how many reviews one user may write in an hour.
const ReviewsPerHour = 5

// ReviewInput is what a reviewer enters.
type ReviewInput struct {
	Overall, Content, Applicability, Teacher, Value int
	Body                                            string
}

// Validate checks the scores (1–5) and the text (50–5000 characters).
func (in ReviewInput) Validate() error {
	v := &apperr.Validation{}
	for _, x := range []struct {
		field string
		score int
	}{{"overall", in.Overall}, {"content", in.Content}, {"applicability", in.Applicability}, {"teacher", in.Teacher}, {"value", in.Value}} {
		if x.score < 1 || x.score > 5 {
			v.Add(x.field, "Kies 1 tot 5 sterren.")
		}
	}
	if n := len([]rune(strings.TrimSpace(in.Body))); n < 50 || n > 5000 {
		v.Add("text", "Beschrijf uw ervaring in 50 tot 5000 tekens.")
	}
	return v.Err()
}

// OfferingView is what an offering's page shows.
type OfferingView struct {
	Offering     *Offering
	Certificates []Certificate
	Aggregate    Aggregate
	Reviews      []Review
	Mine         *Review
	Owner        bool
	// Proof says, for a logged-in viewer, whether a review by them would
	// count as a verified participant's.
	Proof bool
}

// OfferingPage gathers an offering's page for v (nil: a visitor). An
// offering not listed is shown only to its owners and admins.
func (s *Service) OfferingPage(ctx context.Context, v *Actor, id int64) (*OfferingView, error) {
	o, err := s.st.offering(ctx, id)
	if err != nil {
		return nil, err
	}
	ov := &OfferingView{Offering: o}
	if v != nil {
		if ov.Owner, err = s.st.owns(ctx, o.ProviderID, v.ID); err != nil {
			return nil, err
		}
	}
	if !o.Listed && !ov.Owner && (v == nil || !v.Admin) {
		return nil, ErrNotFound
	}
	certs, err := s.Certificates(ctx, o.ProviderID)
	if err != nil {
		return nil, err
	}
	for _, cert := range certs {
		if cert.OfferingID == nil || *cert.OfferingID == o.ID {
			ov.Certificates = append(ov.Certificates, cert)
		}
	}
	o.Certified = len(ov.Certificates) > 0
	if ov.Aggregate, err = s.st.offeringAggregate(ctx, id); err != nil {
		return nil, err
	}
	if ov.Reviews, err = s.st.reviews(ctx, id, 50, 0); err != nil {
		return nil, err
	}
	if v != nil && !ov.Owner {
		r, err := s.st.reviewBy(ctx, id, v.ID)
		switch {
		case err == nil:
			ov.Mine = r
		case !errors.Is(err, ErrNotFound):
			return nil, err
		}
		if ov.Proof, err = s.participated(ctx, v.ID, o); err != nil {
			return nil, err
		}
	}
	return ov, nil
}

// Reviewable returns the listed offering id and the viewer's review of it
// (nil when none), for the review form.
func (s *Service) Reviewable(ctx context.Context, user, id int64) (*Offering, *Review, error) {
	o, err := s.st.offering(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !o.Listed {
		return nil, nil, ErrNotFound
	}
	r, err := s.st.reviewBy(ctx, id, user)
	if errors.Is(err, ErrNotFound) {
		return o, nil, nil
	}
	return o, r, err
}

// SubmitReview creates user's review of offering, or updates it when
// update is set. The provider's owners cannot review; new reviews are rate
// limited; a second, different review of the same offering is
// ErrDuplicateReview, while the same review sent again (a double click)
// returns the first. The review is verified when the platform holds proof
// that user took part.
func (s *Service) SubmitReview(ctx context.Context, user, offering int64, in ReviewInput, update bool) (*Review, error) {
	in.Body = strings.TrimSpace(in.Body)
	if err := in.Validate(); err != nil {
		return nil, err
	}
	o, err := s.st.offering(ctx, offering)
	if err != nil {
		return nil, err
	}
	if !o.Listed {
		return nil, ErrNotFound
	}
	if owns, err := s.st.owns(ctx, o.ProviderID, user); err != nil {
		return nil, err
	} else if owns {
		return nil, ErrOwnReview
	}
	verified, err := s.participated(ctx, user, o)
	if err != nil {
		return nil, err
	}
	r := &Review{OfferingID: offering, UserID: user, Overall: in.Overall, Content: in.Content,
		Applicability: in.Applicability, Teacher: in.Teacher, Value: in.Value, Body: in.Body, Verified: verified}
	if update {
		err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			st := newStore(tx)
			existing, err := st.reviewBy(ctx, offering, user)
			if err != nil {
				return err
			}
			r.ID = existing.ID
			return st.updateReview(ctx, r)
		})
	} else {
		r.ID, err = s.createOnce(ctx, "review", user, struct {
			Offering int64
			In       ReviewInput
		}{offering, in}, func(ctx context.Context, tx bun.Tx, st *store) (int64, error) {
			n, err := st.recentReviewCount(ctx, user, s.Now().Add(-time.Hour))
			if err != nil {
				return 0, err
			}
			if n >= ReviewsPerHour {
				return 0, ErrReviewSpam
			}
			if err := st.createReview(ctx, r); err != nil {
				return 0, err
			}
			return r.ID, s.noticeNewReview(ctx, tx, st, o, r)
		})
	}
	if err != nil {
		return nil, err
	}
	s.facets.clear()
	return s.st.review(ctx, r.ID)
}

// participated reports whether the platform holds proof that user took
// part in o: a participation the provider registered and the user
// confirmed; a pilot project of their organisation guided by the
// provider; or a completed platform course that o is, run by the same
// provider (an owner wrote the course, or holds a valid certificate for it
// as a training). Linking someone else's course proves nothing.
func (s *Service) participated(ctx context.Context, user int64, o *Offering) (bool, error) {
	if ok, err := s.st.confirmedParticipation(ctx, o.ID, user); err != nil || ok {
		return ok, err
	}
	if ok, err := s.st.participatedInPilot(ctx, user, o.ProviderID); err != nil || ok {
		return ok, err
	}
	if o.CourseSlug == "" {
		return false, nil
	}
	if _, done, err := s.learning.CourseCompletion(ctx, user, o.CourseSlug); err != nil || !done {
		if err != nil {
			return false, fmt.Errorf("catalogue: learning: %w", err)
		}
		return false, nil
	}
	return s.runsCourse(ctx, o)
}

// runsCourse reports whether o's provider runs the platform course o names.
func (s *Service) runsCourse(ctx context.Context, o *Offering) (bool, error) {
	c, ok, err := s.learning.Course(ctx, o.CourseSlug)
	if err != nil {
		return false, fmt.Errorf("catalogue: learning: %w", err)
	}
	if !ok {
		return false, nil
	}
	owners, err := s.st.owners(ctx, o.ProviderID)
	if err != nil {
		return false, err
	}
	for _, u := range owners {
		if c.AuthorID != 0 && u == c.AuthorID {
			return true, nil
		}
	}
	certs, err := s.Certificates(ctx, o.ProviderID)
	if err != nil {
		return false, err
	}
	for _, cert := range certs {
		if cert.Kind == "training" && cert.OfferingID != nil && *cert.OfferingID == o.ID && sameName(cert.HolderName, c.Title) {
			return true, nil
		}
	}
	return false, nil
}

// sameName compares names as people read them: case, spacing and dashes aside.
func sameName(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(s)
		s = strings.NewReplacer("—", " ", "–", " ", "-", " ", ":", " ").Replace(s)
		return strings.Join(strings.Fields(s), " ")
	}
	return norm(a) == norm(b)
}

// Reply stores the provider's one public reply to a review and tells the reviewer.
func (s *Service) Reply(ctx context.Context, user, review int64, text string) (*Review, error) {
	text = strings.TrimSpace(text)
	r, err := s.st.review(ctx, review)
	if err != nil {
		return nil, err
	}
	o, err := s.OwnedOffering(ctx, user, r.OfferingID)
	if err != nil {
		return nil, err
	}
	if n := len([]rune(text)); n < 10 || n > 3000 {
		return r, apperr.NewValidation(fmt.Sprintf("reply-%d", review), "Schrijf een reactie van 10 tot 3000 tekens.")
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := newStore(tx)
		if err := st.setReply(ctx, review, text); err != nil {
			return err
		}
		return s.noticeReply(ctx, tx, st, o, r)
	})
	return r, err
}

// Report records user's report of a review for the moderators.
func (s *Service) Report(ctx context.Context, user, review int64, reason string) (*Review, error) {
	reason = strings.TrimSpace(reason)
	r, err := s.st.review(ctx, review)
	if err != nil {
		return nil, err
	}
	if n := len([]rune(reason)); n < 5 || n > 1000 {
		return r, apperr.NewValidation(fmt.Sprintf("report-%d", review), "Schrijf in 5 tot 1000 tekens wat er mis is met deze review.")
	}
	_, err = s.st.report(ctx, review, user, reason)
	return r, err
}

// Moderate hides or restores a review with a reason, in one transaction;
// counts and ranking follow at once.
func (s *Service) Moderate(ctx context.Context, admin, review int64, hide bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n < 5 || n > 1000 {
		return apperr.NewValidation(fmt.Sprintf("reason-%d", review), "Geef een reden van 5 tot 1000 tekens; die wordt bewaard.")
	}
	defer s.facets.clear()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return newStore(tx).moderate(ctx, review, admin, hide, reason)
	})
}

// ModerationQueue lists reviews with open reports, then hidden ones.
func (s *Service) ModerationQueue(ctx context.Context, limit int) ([]QueueItem, error) {
	return s.st.moderationQueue(ctx, limit)
}

// Reviews is one page of the visible reviews of a listed offering, with the summary.
func (s *Service) Reviews(ctx context.Context, offering int64, page int) ([]Review, Aggregate, error) {
	o, err := s.st.offering(ctx, offering)
	if err != nil {
		return nil, Aggregate{}, err
	}
	if !o.Listed {
		return nil, Aggregate{}, ErrNotFound
	}
	agg, err := s.st.offeringAggregate(ctx, offering)
	if err != nil {
		return nil, agg, err
	}
	rs, err := s.st.reviews(ctx, offering, PerPage, (page-1)*PerPage)
	return rs, agg, err
}
