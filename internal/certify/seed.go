package certify

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Seeding: the demo content, written in a transaction of the caller.

// SeedScheme inserts sc into db unless a scheme with its slug exists, in
// which case sc gets the stored one's ID and nothing changes.
func (s *Service) SeedScheme(ctx context.Context, db bun.IDB, sc *Scheme) error {
	if err := sc.Validate(); err != nil {
		return fmt.Errorf("certify: seed scheme %s: %w", sc.Slug, err)
	}
	return newStore(db).seedScheme(ctx, sc)
}

// SeedCertificate is a certificate of the demo content.
type SeedCertificate struct {
	Scheme       *Scheme
	HolderUserID int64
	HolderName   string // the person's name, or the training's title
	IssuedAt     time.Time
	Listed       bool
	RevokedAt    time.Time // zero: not revoked
	RevokeReason string
	// SuspendedAt suspends the certificate then (with SuspendReason), unless it is revoked.
	SuspendedAt   time.Time
	SuspendReason string
}

// SeedCertificateOnce issues sc in db unless the holder already holds a
// certificate of the scheme, and returns its number ("" when it existed).
func (s *Service) SeedCertificateOnce(ctx context.Context, db bun.IDB, sc SeedCertificate) (string, error) {
	st := newStore(db)
	exists, err := st.hasSchemeCertificate(ctx, sc.HolderUserID, sc.Scheme.ID)
	if err != nil || exists {
		return "", err
	}
	expires := sc.IssuedAt.AddDate(sc.Scheme.ValidityYears, 0, 0)
	c, err := s.issue(ctx, st, issueInput{
		Kind: sc.Scheme.Kind, SchemeID: &sc.Scheme.ID, Title: sc.Scheme.Title, Achievement: achievement(sc.Scheme.Kind),
		HolderUserID: &sc.HolderUserID, HolderName: sc.HolderName, IssuedAt: sc.IssuedAt, ExpiresAt: &expires,
		Listed: sc.Listed, Reason: "Demo-inhoud",
	}, auditSystem)
	if err != nil {
		return "", err
	}
	if !sc.RevokedAt.IsZero() {
		at := sc.RevokedAt
		clock := &Service{now: func() time.Time { return at }}
		if _, err := clock.setStatus(ctx, st, c, StatusRevoked, sc.RevokeReason, Actor{Name: "Programmabureau (demo)"}); err != nil {
			return "", err
		}
	} else if !sc.SuspendedAt.IsZero() {
		at := sc.SuspendedAt
		clock := &Service{now: func() time.Time { return at }}
		if _, err := clock.setStatus(ctx, st, c, StatusSuspended, sc.SuspendReason, Actor{Name: "Programmabureau (demo)"}); err != nil {
			return "", err
		}
	}
	return c.Number, nil
}

// SeedApplication adds a submitted application of applicantID under sc
// with files (requirement key → name → content), unless the applicant has
// an application under sc already.
func (s *Service) SeedApplication(ctx context.Context, db bun.IDB, sc *Scheme, applicantID int64, applicantName, motivation string, submittedAt time.Time, files map[string]map[string][]byte) error {
	st := newStore(db)
	exists, err := st.applicationExists(ctx, applicantID, sc.ID)
	if err != nil || exists {
		return err
	}
	started := submittedAt.Add(-72 * time.Hour)
	a := &Application{SchemeID: sc.ID, ApplicantID: applicantID, Motivation: motivation, ListInRegister: true,
		State: StateSubmitted, SubmittedAt: &submittedAt, CreatedAt: started, UpdatedAt: submittedAt}
	if err := st.insertApplication(ctx, a); err != nil {
		return err
	}
	for req, named := range files {
		for name, data := range named {
			ct, clean, err := CheckEvidence("file", name, data)
			if err != nil {
				return fmt.Errorf("certify: seed evidence %s: %w", name, err)
			}
			sum := sha256.Sum256(data)
			e := &Evidence{ApplicationID: a.ID, Requirement: req, Filename: clean, ContentType: ct, Size: len(data), SHA256: sum[:], Content: data, UploadedAt: started.Add(time.Hour)}
			if err := st.insertEvidence(ctx, e); err != nil {
				return err
			}
		}
	}
	for _, e := range []AuditEntry{
		{At: started, ToState: string(StateDraft)},
		{At: submittedAt, FromState: string(StateDraft), ToState: string(StateSubmitted)},
	} {
		e.ApplicationID, e.ActorID, e.ActorName = &a.ID, &applicantID, applicantName
		if err := st.addAudit(ctx, &e); err != nil {
			return err
		}
	}
	return nil
}
