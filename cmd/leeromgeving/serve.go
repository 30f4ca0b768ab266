package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/server"
)

const serveHelp = `Gebruik: leeromgeving serve [vlaggen]

Start de webapplicatie. Zonder DATABASE_URL start zij haar eigen PostgreSQL in
de datamap, voert de migraties uit en laadt bij de eerste start de demo-inhoud.
`

// shutdownGrace bounds how long in-flight requests may take at shutdown.
const shutdownGrace = 10 * time.Second

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, _, err := parseConfig("serve", args, getenv, stdout, serveHelp, nil)
	if err != nil {
		return err
	}
	level, _ := cfg.level()
	log := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: level}))

	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrateUp(ctx, db.DB); err != nil {
		return err
	}
	if db.Private() {
		if err := seedDemoOnce(ctx, db, cfg, stdout); err != nil {
			return err
		}
	}
	key, err := cfg.secretKey()
	if err != nil {
		return err
	}
	srv, err := server.New(ctx, db.DB, server.Config{BaseURL: cfg.BaseURL, Secure: cfg.secure(), Version: version, CORSOrigins: cfg.corsOrigins(), Log: log,
		SMTPURL: cfg.SMTPURL, MailFrom: cfg.MailFrom, SecretKey: key})
	if err != nil {
		return err
	}
	app := srv.App
	bgctx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	background := make(chan struct{})
	go func() { srv.Background(bgctx); close(background) }()
	defer func() { stopBackground(); <-background }()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("luisteren op %s: %w", cfg.Addr, err)
	}
	fmt.Fprintln(stdout, srv.MailStatus(cfg.BaseURL))
	fmt.Fprintf(stdout, "Leeromgeving Werken 2.0 luistert op http://%s (openbaar adres %s)\n", ln.Addr(), cfg.BaseURL)
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "Afsluiten: lopende verzoeken afronden…")
	if err := app.ShutdownWithTimeout(shutdownGrace); err != nil {
		log.Warn("shutdown", "err", err)
	}
	<-served
	fmt.Fprintln(stdout, "Gestopt.")
	return nil
}
