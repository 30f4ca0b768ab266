package lti

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/uptrace/bun"
)

// toolKeyBits is the size of the tool's RSA keys; LTI platforms expect
// RS256 with at least 2048-bit keys.
const toolKeyBits = 2048

// ToolKey is an RSA key the tool signs with (deep-linking responses, client
// assertions). Its ID is the kid of the tokens and of /lti/jwks.
type ToolKey struct {
	ID        string // RFC 7638 thumbprint of the public key, base64url
	Private   *rsa.PrivateKey
	CreatedAt time.Time
	RetiredAt *time.Time
}

type toolKeyRow struct {
	bun.BaseModel `bun:"table:lti_tool_keys,alias:k"`

	KID        string `bun:"kid,pk"`
	PrivateKey []byte `bun:",notnull"`
	CreatedAt  time.Time
	RetiredAt  *time.Time
}

func (r toolKeyRow) key() (ToolKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(r.PrivateKey)
	if err != nil {
		return ToolKey{}, fmt.Errorf("lti: tool key %s: %w", r.KID, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return ToolKey{}, fmt.Errorf("lti: tool key %s is not an RSA key", r.KID)
	}
	return ToolKey{ID: r.KID, Private: rk, CreatedAt: r.CreatedAt, RetiredAt: r.RetiredAt}, nil
}

// newToolKey generates a key created at now.
func newToolKey(now time.Time) (toolKeyRow, error) {
	k, err := rsa.GenerateKey(rand.Reader, toolKeyBits)
	if err != nil {
		return toolKeyRow{}, fmt.Errorf("lti: generate key: %w", err)
	}
	sum, err := (&jose.JSONWebKey{Key: &k.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil {
		return toolKeyRow{}, fmt.Errorf("lti: key thumbprint: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return toolKeyRow{}, fmt.Errorf("lti: encode key: %w", err)
	}
	return toolKeyRow{KID: base64.RawURLEncoding.EncodeToString(sum), PrivateKey: der, CreatedAt: now}, nil
}

// currentKey returns the key that signs now, making the first one when there
// is none (on first use, so an installation without LTI never pays for it).
// Concurrent first calls agree on one key.
func (s *Service) currentKey(ctx context.Context) (ToolKey, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	var row toolKeyRow
	err := s.db.NewSelect().Model(&row).Where("k.retired_at IS NULL").Scan(ctx)
	if err == nil {
		if s.key.ID == row.KID {
			return s.key, nil
		}
		k, err := row.key()
		if err == nil {
			s.key = k
		}
		return k, err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return ToolKey{}, fmt.Errorf("lti: current key: %w", err)
	}
	fresh, err := newToolKey(s.now())
	if err != nil {
		return ToolKey{}, err
	}
	_, err = s.db.NewRaw(`INSERT INTO lti_tool_keys (kid, private_key, created_at) VALUES (?, ?, ?)
		ON CONFLICT ((true)) WHERE retired_at IS NULL DO NOTHING`, fresh.KID, fresh.PrivateKey, fresh.CreatedAt).Exec(ctx)
	if err != nil {
		return ToolKey{}, fmt.Errorf("lti: store key: %w", err)
	}
	if err := s.db.NewSelect().Model(&row).Where("k.retired_at IS NULL").Scan(ctx); err != nil {
		return ToolKey{}, fmt.Errorf("lti: current key: %w", err)
	}
	k, err := row.key()
	if err == nil {
		s.key = k
	}
	return k, err
}

// RotateKey makes a new key the one that signs. The old keys stay in the key
// set, so platforms holding a token they signed can still check it.
func (s *Service) RotateKey(ctx context.Context) (ToolKey, error) {
	fresh, err := newToolKey(s.now())
	if err != nil {
		return ToolKey{}, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE lti_tool_keys IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("lti_tool_keys").Set("retired_at = ?", fresh.CreatedAt).Where("retired_at IS NULL").Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(&fresh).Exec(ctx)
		return err
	})
	if err != nil {
		return ToolKey{}, fmt.Errorf("lti: rotate key: %w", err)
	}
	return fresh.key()
}

// Keys returns every tool key, the current one first, then retired ones
// newest first.
func (s *Service) Keys(ctx context.Context) ([]ToolKey, error) {
	if _, err := s.currentKey(ctx); err != nil {
		return nil, err
	}
	var rows []toolKeyRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("k.retired_at IS NOT NULL, k.created_at DESC, k.kid").Scan(ctx); err != nil {
		return nil, fmt.Errorf("lti: keys: %w", err)
	}
	out := make([]ToolKey, 0, len(rows))
	for _, r := range rows {
		k, err := r.key()
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

// JWKS is the tool's public key set: every key, current and retired.
func (s *Service) JWKS(ctx context.Context) (jose.JSONWebKeySet, error) {
	keys, err := s.Keys(ctx)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(keys))}
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.Private.PublicKey, KeyID: k.ID, Algorithm: string(jose.RS256), Use: "sig"})
	}
	return set, nil
}

// backdate is how far before now the tool dates (iat) what it signs: a
// platform whose clock runs a little behind would otherwise refuse a token
// "issued in the future" (php-jwt, in Moodle, allows no leeway by default).
const backdate = 30 * time.Second

// sign signs claims as a JWT: RS256 with the current key, its kid in the header.
func (s *Service) sign(ctx context.Context, claims any) (string, error) {
	k, err := s.currentKey(ctx)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("lti: encode claims: %w", err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: k.Private},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), k.ID))
	if err != nil {
		return "", fmt.Errorf("lti: signer: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("lti: sign: %w", err)
	}
	return jws.CompactSerialize()
}
