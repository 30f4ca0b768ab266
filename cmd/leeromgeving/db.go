package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/migrate"

	"github.com/ambtenaar20/leeromgeving/internal/database"
	"github.com/ambtenaar20/leeromgeving/internal/pglocal"
	"github.com/ambtenaar20/leeromgeving/migrations"
)

// appDB is an open database and, when we started it, the private cluster.
type appDB struct {
	*bun.DB
	dsn     string // how to reach it, for PostgreSQL's own tools
	cluster *pglocal.Cluster
}

// bulk opens a second pool for loading much data at once (the demo, a
// load test's catalogue): it does not wait for each commit to reach the
// disk, so a crash may lose the last few transactions of the load, never
// consistency, and a statement may take minutes. Close it after.
func (d *appDB) bulk() (*bun.DB, error) {
	return database.Open(d.dsn, pgdriver.WithTimeout(5*time.Second), pgdriver.WithReadTimeout(10*time.Minute),
		pgdriver.WithConnParams(map[string]any{"synchronous_commit": "off"}))
}

// Private reports whether the database runs in our own cluster.
func (d *appDB) Private() bool { return d.cluster != nil }

// Close closes the pool, then stops the private cluster.
func (d *appDB) Close() error {
	var err error
	if d.DB != nil {
		err = d.DB.Close()
	}
	if d.cluster != nil {
		if serr := d.cluster.Stop(); serr != nil && err == nil {
			err = serr
		}
	}
	return err
}

// openDatabase connects to DATABASE_URL, or starts the private cluster in
// the data directory and uses its "leeromgeving" database.
func openDatabase(ctx context.Context, cfg *config, stdout io.Writer) (*appDB, error) {
	d := &appDB{}
	dsn := cfg.DatabaseURL
	if dsn == "" {
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("datamap: %w", err)
		}
		logf, err := os.OpenFile(filepath.Join(cfg.DataDir, "postgres.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, fmt.Errorf("postgres-log: %w", err)
		}
		fmt.Fprintln(stdout, "Eigen PostgreSQL starten in", cfg.DataDir, "(log:", logf.Name()+")")
		c, err := pglocal.Start(ctx, cfg.DataDir, logf)
		if err != nil {
			logf.Close()
			return nil, err
		}
		if _, err := c.EnsureDatabase(ctx, "leeromgeving"); err != nil {
			_ = c.Stop()
			return nil, err
		}
		d.cluster, dsn = c, c.URL("leeromgeving")
		d.dsn = dsn
	}
	d.dsn = dsn
	db, err := database.Open(dsn, pgdriver.WithTimeout(5*time.Second))
	if err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("DATABASE_URL (--database-url): %w", err)
	}
	d.DB = db
	if err := database.Ping(ctx, d.DB, 10*time.Second); err != nil {
		_ = d.Close()
		return nil, err
	}
	return d, nil
}

// newMigrator returns bun's migrator over the embedded migrations.
func newMigrator(db *bun.DB) (*migrate.Migrator, error) {
	m, err := migrations.New()
	if err != nil {
		return nil, err
	}
	return migrate.NewMigrator(db, m), nil
}

// migrateUp applies every pending migration.
func migrateUp(ctx context.Context, db *bun.DB) (*migrate.MigrationGroup, error) {
	mg, err := newMigrator(db)
	if err != nil {
		return nil, err
	}
	if err := mg.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrate init: %w", err)
	}
	// An advisory lock (not bun's lock table) serialises instances starting
	// together, and dies with its connection, so a killed run leaves no lock.
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate lock: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7220261122)"); err != nil {
		return nil, fmt.Errorf("migrate lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7220261122)") //nolint:errcheck
	g, err := mg.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return g, nil
}
