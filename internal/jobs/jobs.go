// Package jobs runs scheduled work (purges, reminders) once per interval
// across every instance of the application: a job runs only while its
// instance holds the job's PostgreSQL advisory lock, and only when the
// job_runs table says its interval has passed since it last started.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Job is one piece of scheduled work; now is the time it runs for.
type Job func(ctx context.Context, now time.Time) error

type entry struct {
	name     string
	interval time.Duration
	run      Job
}

// Scheduler runs jobs on a timer.
type Scheduler struct {
	db   *bun.DB
	log  *slog.Logger
	mu   sync.Mutex
	jobs []entry
	Now  func() time.Time
	// Tick is how often the scheduler checks whether a job is due.
	Tick time.Duration
}

// New returns a scheduler on db.
func New(db *bun.DB, log *slog.Logger) *Scheduler {
	return &Scheduler{db: db, log: log, Now: time.Now, Tick: 30 * time.Second}
}

// Every adds a job that runs once per interval across all instances.
func (s *Scheduler) Every(name string, interval time.Duration, run Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs = append(s.jobs, entry{name: name, interval: interval, run: run})
}

// Entry is a job as listed: its name and interval.
type Entry struct {
	Name     string
	Interval time.Duration
}

// Jobs are the jobs added, in order.
func (s *Scheduler) Jobs() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entry, len(s.jobs))
	for i, j := range s.jobs {
		out[i] = Entry{Name: j.name, Interval: j.interval}
	}
	return out
}

// Names are the jobs added, in order.
func (s *Scheduler) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, len(s.jobs))
	for i, j := range s.jobs {
		names[i] = j.name
	}
	return names
}

// ErrUnknownJob is returned by RunNow for a name no job has.
var ErrUnknownJob = errors.New("jobs: unknown job")

// RunNow runs the named job at once for the time now, whether it is due or
// not (for the CLI and tests that move the clock). It still takes the lock,
// so it never runs beside the same job on another instance.
func (s *Scheduler) RunNow(ctx context.Context, name string, now time.Time) error {
	s.mu.Lock()
	var job *entry
	for i := range s.jobs {
		if s.jobs[i].name == name {
			job = &s.jobs[i]
		}
	}
	s.mu.Unlock()
	if job == nil {
		return fmt.Errorf("%w %q", ErrUnknownJob, name)
	}
	_, err := s.runLocked(ctx, *job, now, true)
	return err
}

// Run checks every Tick which jobs are due and runs them, until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.Tick)
	defer t.Stop()
	for {
		s.mu.Lock()
		jobs := append([]entry(nil), s.jobs...)
		s.mu.Unlock()
		for _, j := range jobs {
			if _, err := s.runLocked(ctx, j, s.Now(), false); err != nil && ctx.Err() == nil {
				s.log.Warn("job failed", "job", j.name, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runLocked runs j when this instance gets its lock and (unless forced) its
// interval has passed; it reports whether the job ran.
func (s *Scheduler) runLocked(ctx context.Context, j entry, now time.Time, force bool) (bool, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("jobs: %s: connection: %w", j.name, err)
	}
	defer conn.Close()
	key := lockKey(j.name)
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?)", key).Scan(&got); err != nil {
		return false, fmt.Errorf("jobs: %s: lock: %w", j.name, err)
	}
	if !got {
		return false, nil
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", key) //nolint:errcheck

	var last time.Time
	err = conn.QueryRowContext(ctx, "SELECT started_at FROM job_runs WHERE name = ?", j.name).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("jobs: %s: last run: %w", j.name, err)
	}
	if !force && err == nil && now.Sub(last) < j.interval {
		return false, nil
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO job_runs (name, started_at) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = NULL`, j.name, now); err != nil {
		return false, fmt.Errorf("jobs: %s: record start: %w", j.name, err)
	}
	runErr := j.run(ctx, now)
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), "UPDATE job_runs SET finished_at = ?, last_error = ? WHERE name = ?",
		time.Now(), msg, j.name); err != nil && runErr == nil {
		runErr = fmt.Errorf("jobs: %s: record end: %w", j.name, err)
	}
	return true, runErr
}

// lockKey is the advisory lock of a job: its name hashed, in a key space of
// its own (the high bits say "job").
func lockKey(name string) int64 {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int64(0x4a4f4200)<<32 | int64(h.Sum32())
}
