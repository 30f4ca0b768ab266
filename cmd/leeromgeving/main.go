// Command leeromgeving is the Leeromgeving Werken 2.0: the web application
// (serve), its database migrations, demo content and administration.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // dates are shown in Europe/Amsterdam on any machine
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "leeromgeving:", err)
		os.Exit(1)
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `Leeromgeving Werken 2.0

Gebruik:
  leeromgeving [serve] [vlaggen]          start de webapplicatie (standaard)
  leeromgeving migrate up|down|status     databasemigraties
  leeromgeving seed --demo                laad de demo-inhoud en demo-accounts
  leeromgeving user create --email E --name N [--role R]... [--password P]
  leeromgeving import [--publish] MAP     lees een cursus uit een cursusmap
  leeromgeving export SLUG MAP            schrijf een cursus als cursusmap
  leeromgeving keys rotate                nieuwe sleutel voor digitale certificaten
  leeromgeving certificates export (--course SLUG | --organisation NAAM) --out F.zip
  leeromgeving backup BESTAND             kopie van de hele database (pg_dump), ook terwijl de applicatie draait
  leeromgeving restore BESTAND            zet een kopie terug in een lege database
  leeromgeving jobs list | run NAAM [--now TIJDSTIP]   geplande taken (nu, of voor een ander tijdstip)
  leeromgeving version                    toon de versie

Configuratie (omgevingsvariabele, vlag):
  DATABASE_URL             --database-url  PostgreSQL; leeg: eigen cluster in de datamap
  LEEROMGEVING_ADDR        --addr          luisteradres (standaard :8080)
  LEEROMGEVING_DATA_DIR    --data-dir      datamap (standaard ./var)
  LEEROMGEVING_BASE_URL    --base-url      openbare adres (standaard http://localhost:8080)
  LEEROMGEVING_LOG_LEVEL   --log-level     debug, info, warn of error (standaard info)
  LEEROMGEVING_CORS_ORIGINS --cors-origins herkomsten die de openbare API in de browser mogen lezen (standaard *)
  LEEROMGEVING_SMTP_URL    --smtp-url      smtp://gebruiker:wachtwoord@host:587 of smtps://…; leeg: e-mail blijft
                                           in de outbox en is te lezen op /beheer/post
  LEEROMGEVING_MAIL_FROM   --mail-from     afzender (standaard noreply@ de host van het openbare adres)
  LEEROMGEVING_SECRET_KEY  --secret-key    32 bytes base64 voor de clientgeheimen van inlogdiensten;
                                           leeg: het bestand secret.key in de datamap

Elke opdracht kent --help.
`

// run is the whole program; main and the end-to-end tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	err := dispatch(ctx, args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func dispatch(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || (args[0] != "" && args[0][0] != '-')) {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, args, getenv, stdout)
	case "migrate":
		return cmdMigrate(ctx, args, getenv, stdout)
	case "seed":
		return cmdSeed(ctx, args, getenv, stdout)
	case "user":
		return cmdUser(ctx, args, getenv, stdout)
	case "import":
		return cmdImport(ctx, args, getenv, stdout)
	case "export":
		return cmdExport(ctx, args, getenv, stdout)
	case "keys":
		return cmdKeys(ctx, args, getenv, stdout)
	case "certificates":
		return cmdCertificates(ctx, args, getenv, stdout)
	case "backup":
		return cmdBackup(ctx, args, getenv, stdout)
	case "restore":
		return cmdRestore(ctx, args, getenv, stdout)
	case "jobs":
		return cmdJobs(ctx, args, getenv, stdout)
	case "version":
		fmt.Fprintln(stdout, "leeromgeving", version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stdout, usage)
	return fmt.Errorf("onbekende opdracht %q", cmd)
}
