package accounts

import (
	"context"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Organisations lists all organisations by name.
func (s *Service) Organisations(ctx context.Context) ([]Organisation, error) {
	return s.store.Organisations(ctx)
}

// User returns the user with id, or ErrNotFound.
func (s *Service) User(ctx context.Context, id int64) (*User, error) { return s.store.User(ctx, id) }

// UserByEmail finds a user by address in any letter case, or ErrNotFound.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	return s.store.UserByEmail(ctx, email)
}

// SearchUsers finds users whose name or address contains q, newest first.
func (s *Service) SearchUsers(ctx context.Context, q string, limit, offset int) (UserPage, error) {
	return s.store.SearchUsers(ctx, q, limit, offset)
}

// CountUsers counts all registered users.
func (s *Service) CountUsers(ctx context.Context) (int, error) { return s.store.CountUsers(ctx) }

// NewUsersPerMonth counts the accounts created in each month from from up to to.
func (s *Service) NewUsersPerMonth(ctx context.Context, from, to time.Time) ([]MonthCount, error) {
	return s.store.NewUsersPerMonth(ctx, from, to)
}

// Secret returns the shared secret called name (made on first use).
func (s *Service) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	return s.store.Secret(ctx, name, size)
}

// SetName changes a user's name.
func (s *Service) SetName(ctx context.Context, userID int64, name string) error {
	return s.store.SetName(ctx, userID, name)
}

// ChangeRole grants or revokes role for userID on behalf of adminID and
// returns the user; an admin cannot revoke their own admin role.
func (s *Service) ChangeRole(ctx context.Context, adminID, userID int64, role string, grant bool) (*User, error) {
	var err error
	switch {
	case grant:
		err = s.store.GrantRole(ctx, userID, role)
	case role == web.RoleAdmin && userID == adminID:
		err = ErrLastAdmin
	default:
		err = s.store.RevokeRole(ctx, userID, role)
	}
	if err != nil {
		return nil, err
	}
	return s.store.User(ctx, userID)
}

// Account is what the account page shows.
type Account struct {
	User      *User
	Roles     []string            // Dutch role names, learner first
	TopicsOff map[mail.Topic]bool // optional mail topics turned off
	Logins    []Identity          // organisations the user logs in with
}

// Account returns the account page's data of userID.
func (s *Service) Account(ctx context.Context, userID int64) (Account, error) {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return Account{}, err
	}
	off, err := mail.OptedOut(ctx, s.db, userID)
	if err != nil {
		return Account{}, err
	}
	ids, err := s.store.identitiesOf(ctx, userID)
	if err != nil {
		return Account{}, err
	}
	roles := []string{RoleLabel(web.RoleLearner)}
	for _, r := range u.Roles {
		roles = append(roles, RoleLabel(r))
	}
	return Account{User: u, Roles: roles, TopicsOff: off, Logins: ids}, nil
}

// SetMailTopics records which optional mail topics userID turned off.
func (s *Service) SetMailTopics(ctx context.Context, userID int64, off map[mail.Topic]bool) error {
	return mail.SetOptedOut(ctx, s.db, userID, off)
}
