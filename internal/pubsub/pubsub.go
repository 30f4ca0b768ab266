// Package pubsub carries news between the instances of the application
// through PostgreSQL's LISTEN/NOTIFY: a change committed on one instance
// (a mail queued, a course edited) wakes or informs the others at once.
// A notification sent inside a transaction is delivered only when it
// commits, so news never runs ahead of the data it is about.
package pubsub

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Publish sends payload on channel, through db (a transaction delivers it
// at commit).
func Publish(ctx context.Context, db bun.IDB, channel, payload string) error {
	if _, err := db.ExecContext(ctx, "SELECT pg_notify(?, ?)", channel, payload); err != nil {
		return fmt.Errorf("pubsub: publish on %s: %w", channel, err)
	}
	return nil
}

// Bus listens on one connection and hands each notification to the
// subscribers of its channel.
type Bus struct {
	db   *bun.DB
	log  *slog.Logger
	mu   sync.Mutex
	subs map[string][]chan string
}

// New returns a bus on db; add subscribers, then Run it.
func New(db *bun.DB, log *slog.Logger) *Bus {
	return &Bus{db: db, log: log, subs: map[string][]chan string{}}
}

// Subscribe returns a channel that receives the payloads published on
// channel. A slow subscriber misses payloads rather than holding up the
// others: the buffer keeps the newest few, which suits "something changed".
func (b *Bus) Subscribe(channel string) <-chan string {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := make(chan string, 16)
	b.subs[channel] = append(b.subs[channel], ch)
	return ch
}

// Run listens until ctx ends. The listener reconnects by itself after the
// database restarts.
func (b *Bus) Run(ctx context.Context) error {
	b.mu.Lock()
	channels := make([]string, 0, len(b.subs))
	for c := range b.subs {
		channels = append(channels, c)
	}
	b.mu.Unlock()
	if len(channels) == 0 {
		<-ctx.Done()
		return nil
	}
	ln := pgdriver.NewListener(b.db)
	defer ln.Close()
	if err := ln.Listen(ctx, channels...); err != nil {
		return fmt.Errorf("pubsub: listen: %w", err)
	}
	notes := ln.Channel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case n, ok := <-notes:
			if !ok {
				return nil
			}
			b.mu.Lock()
			for _, ch := range b.subs[n.Channel] {
				select {
				case ch <- n.Payload:
				default:
					b.log.Debug("pubsub: subscriber busy, payload dropped", "channel", n.Channel)
				}
			}
			b.mu.Unlock()
		}
	}
}
