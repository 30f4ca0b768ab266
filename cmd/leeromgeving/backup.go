package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ambtenaar20/leeromgeving/internal/pglocal"
)

const backupHelp = `Gebruik: leeromgeving backup [vlaggen] BESTAND

Schrijft een consistente kopie van de hele database (alle tabellen, ook
bewijsstukken en ondertekeningssleutels) naar BESTAND, in het eigen formaat
van pg_dump. Dat kan terwijl de applicatie draait. Zonder DATABASE_URL wordt
de eigen PostgreSQL in de datamap gebruikt (ook als de applicatie die nu
gebruikt). Het bestand verschijnt pas als de kopie compleet is.
`

const restoreHelp = `Gebruik: leeromgeving restore [vlaggen] BESTAND

Zet een kopie van leeromgeving backup terug in een lege database: die van
DATABASE_URL, of zonder DATABASE_URL een nieuwe eigen PostgreSQL in de datamap
(kies een lege map met --data-dir). Een database die al gegevens bevat, wordt
niet overschreven.
`

// cmdBackup writes a pg_dump of the database to a file.
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, fs, err := parseConfig("backup", args, getenv, stdout, backupHelp, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stdout, backupHelp)
		return errors.New("geef precies één bestand op")
	}
	out, err := filepath.Abs(fs.Arg(0))
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	tmp := out + ".deels"
	defer os.Remove(tmp)
	// A dump runs in one repeatable-read transaction: a consistent picture
	// while the application goes on writing.
	if err := pgTool(ctx, "pg_dump", db.dsn, "--format=custom", "--file="+tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Kopie geschreven naar %s (%.1f MB).\n", out, float64(fi.Size())/1e6)
	return nil
}

// cmdRestore loads a backup into an empty database.
func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, fs, err := parseConfig("restore", args, getenv, stdout, restoreHelp, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stdout, restoreHelp)
		return errors.New("geef precies één bestand op")
	}
	file, err := filepath.Abs(fs.Arg(0))
	if err != nil {
		return err
	}
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := pgTool(ctx, "pg_restore", "", "--list", file); err != nil {
		return fmt.Errorf("%s is geen kopie van leeromgeving backup (pg_dump, eigen formaat): %w", file, err)
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	var tables int
	if err := db.NewRaw(`SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`).
		Scan(ctx, &tables); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if tables > 0 {
		return fmt.Errorf("de database is niet leeg (%d tabellen): herstel alleen in een lege database of, zonder DATABASE_URL, in een nieuwe datamap (--data-dir)", tables)
	}
	if err := pgTool(ctx, "pg_restore", db.dsn, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", file); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Kopie teruggezet. Start de applicatie met: leeromgeving serve (met dezelfde DATABASE_URL of --data-dir).")
	return nil
}

// pgTool runs one of PostgreSQL's programs against dsn (none when empty).
// The password travels in PGPASSWORD rather than on the command line,
// where other users of the machine could read it.
func pgTool(ctx context.Context, name, dsn string, args ...string) error {
	bin, err := pglocal.Program(name)
	if err != nil {
		if p, lerr := exec.LookPath(name); lerr == nil {
			bin, err = p, nil
		}
	}
	if err != nil {
		return err
	}
	env := os.Environ()
	if dsn != "" {
		cfg, err := pgconn.ParseConfig(dsn)
		if err != nil {
			return fmt.Errorf("DATABASE_URL: %w", err)
		}
		if cfg.Password != "" {
			env = append(env, "PGPASSWORD="+cfg.Password)
		}
		args = append(args, "--dbname="+withoutPassword(dsn))
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Env, cmd.Stderr = env, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

var kvPassword = regexp.MustCompile(`(?i)\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)

// withoutPassword is dsn with its password left out.
func withoutPassword(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		q := u.Query()
		q.Del("password")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return kvPassword.ReplaceAllString(dsn, "")
}
