package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/outbox"
	"github.com/ambtenaar20/leeromgeving/internal/pubsub"
)

// ErrNotFound is a mail that does not exist.
var ErrNotFound = fmt.Errorf("mail: %w", apperr.ErrNotFound)

// Item is one queued mail with its delivery state.
type Item struct {
	outbox.Row
	Notice Notice
}

// StateLabel is the state in Dutch.
func (it Item) StateLabel() string {
	switch it.State {
	case outbox.StateSent:
		return "Verzonden"
	case outbox.StateFailed:
		return "Mislukt"
	case outbox.StateSkipped:
		return "Overgeslagen"
	}
	return "Wacht"
}

// Filter narrows the list of mails.
type Filter struct {
	State string // one of the outbox states, or "" for all
	To    string // part of the recipient's address
}

// Mailbox is what admins see of the mail: every queued mail, as its
// recipient reads it, and why it is waiting.
type Mailbox struct {
	db     bun.IDB
	render Renderer
	// Sending is false when no SMTP server is configured: mails then stay
	// in the outbox and are read here.
	Sending bool
}

// NewMailbox returns the mailbox on db; links are rendered for baseURL.
func NewMailbox(db bun.IDB, baseURL string, sending bool) *Mailbox {
	return &Mailbox{db: db, render: Renderer{BaseURL: baseURL}, Sending: sending}
}

// List returns a page of mails matching f, newest first, and how many match.
func (m *Mailbox) List(ctx context.Context, f Filter, limit, offset int) ([]Item, int, error) {
	var rows []outbox.Row
	q := m.db.NewSelect().Model(&rows).Where("kind = ?", Kind).OrderExpr("id DESC").Limit(int64(limit)).Offset(int64(offset))
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if to := strings.ToLower(strings.TrimSpace(f.To)); to != "" {
		q = q.Where("lower(payload ->> 'to') LIKE ?", "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(to)+"%")
	}
	n, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("mail: list: %w", err)
	}
	items := make([]Item, len(rows))
	for i, r := range rows {
		items[i] = item(r)
	}
	return items, int(n), nil
}

func item(r outbox.Row) Item {
	it := Item{Row: r}
	_ = json.Unmarshal(r.Payload, &it.Notice) // a row that is not a notice shows empty
	return it
}

// Get returns mail id, or ErrNotFound.
func (m *Mailbox) Get(ctx context.Context, id int64) (Item, error) {
	var r outbox.Row
	err := m.db.NewSelect().Model(&r).Where("id = ?", id).Where("kind = ?", Kind).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, ErrNotFound
	}
	if err != nil {
		return Item{}, fmt.Errorf("mail: get %d: %w", id, err)
	}
	return item(r), nil
}

// Read returns mail id as its recipient reads it.
func (m *Mailbox) Read(ctx context.Context, id int64) (Item, Message, error) {
	it, err := m.Get(ctx, id)
	if err != nil {
		return it, Message{}, err
	}
	msg, err := m.render.Render(it.Notice)
	return it, msg, err
}

// ErrNotRetryable is a retry of a mail that was sent or skipped.
var ErrNotRetryable = apperr.Msg(apperr.ErrConflict, "Deze mail is al verzonden of overgeslagen; die wordt niet opnieuw verstuurd.")

// Retry makes a waiting or failed mail due now, with a fresh set of attempts.
func (m *Mailbox) Retry(ctx context.Context, id int64, now time.Time) error {
	res, err := m.db.NewUpdate().Table("outbox").Set("state = ?", outbox.StatePending).Set("attempts = 0").
		Set("next_attempt_at = ?", now).Where("id = ?", id).Where("kind = ?", Kind).
		Where("state IN (?)", bun.List([]string{outbox.StatePending, outbox.StateFailed})).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mail: retry %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := m.Get(ctx, id); err != nil {
			return err
		}
		return ErrNotRetryable
	}
	return pubsub.Publish(ctx, m.db, outbox.Channel, Kind)
}

// ToUser returns the mails queued for userID, newest first, for the
// user's data export.
func (m *Mailbox) ToUser(ctx context.Context, userID int64) ([]Item, error) {
	var rows []outbox.Row
	err := m.db.NewSelect().Model(&rows).Where("kind = ?", Kind).
		Where("(payload ->> 'user_id')::bigint = ?", userID).OrderExpr("id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail: mails of %d: %w", userID, err)
	}
	items := make([]Item, len(rows))
	for i, r := range rows {
		items[i] = item(r)
	}
	return items, nil
}

// Purge deletes mails that were settled (sent, skipped, failed) before
// cutoff: the outbox is not an archive of what people were told.
func (m *Mailbox) Purge(ctx context.Context, cutoff time.Time) error {
	_, err := m.db.NewDelete().Table("outbox").Where("kind = ?", Kind).Where("state <> ?", outbox.StatePending).
		Where("created_at < ?", cutoff).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mail: purge: %w", err)
	}
	return nil
}
