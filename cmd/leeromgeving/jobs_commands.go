package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/jobs"
	"github.com/ambtenaar20/leeromgeving/internal/server"
)

const jobsHelp = `Gebruik: leeromgeving jobs list [vlaggen]
       leeromgeving jobs run NAAM [--now TIJDSTIP] [vlaggen]

list  toont de geplande taken en hoe vaak zij draaien.
run   voert één geplande taak nu uit, voor het tijdstip van --now
      (RFC 3339, bijvoorbeeld 2027-01-31T09:00:00+01:00; standaard: nu).
      Zo verzet een tester de klok: de herinneringen van
      certificate-expiry-reminders gaan dan uit alsof het dat tijdstip is.
      Een taak draait nooit tegelijk met dezelfde taak op een andere
      instantie, en elke herinnering gaat één keer uit, hoe vaak u ook
      draait.
`

func cmdJobs(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	var name string
	switch sub {
	case "list":
	case "run":
		if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
			fmt.Fprint(stdout, jobsHelp)
			return errors.New("noem de taak die moet draaien: leeromgeving jobs list toont ze")
		}
		name, args = args[0], args[1:]
	case "--help", "-h", "help":
		fmt.Fprint(stdout, jobsHelp)
		return nil
	default:
		fmt.Fprint(stdout, jobsHelp)
		return errors.New("kies een subopdracht: list of run")
	}
	var at string
	cfg, _, err := parseConfig("jobs "+sub, args, getenv, stdout, jobsHelp, func(fs *flag.FlagSet) {
		fs.StringVar(&at, "now", "", "the time to run the job for (RFC 3339); default now")
	})
	if err != nil {
		return err
	}
	now := time.Now()
	if at != "" {
		if now, err = time.Parse(time.RFC3339, at); err != nil {
			return fmt.Errorf("--now %q is geen tijdstip zoals 2027-01-31T09:00:00+01:00", at)
		}
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrateUp(ctx, db.DB); err != nil {
		return err
	}
	srv, err := server.New(ctx, db.DB, server.Config{BaseURL: cfg.BaseURL, Secure: cfg.secure(), Version: version,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	if sub == "list" {
		for _, j := range srv.Jobs.Jobs() {
			fmt.Fprintf(stdout, "%-32s elke %s\n", j.Name, dutchInterval(j.Interval))
		}
		return nil
	}
	err = srv.Jobs.RunNow(ctx, name, now)
	if errors.Is(err, jobs.ErrUnknownJob) {
		return fmt.Errorf("er is geen taak %q: leeromgeving jobs list toont ze", name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Taak %s is uitgevoerd voor %s.\n", name, now.Format(time.RFC3339))
	return nil
}

// dutchInterval says an interval the way a person does: "uur", "24 uur".
func dutchInterval(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "uur"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d uur", int(d/time.Hour))
	case d == time.Minute:
		return "minuut"
	case d%time.Minute == 0:
		return fmt.Sprintf("%d minuten", int(d/time.Minute))
	}
	return d.String()
}
