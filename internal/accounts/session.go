package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Sessions keeps login sessions in PostgreSQL. The cookie holds a random
// token; the table holds only its hash, so a leaked table grants nothing.
type Sessions struct {
	db     bun.IDB
	Cookie string        // cookie name; "__Host-sessie" on https
	Secure bool          // send the cookie over https only
	TTL    time.Duration // idle time after which a session ends
	Now    func() time.Time
}

// NewSessions returns a session store; secure selects https-only cookies.
func NewSessions(db bun.IDB, secure bool) *Sessions {
	s := &Sessions{db: db, Cookie: "sessie", Secure: secure, TTL: 8 * time.Hour, Now: time.Now}
	if secure {
		s.Cookie = "__Host-sessie"
	}
	return s
}

// refreshEvery bounds how often a session's expiry is pushed forward, so a
// busy user costs one write a minute, not one per request.
const refreshEvery = time.Minute

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// Create starts a new session for userID and returns its token.
func (s *Sessions) Create(ctx context.Context, userID int64) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("accounts: session token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	now := s.Now()
	_, err := s.db.NewRaw("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		hashToken(tok), userID, now, now, now.Add(s.TTL)).Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("accounts: create session: %w", err)
	}
	return tok, nil
}

// errNoSession means the token names no live session.
var errNoSession = errors.New("accounts: no live session")

// Lookup returns the user of a live session in one indexed query, and
// pushes its expiry forward at most once a minute.
func (s *Sessions) Lookup(ctx context.Context, tok string) (*web.Viewer, error) {
	var row struct {
		ID             int64
		Name           string
		Email          string
		OrganisationID sql.NullInt64
		Roles          []string `bun:",array"`
		LastSeenAt     time.Time
	}
	now := s.Now()
	h := hashToken(tok)
	err := s.db.NewSelect().TableExpr("sessions AS s").Join("JOIN users AS u ON u.id = s.user_id").
		ColumnExpr("u.id, u.name, u.email, u.organisation_id, u.roles, s.last_seen_at").
		Where("s.token_hash = ?", h).Where("s.expires_at > ?", now).
		Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: look up session: %w", err)
	}
	if now.Sub(row.LastSeenAt) >= refreshEvery {
		_, err := s.db.NewUpdate().Table("sessions").Set("last_seen_at = ?", now).Set("expires_at = ?", now.Add(s.TTL)).
			Where("token_hash = ?", h).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("accounts: refresh session: %w", err)
		}
	}
	return &web.Viewer{ID: row.ID, Name: row.Name, Email: row.Email, OrganisationID: row.OrganisationID.Int64, Roles: row.Roles}, nil
}

// Destroy ends the session of tok.
func (s *Sessions) Destroy(ctx context.Context, tok string) error {
	if _, err := s.db.NewDelete().Table("sessions").Where("token_hash = ?", hashToken(tok)).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: destroy session: %w", err)
	}
	return nil
}

// DestroyAllFor ends every session of userID except the one of keep.
func (s *Sessions) DestroyAllFor(ctx context.Context, userID int64, keep string) error {
	q := s.db.NewDelete().Table("sessions").Where("user_id = ?", userID)
	if keep != "" {
		q = q.Where("token_hash <> ?", hashToken(keep))
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("accounts: destroy sessions of %d: %w", userID, err)
	}
	return nil
}

// PurgeExpired deletes sessions that expired before now.
func (s *Sessions) PurgeExpired(ctx context.Context, now time.Time) error {
	if _, err := s.db.NewDelete().Table("sessions").Where("expires_at <= ?", now).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: purge sessions: %w", err)
	}
	return nil
}

// Middleware puts the session's user in the request. A cookie that names no
// live session is cleared and the visitor told their session ended.
func (s *Sessions) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		tok := c.Cookies(s.Cookie)
		if tok == "" {
			return c.Next()
		}
		v, err := s.Lookup(c.UserContext(), tok)
		switch {
		case errors.Is(err, errNoSession):
			s.clearCookie(c)
			web.MarkSessionExpired(c)
		case err != nil:
			return err
		default:
			web.SetViewer(c, v)
		}
		return c.Next()
	}
}

// SetCookie sets the cookie of session tok on the response, as a password
// login does, for logins that happen elsewhere (an LTI launch).
func (s *Sessions) SetCookie(c *fiber.Ctx, tok string) { s.setCookie(c, tok) }

func (s *Sessions) setCookie(c *fiber.Ctx, tok string) {
	c.Cookie(&fiber.Cookie{Name: s.Cookie, Value: tok, Path: "/", HTTPOnly: true, Secure: s.Secure,
		SameSite: fiber.CookieSameSiteLaxMode, SessionOnly: true})
}

func (s *Sessions) clearCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: s.Cookie, Value: "", Path: "/", HTTPOnly: true, Secure: s.Secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(1, 0)})
}

// on returns the same sessions on db (a transaction).
func (s *Sessions) on(db bun.IDB) *Sessions {
	c := *s
	c.db = db
	return &c
}
