package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
)

const keysHelp = `Gebruik: leeromgeving keys rotate [vlaggen]

Maakt een nieuwe sleutel die voortaan de digitale certificaten (VC-JWT's)
ondertekent. De oude publieke sleutels blijven gepubliceerd in
/.well-known/jwks.json, zodat eerder uitgegeven certificaten controleerbaar
blijven; elk certificaat blijft ondertekend met de sleutel van zijn uitgifte.
`

func cmdKeys(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		fmt.Fprint(stdout, keysHelp)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errors.New("kies een subopdracht: rotate")
	}
	cfg, _, err := parseConfig("keys rotate", args[1:], getenv, stdout, keysHelp, nil)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrateUp(ctx, db.DB); err != nil {
		return err
	}
	svc := certify.NewService(db.DB, nil, certify.Config{BaseURL: cfg.BaseURL})
	if _, err := svc.EnsureSigningKey(ctx); err != nil {
		return err
	}
	k, err := svc.RotateKey(ctx)
	if err != nil {
		return err
	}
	keys, err := svc.SigningKeys(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Nieuwe ondertekeningssleutel: %s\n", k.ID)
	fmt.Fprintf(stdout, "Gepubliceerd in %s/.well-known/jwks.json: %d sleutel(s); oude sleutels blijven geldig voor wat zij ondertekenden.\n", cfg.BaseURL, len(keys))
	return nil
}

const certificatesHelp = `Gebruik: leeromgeving certificates export (--course SLUG | --organisation NAAM) --out BESTAND.zip [vlaggen]

Schrijft de PDF's van alle certificaten van een cursus, of van alle leden
van een organisatie, in één ZIP-bestand, met voortgang.
`

func cmdCertificates(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprint(stdout, certificatesHelp)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errors.New("kies een subopdracht: export")
	}
	var course, organisation, out string
	cfg, _, err := parseConfig("certificates export", args[1:], getenv, stdout, certificatesHelp, func(fs *flag.FlagSet) {
		fs.StringVar(&course, "course", "", "slug of the course whose completion certificates to export")
		fs.StringVar(&organisation, "organisation", "", "name of the organisation whose members' certificates to export")
		fs.StringVar(&out, "out", "", "the ZIP file to write")
	})
	if err != nil {
		return err
	}
	if (course == "") == (organisation == "") {
		return errors.New("kies --course of --organisation (één van beide)")
	}
	if out == "" || !strings.HasSuffix(strings.ToLower(out), ".zip") {
		return errors.New("--out moet een .zip-bestand zijn")
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrateUp(ctx, db.DB); err != nil {
		return err
	}
	f := certify.CertificateFilter{CourseSlug: course}
	if organisation != "" {
		err := db.NewSelect().Table("organisations").Column("id").Where("lower(name) = lower(?)", strings.TrimSpace(organisation)).Scan(ctx, &f.OrganisationID)
		if err != nil {
			return fmt.Errorf("organisatie %q bestaat niet", organisation)
		}
	}
	svc := certify.NewService(db.DB, nil, certify.Config{BaseURL: cfg.BaseURL})

	// Written next to the target and renamed at the end, so an interrupted
	// export never leaves a half ZIP under the name asked for.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".certificaten-*.zip")
	if err != nil {
		return fmt.Errorf("uitvoerbestand: %w", err)
	}
	defer os.Remove(tmp.Name())
	var bar *progressbar.ProgressBar
	n, err := svc.ExportZIP(ctx, tmp, f, func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(stdout),
				progressbar.OptionSetDescription("Certificaten"),
				progressbar.OptionShowCount(),
				progressbar.OptionSetItsString("pdf"),
				progressbar.OptionShowIts(),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(stdout) }),
			)
		}
		_ = bar.Set(done)
	})
	if err != nil {
		tmp.Close()
		return err
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("uitvoerbestand: %w", err)
	}
	fmt.Fprintf(stdout, "%d certificaat/certificaten geschreven naar %s\n", n, out)
	return nil
}
