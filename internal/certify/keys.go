package certify

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// signingKeyRow is a signing key as stored.
type signingKeyRow struct {
	bun.BaseModel `bun:"table:cert_signing_keys,alias:k"`

	KID        string     `bun:"kid,pk"`
	PrivateKey []byte     `bun:",notnull"`
	CreatedAt  time.Time  `bun:",notnull"`
	RetiredAt  *time.Time `bun:""`
}

func (r signingKeyRow) key() SigningKey {
	return SigningKey{ID: r.KID, Private: ed25519.PrivateKey(r.PrivateKey), CreatedAt: r.CreatedAt}
}

// currentKey returns the key that signs new credentials, creating the first
// one when there is none. Concurrent first calls agree on one key.
func currentKey(ctx context.Context, db bun.IDB, now time.Time) (SigningKey, error) {
	var row signingKeyRow
	err := db.NewSelect().Model(&row).Where("k.retired_at IS NULL").Scan(ctx)
	if err == nil {
		return row.key(), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return SigningKey{}, fmt.Errorf("certify: current signing key: %w", err)
	}
	k, err := GenerateKey(now)
	if err != nil {
		return SigningKey{}, err
	}
	_, err = db.NewRaw(`INSERT INTO cert_signing_keys (kid, private_key, created_at) VALUES (?, ?, ?)
		ON CONFLICT ((true)) WHERE retired_at IS NULL DO NOTHING`, k.ID, []byte(k.Private), now).Exec(ctx)
	if err != nil {
		return SigningKey{}, fmt.Errorf("certify: store signing key: %w", err)
	}
	if err := db.NewSelect().Model(&row).Where("k.retired_at IS NULL").Scan(ctx); err != nil {
		return SigningKey{}, fmt.Errorf("certify: current signing key: %w", err)
	}
	return row.key(), nil
}

// EnsureSigningKey creates the first signing key when there is none, as on
// the first start, and returns the current one.
func (s *Service) EnsureSigningKey(ctx context.Context) (SigningKey, error) {
	return currentKey(ctx, s.db, s.now())
}

// RotateKey makes a new key the one that signs new credentials. The old
// keys stay published in the key set, so credentials they signed keep
// verifying; each credential is always signed with the key it was issued
// under.
func (s *Service) RotateKey(ctx context.Context) (SigningKey, error) {
	k, err := GenerateKey(s.now())
	if err != nil {
		return SigningKey{}, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE cert_signing_keys IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("cert_signing_keys").Set("retired_at = ?", k.CreatedAt).Where("retired_at IS NULL").Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(&signingKeyRow{KID: k.ID, PrivateKey: k.Private, CreatedAt: k.CreatedAt}).Exec(ctx)
		return err
	})
	if err != nil {
		return SigningKey{}, fmt.Errorf("certify: rotate key: %w", err)
	}
	return k, nil
}

// SigningKeys returns every key, current and retired, newest first.
func (s *Service) SigningKeys(ctx context.Context) ([]SigningKey, error) {
	var rows []signingKeyRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("k.created_at DESC, k.kid").Scan(ctx); err != nil {
		return nil, fmt.Errorf("certify: signing keys: %w", err)
	}
	out := make([]SigningKey, len(rows))
	for i, r := range rows {
		out[i] = r.key()
	}
	return out, nil
}

// JWKS is the published key set: the public halves of every key.
func (s *Service) JWKS(ctx context.Context) ([]byte, error) {
	keys, err := s.SigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	return JWKS(keys)
}

func (s *Service) signingKey(ctx context.Context, kid string) (SigningKey, error) {
	var row signingKeyRow
	if err := s.db.NewSelect().Model(&row).Where("k.kid = ?", kid).Scan(ctx); err != nil {
		return SigningKey{}, fmt.Errorf("certify: signing key %s: %w", kid, err)
	}
	return row.key(), nil
}

// --- Credentials ---

// Issuer is the issuer of every credential.
func (s *Service) Issuer() Issuer {
	return Issuer{ID: s.baseURL + "/api/v1/issuer", Name: IssuerName, URL: s.baseURL}
}

// IssuerProfile is the Open Badges issuer profile published at the issuer's id.
func (s *Service) IssuerProfile() map[string]any {
	p := s.Issuer().profile()
	p["@context"] = []any{contextVC2, contextOB3}
	p["description"] = "Het Programma Ambtenaar 2.0 certificeert trainers, adviseurs en opleidingen voor werken 2.0 bij de overheid, en geeft certificaten uit voor afgeronde cursussen in de Leeromgeving Werken 2.0."
	p["type"] = []any{"Profile"}
	return p
}

// VerifyURL is the public page that verifies the certificate with number.
func (s *Service) VerifyURL(number string) string { return s.baseURL + "/verifieer/" + number }

// AchievementURL is the page about what a certificate certifies: its
// scheme's criteria, or the course.
func (s *Service) AchievementURL(c *Certificate) string {
	if c.Kind == KindCourse {
		return s.baseURL + "/cursussen/" + c.CourseSlug
	}
	return s.baseURL + "/certificering/regelingen/" + c.SchemeSlug
}

// Credential returns the certificate as an Open Badges 3.0
// OpenBadgeCredential. It is built from the stored record alone, so it
// never changes; the status lists tell whether it still holds.
func (s *Service) Credential(c *Certificate) map[string]any {
	d := CredentialData{
		Number:                 c.Number,
		HolderName:             c.HolderName,
		AchievementID:          s.AchievementURL(c),
		AchievementName:        c.Title,
		AchievementDescription: fmt.Sprintf("De houder %s %s.", c.Achievement, c.Title),
		AchievementType:        "Certification",
		IssuedAt:               c.IssuedAt,
		ExpiresAt:              c.ExpiresAt,
		StatusListURL:          StatusListURL(s.baseURL, statusPurposeRev),
		SuspensionListURL:      StatusListURL(s.baseURL, statusPurposeSus),
		StatusListIndex:        c.StatusIndex,
	}
	if c.Kind == KindCourse {
		d.AchievementType = "CertificateOfCompletion"
		d.AchievementDescription = fmt.Sprintf("De houder heeft de cursus %s in de Leeromgeving Werken 2.0 met goed gevolg afgerond.", c.Title)
		d.Criteria = "Alle lessen en toetsen van de cursus met goed gevolg afgerond."
	} else {
		d.Criteria = "Beoordeeld door een beoordelaar van het Programma Ambtenaar 2.0 volgens de openbare criteria van de regeling op " + d.AchievementID + "."
	}
	return BuildCredential(s.baseURL, s.Issuer(), d)
}

// CredentialJWT returns the credential signed as a VC-JWT with the key it
// was issued under: the same record always gives the same token.
func (s *Service) CredentialJWT(ctx context.Context, c *Certificate) (string, error) {
	key, err := s.signingKey(ctx, c.SigningKID)
	if err != nil {
		return "", err
	}
	return SignCredential(key, s.Issuer().ID, s.Credential(c))
}

// StatusPurposes are the status lists published: revocation (for good) and
// suspension (until reinstated).
var StatusPurposes = []string{statusPurposeRev, statusPurposeSus}

// StatusList returns the Bitstring Status List credential for purpose
// ("revocation" or "suspension"), and the same signed as a VC-JWT with the
// current key. It returns ErrNotFound for another purpose.
func (s *Service) StatusList(ctx context.Context, purpose string) (map[string]any, string, error) {
	status := map[string]string{statusPurposeRev: StatusRevoked, statusPurposeSus: StatusSuspended}[purpose]
	if status == "" {
		return nil, "", ErrNotFound
	}
	maxIndex, changed, err := s.Store.statusState(ctx)
	if err != nil {
		return nil, "", err
	}
	set, err := s.Store.statusIndexes(ctx, status)
	if err != nil {
		return nil, "", err
	}
	encoded, err := EncodeStatusList(maxIndex+1, set)
	if err != nil {
		return nil, "", err
	}
	if changed.IsZero() {
		changed = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	cred := BuildStatusListCredential(s.baseURL, s.Issuer(), purpose, encoded, changed)
	key, err := currentKey(ctx, s.db, s.now())
	if err != nil {
		return nil, "", err
	}
	token, err := SignCredential(key, s.Issuer().ID, cred)
	if err != nil {
		return nil, "", err
	}
	return cred, token, nil
}
