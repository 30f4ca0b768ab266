package accounts

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// IdentityProvider is an organisation's OpenID Connect provider: its
// members log in there, and it vouches for the addresses on Domains.
type IdentityProvider struct {
	bun.BaseModel `bun:"table:identity_providers,alias:ip"`

	ID             int64         `bun:",pk,autoincrement"`
	OrganisationID int64         `bun:",notnull"`
	Organisation   *Organisation `bun:"rel:belongs-to,join:organisation_id=id"`
	Issuer         string        `bun:",notnull"`
	ClientID       string        `bun:",notnull"`
	ClientSecret   []byte        `bun:",notnull"` // sealed with the secret key
	Domains        []string      `bun:"-"`
	CreatedAt      time.Time     `bun:",nullzero,notnull,default:current_timestamp"`
	UpdatedAt      time.Time     `bun:",nullzero,notnull,default:current_timestamp"`
}

// OrganisationName is the name of the provider's organisation.
func (p *IdentityProvider) OrganisationName() string {
	if p.Organisation == nil {
		return ""
	}
	return p.Organisation.Name
}

// Identity is an organisation login linked to a user.
type Identity struct {
	Organisation string    `json:"organisation"`
	Subject      string    `json:"subject"`
	LastLoginAt  time.Time `json:"last_login_at"`
}

// withDomains fills the Domains of ps in one query.
func (s *Store) withDomains(ctx context.Context, ps []IdentityProvider) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	var rows []struct {
		Domain     string
		ProviderID int64
	}
	err := s.db.NewSelect().Table("identity_provider_domains").Column("domain", "provider_id").
		Where("provider_id IN (?)", bun.List(ids)).OrderExpr("domain").Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("accounts: provider domains: %w", err)
	}
	for _, r := range rows {
		for i := range ps {
			if ps[i].ID == r.ProviderID {
				ps[i].Domains = append(ps[i].Domains, r.Domain)
			}
		}
	}
	return nil
}

// providers lists every identity provider with its organisation and domains.
func (s *Store) providers(ctx context.Context) ([]IdentityProvider, error) {
	var ps []IdentityProvider
	if err := s.db.NewSelect().Model(&ps).Relation("Organisation").OrderExpr("lower(organisation.name)").Scan(ctx); err != nil {
		return nil, fmt.Errorf("accounts: providers: %w", err)
	}
	return ps, s.withDomains(ctx, ps)
}

// providerWhere returns the provider matching where, or ErrNotFound.
func (s *Store) providerWhere(ctx context.Context, where string, arg any) (*IdentityProvider, error) {
	var ps []IdentityProvider
	if err := s.db.NewSelect().Model(&ps).Relation("Organisation").Where(where, arg).Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("accounts: provider: %w", err)
	}
	if len(ps) == 0 {
		return nil, ErrNotFound
	}
	if err := s.withDomains(ctx, ps); err != nil {
		return nil, err
	}
	return &ps[0], nil
}

func (s *Store) provider(ctx context.Context, id int64) (*IdentityProvider, error) {
	return s.providerWhere(ctx, "ip.id = ?", id)
}

func (s *Store) providerOfOrganisation(ctx context.Context, orgID int64) (*IdentityProvider, error) {
	return s.providerWhere(ctx, "ip.organisation_id = ?", orgID)
}

func (s *Store) providerForDomain(ctx context.Context, domain string) (*IdentityProvider, error) {
	return s.providerWhere(ctx, "ip.id = (SELECT provider_id FROM identity_provider_domains WHERE domain = ?)", domain)
}

// saveProvider inserts or updates the provider of p.OrganisationID with
// its domains; a domain of another provider is a validation error naming it.
func (s *Store) saveProvider(ctx context.Context, p *IdentityProvider) error {
	_, err := s.db.NewInsert().Model(p).
		On("CONFLICT (organisation_id) DO UPDATE").
		Set("issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id, client_secret = EXCLUDED.client_secret, updated_at = now()").
		Returning("id").Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts: save provider: %w", err)
	}
	if _, err := s.db.NewDelete().Table("identity_provider_domains").Where("provider_id = ?", p.ID).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: clear provider domains: %w", err)
	}
	for _, d := range p.Domains {
		var owner string
		err := s.db.NewRaw(`SELECT o.name FROM identity_provider_domains d JOIN identity_providers ip ON ip.id = d.provider_id
			JOIN organisations o ON o.id = ip.organisation_id WHERE d.domain = ?`, d).Scan(ctx, &owner)
		if err == nil {
			return apperr.NewValidation("domains", fmt.Sprintf("Het domein %s hoort al bij %s; een domein hoort bij één organisatie.", d, owner))
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("accounts: check domain %s: %w", d, err)
		}
		if _, err := s.db.NewRaw("INSERT INTO identity_provider_domains (domain, provider_id) VALUES (?, ?)", d, p.ID).Exec(ctx); err != nil {
			if isUniqueViolation(err, "") {
				return apperr.NewValidation("domains", fmt.Sprintf("Het domein %s hoort al bij een andere organisatie.", d))
			}
			return fmt.Errorf("accounts: add domain %s: %w", d, err)
		}
	}
	return nil
}

// deleteProvider removes the provider of orgID and the logins linked to it.
func (s *Store) deleteProvider(ctx context.Context, orgID int64) error {
	if _, err := s.db.NewDelete().Table("identity_providers").Where("organisation_id = ?", orgID).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: delete provider: %w", err)
	}
	return nil
}

// identityUser returns the user linked to subject at provider, or ErrNotFound.
func (s *Store) identityUser(ctx context.Context, providerID int64, subject string) (int64, error) {
	var id int64
	err := s.db.NewSelect().Table("user_identities").Column("user_id").
		Where("provider_id = ?", providerID).Where("subject = ?", subject).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("accounts: identity: %w", err)
	}
	return id, nil
}

// linkIdentity links subject at provider to userID (again, at now).
func (s *Store) linkIdentity(ctx context.Context, providerID int64, subject string, userID int64, now time.Time) error {
	_, err := s.db.NewRaw(`INSERT INTO user_identities (provider_id, subject, user_id, created_at, last_login_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (provider_id, subject) DO UPDATE SET last_login_at = EXCLUDED.last_login_at`,
		providerID, subject, userID, now, now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts: link identity: %w", err)
	}
	return nil
}

// identitiesOf lists the organisation logins of userID.
func (s *Store) identitiesOf(ctx context.Context, userID int64) ([]Identity, error) {
	out := []Identity{}
	err := s.db.NewRaw(`SELECT o.name AS organisation, i.subject, i.last_login_at FROM user_identities i
		JOIN identity_providers ip ON ip.id = i.provider_id JOIN organisations o ON o.id = ip.organisation_id
		WHERE i.user_id = ? ORDER BY o.name`, userID).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("accounts: identities of %d: %w", userID, err)
	}
	return out, nil
}

// oidcLogin is a login under way at a provider.
type oidcLogin struct {
	ProviderID int64
	Nonce      string
	Verifier   string
	Back       string
}

// createLogin keeps a login under way for 10 minutes by the database's
// clock, which every instance shares.
func (s *Store) createLogin(ctx context.Context, state string, l oidcLogin) error {
	_, err := s.db.NewRaw("INSERT INTO oidc_logins (state_hash, provider_id, nonce, verifier, back, expires_at) VALUES (?, ?, ?, ?, ?, now() + interval '10 minutes')",
		hashToken(state), l.ProviderID, l.Nonce, l.Verifier, l.Back).Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts: start organisation login: %w", err)
	}
	return nil
}

// takeLogin removes and returns the live login of state; ErrNotFound when
// there is none (never started, finished, or older than 10 minutes).
func (s *Store) takeLogin(ctx context.Context, state string) (oidcLogin, error) {
	var l oidcLogin
	var live bool
	err := s.db.NewRaw(`DELETE FROM oidc_logins WHERE state_hash = ? RETURNING provider_id, nonce, verifier, back, expires_at > now() AS live`,
		hashToken(state)).Scan(ctx, &l.ProviderID, &l.Nonce, &l.Verifier, &l.Back, &live)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !live) {
		return oidcLogin{}, ErrNotFound
	}
	if err != nil {
		return l, fmt.Errorf("accounts: finish organisation login: %w", err)
	}
	return l, nil
}

func (s *Store) purgeLogins(ctx context.Context, now time.Time) error {
	if _, err := s.db.NewDelete().Table("oidc_logins").Where("expires_at < ?", now).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: purge organisation logins: %w", err)
	}
	return nil
}

// errNoSecretKey is sealing without a key.
var errNoSecretKey = errors.New("accounts: no secret key configured (LEEROMGEVING_SECRET_KEY)")

// seal encrypts plain with AES-256-GCM under key; the nonce goes first.
func seal(key []byte, plain string) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("accounts: nonce: %w", err)
	}
	return aead.Seal(nonce, nonce, []byte(plain), []byte("identity-provider")), nil
}

// open decrypts what seal made.
func open(key, sealed []byte) (string, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("accounts: sealed secret too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte("identity-provider"))
	if err != nil {
		return "", fmt.Errorf("accounts: open client secret (another secret key?): %w", err)
	}
	return string(plain), nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) == 0 {
		return nil, errNoSecretKey
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("accounts: secret key: %w", err)
	}
	return cipher.NewGCM(block)
}
