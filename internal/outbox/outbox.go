// Package outbox delivers work that must follow from something the database
// recorded: a mail after an approval, a grade sent back to an LMS. A row is
// written in the same transaction as the event, so both happen or neither;
// a worker on any instance delivers it afterwards, retrying with back-off.
//
// A row is claimed with FOR UPDATE SKIP LOCKED inside the transaction that
// marks it delivered, so however many instances run, one delivers it. Only a
// crash between the peer accepting the delivery and that commit can repeat
// it; deliverers pass the row id along (a mail's Message-ID) so the peer can
// tell.
package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/pubsub"
)

// Row is one piece of queued work.
type Row struct {
	bun.BaseModel `bun:"table:outbox"`

	ID            int64           `bun:",pk,autoincrement"`
	Kind          string          `bun:",notnull"`
	DedupeKey     *string         `bun:"dedupe_key"`
	Payload       json.RawMessage `bun:"type:jsonb,notnull"`
	State         string          `bun:",notnull,default:'pending'"`
	Attempts      int             `bun:",notnull"`
	NextAttemptAt time.Time       `bun:",notnull"`
	LastError     string          `bun:",notnull"`
	CreatedAt     time.Time       `bun:",notnull"`
	SentAt        *time.Time
}

// States of a row.
const (
	StatePending = "pending" // waiting for (another) attempt
	StateSent    = "sent"
	StateFailed  = "failed"  // gave up after MaxAttempts
	StateSkipped = "skipped" // the deliverer decided not to deliver (see Skip)
)

// Enqueue writes a row of kind with payload (marshalled as JSON) on db,
// which should be the transaction of the event that causes it. key names
// that event: a second Enqueue with the same key is ignored, so retried or
// concurrent events queue their work once. An empty key never deduplicates.
func Enqueue(ctx context.Context, db bun.IDB, kind, key string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("outbox: encode %s: %w", kind, err)
	}
	now := time.Now()
	row := &Row{Kind: kind, Payload: b, State: StatePending, NextAttemptAt: now, CreatedAt: now}
	if key != "" {
		row.DedupeKey = &key
	}
	if _, err := db.NewInsert().Model(row).On("CONFLICT (dedupe_key) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("outbox: enqueue %s: %w", kind, err)
	}
	return pubsub.Publish(ctx, db, Channel, kind)
}

// Channel is the pubsub channel on which Enqueue announces new rows, to wake
// the workers of every instance.
const Channel = "outbox"

// Deliver performs the work of one row. An error means "try again later";
// wrap it with Permanent when trying again cannot help.
type Deliver func(ctx context.Context, row Row) error

// Permanent marks an error after which the row is not tried again.
func Permanent(err error) error { return permanentError{err} }

type permanentError struct{ error }

func (p permanentError) Unwrap() error { return p.error }

// Skip marks a row that is not to be delivered at all (its recipient does
// not want it); reason is kept as the row's last error.
func Skip(reason error) error { return skipError{reason} }

type skipError struct{ error }

func (s skipError) Unwrap() error { return s.error }

// Worker delivers due rows of the kinds it has a Deliver for.
type Worker struct {
	db          *bun.DB
	log         *slog.Logger
	deliver     map[string]Deliver
	MaxAttempts int
	// Backoff is the wait after the n-th failed attempt.
	Backoff func(n int) time.Duration
	Now     func() time.Time
	// Poll is how often the worker looks for due rows without being woken.
	Poll time.Duration
}

// NewWorker returns a worker with the production policy: up to 12 attempts,
// waiting 30 s, 1 min, 2 min … (doubling, at most 6 h) between them.
func NewWorker(db *bun.DB, log *slog.Logger) *Worker {
	return &Worker{
		db: db, log: log, deliver: map[string]Deliver{}, MaxAttempts: 12,
		Backoff: func(n int) time.Duration { return min(30*time.Second<<min(n-1, 20), 6*time.Hour) },
		Now:     time.Now,
		Poll:    5 * time.Second,
	}
}

// Handle sets how rows of kind are delivered.
func (w *Worker) Handle(kind string, d Deliver) { w.deliver[kind] = d }

// Kinds are the kinds the worker delivers.
func (w *Worker) Kinds() []string {
	kinds := make([]string, 0, len(w.deliver))
	for k := range w.deliver {
		kinds = append(kinds, k)
	}
	return kinds
}

// RunOnce delivers due rows one by one until none is left, and returns how
// many it delivered. Each row is claimed and settled in its own transaction.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if len(w.deliver) == 0 {
		return 0, nil
	}
	n := 0
	for {
		done, err := w.one(ctx)
		if err != nil || !done {
			return n, err
		}
		n++
	}
}

// one claims and delivers the oldest due row; false when there is none.
func (w *Worker) one(ctx context.Context) (bool, error) {
	found := false
	err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var row Row
		err := tx.NewSelect().Model(&row).
			Where("state = ?", StatePending).Where("next_attempt_at <= ?", w.Now()).
			Where("kind IN (?)", bun.List(w.Kinds())).
			OrderExpr("next_attempt_at, id").Limit(1).For("UPDATE SKIP LOCKED").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("outbox: claim: %w", err)
		}
		found = true
		derr := w.deliver[row.Kind](ctx, row)
		row.Attempts++
		now := w.Now()
		q := tx.NewUpdate().Model(&row).Column("state", "attempts", "next_attempt_at", "last_error", "sent_at").WherePK()
		switch {
		case derr == nil:
			row.State, row.SentAt, row.LastError = StateSent, &now, ""
		case errors.As(derr, new(skipError)):
			row.State, row.LastError = StateSkipped, derr.Error()
		case errors.As(derr, new(permanentError)) || row.Attempts >= w.MaxAttempts:
			row.State, row.LastError = StateFailed, derr.Error()
			w.log.Error("outbox: giving up", "id", row.ID, "kind", row.Kind, "attempts", row.Attempts, "err", derr)
		default:
			row.NextAttemptAt, row.LastError = now.Add(w.Backoff(row.Attempts)), derr.Error()
			w.log.Warn("outbox: will retry", "id", row.ID, "kind", row.Kind, "attempts", row.Attempts, "at", row.NextAttemptAt, "err", derr)
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("outbox: settle %d: %w", row.ID, err)
		}
		return nil
	})
	return found, err
}

// Run delivers rows until ctx ends: at once when wake receives (subscribe
// it to Channel), and every Poll otherwise, for retries that come due.
func (w *Worker) Run(ctx context.Context, wake <-chan string) {
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("outbox: run", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
	}
}
