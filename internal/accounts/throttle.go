package accounts

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Throttle slows down and then refuses repeated failed logins, counted per
// e-mail address and per client address in PostgreSQL (so every app
// instance sees the same counts).
type Throttle struct {
	db          bun.IDB
	Window      time.Duration // failures older than this are forgotten
	LockFor     time.Duration // how long a key is refused after too many failures
	MaxPerEmail int
	MaxPerAddr  int
	// Delay is how long to wait before answering after the n-th failure.
	Delay func(n int) time.Duration
	Now   func() time.Time
}

// NewThrottle returns the production policy: from the second failure an
// answer waits half a second more each time (at most 3 s); 5 failures for one
// e-mail or 50 from one address within 15 minutes lock it for 15 minutes.
func NewThrottle(db bun.IDB) *Throttle {
	return &Throttle{
		db: db, Window: 15 * time.Minute, LockFor: 15 * time.Minute, MaxPerEmail: 5, MaxPerAddr: 50,
		Delay: func(n int) time.Duration { return min(time.Duration(n-1)*500*time.Millisecond, 3*time.Second) },
		Now:   time.Now,
	}
}

func emailKey(email string) string { return "email:" + email }
func addrKey(addr string) string   { return "addr:" + addr }

// Locked reports ErrLoginLocked when any of keys is locked now.
func (t *Throttle) Locked(ctx context.Context, keys ...string) error {
	n, err := t.db.NewSelect().Table("login_failures").Where("key IN (?)", bun.List(keys)).
		Where("locked_until > ?", t.Now()).Count(ctx)
	if err != nil {
		return fmt.Errorf("accounts: check login lock: %w", err)
	}
	if n > 0 {
		return ErrLoginLocked
	}
	return nil
}

// Fail records a failed login for key, locks it when it reaches max failures
// within the window, and returns the failure count.
func (t *Throttle) Fail(ctx context.Context, key string, max int) (int, error) {
	now := t.Now()
	var failures int
	err := t.db.NewRaw(`
		INSERT INTO login_failures AS f (key, failures, first_at) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN f.first_at < ? THEN 1 ELSE f.failures + 1 END,
			first_at = CASE WHEN f.first_at < ? THEN EXCLUDED.first_at ELSE f.first_at END
		RETURNING failures`, key, now, now.Add(-t.Window), now.Add(-t.Window)).Scan(ctx, &failures)
	if err != nil {
		return 0, fmt.Errorf("accounts: record failed login: %w", err)
	}
	if failures >= max {
		_, err := t.db.NewUpdate().Table("login_failures").Set("locked_until = ?", now.Add(t.LockFor)).
			Set("failures = 0").Set("first_at = ?", now).Where("key = ?", key).Exec(ctx)
		if err != nil {
			return 0, fmt.Errorf("accounts: lock login: %w", err)
		}
	}
	return failures, nil
}

// Reset forgets the failures of key (after a successful login).
func (t *Throttle) Reset(ctx context.Context, key string) error {
	if _, err := t.db.NewDelete().Table("login_failures").Where("key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: reset login failures: %w", err)
	}
	return nil
}
