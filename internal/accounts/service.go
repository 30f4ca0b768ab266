package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Service holds the account rules that span several stores: registering
// with a new organisation in one transaction, throttled login, and the AVG
// rights of access and erasure.
type Service struct {
	db       *bun.DB
	Store    *Store
	Sessions *Sessions
	Throttle *Throttle
	sections []dataSection
}

// NewService wires the account stores on db; secure selects https-only cookies.
func NewService(db *bun.DB, secure bool) *Service {
	return &Service{db: db, Store: NewStore(db), Sessions: NewSessions(db, secure), Throttle: NewThrottle(db)}
}

// NewUser is what registration (or the CLI) needs to create a user.
type NewUser struct {
	Name, Email, Password string
	OrganisationID        int64  // an existing organisation, or 0 with the two fields below
	NewOrgName            string // a new organisation's name
	NewOrgKind            string
	Roles                 []string
}

// Register creates a user, and their new organisation when asked, in one
// transaction. Returns a validation error for a weak password,
// ErrEmailTaken or ErrOrgNameTaken.
func (s *Service) Register(ctx context.Context, in NewUser) (*User, error) {
	in.Email = strings.TrimSpace(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	if msg := PasswordProblem(in.Password, in.Email, in.Name); msg != "" {
		return nil, apperr.NewValidation("password", msg)
	}
	for _, r := range in.Roles {
		if !validRole(r) {
			return nil, apperr.NewValidation("role", fmt.Sprintf("Onbekende rol %q.", r))
		}
	}
	u := &User{Name: in.Name, Email: in.Email, PasswordHash: HashPassword(in.Password), Roles: in.Roles}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		switch {
		case in.OrganisationID != 0:
			if _, err := st.Organisation(ctx, in.OrganisationID); err != nil {
				if errors.Is(err, ErrNotFound) {
					return apperr.NewValidation("organisation", "Kies een organisatie uit de lijst.")
				}
				return err
			}
			u.OrganisationID = &in.OrganisationID
		case in.NewOrgName != "":
			o := &Organisation{Name: strings.TrimSpace(in.NewOrgName), Kind: in.NewOrgKind}
			if err := st.CreateOrganisation(ctx, o); err != nil {
				return err
			}
			u.OrganisationID = &o.ID
		}
		return st.CreateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Login checks the e-mail address and password under the throttle and
// returns a new session token. It answers ErrBadLogin whether or not the
// address is registered, and ErrLoginLocked after too many failures.
func (s *Service) Login(ctx context.Context, email, password, addr string) (*User, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	ek, ak := emailKey(email), addrKey(addr)
	if err := s.Throttle.Locked(ctx, ek, ak); err != nil {
		return nil, "", err
	}
	u, err := s.Store.UserByEmail(ctx, email)
	hash := dummyHash
	if err == nil {
		hash = u.PasswordHash
	} else if !errors.Is(err, ErrNotFound) {
		return nil, "", err
	}
	ok, herr := CheckPassword(hash, password)
	if herr != nil {
		return nil, "", herr
	}
	if u == nil || !ok {
		n, ferr := s.Throttle.Fail(ctx, ek, s.Throttle.MaxPerEmail)
		if ferr != nil {
			return nil, "", ferr
		}
		if _, ferr := s.Throttle.Fail(ctx, ak, s.Throttle.MaxPerAddr); ferr != nil {
			return nil, "", ferr
		}
		if n >= s.Throttle.MaxPerEmail {
			return nil, "", ErrLoginLocked
		}
		if d := s.Throttle.Delay(n); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
			}
		}
		return nil, "", ErrBadLogin
	}
	if err := s.Throttle.Reset(ctx, ek); err != nil {
		return nil, "", err
	}
	tok, err := s.Sessions.Create(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	return u, tok, nil
}

// ChangePassword replaces the password after checking the current one, and
// ends the user's other sessions.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, next, keepSession string) error {
	u, err := s.Store.User(ctx, userID)
	if err != nil {
		return err
	}
	if ok, err := CheckPassword(u.PasswordHash, current); err != nil {
		return err
	} else if !ok {
		return ErrWrongPassword
	}
	if msg := PasswordProblem(next, u.Email, u.Name); msg != "" {
		return apperr.NewValidation("new_password", msg)
	}
	if err := s.Store.SetPasswordHash(ctx, userID, HashPassword(next)); err != nil {
		return err
	}
	return s.Sessions.DestroyAllFor(ctx, userID, keepSession)
}

// DeleteAccount erases the user after checking their password. Other
// domains' personal rows go with the user through their foreign keys.
func (s *Service) DeleteAccount(ctx context.Context, userID int64, password string) error {
	u, err := s.Store.User(ctx, userID)
	if err != nil {
		return err
	}
	if ok, err := CheckPassword(u.PasswordHash, password); err != nil {
		return err
	} else if !ok {
		return apperr.NewValidation("password", "Het wachtwoord klopt niet.")
	}
	return s.Store.DeleteUser(ctx, userID)
}

// dataSection is one domain's part of a user's data export.
type dataSection struct {
	name   string
	export func(ctx context.Context, userID int64) (any, error)
}

// AddDataSection lets another domain add its records to the AVG data
// export under name.
func (s *Service) AddDataSection(name string, export func(ctx context.Context, userID int64) (any, error)) {
	s.sections = append(s.sections, dataSection{name, export})
}

// ExportData gathers everything stored about the user, by domain.
func (s *Service) ExportData(ctx context.Context, userID int64) (map[string]any, error) {
	u, err := s.Store.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"exported_at": time.Now().UTC().Format(time.RFC3339),
		"account":     u,
	}
	for _, sec := range s.sections {
		v, err := sec.export(ctx, userID)
		if err != nil {
			return nil, fmt.Errorf("accounts: export %s: %w", sec.name, err)
		}
		out[sec.name] = v
	}
	return out, nil
}
