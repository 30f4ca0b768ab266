package accounts

import (
	"context"
	"fmt"
	"time"
)

// A device is a browser, known by a random id in a long-lived cookie. A
// browser the owner logged in with is trusted: failed logins elsewhere
// never make it wait.

// NewDeviceID returns a fresh device id for the cookie.
func NewDeviceID() (string, error) { return newSecret() }

// trustDevice marks device as one userID logged in with.
func (s *Store) trustDevice(ctx context.Context, userID int64, device string, now time.Time) error {
	if !wellFormed(device) {
		return nil
	}
	_, err := s.db.NewRaw(`INSERT INTO trusted_devices (user_id, device_hash, created_at, last_used_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, device_hash) DO UPDATE SET last_used_at = EXCLUDED.last_used_at`,
		userID, hashToken(device), now, now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts: trust device: %w", err)
	}
	return nil
}

// trusted reports whether userID logged in with device before.
func (s *Store) trusted(ctx context.Context, userID int64, device string) (bool, error) {
	if !wellFormed(device) {
		return false, nil
	}
	ok, err := s.db.NewSelect().Table("trusted_devices").Where("user_id = ?", userID).
		Where("device_hash = ?", hashToken(device)).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("accounts: trusted device: %w", err)
	}
	return ok, nil
}

// forgetDevices drops every trusted device of userID but keep (after a new
// password: whoever knew the old one loses the trust it earned).
func (s *Store) forgetDevices(ctx context.Context, userID int64, keep string) error {
	q := s.db.NewDelete().Table("trusted_devices").Where("user_id = ?", userID)
	if keep != "" {
		q = q.Where("device_hash <> ?", hashToken(keep))
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("accounts: forget devices: %w", err)
	}
	return nil
}

// purgeDevices forgets devices not used for a year.
func (s *Store) purgeDevices(ctx context.Context, now time.Time) error {
	if _, err := s.db.NewDelete().Table("trusted_devices").Where("last_used_at < ?", now.AddDate(-1, 0, 0)).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: purge devices: %w", err)
	}
	return nil
}
