package outbox

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Rows queued with the same key are one row; four workers delivering at
// once deliver each row exactly once.
func TestWorker_DeliversEachRowOnce(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	for i := range 50 {
		key := "event-" + string(rune('a'+i%25)) + string(rune('a'+i/25))
		for range 3 {
			if err := Enqueue(ctx, db, "test", key, map[string]int{"n": i}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var n int
	if err := db.NewRaw("SELECT count(*) FROM outbox").Scan(ctx, &n); err != nil || n != 50 {
		t.Fatalf("rows = %d (%v), want 50", n, err)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		w := NewWorker(db, quiet)
		w.Handle("test", func(ctx context.Context, r Row) error {
			mu.Lock()
			seen[r.ID]++
			mu.Unlock()
			return nil
		})
		wg.Go(func() {
			if _, err := w.RunOnce(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(seen) != 50 {
		t.Errorf("delivered %d rows, want 50", len(seen))
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("row %d delivered %d times", id, k)
		}
	}
}

// A failed delivery is tried again after the back-off, a permanent one is
// not, and after MaxAttempts the row is given up.
func TestWorker_RetriesWithBackoff(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Now().Add(time.Second) // after the rows below are queued
	w := NewWorker(db, quiet)
	w.Now = func() time.Time { return now }
	w.MaxAttempts = 3
	var calls atomic.Int32
	w.Handle("flaky", func(ctx context.Context, r Row) error {
		calls.Add(1)
		return errors.New("smtp: 451 try again")
	})
	w.Handle("broken", func(ctx context.Context, r Row) error { return Permanent(errors.New("550 no such user")) })
	if err := Enqueue(ctx, db, "flaky", "f", "x"); err != nil {
		t.Fatal(err)
	}
	if err := Enqueue(ctx, db, "broken", "b", "x"); err != nil {
		t.Fatal(err)
	}
	state := func(key string) (s string, attempts int, lastErr string) {
		t.Helper()
		if err := db.NewRaw("SELECT state, attempts, last_error FROM outbox WHERE dedupe_key = ?", key).Scan(ctx, &s, &attempts, &lastErr); err != nil {
			t.Fatal(err)
		}
		return
	}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if s, a, e := state("b"); s != StateFailed || a != 1 || e != "550 no such user" {
		t.Errorf("permanent failure: %s after %d (%q)", s, a, e)
	}
	if s, a, _ := state("f"); s != StatePending || a != 1 {
		t.Errorf("first failure: %s after %d", s, a)
	}
	if _, _ = w.RunOnce(ctx); calls.Load() != 1 {
		t.Errorf("retried before the back-off: %d calls", calls.Load())
	}
	for range 2 {
		now = now.Add(7 * time.Hour)
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if s, a, e := state("f"); s != StateFailed || a != 3 || e != "smtp: 451 try again" {
		t.Errorf("after MaxAttempts: %s after %d (%q)", s, a, e)
	}
}
