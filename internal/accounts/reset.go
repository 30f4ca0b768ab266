package accounts

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/mail"
)

// RequestReset mails a link to set a new password to email when it
// belongs to an account. The answer is the same for any address; a client
// asking too often gets ErrTooManyMails, an address that had three links
// this hour gets no fourth.
func (s *Service) RequestReset(ctx context.Context, email, client string) error {
	return s.mailAccount(ctx, purposeReset, email, client, func(ctx context.Context, st *Store, u *User) error {
		tok, err := st.createToken(ctx, u.ID, purposeReset, s.Now(), resetTTL)
		if err != nil {
			return err
		}
		return mail.Queue(ctx, st.db, resetNotice(u, tok))
	})
}

// CheckReset reports whether tok is a reset link that still works: nil,
// ErrLinkInvalid, ErrLinkExpired or ErrLinkUsed.
func (s *Service) CheckReset(ctx context.Context, tok string) error {
	_, err := s.store.tokenUser(ctx, tok, purposeReset, s.Now())
	return err
}

// ResetPassword sets a new password with the link tok (1 hour, once),
// confirms the address (the link reached it), ends every other session,
// forgets other browsers and their failed logins, and logs this browser
// in: it returns the user and the new session token. A weak password is a
// validation error and leaves the link usable.
func (s *Service) ResetPassword(ctx context.Context, tok, password, device, oldSession string) (*User, string, error) {
	id, err := s.store.tokenUser(ctx, tok, purposeReset, s.Now())
	if err != nil {
		return nil, "", err
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if msg := PasswordProblem(password, u.Email, u.Name); msg != "" {
		return nil, "", apperr.NewValidation("password", msg)
	}
	var session string
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		if _, err := st.useToken(ctx, tok, purposeReset, s.Now()); err != nil {
			return err
		}
		if err := st.setVerified(ctx, u.ID, s.Now()); err != nil {
			return err
		}
		if err := s.replacePassword(ctx, st, u, password, "", device); err != nil {
			return err
		}
		if err := (&Throttle{db: tx, Now: s.Throttle.Now}).ResetPrefix(ctx, keyAccountDevice(strings.ToLower(u.Email), "")); err != nil {
			return err
		}
		session, err = s.startSession(ctx, st, u.ID, device, oldSession)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, session, nil
}
