package accounts

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Store reads and writes users and organisations.
type Store struct {
	db bun.IDB
}

// NewStore returns a store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// isUniqueViolation reports whether err is PostgreSQL's unique_violation
// on the constraint or index named constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pe pgdriver.Error
	return errors.As(err, &pe) && pe.Field('C') == "23505" && (constraint == "" || pe.Field('n') == constraint)
}

// Organisations lists all organisations by name.
func (s *Store) Organisations(ctx context.Context) ([]Organisation, error) {
	var orgs []Organisation
	if err := s.db.NewSelect().Model(&orgs).OrderExpr("lower(name)").Scan(ctx); err != nil {
		return nil, fmt.Errorf("accounts: list organisations: %w", err)
	}
	return orgs, nil
}

// Organisation returns the organisation with id, or ErrNotFound.
func (s *Store) Organisation(ctx context.Context, id int64) (*Organisation, error) {
	o := new(Organisation)
	if err := s.db.NewSelect().Model(o).Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("accounts: organisation %d: %w", id, err)
	}
	return o, nil
}

// CreateOrganisation inserts o; ErrOrgNameTaken when the name exists.
func (s *Store) CreateOrganisation(ctx context.Context, o *Organisation) error {
	if _, err := s.db.NewInsert().Model(o).Returning("*").Exec(ctx); err != nil {
		if isUniqueViolation(err, "organisations_name_key") {
			return ErrOrgNameTaken
		}
		return fmt.Errorf("accounts: create organisation: %w", err)
	}
	return nil
}

// CreateUser inserts u; ErrEmailTaken when the address exists in any case.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	if u.Roles == nil {
		u.Roles = []string{}
	}
	if _, err := s.db.NewInsert().Model(u).Returning("*").Exec(ctx); err != nil {
		if isUniqueViolation(err, "users_email_key") {
			return ErrEmailTaken
		}
		return fmt.Errorf("accounts: create user: %w", err)
	}
	return nil
}

// createUnverifiedUser inserts u with an address still to be confirmed;
// ErrEmailTaken when the address exists in any case.
func (s *Store) createUnverifiedUser(ctx context.Context, u *User) error {
	if u.Roles == nil {
		u.Roles = []string{}
	}
	_, err := s.db.NewInsert().Model(u).Value("email_verified_at", "NULL").Returning("*").Exec(ctx)
	if isUniqueViolation(err, "users_email_key") {
		return ErrEmailTaken
	}
	if err != nil {
		return fmt.Errorf("accounts: create user: %w", err)
	}
	return nil
}

// setVerified marks the user's address confirmed at now (once).
func (s *Store) setVerified(ctx context.Context, id int64, now time.Time) error {
	return s.updateUser(ctx, id, "email_verified_at = coalesce(email_verified_at, ?)", now)
}

// purgeUnverified deletes accounts whose address was not confirmed and
// that were made before cutoff.
func (s *Store) purgeUnverified(ctx context.Context, cutoff time.Time) error {
	_, err := s.db.NewDelete().Table("users").Where("email_verified_at IS NULL").Where("created_at < ?", cutoff).Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts: purge unconfirmed accounts: %w", err)
	}
	return nil
}

// User returns the user with id and their organisation, or ErrNotFound.
func (s *Store) User(ctx context.Context, id int64) (*User, error) {
	return s.userWhere(ctx, "u.id = ?", id)
}

// UserByEmail finds a user by e-mail address in any letter case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	return s.userWhere(ctx, "lower(u.email) = lower(?)", strings.TrimSpace(email))
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Relation("Organisation").Where(where, arg).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: find user: %w", err)
	}
	return u, nil
}

// UserPage is one page of a user search.
type UserPage struct {
	Users []User
	Total int
}

// SearchUsers finds users whose name or e-mail contains q, newest first.
func (s *Store) SearchUsers(ctx context.Context, q string, limit, offset int) (UserPage, error) {
	var p UserPage
	sel := s.db.NewSelect().Model(&p.Users).Relation("Organisation").
		OrderExpr("u.created_at DESC, u.id DESC").Limit(int64(limit)).Offset(int64(offset))
	if q = strings.TrimSpace(q); q != "" {
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		sel = sel.Where("lower(u.name) LIKE ? OR lower(u.email) LIKE ?", like, like)
	}
	n, err := sel.ScanAndCount(ctx)
	if err != nil {
		return p, fmt.Errorf("accounts: search users: %w", err)
	}
	p.Total = int(n)
	return p, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SetName changes a user's name.
func (s *Store) SetName(ctx context.Context, id int64, name string) error {
	return s.updateUser(ctx, id, "name = ?", name)
}

// SetPasswordHash replaces a user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	return s.updateUser(ctx, id, "password_hash = ?", hash)
}

// GrantRole adds role to the user (idempotent).
func (s *Store) GrantRole(ctx context.Context, id int64, role string) error {
	return s.updateUser(ctx, id, "roles = CASE WHEN ? = ANY(roles) THEN roles ELSE array_append(roles, ?) END", role, role)
}

// RevokeRole removes role from the user (idempotent).
func (s *Store) RevokeRole(ctx context.Context, id int64, role string) error {
	return s.updateUser(ctx, id, "roles = array_remove(roles, ?)", role)
}

func (s *Store) updateUser(ctx context.Context, id int64, set string, args ...any) error {
	res, err := s.db.NewUpdate().Table("users").Set(set, args...).Set("updated_at = now()").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts: update user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteUser removes the user; other domains' rows follow by their foreign keys.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	res, err := s.db.NewDelete().Table("users").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts: delete user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// CountUsers counts all registered users.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	n, err := s.db.NewSelect().Table("users").Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("accounts: count users: %w", err)
	}
	return int(n), nil
}

// Secret returns the shared secret called name, creating it with size random
// bytes on first use. Concurrent first starts agree on one value.
func (s *Store) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	b := make([]byte, size)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("accounts: secret: %w", err)
	}
	if _, err := s.db.NewRaw("INSERT INTO app_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, b).Exec(ctx); err != nil {
		return nil, fmt.Errorf("accounts: store secret %s: %w", name, err)
	}
	var v []byte
	if err := s.db.NewRaw("SELECT value FROM app_secrets WHERE name = ?", name).Scan(ctx, &v); err != nil {
		return nil, fmt.Errorf("accounts: read secret %s: %w", name, err)
	}
	return v, nil
}

// MonthCount is a count for the calendar month starting at Month.
type MonthCount struct {
	Month time.Time
	Count int
}

// NewUsersPerMonth counts the accounts created in each month from from up to to.
func (s *Store) NewUsersPerMonth(ctx context.Context, from, to time.Time) ([]MonthCount, error) {
	var out []MonthCount
	err := s.db.NewRaw(`SELECT date_trunc('month', created_at) AS month, count(*) AS count
		FROM users WHERE created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY 1`, from, to).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("accounts: users per month: %w", err)
	}
	return out, nil
}
