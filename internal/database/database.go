// Package database opens the application's PostgreSQL connections. It
// reads a connection string in every form libpq accepts (a postgres:// URL,
// with host=/socket/directory or a percent-encoded socket directory as the
// host, or keyword=value pairs, with the PG* environment variables filling
// the gaps) using pgx's libpq-compatible parser, and connects with bun's
// pgdriver.
//
// Values reach PostgreSQL inside the SQL text that bun builds (bun formats
// and quotes them on the client; pgdriver and pgx behave the same with bun).
// That is safe against injection, and text PostgreSQL cannot store (a NUL
// byte) is refused by web.CleanInput before a query is built.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Forms is what Connector says it expects when a string cannot be read.
const Forms = "een PostgreSQL-verbindingstekst zoals postgres://gebruiker:wachtwoord@host:5432/database, " +
	"postgres:///database?host=/run/postgresql (socketmap) of host=/run/postgresql dbname=database user=gebruiker"

// ErrDSN is returned for a connection string that cannot be read.
var ErrDSN = errors.New("database: onleesbare verbindingstekst")

// Connector returns a pgdriver connector for dsn. TLS follows sslmode:
// require, verify-ca and verify-full use TLS as libpq does; prefer and allow
// (libpq's default) connect without TLS, since pgdriver cannot fall back.
// Of several hosts the first is used.
func Connector(dsn string, opts ...pgdriver.Option) (*pgdriver.Connector, error) {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: verwacht %s", ErrDSN, Forms)
	}
	network, addr := pgconn.NetworkAddress(cfg.Host, cfg.Port)
	tlsConf := cfg.TLSConfig
	for _, fb := range cfg.Fallbacks {
		if fb.TLSConfig == nil && fb.Host == cfg.Host && fb.Port == cfg.Port {
			tlsConf = nil // sslmode prefer or allow
		}
	}
	all := []pgdriver.Option{
		pgdriver.WithNetwork(network), pgdriver.WithAddr(addr),
		pgdriver.WithUser(cfg.User), pgdriver.WithPassword(cfg.Password), pgdriver.WithDatabase(cfg.Database),
		pgdriver.WithTLSConfig(tlsConf),
	}
	if cfg.ConnectTimeout > 0 {
		all = append(all, pgdriver.WithDialTimeout(cfg.ConnectTimeout))
	}
	if name := cfg.RuntimeParams["application_name"]; name != "" {
		all = append(all, pgdriver.WithApplicationName(name))
	}
	params := map[string]any{}
	for k, v := range cfg.RuntimeParams {
		if k != "application_name" {
			params[k] = v
		}
	}
	if len(params) > 0 {
		all = append(all, pgdriver.WithConnParams(params))
	}
	return pgdriver.NewConnector(append(all, opts...)...), nil
}

// SQL returns a database/sql pool on dsn without sizing it (for short
// administrative connections).
func SQL(dsn string, opts ...pgdriver.Option) (*sql.DB, error) {
	c, err := Connector(dsn, opts...)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// Open connects bun to dsn with a pool sized for the machine: enough
// connections to keep every core busy while others wait on I/O, far below
// PostgreSQL's limit. It does not contact the server; Ping does.
func Open(dsn string, opts ...pgdriver.Option) (*bun.DB, error) {
	c, err := Connector(dsn, opts...)
	if err != nil {
		return nil, err
	}
	sqldb := sql.OpenDB(c)
	n := 4 * runtime.GOMAXPROCS(0)
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

// Ping waits up to timeout for the server to answer.
func Ping(ctx context.Context, db *bun.DB, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("database niet bereikbaar: %w", err)
	}
	return nil
}
