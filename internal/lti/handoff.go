package lti

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// handOff keeps a verified launch that continues elsewhere under token: in
// a new window (kind open: the launch came in an iframe) or after a login
// (kind link: the e-mail address has an account).
func (s *Service) handOff(ctx context.Context, st *Store, token, kind string, userID *int64, f launchFacts, expires time.Time) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("lti: encode launch: %w", err)
	}
	return st.CreateHandoff(ctx, &handoffRow{TokenHash: hashToken(token), Kind: kind, UserID: userID, Launch: b, ExpiresAt: expires})
}

// handoff reads (or, when take, uses up) the live hand-off of kind under
// token; errHandoffGone when there is none.
func (s *Service) handoff(ctx context.Context, st *Store, token, kind string, take bool) (*handoffRow, launchFacts, error) {
	var f launchFacts
	h, err := st.Handoff(ctx, token, kind, s.now(), take)
	if errors.Is(err, ErrNotFound) {
		return nil, f, errHandoffGone
	}
	if err != nil {
		return nil, f, err
	}
	if err := json.Unmarshal(h.Launch, &f); err != nil {
		return nil, f, fmt.Errorf("lti: read hand-off: %w", err)
	}
	return h, f, nil
}

// Open starts the session of a launch handed off to a new window and
// returns the session token and where to go.
func (s *Service) Open(ctx context.Context, token string) (session, target string, err error) {
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		h, f, err := s.handoff(ctx, NewStore(tx), token, "open", true)
		if err != nil {
			return err
		}
		target = f.Target
		session, err = s.accounts.StartSession(ctx, tx, *h.UserID)
		return err
	})
	return session, target, err
}

// PendingLink is a launch waiting for the person to link their account.
type PendingLink struct {
	Platform *Platform
	Email    string
	Name     string
}

// Pending returns the link waiting under token.
func (s *Service) Pending(ctx context.Context, token string) (*PendingLink, error) {
	_, f, err := s.handoff(ctx, s.Store, token, "link", false)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.Platform(ctx, f.PlatformID)
	if errors.Is(err, ErrNotFound) {
		return nil, errHandoffGone
	}
	if err != nil {
		return nil, err
	}
	return &PendingLink{Platform: p, Email: f.Email, Name: f.Name}, nil
}

// CompleteLink links the logged-in user's account to the platform person
// of the launch waiting under token, when its e-mail address is theirs, and
// returns where to go.
func (s *Service) CompleteLink(ctx context.Context, token string, userID int64, email string) (string, error) {
	var target string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		_, f, err := s.handoff(ctx, st, token, "link", true)
		if err != nil {
			return err
		}
		if !strings.EqualFold(strings.TrimSpace(email), f.Email) {
			return errLinkOtherAccount
		}
		lu, err := st.LTIUser(ctx, f.PlatformID, f.Subject)
		switch {
		case errors.Is(err, ErrNotFound):
			lu = &ltiUser{PlatformID: f.PlatformID, Subject: f.Subject, UserID: userID}
			if err := st.CreateLTIUser(ctx, lu); err != nil {
				return err
			}
		case err != nil:
			return err
		case lu.UserID != userID:
			return errLinkOtherAccount
		}
		target = f.Target
		return s.rememberColumn(ctx, st, lu, f, s.now())
	})
	return target, err
}
