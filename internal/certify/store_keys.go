package certify

import (
	"context"
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
	Alg        string     `bun:",notnull"`
	PrivateKey []byte     `bun:",notnull"`
	CreatedAt  time.Time  `bun:",notnull"`
	RetiredAt  *time.Time `bun:""`
}

func (r signingKeyRow) key() (SigningKey, error) {
	return decodeKey(r.KID, r.Alg, r.PrivateKey, r.CreatedAt)
}

func rowOf(k SigningKey) (*signingKeyRow, error) {
	private, err := k.encodePrivate()
	if err != nil {
		return nil, err
	}
	return &signingKeyRow{KID: k.ID, Alg: k.Alg, PrivateKey: private, CreatedAt: k.CreatedAt}, nil
}

// currentKey returns the key that signs new credentials, creating the first
// one when there is none. Concurrent first calls agree on one key.
func (s *store) currentKey(ctx context.Context, now time.Time) (SigningKey, error) {
	var row signingKeyRow
	err := s.db.NewSelect().Model(&row).Where("k.retired_at IS NULL").Scan(ctx)
	if err == nil {
		return row.key()
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return SigningKey{}, fmt.Errorf("certify: current signing key: %w", err)
	}
	k, err := GenerateKey(now)
	if err != nil {
		return SigningKey{}, err
	}
	fresh, err := rowOf(k)
	if err != nil {
		return SigningKey{}, err
	}
	_, err = s.db.NewInsert().Model(fresh).On("CONFLICT ((true)) WHERE retired_at IS NULL DO NOTHING").Exec(ctx)
	if err != nil {
		return SigningKey{}, fmt.Errorf("certify: store signing key: %w", err)
	}
	if err := s.db.NewSelect().Model(&row).Where("k.retired_at IS NULL").Scan(ctx); err != nil {
		return SigningKey{}, fmt.Errorf("certify: current signing key: %w", err)
	}
	return row.key()
}

// rotateKey retires the current key and makes k the current one.
func (s *store) rotateKey(ctx context.Context, k SigningKey) error {
	row, err := rowOf(k)
	if err != nil {
		return err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE cert_signing_keys IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("cert_signing_keys").Set("retired_at = ?", k.CreatedAt).Where("retired_at IS NULL").Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(row).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("certify: rotate key: %w", err)
	}
	return nil
}

// signingKeys returns every key, current and retired, newest first.
func (s *store) signingKeys(ctx context.Context) ([]SigningKey, error) {
	var rows []signingKeyRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("k.created_at DESC, k.kid").Scan(ctx); err != nil {
		return nil, fmt.Errorf("certify: signing keys: %w", err)
	}
	out := make([]SigningKey, len(rows))
	for i, r := range rows {
		k, err := r.key()
		if err != nil {
			return nil, err
		}
		out[i] = k
	}
	return out, nil
}

// signingKey returns the key with kid, or ErrNotFound.
func (s *store) signingKey(ctx context.Context, kid string) (SigningKey, error) {
	var row signingKeyRow
	if err := s.db.NewSelect().Model(&row).Where("k.kid = ?", kid).Scan(ctx); err != nil {
		return SigningKey{}, notFound(err, "signing key "+kid)
	}
	return row.key()
}

// firstRSAKey returns the oldest RS256 key, or ErrNoKey.
func (s *store) firstRSAKey(ctx context.Context) (SigningKey, error) {
	var row signingKeyRow
	err := s.db.NewSelect().Model(&row).Where("k.alg = ?", AlgRS256).OrderExpr("k.created_at, k.kid").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return SigningKey{}, ErrNoKey
	}
	if err != nil {
		return SigningKey{}, fmt.Errorf("certify: first RS256 key: %w", err)
	}
	return row.key()
}
