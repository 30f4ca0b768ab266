package accounts

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Throttle counts events per key in PostgreSQL (so every app instance sees
// the same counts) and makes a key wait after too many: failed logins per
// client, per account and client, and per account; reset and registration
// mails per address and per client.
type Throttle struct {
	db  bun.IDB
	Now func() time.Time
}

// NewThrottle returns a throttle on db.
func NewThrottle(db bun.IDB) *Throttle { return &Throttle{db: db, Now: time.Now} }

// Limit says how long a key waits after its n-th event within Window: not
// at all below Free, then Base, doubling with each further event, at most
// Max.
type Limit struct {
	Free      int
	Base, Max time.Duration
	Window    time.Duration
}

// Wait is how long the key must wait after n events.
func (l Limit) Wait(n int) time.Duration {
	if n < l.Free {
		return 0
	}
	d := l.Base
	for i := l.Free; i < n && d < l.Max; i++ {
		d *= 2
	}
	return min(d, l.Max)
}

// The limits, stated in the README.
var (
	// Failed logins for one account from one browser: from the 5th within
	// an hour that browser waits 30 s, then 1, 2, 4 … minutes, at most 15.
	limitAccountDevice = Limit{Free: 5, Base: 30 * time.Second, Max: 15 * time.Minute, Window: time.Hour}
	// Failed logins from one client address (for any account), except from
	// browsers the account's owner logged in with before: from the 50th
	// within an hour, 30 s doubling to 15 minutes. Offices share addresses,
	// so this is generous.
	limitClient = Limit{Free: 50, Base: 30 * time.Second, Max: 15 * time.Minute, Window: time.Hour}
	// Failed logins for one account from everywhere: from the 50th within
	// an hour, browsers the owner never logged in with wait 15 minutes.
	limitAccount = Limit{Free: 50, Base: 15 * time.Minute, Max: 15 * time.Minute, Window: time.Hour}
	// warnAfter failed logins for an account within the hour mail its owner.
	warnAfter = 5
	// Mails with a link (reset, registration, a new confirmation) per
	// address: three an hour; more are silently not sent.
	limitMailsPerAddress = Limit{Free: 3, Base: time.Hour, Max: time.Hour, Window: time.Hour}
	// Requests for such mails per client address: twenty an hour.
	limitMailsPerClient = Limit{Free: 20, Base: time.Hour, Max: time.Hour, Window: time.Hour}
)

// Wait returns how long the longest-waiting of keys must still wait.
func (t *Throttle) Wait(ctx context.Context, keys ...string) (time.Duration, error) {
	var until *time.Time
	err := t.db.NewSelect().Table("login_failures").ColumnExpr("max(locked_until)").
		Where("key IN (?)", bun.List(keys)).Scan(ctx, &until)
	if err != nil {
		return 0, fmt.Errorf("accounts: check throttle: %w", err)
	}
	if until == nil {
		return 0, nil
	}
	return max(until.Sub(t.Now()), 0), nil
}

// Hit records an event for key, makes it wait as l says, and returns the
// number of events within l's window.
func (t *Throttle) Hit(ctx context.Context, key string, l Limit) (int, error) {
	now := t.Now()
	var n int
	err := t.db.NewRaw(`
		INSERT INTO login_failures AS f (key, failures, first_at) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN f.first_at < ? THEN 1 ELSE f.failures + 1 END,
			first_at = CASE WHEN f.first_at < ? THEN EXCLUDED.first_at ELSE f.first_at END
		RETURNING failures`, key, now, now.Add(-l.Window), now.Add(-l.Window)).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("accounts: count %s: %w", key, err)
	}
	if d := l.Wait(n); d > 0 {
		if _, err := t.db.NewUpdate().Table("login_failures").Set("locked_until = ?", now.Add(d)).Where("key = ?", key).Exec(ctx); err != nil {
			return 0, fmt.Errorf("accounts: hold %s: %w", key, err)
		}
	}
	return n, nil
}

// Reset forgets the events of keys (after a successful login).
func (t *Throttle) Reset(ctx context.Context, keys ...string) error {
	if _, err := t.db.NewDelete().Table("login_failures").Where("key IN (?)", bun.List(keys)).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: reset throttle: %w", err)
	}
	return nil
}

// ResetPrefix forgets the events of every key that starts with prefix.
func (t *Throttle) ResetPrefix(ctx context.Context, prefix string) error {
	_, err := t.db.NewDelete().Table("login_failures").Where("starts_with(key, ?)", prefix).Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts: reset throttle %s: %w", prefix, err)
	}
	return nil
}

// PurgeOld deletes counts whose window and wait are long past.
func (t *Throttle) PurgeOld(ctx context.Context, now time.Time) error {
	_, err := t.db.NewDelete().Table("login_failures").Where("first_at < ?", now.Add(-24*time.Hour)).
		Where("locked_until IS NULL OR locked_until < ?", now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts: purge throttle: %w", err)
	}
	return nil
}

// Throttle keys. Addresses are lower-cased by the caller.
func keyClient(addr string) string                 { return "addr:" + addr }
func keyAccount(email string) string               { return "email:" + email }
func keyAccountDevice(email, device string) string { return "email-device:" + email + "|" + device }
func keyMailTo(purpose, email string) string       { return "mail-" + purpose + ":" + email }
func keyMailClient(addr string) string             { return "mail-client:" + addr }
