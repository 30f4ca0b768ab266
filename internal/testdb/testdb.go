// Package testdb gives tests a real PostgreSQL: a fresh database per call,
// cloned from a template that holds every migration. One cluster serves a
// whole test run: `make test` starts it (see withpg) and passes its URL in
// TEST_DATABASE_URL; without that, Main starts a private cluster for the
// package. Tests never skip for want of a database.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/migrate"

	"github.com/ambtenaar20/leeromgeving/internal/database"
	"github.com/ambtenaar20/leeromgeving/internal/pglocal"
	"github.com/ambtenaar20/leeromgeving/migrations"
)

// EnvURL names the variable with the URL of a server's maintenance
// database (for example postgres://postgres@/postgres?host=…).
const EnvURL = "TEST_DATABASE_URL"

// Main runs a package's tests, starting a private cluster first when no
// TEST_DATABASE_URL is given. Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if os.Getenv(EnvURL) != "" {
		defer dropFilled()
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "leeromgeving-testdb-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "testdb:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	logf, err := os.Create(dir + "/postgres.log")
	if err != nil {
		fmt.Fprintln(os.Stderr, "testdb:", err)
		return 1
	}
	defer logf.Close()
	c, err := pglocal.Start(context.Background(), dir, logf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testdb: no PostgreSQL for the tests:", err)
		return 1
	}
	defer c.Stop() //nolint:errcheck
	os.Setenv(EnvURL, c.URL("postgres"))
	return m.Run()
}

// dropFilled removes the templates Filled made in this process.
func dropFilled() {
	filledMu.Lock()
	defer filledMu.Unlock()
	admin := os.Getenv(EnvURL)
	for _, name := range filled {
		_ = execAdmin(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
}

// New returns a fresh, fully migrated database, dropped when tb ends.
func New(tb testing.TB) *bun.DB {
	tb.Helper()
	db := Open(tb, NewURL(tb))
	return db
}

// Open connects bun to url, closed when tb ends.
func Open(tb testing.TB, u string) *bun.DB {
	tb.Helper()
	sqldb, err := database.SQL(u)
	if err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	db := bun.NewDB(sqldb, pgdialect.New())
	tb.Cleanup(func() { db.Close() })
	return db
}

// NewURL creates a fresh, fully migrated database and returns its URL; it
// is dropped when tb ends.
func NewURL(tb testing.TB) string {
	tb.Helper()
	tmpl, err := template(adminURL(tb))
	if err != nil {
		tb.Fatalf("testdb: template: %v", err)
	}
	return NewURLFrom(tb, tmpl)
}

// NewURLFrom creates a fresh copy of database tmpl (a migrated template, or
// one made by Filled) and returns its URL; it is dropped when tb ends.
func NewURLFrom(tb testing.TB, tmpl string) string {
	tb.Helper()
	admin := adminURL(tb)
	name := "test_" + randomHex(8)
	if err := execAdmin(admin, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmpl)); err != nil {
		tb.Fatalf("testdb: create database: %v", err)
	}
	tb.Cleanup(func() {
		if err := execAdmin(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("testdb: drop %s: %v", name, err)
		}
	})
	return withDatabase(admin, name)
}

// Filled returns the name of a template database holding what fill writes
// into a fresh migrated database (through its URL), made once per process
// and per key; copy it with NewURLFrom. Tests that need the same large
// content (the demo) then pay for writing it once. fill must close its
// connections before it returns.
func Filled(tb testing.TB, key string, fill func(url string) error) string {
	tb.Helper()
	filledMu.Lock()
	defer filledMu.Unlock()
	if name, ok := filled[key]; ok {
		return name
	}
	admin := adminURL(tb)
	tmpl, err := template(admin)
	if err != nil {
		tb.Fatalf("testdb: template: %v", err)
	}
	name := "filled_" + randomHex(8)
	if err := execAdmin(admin, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmpl)); err != nil {
		tb.Fatalf("testdb: create database: %v", err)
	}
	if err := fill(withDatabase(admin, name)); err != nil {
		tb.Fatalf("testdb: fill %s: %v", key, err)
	}
	filled[key] = name
	return name
}

var (
	filledMu sync.Mutex
	filled   = map[string]string{}
)

func adminURL(tb testing.TB) string {
	u := os.Getenv(EnvURL)
	if u == "" {
		tb.Fatalf("testdb: %s is not set: call testdb.Main from TestMain, or run the tests with `make test`", EnvURL)
	}
	return u
}

func withDatabase(admin, name string) string {
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// template returns the name of the migrated template database, creating it
// on first use. Its name carries a hash of the migrations, so a changed
// migration gets a new template; an advisory lock lets concurrent test
// processes agree on who creates it.
func template(admin string) (string, error) {
	templateOnce.Do(func() {
		templateName, templateErr = ensureTemplate(admin)
	})
	return templateName, templateErr
}

func ensureTemplate(admin string) (string, error) {
	name := "tmpl_" + migrationsHash()
	ctx := context.Background()
	db, err := database.SQL(admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(4242)"); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(4242)") //nolint:errcheck
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	if err := migrateAll(ctx, withDatabase(admin, building)); err != nil {
		return "", err
	}
	// Renamed only when complete, so a crash never leaves a half template.
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", err
	}
	return name, nil
}

func migrateAll(ctx context.Context, u string) error {
	sqldb, err := database.SQL(u)
	if err != nil {
		return err
	}
	db := bun.NewDB(sqldb, pgdialect.New())
	defer db.Close()
	ms, err := migrations.New()
	if err != nil {
		return err
	}
	mg := migrate.NewMigrator(db, ms)
	if err := mg.Init(ctx); err != nil {
		return err
	}
	if _, err := mg.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	return nil
}

func migrationsHash() string {
	h := sha256.New()
	fsys := migrations.Files()
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(fsys, p)
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func execAdmin(admin, stmt string) error {
	db, err := database.SQL(admin)
	if err != nil {
		return err
	}
	defer db.Close()
	for i := 0; i < 20; i++ {
		if _, err = db.Exec(stmt); err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
