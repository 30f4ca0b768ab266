package jobs

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// Three instances checking at once run a job once per interval, and again
// when the interval has passed.
func TestScheduler_OncePerIntervalAcrossInstances(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var runs atomic.Int32
	var instances []*Scheduler
	for range 3 {
		s := New(db, log)
		s.Every("purge", time.Hour, func(ctx context.Context, now time.Time) error {
			runs.Add(1)
			time.Sleep(50 * time.Millisecond) // long enough for the others to try
			return nil
		})
		instances = append(instances, s)
	}
	tick := func(now time.Time) {
		var wg sync.WaitGroup
		for _, s := range instances {
			wg.Go(func() {
				if _, err := s.runLocked(ctx, s.jobs[0], now, false); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	start := time.Now()
	tick(start)
	tick(start.Add(time.Minute))
	if got := runs.Load(); got != 1 {
		t.Fatalf("ran %d times within the hour, want 1", got)
	}
	tick(start.Add(61 * time.Minute))
	if got := runs.Load(); got != 2 {
		t.Fatalf("ran %d times after the hour, want 2", got)
	}
	if err := instances[0].RunNow(ctx, "purge", start.Add(62*time.Minute)); err != nil || runs.Load() != 3 {
		t.Fatalf("RunNow: %v, runs %d", err, runs.Load())
	}
	if err := instances[0].RunNow(ctx, "bestaat-niet", start); err == nil {
		t.Fatal("RunNow of an unknown job succeeded")
	}
}
