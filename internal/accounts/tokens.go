package accounts

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// purpose is what a mailed link is for.
type purpose string

const (
	purposeVerify purpose = "verify" // confirm the address of a new account
	purposeReset  purpose = "reset"  // set a new password
)

// How long a mailed link works.
const (
	verifyTTL = 24 * time.Hour
	resetTTL  = time.Hour
)

// newSecret returns a random URL-safe token of 32 bytes.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("accounts: random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// wellFormed reports whether tok looks like a token newSecret made, so a
// mangled link is answered without a query.
func wellFormed(tok string) bool {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	return err == nil && len(b) == 32
}

// createToken stores a new single-use token for userID and returns it;
// only its hash is kept.
func (s *Store) createToken(ctx context.Context, userID int64, p purpose, now time.Time, ttl time.Duration) (string, error) {
	tok, err := newSecret()
	if err != nil {
		return "", err
	}
	_, err = s.db.NewRaw("INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		hashToken(tok), userID, string(p), now, now.Add(ttl)).Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("accounts: create %s token: %w", p, err)
	}
	return tok, nil
}

// tokenUser returns the user a live token of purpose p belongs to, without
// using it up; ErrLinkInvalid, ErrLinkExpired or ErrLinkUsed otherwise.
func (s *Store) tokenUser(ctx context.Context, tok string, p purpose, now time.Time) (int64, error) {
	if !wellFormed(tok) {
		return 0, ErrLinkInvalid
	}
	var row struct {
		UserID    int64
		ExpiresAt time.Time
		UsedAt    *time.Time
	}
	err := s.db.NewSelect().Table("account_tokens").Column("user_id", "expires_at", "used_at").
		Where("token_hash = ?", hashToken(tok)).Where("purpose = ?", string(p)).Scan(ctx, &row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, ErrLinkInvalid
	case err != nil:
		return 0, fmt.Errorf("accounts: look up token: %w", err)
	case row.UsedAt != nil:
		return row.UserID, ErrLinkUsed
	case !row.ExpiresAt.After(now):
		return row.UserID, ErrLinkExpired
	}
	return row.UserID, nil
}

// useToken uses up a live token of purpose p, and every other token of the
// same user and purpose, and returns the user. Of two concurrent uses one
// wins; the other gets ErrLinkUsed.
func (s *Store) useToken(ctx context.Context, tok string, p purpose, now time.Time) (int64, error) {
	if !wellFormed(tok) {
		return 0, ErrLinkInvalid
	}
	var userID int64
	err := s.db.NewRaw(`UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ?
		AND used_at IS NULL AND expires_at > ? RETURNING user_id`, now, hashToken(tok), string(p), now).Scan(ctx, &userID)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.tokenUser(ctx, tok, p, now); err != nil {
			return 0, err
		}
		return 0, ErrLinkUsed
	}
	if err != nil {
		return 0, fmt.Errorf("accounts: use token: %w", err)
	}
	_, err = s.db.NewRaw("UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
		now, userID, string(p)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("accounts: retire tokens: %w", err)
	}
	return userID, nil
}

// purgeTokens deletes tokens that expired a day before now.
func (s *Store) purgeTokens(ctx context.Context, now time.Time) error {
	if _, err := s.db.NewDelete().Table("account_tokens").Where("expires_at < ?", now.Add(-24*time.Hour)).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: purge tokens: %w", err)
	}
	return nil
}
