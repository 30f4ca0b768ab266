package lti

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Store holds every query of the tool.
type Store struct {
	db bun.IDB
}

// NewStore returns a store on db (the database or a transaction).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// isUnique reports whether err is a unique violation (on constraint, or on
// any when constraint is "").
func isUnique(err error, constraint string) bool {
	var pe pgdriver.Error
	return errors.As(err, &pe) && pe.Field('C') == "23505" && (constraint == "" || pe.Field('n') == constraint)
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// --- Platforms ---

func (s *Store) platforms() *bun.SelectQuery {
	return s.db.NewSelect().Model((*Platform)(nil)).ColumnExpr("p.*").ColumnExpr("coalesce(o.name, '') AS organisation_name").
		Join("LEFT JOIN organisations AS o ON o.id = p.organisation_id")
}

// Platforms lists every registered platform by name.
func (s *Store) Platforms(ctx context.Context) ([]Platform, error) {
	var out []Platform
	if err := s.platforms().OrderExpr("lower(p.name), p.id").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("lti: platforms: %w", err)
	}
	return out, nil
}

// Platform returns the platform with id, or ErrNotFound.
func (s *Store) Platform(ctx context.Context, id int64) (*Platform, error) {
	p := new(Platform)
	err := s.platforms().Where("p.id = ?", id).Scan(ctx, p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lti: platform %d: %w", id, err)
	}
	return p, nil
}

// PlatformsByIssuer lists the registrations of issuer.
func (s *Store) PlatformsByIssuer(ctx context.Context, issuer string) ([]Platform, error) {
	var out []Platform
	if err := s.platforms().Where("p.issuer = ?", issuer).OrderExpr("p.id").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("lti: platforms of %s: %w", issuer, err)
	}
	return out, nil
}

// SavePlatform inserts p (ID 0) or updates it; ErrPlatformTaken when the
// issuer and client id are registered already, ErrNotFound for an unknown id.
func (s *Store) SavePlatform(ctx context.Context, p *Platform) error {
	var err error
	if p.ID == 0 {
		_, err = s.db.NewInsert().Model(p).Returning("id, created_at, updated_at").Exec(ctx)
	} else {
		var res sql.Result
		res, err = s.db.NewUpdate().Model(p).ExcludeColumn("created_at", "updated_at").Set("updated_at = now()").WherePK().Exec(ctx)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
	}
	if isUnique(err, "lti_platforms_issuer_client_key") {
		return ErrPlatformTaken
	}
	if err != nil {
		return fmt.Errorf("lti: save platform: %w", err)
	}
	return nil
}

// DeletePlatform removes the platform with its logins, links and columns.
func (s *Store) DeletePlatform(ctx context.Context, id int64) error {
	res, err := s.db.NewDelete().Table("lti_platforms").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("lti: delete platform %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// LinkedUsers counts the people linked per platform.
func (s *Store) LinkedUsers(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		PlatformID int64
		N          int
	}
	if err := s.db.NewRaw("SELECT platform_id, count(*) AS n FROM lti_users GROUP BY platform_id").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("lti: linked users: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.PlatformID] = r.N
	}
	return out, nil
}

// --- Logins and nonces ---

type loginRow struct {
	bun.BaseModel `bun:"table:lti_logins,alias:l"`

	State         string `bun:",pk"`
	Nonce         string
	PlatformID    int64
	BrowserHash   []byte
	TargetLinkURI string
	CreatedAt     time.Time
	ExpiresAt     time.Time
}

// CreateLogin stores a login waiting for its launch.
func (s *Store) CreateLogin(ctx context.Context, l *loginRow) error {
	if _, err := s.db.NewInsert().Model(l).Exec(ctx); err != nil {
		return fmt.Errorf("lti: store login: %w", err)
	}
	return nil
}

// TakeLogin removes and returns the live login with state, or ErrNotFound.
func (s *Store) TakeLogin(ctx context.Context, state string, now time.Time) (*loginRow, error) {
	l := new(loginRow)
	err := s.db.NewDelete().Model(l).Where("state = ?", state).Where("expires_at > ?", now).Returning("*").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lti: take login: %w", err)
	}
	return l, nil
}

// errNonceUsed means the nonce was seen before.
var errNonceUsed = errors.New("lti: nonce used")

// UseNonce records that the platform's nonce is used, until expires;
// errNonceUsed when it was used before.
func (s *Store) UseNonce(ctx context.Context, platformID int64, nonce string, expires time.Time) error {
	_, err := s.db.NewRaw("INSERT INTO lti_nonces (platform_id, nonce, expires_at) VALUES (?, ?, ?)", platformID, nonce, expires).Exec(ctx)
	if isUnique(err, "lti_nonces_pkey") {
		return errNonceUsed
	}
	if err != nil {
		return fmt.Errorf("lti: use nonce: %w", err)
	}
	return nil
}

// --- Linked users ---

// ltiUser is a person of a platform linked to an account.
type ltiUser struct {
	bun.BaseModel `bun:"table:lti_users,alias:lu"`

	ID           int64 `bun:",pk,autoincrement"`
	PlatformID   int64
	Subject      string
	UserID       int64
	CreatedAt    time.Time `bun:",nullzero,default:current_timestamp"`
	LastLaunchAt time.Time `bun:",nullzero,default:current_timestamp"`
}

// LTIUser returns the link of the platform's subject, or ErrNotFound.
func (s *Store) LTIUser(ctx context.Context, platformID int64, subject string) (*ltiUser, error) {
	u := new(ltiUser)
	err := s.db.NewSelect().Model(u).Where("platform_id = ?", platformID).Where("subject = ?", subject).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lti: linked user: %w", err)
	}
	return u, nil
}

// CreateLTIUser links the platform's subject to userID. A concurrent link
// of the same subject is a unique violation (the caller retries).
func (s *Store) CreateLTIUser(ctx context.Context, u *ltiUser) error {
	if _, err := s.db.NewInsert().Model(u).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("lti: link user: %w", err)
	}
	return nil
}

// TouchLTIUser notes a launch of the linked user.
func (s *Store) TouchLTIUser(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.db.NewUpdate().Table("lti_users").Set("last_launch_at = ?", at).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("lti: touch linked user: %w", err)
	}
	return nil
}

// --- Gradebook columns ---

// gradeLink is a platform's gradebook column for a user's course result,
// with what delivering a score needs.
type gradeLink struct {
	ID          int64
	LTIUserID   int64
	UserID      int64
	CourseID    int64
	LineItemURL string `bun:"lineitem_url"`
	Version     int
	ChangedAt   time.Time
	Subject     string
	PlatformID  int64
}

// changedLink is a column whose result changed: its id and new version.
type changedLink struct {
	ID      int64
	Version int
}

// UpsertGradeLink remembers the column of a launch. It returns the column
// when it is new or now points at another course (its result must be sent),
// and nil otherwise.
func (s *Store) UpsertGradeLink(ctx context.Context, ltiUserID, userID, courseID int64, lineItem string, at time.Time) (*changedLink, error) {
	var rows []struct {
		ID      int64
		Version int
		Changed bool
	}
	err := s.db.NewRaw(`WITH old AS (SELECT course_id FROM lti_grade_links WHERE lti_user_id = ? AND lineitem_url = ?)
		INSERT INTO lti_grade_links AS g (lti_user_id, user_id, course_id, lineitem_url, changed_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (lti_user_id, lineitem_url) DO UPDATE SET course_id = EXCLUDED.course_id,
			version = g.version + CASE WHEN g.course_id = EXCLUDED.course_id THEN 0 ELSE 1 END,
			changed_at = CASE WHEN g.course_id = EXCLUDED.course_id THEN g.changed_at
				ELSE greatest(EXCLUDED.changed_at, g.changed_at + interval '1 second') END
		RETURNING g.id, g.version, coalesce((SELECT course_id FROM old), 0) <> g.course_id AS changed`,
		ltiUserID, lineItem, ltiUserID, userID, courseID, lineItem, at).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("lti: remember gradebook column: %w", err)
	}
	if len(rows) == 0 || !rows[0].Changed {
		return nil, nil
	}
	return &changedLink{ID: rows[0].ID, Version: rows[0].Version}, nil
}

// BumpGradeLinks notes that the user's result in the course changed at at,
// for each of their columns: the version goes up, and the timestamp goes
// to at or, when that is not later, one second past the previous score
// (platforms refuse a score that is not newer than the last).
func (s *Store) BumpGradeLinks(ctx context.Context, userID, courseID int64, at time.Time) ([]changedLink, error) {
	var out []changedLink
	err := s.db.NewRaw(`UPDATE lti_grade_links SET version = version + 1,
		changed_at = greatest(?::timestamptz, changed_at + interval '1 second')
		WHERE user_id = ? AND course_id = ? RETURNING id, version`, at, userID, courseID).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("lti: note result change: %w", err)
	}
	return out, nil
}

// GradeLink returns the column with id and its subject, or ErrNotFound.
func (s *Store) GradeLink(ctx context.Context, id int64) (*gradeLink, error) {
	g := new(gradeLink)
	err := s.db.NewRaw(`SELECT g.id, g.lti_user_id, g.user_id, g.course_id, g.lineitem_url, g.version, g.changed_at, lu.subject, lu.platform_id
		FROM lti_grade_links g JOIN lti_users lu ON lu.id = g.lti_user_id WHERE g.id = ?`, id).Scan(ctx, g)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lti: gradebook column %d: %w", id, err)
	}
	return g, nil
}

// --- Deep linking and hand-offs ---

type deepLinkRow struct {
	bun.BaseModel `bun:"table:lti_deep_links,alias:d"`

	TokenHash    []byte `bun:",pk"`
	PlatformID   int64
	DeploymentID string
	ReturnURL    string
	Data         json.RawMessage `bun:"type:jsonb"`
	AcceptWindow bool
	CreatedAt    time.Time `bun:",nullzero,default:current_timestamp"`
	ExpiresAt    time.Time
}

// CreateDeepLink stores a deep-linking launch.
func (s *Store) CreateDeepLink(ctx context.Context, d *deepLinkRow) error {
	if _, err := s.db.NewInsert().Model(d).Exec(ctx); err != nil {
		return fmt.Errorf("lti: store deep link: %w", err)
	}
	return nil
}

// DeepLink returns the live deep-linking launch of token, or ErrNotFound.
func (s *Store) DeepLink(ctx context.Context, token string, now time.Time) (*deepLinkRow, error) {
	d := new(deepLinkRow)
	err := s.db.NewSelect().Model(d).Where("token_hash = ?", hashToken(token)).Where("expires_at > ?", now).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lti: deep link: %w", err)
	}
	return d, nil
}

type handoffRow struct {
	bun.BaseModel `bun:"table:lti_handoffs,alias:h"`

	TokenHash []byte `bun:",pk"`
	Kind      string
	UserID    *int64
	Launch    json.RawMessage `bun:"type:jsonb"`
	CreatedAt time.Time       `bun:",nullzero,default:current_timestamp"`
	ExpiresAt time.Time
}

// CreateHandoff stores a launch that continues in a new window.
func (s *Store) CreateHandoff(ctx context.Context, h *handoffRow) error {
	if _, err := s.db.NewInsert().Model(h).Exec(ctx); err != nil {
		return fmt.Errorf("lti: store hand-off: %w", err)
	}
	return nil
}

// Handoff returns the live hand-off of kind with token, removing it when
// take; ErrNotFound when there is none.
func (s *Store) Handoff(ctx context.Context, token, kind string, now time.Time, take bool) (*handoffRow, error) {
	h := new(handoffRow)
	var err error
	if take {
		err = s.db.NewDelete().Model(h).Where("token_hash = ?", hashToken(token)).Where("kind = ?", kind).
			Where("expires_at > ?", now).Returning("*").Scan(ctx)
	} else {
		err = s.db.NewSelect().Model(h).Where("token_hash = ?", hashToken(token)).Where("kind = ?", kind).
			Where("expires_at > ?", now).Scan(ctx)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lti: hand-off: %w", err)
	}
	return h, nil
}

// Purge deletes logins, nonces, deep links and hand-offs that expired before now.
func (s *Store) Purge(ctx context.Context, now time.Time) error {
	for _, table := range []string{"lti_logins", "lti_nonces", "lti_deep_links", "lti_handoffs"} {
		if _, err := s.db.NewDelete().TableExpr(table).Where("expires_at <= ?", now).Exec(ctx); err != nil {
			return fmt.Errorf("lti: purge %s: %w", table, err)
		}
	}
	return nil
}

// UserLink is a platform person linked to an account, for the person's
// data export.
type UserLink struct {
	Platform     string    `json:"platform"`
	Issuer       string    `json:"issuer"`
	Subject      string    `json:"subject"`
	LinkedAt     time.Time `json:"linked_at"`
	LastLaunchAt time.Time `json:"last_launch_at"`
	Columns      []string  `json:"gradebook_columns" bun:",array"`
}

// ExportUser lists the platform people linked to userID, with the
// gradebook columns their results go to.
func (s *Store) ExportUser(ctx context.Context, userID int64) ([]UserLink, error) {
	out := []UserLink{}
	err := s.db.NewRaw(`SELECT p.name AS platform, p.issuer, lu.subject, lu.created_at AS linked_at, lu.last_launch_at,
		coalesce(array_agg(g.lineitem_url ORDER BY g.id) FILTER (WHERE g.id IS NOT NULL), '{}') AS columns
		FROM lti_users lu JOIN lti_platforms p ON p.id = lu.platform_id LEFT JOIN lti_grade_links g ON g.lti_user_id = lu.id
		WHERE lu.user_id = ? GROUP BY p.name, p.issuer, lu.id ORDER BY lu.id`, userID).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("lti: export user %d: %w", userID, err)
	}
	return out, nil
}
