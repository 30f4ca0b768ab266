package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/mail"
)

// Config is what the accounts service needs to know about the site.
type Config struct {
	Secure  bool   // served over https: https-only cookies
	BaseURL string // public address, for the OpenID Connect return address
	// SecretKey (32 bytes) seals identity providers' client secrets. It is
	// kept outside the database, so a dump alone does not reveal them.
	SecretKey []byte
}

// Service holds the account rules: registering with a confirmed address,
// throttled login that never locks out the owner, password reset, login
// through an organisation's identity provider, and the AVG rights of
// access and erasure. Handlers call one of its methods per request.
type Service struct {
	db       *bun.DB
	store    *Store
	cfg      Config
	Sessions *Sessions
	Throttle *Throttle
	oidc     *oidcClients
	sections []dataSection
	// Now is the service's clock; tests move it.
	Now func() time.Time
}

// New wires the account stores on db.
func New(db *bun.DB, cfg Config) *Service {
	s := &Service{db: db, store: NewStore(db), cfg: cfg, Sessions: NewSessions(db, cfg.Secure), Throttle: NewThrottle(db), Now: time.Now}
	s.Throttle.Now = func() time.Time { return s.Now() }
	s.Sessions.Now = func() time.Time { return s.Now() }
	s.oidc = newOIDCClients()
	return s
}

// NewService wires the account stores on db; secure selects https-only
// cookies. It is New without organisation login.
func NewService(db *bun.DB, secure bool) *Service { return New(db, Config{Secure: secure}) }

// NewUser is what registration (or the CLI) needs to create a user.
type NewUser struct {
	Name, Email, Password string
	OrganisationID        int64  // an existing organisation, or 0 with the two fields below
	NewOrgName            string // a new organisation's name
	NewOrgKind            string
	Roles                 []string
}

// tidy trims the text fields and checks the password and roles.
func (in *NewUser) tidy() error {
	in.Email = strings.TrimSpace(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	in.NewOrgName = strings.TrimSpace(in.NewOrgName)
	if msg := PasswordProblem(in.Password, in.Email, in.Name); msg != "" {
		return apperr.NewValidation("password", msg)
	}
	for _, r := range in.Roles {
		if !validRole(r) {
			return apperr.NewValidation("role", fmt.Sprintf("Onbekende rol %q.", r))
		}
	}
	return nil
}

// organisationOf sets u's organisation from in: an existing one, or a new
// one made in the transaction of st.
func organisationOf(ctx context.Context, st *Store, in NewUser, u *User) error {
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
		o := &Organisation{Name: in.NewOrgName, Kind: in.NewOrgKind}
		if err := st.CreateOrganisation(ctx, o); err != nil {
			return err
		}
		u.OrganisationID = &o.ID
	}
	return nil
}

// Register creates a user whose address counts as confirmed (an admin or
// the CLI made it), and their new organisation when asked, in one
// transaction. Returns a validation error for a weak password,
// ErrEmailTaken or ErrOrgNameTaken. People registering themselves go
// through SignUp.
func (s *Service) Register(ctx context.Context, in NewUser) (*User, error) {
	if err := in.tidy(); err != nil {
		return nil, err
	}
	u := &User{Name: in.Name, Email: in.Email, PasswordHash: HashPassword(in.Password), Roles: in.Roles}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		if err := organisationOf(ctx, st, in, u); err != nil {
			return err
		}
		return st.CreateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// LoginInput is a login attempt from one browser.
type LoginInput struct {
	Email, Password string
	Client          string // the client's IP address
	Device          string // the browser's device id (cookie)
	OldSession      string // the browser's session before, ended on success
}

// Login checks the address and password and returns the user and a new
// session token. It answers ErrBadLogin whether or not the address is
// registered, ErrNotVerified for a right password of an unconfirmed
// account, and an error wrapping ErrLoginLocked when this browser (or, for
// browsers the owner never used, this client or account) must wait.
func (s *Service) Login(ctx context.Context, in LoginInput) (*User, string, error) {
	email := strings.ToLower(strings.TrimSpace(in.Email))
	u, err := s.store.UserByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		u, err = nil, nil
	}
	if err != nil {
		return nil, "", err
	}
	trusted := false
	if u != nil {
		if trusted, err = s.store.trusted(ctx, u.ID, in.Device); err != nil {
			return nil, "", err
		}
	}
	keys := []string{keyAccountDevice(email, in.Device)}
	if !trusted {
		keys = append(keys, keyClient(in.Client), keyAccount(email))
	}
	if wait, err := s.Throttle.Wait(ctx, keys...); err != nil {
		return nil, "", err
	} else if wait > 0 {
		return nil, "", lockedError(wait)
	}
	hash := dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := CheckPassword(hash, in.Password)
	if err != nil {
		return nil, "", err
	}
	if u == nil || !ok {
		return nil, "", s.failedLogin(ctx, u, email, in, trusted)
	}
	if !u.Verified() {
		return nil, "", ErrNotVerified
	}
	if err := s.Throttle.Reset(ctx, keyAccountDevice(email, in.Device)); err != nil {
		return nil, "", err
	}
	tok, err := s.startSession(ctx, s.store, u.ID, in.Device, in.OldSession)
	if err != nil {
		return nil, "", err
	}
	return u, tok, nil
}

// failedLogin counts a wrong password and mails the owner once the
// account has had warnAfter failures within the hour.
func (s *Service) failedLogin(ctx context.Context, u *User, email string, in LoginInput, trusted bool) error {
	if _, err := s.Throttle.Hit(ctx, keyAccountDevice(email, in.Device), limitAccountDevice); err != nil {
		return err
	}
	if !trusted {
		if _, err := s.Throttle.Hit(ctx, keyClient(in.Client), limitClient); err != nil {
			return err
		}
	}
	n, err := s.Throttle.Hit(ctx, keyAccount(email), limitAccount)
	if err != nil {
		return err
	}
	if u != nil && n == warnAfter {
		now := s.Now()
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			tok, err := NewStore(tx).createToken(ctx, u.ID, purposeReset, now, resetTTL)
			if err != nil {
				return err
			}
			return mail.Queue(ctx, tx, loginWarningNotice(u, n, tok, now.Unix()/3600))
		})
		if err != nil {
			return err
		}
	}
	return ErrBadLogin
}

// startSession trusts the browser, ends its old session and starts a new
// one for userID, on st (a transaction's store when part of one).
func (s *Service) startSession(ctx context.Context, st *Store, userID int64, device, old string) (string, error) {
	sessions := s.Sessions.on(st.db)
	if err := st.trustDevice(ctx, userID, device, s.Now()); err != nil {
		return "", err
	}
	if old != "" {
		if err := sessions.Destroy(ctx, old); err != nil {
			return "", err
		}
	}
	return sessions.Create(ctx, userID)
}

// Logout ends the session of tok.
func (s *Service) Logout(ctx context.Context, tok string) error {
	if tok == "" {
		return nil
	}
	return s.Sessions.Destroy(ctx, tok)
}

// ChangePassword replaces the password after checking the current one,
// ends the user's other sessions, forgets the other browsers they used, and
// tells them by mail.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, next, keepSession, keepDevice string) error {
	u, err := s.store.User(ctx, userID)
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
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return s.replacePassword(ctx, NewStore(tx), u, next, keepSession, keepDevice)
	})
}

// replacePassword sets u's new password on st and ends what the old one
// opened: other sessions, other trusted browsers.
func (s *Service) replacePassword(ctx context.Context, st *Store, u *User, next, keepSession, keepDevice string) error {
	if err := st.SetPasswordHash(ctx, u.ID, HashPassword(next)); err != nil {
		return err
	}
	if err := s.Sessions.on(st.db).DestroyAllFor(ctx, u.ID, keepSession); err != nil {
		return err
	}
	if err := st.forgetDevices(ctx, u.ID, keepDevice); err != nil {
		return err
	}
	return mail.Queue(ctx, st.db, passwordChangedNotice(u, s.Now().UnixNano()))
}

// DeleteAccount erases the user after checking their password. Other
// domains' personal rows go with the user through their foreign keys.
func (s *Service) DeleteAccount(ctx context.Context, userID int64, password string) error {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return err
	}
	if ok, err := CheckPassword(u.PasswordHash, password); err != nil {
		return err
	} else if !ok {
		return apperr.NewValidation("password", "Het wachtwoord klopt niet.")
	}
	return s.store.DeleteUser(ctx, userID)
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
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	off, err := mail.OptedOut(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	ids, err := s.store.identitiesOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"exported_at":        s.Now().UTC().Format(time.RFC3339),
		"account":            u,
		"mail_topics_off":    off,
		"organisation_login": ids,
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

// Purge deletes what has served its time: expired sessions, links and
// throttle counts, browsers unused for a year, and accounts whose address
// was never confirmed within 7 days.
func (s *Service) Purge(ctx context.Context, now time.Time) error {
	if err := s.Sessions.PurgeExpired(ctx, now); err != nil {
		return err
	}
	if err := s.store.purgeTokens(ctx, now); err != nil {
		return err
	}
	if err := s.store.purgeDevices(ctx, now); err != nil {
		return err
	}
	if err := s.Throttle.PurgeOld(ctx, now); err != nil {
		return err
	}
	if err := s.store.purgeLogins(ctx, now); err != nil {
		return err
	}
	return s.store.purgeUnverified(ctx, now.Add(-7*24*time.Hour))
}
