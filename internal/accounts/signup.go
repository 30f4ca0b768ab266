package accounts

import (
	"context"
	"errors"
	"strings"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/mail"
)

// SignUp registers a person from the public form, answering the same
// whether or not the address is known, so the form tells strangers nothing:
// a new address gets an account that works once the link mailed to it is
// followed; a known address gets a mail saying so, with a login and a reset
// link (or, when that account is not confirmed yet, a new confirmation
// link). Invalid input is a validation error; too many sign-ups from one
// client ErrTooManyMails.
func (s *Service) SignUp(ctx context.Context, in NewUser, client string) error {
	in.Roles = nil
	if err := in.tidy(); err != nil {
		return err
	}
	// Hash before anything else, so a known address answers as slowly as a new one.
	hash := HashPassword(in.Password)
	email := strings.ToLower(in.Email)
	send, err := s.mailAllowed(ctx, purposeVerify, email, client)
	if err != nil {
		return err
	}
	if !send {
		return nil
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		if _, err := st.UserByEmail(ctx, email); !errors.Is(err, ErrNotFound) {
			return errOr(err, ErrEmailTaken)
		}
		u := &User{Name: in.Name, Email: in.Email, PasswordHash: hash}
		if err := organisationOf(ctx, st, in, u); err != nil {
			return err
		}
		if err := st.createUnverifiedUser(ctx, u); err != nil {
			return err
		}
		return s.queueVerification(ctx, st, u, false)
	})
	if errors.Is(err, ErrEmailTaken) { // known, or registered a moment ago by a concurrent request
		return s.mailKnownAddress(ctx, email)
	}
	return err
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// mailAllowed counts a request for a mail with a link to email from client:
// ErrTooManyMails when the client asked too often, false (send nothing,
// say nothing) when the address had enough of them this hour.
func (s *Service) mailAllowed(ctx context.Context, p purpose, email, client string) (bool, error) {
	if wait, err := s.Throttle.Wait(ctx, keyMailClient(client)); err != nil {
		return false, err
	} else if wait > 0 {
		return false, ErrTooManyMails
	}
	if _, err := s.Throttle.Hit(ctx, keyMailClient(client), limitMailsPerClient); err != nil {
		return false, err
	}
	wait, err := s.Throttle.Wait(ctx, keyMailTo(string(p), email))
	if err != nil || wait > 0 {
		return false, err
	}
	_, err = s.Throttle.Hit(ctx, keyMailTo(string(p), email), limitMailsPerAddress)
	return err == nil, err
}

// queueVerification mails u a new confirmation link, on st's transaction.
func (s *Service) queueVerification(ctx context.Context, st *Store, u *User, again bool) error {
	tok, err := st.createToken(ctx, u.ID, purposeVerify, s.Now(), verifyTTL)
	if err != nil {
		return err
	}
	return mail.Queue(ctx, st.db, verifyNotice(u, tok, again))
}

// mailKnownAddress tells the owner of a known address that someone tried
// to register it: a confirmed account gets the login and reset links, an
// unconfirmed one a new confirmation link.
func (s *Service) mailKnownAddress(ctx context.Context, email string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		if !u.Verified() {
			return s.queueVerification(ctx, st, u, true)
		}
		return mail.Queue(ctx, tx, knownAddressNotice(u, s.Now().UnixNano()))
	})
}

// ResendVerification mails a new confirmation link to email when it
// belongs to an account that is not confirmed yet; the answer is the same
// for any address. Throttled like SignUp.
func (s *Service) ResendVerification(ctx context.Context, email, client string) error {
	return s.mailAccount(ctx, purposeVerify, email, client, func(ctx context.Context, st *Store, u *User) error {
		if u.Verified() {
			return nil
		}
		return s.queueVerification(ctx, st, u, false)
	})
}

// mailAccount counts a request for a mail of purpose p to email from
// client (see mailAllowed) and, when allowed and the address has an
// account, queues the mail with queue in one transaction. Unknown
// addresses get no mail and the same answer.
func (s *Service) mailAccount(ctx context.Context, p purpose, email, client string, queue func(context.Context, *Store, *User) error) error {
	email = strings.ToLower(strings.TrimSpace(email))
	send, err := s.mailAllowed(ctx, p, email, client)
	if err != nil || !send {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		u, err := st.UserByEmail(ctx, email)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return queue(ctx, st, u)
	})
}

// CheckVerification reports whether tok is a confirmation link that still
// works: nil, ErrLinkInvalid, ErrLinkExpired, or ErrLinkUsed.
func (s *Service) CheckVerification(ctx context.Context, tok string) error {
	_, err := s.store.tokenUser(ctx, tok, purposeVerify, s.Now())
	return err
}

// Verify confirms the address of the account tok was mailed for and logs
// the browser in: it returns the user and a new session token. A link works
// once (of two clicks at once, one wins) and for 24 hours.
func (s *Service) Verify(ctx context.Context, tok, device, oldSession string) (*User, string, error) {
	var u *User
	var session string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		id, err := st.useToken(ctx, tok, purposeVerify, s.Now())
		if err != nil {
			return err
		}
		if err := st.setVerified(ctx, id, s.Now()); err != nil {
			return err
		}
		if u, err = st.User(ctx, id); err != nil {
			return err
		}
		session, err = s.startSession(ctx, st, id, device, oldSession)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, session, nil
}
