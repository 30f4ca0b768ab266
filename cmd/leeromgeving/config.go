package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/ambtenaar20/leeromgeving/internal/database"
	"github.com/ambtenaar20/leeromgeving/internal/mail"
)

// config is everything the program is told from outside, read once.
type config struct {
	DatabaseURL string
	Addr        string
	DataDir     string
	BaseURL     string
	LogLevel    string
	CORSOrigins string // comma-separated origins that may read the public API from a browser, or *
	SMTPURL     string
	MailFrom    string
	SecretKey   string
}

// newFlags reads defaults from the environment into c and returns a flag
// set that can override them. Call c.validate after parsing.
func newFlags(name string, c *config, getenv func(string) string, out io.Writer, help string) *flag.FlagSet {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.DatabaseURL, "database-url", getenv("DATABASE_URL"), "PostgreSQL URL (DATABASE_URL); empty: a private cluster in the data directory")
	fs.StringVar(&c.Addr, "addr", env("LEEROMGEVING_ADDR", ":8080"), "listen address (LEEROMGEVING_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", env("LEEROMGEVING_DATA_DIR", "./var"), "data directory (LEEROMGEVING_DATA_DIR)")
	fs.StringVar(&c.BaseURL, "base-url", env("LEEROMGEVING_BASE_URL", "http://localhost:8080"), "public base URL (LEEROMGEVING_BASE_URL)")
	fs.StringVar(&c.LogLevel, "log-level", env("LEEROMGEVING_LOG_LEVEL", "info"), "log level: debug, info, warn, error (LEEROMGEVING_LOG_LEVEL)")
	fs.StringVar(&c.CORSOrigins, "cors-origins", env("LEEROMGEVING_CORS_ORIGINS", "*"), "origins that may read the public API from a browser, comma-separated, or * (LEEROMGEVING_CORS_ORIGINS)")
	fs.StringVar(&c.SMTPURL, "smtp-url", getenv("LEEROMGEVING_SMTP_URL"), "SMTP server for mail, smtp://user:password@host:587 or smtps://… (LEEROMGEVING_SMTP_URL); empty: mail stays in the outbox, read at /beheer/post")
	fs.StringVar(&c.MailFrom, "mail-from", getenv("LEEROMGEVING_MAIL_FROM"), "sender of mail (LEEROMGEVING_MAIL_FROM); empty: noreply at the base URL's host")
	fs.StringVar(&c.SecretKey, "secret-key", getenv("LEEROMGEVING_SECRET_KEY"), "32 bytes, base64, sealing identity providers' client secrets (LEEROMGEVING_SECRET_KEY); empty: the file secret.key in the data directory")
	fs.Usage = func() {
		fmt.Fprint(out, help)
		fmt.Fprintln(out, "\nVlaggen:")
		fs.PrintDefaults()
	}
	return fs
}

// validate refuses a configuration that cannot work, naming the variable.
func (c *config) validate() error {
	var errs []error
	if c.DatabaseURL != "" {
		if _, err := database.Connector(c.DatabaseURL); err != nil {
			errs = append(errs, fmt.Errorf("DATABASE_URL (--database-url) is onleesbaar; verwacht %s", database.Forms))
		}
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("LEEROMGEVING_ADDR (--addr) %q is geen geldig adres zoals :8080 of 127.0.0.1:8080", c.Addr))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("LEEROMGEVING_DATA_DIR (--data-dir) mag niet leeg zijn"))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		errs = append(errs, fmt.Errorf("LEEROMGEVING_BASE_URL (--base-url) %q moet een http(s)-adres zonder pad zijn, zoals https://leren.example.nl", c.BaseURL))
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	for _, o := range c.corsOrigins() {
		if u, err := url.Parse(o); o != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "") {
			errs = append(errs, fmt.Errorf("LEEROMGEVING_CORS_ORIGINS (--cors-origins) %q is geen herkomst zoals https://intranet.example.nl of *", o))
		}
	}
	if _, err := c.level(); err != nil {
		errs = append(errs, err)
	}
	if c.SMTPURL != "" {
		if _, err := mail.ParseSMTPURL(c.SMTPURL); err != nil {
			errs = append(errs, fmt.Errorf("LEEROMGEVING_SMTP_URL (--smtp-url): %w", err))
		}
	}
	if c.MailFrom != "" {
		if _, err := netmail.ParseAddress(c.MailFrom); err != nil {
			errs = append(errs, fmt.Errorf("LEEROMGEVING_MAIL_FROM (--mail-from) %q is geen e-mailadres zoals \"Leeromgeving <noreply@example.nl>\"", c.MailFrom))
		}
	}
	if c.SecretKey != "" {
		if _, err := decodeKey(c.SecretKey); err != nil {
			errs = append(errs, errors.New("LEEROMGEVING_SECRET_KEY (--secret-key) moet 32 bytes zijn, base64-gecodeerd (maak er een met: openssl rand -base64 32)"))
		}
	}
	return errors.Join(errs...)
}

// decodeKey reads a 32-byte key in base64 (standard or URL-safe).
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("not a 32-byte base64 key")
}

// secretKey is the configured key, or the one in the data directory's
// secret.key (made on first use, readable only by the owner). Several
// instances on other machines need the same key: set LEEROMGEVING_SECRET_KEY.
func (c *config) secretKey() ([]byte, error) {
	if c.SecretKey != "" {
		return decodeKey(c.SecretKey)
	}
	path := filepath.Join(c.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		return decodeKey(string(b))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("sleutel lezen uit %s: %w", path, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process made it a moment ago
		return c.secretKey()
	}
	if err != nil {
		return nil, fmt.Errorf("sleutel bewaren in %s: %w", path, err)
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		return nil, err
	}
	return key, f.Close()
}

func (c *config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("LEEROMGEVING_LOG_LEVEL (--log-level) %q is geen bekend niveau (debug, info, warn, error)", c.LogLevel)
	}
	return l, nil
}

// corsOrigins lists the origins of LEEROMGEVING_CORS_ORIGINS.
func (c *config) corsOrigins() []string {
	var out []string
	for _, o := range strings.Split(c.CORSOrigins, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			out = append(out, o)
		}
	}
	return out
}

// secure reports whether the site is served over https.
func (c *config) secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// parseConfig parses args for a subcommand; flag.ErrHelp means help was shown.
func parseConfig(name string, args []string, getenv func(string) string, out io.Writer, help string, extra func(*flag.FlagSet)) (*config, *flag.FlagSet, error) {
	c := &config{}
	fs := newFlags(name, c, getenv, out, help)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if err := c.validate(); err != nil {
		return nil, nil, fmt.Errorf("ongeldige configuratie:\n%w", err)
	}
	return c, fs, nil
}
