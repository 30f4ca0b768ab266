package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/catalogue"
)

const migrateHelp = `Gebruik: leeromgeving migrate up|down|status [vlaggen]

  up      voer alle openstaande migraties uit
  down    draai de laatste groep migraties terug
  status  toon welke migraties zijn uitgevoerd
`

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	action := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	cfg, _, err := parseConfig("migrate", args, getenv, stdout, migrateHelp, nil)
	if err != nil {
		return err
	}
	if action != "up" && action != "down" && action != "status" {
		fmt.Fprint(stdout, migrateHelp)
		return fmt.Errorf("kies up, down of status")
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	mg, err := newMigrator(db.DB)
	if err != nil {
		return err
	}
	if err := mg.Init(ctx); err != nil {
		return err
	}
	switch action {
	case "up":
		g, err := migrateUp(ctx, db.DB)
		if err != nil {
			return err
		}
		if g.IsZero() {
			fmt.Fprintln(stdout, "Geen openstaande migraties.")
			return nil
		}
		fmt.Fprintf(stdout, "Uitgevoerd: %s\n", g.Migrations)
	case "down":
		g, err := mg.Rollback(ctx)
		if err != nil {
			return err
		}
		if g.IsZero() {
			fmt.Fprintln(stdout, "Niets om terug te draaien.")
			return nil
		}
		fmt.Fprintf(stdout, "Teruggedraaid: %s\n", g.Migrations)
	case "status":
		ms, err := mg.MigrationsWithStatus(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MIGRATIE\tSTATUS")
		for _, m := range ms {
			st := "open"
			if m.IsApplied() {
				st = fmt.Sprintf("uitgevoerd (groep %d)", m.GroupID)
			}
			fmt.Fprintf(tw, "%s\t%s\n", m.Name+"_"+m.Comment, st)
		}
		return tw.Flush()
	}
	return nil
}

const seedHelp = `Gebruik: leeromgeving seed --demo [vlaggen]
       leeromgeving seed --scale N [vlaggen]

--demo laadt de demo-inhoud (cursussen, regelingen, aanbieders) en
demo-accounts, en toont hun inloggegevens. Bestaande gegevens blijven staan.
--scale N maakt voor belastingtests een synthetische Gouden Gids met N
aanbiedingen, N/10 aanbieders en ongeveer 10 reviews per aanbieding.
`

func cmdSeed(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var demo bool
	var scale int
	cfg, _, err := parseConfig("seed", args, getenv, stdout, seedHelp, func(fs *flag.FlagSet) {
		fs.BoolVar(&demo, "demo", false, "load the demo content and demo accounts")
		fs.IntVar(&scale, "scale", 0, "generate a synthetic Gouden Gids with N offerings")
	})
	if err != nil {
		return err
	}
	if !demo && scale <= 0 {
		fmt.Fprint(stdout, seedHelp)
		return errors.New("kies wat er geladen moet worden: --demo of --scale N")
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrateUp(ctx, db.DB); err != nil {
		return err
	}
	if demo {
		if err := seedDemo(ctx, db, cfg, stdout); err != nil {
			return err
		}
	}
	if scale > 0 {
		bulk, err := db.bulk()
		if err != nil {
			return err
		}
		defer bulk.Close()
		return catalogue.SeedScale(ctx, bulk, scale, stdout)
	}
	return nil
}

const userHelp = `Gebruik: leeromgeving user create --email E --name N [--role R]... [--password P] [--organisation O]

Maakt een gebruiker. Rollen: trainer, assessor, provider, org_manager, admin
(herhaal --role voor meer). Zonder --password wordt een sterk wachtwoord
gemaakt en eenmalig getoond.
`

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprint(stdout, userHelp)
			return nil
		}
		fmt.Fprint(stdout, userHelp)
		return errors.New("kies een subopdracht: create")
	}
	var email, name, password, org string
	var roles multiFlag
	cfg, _, err := parseConfig("user create", args[1:], getenv, stdout, userHelp, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "e-mail address")
		fs.StringVar(&name, "name", "", "full name")
		fs.StringVar(&password, "password", "", "password (generated when empty)")
		fs.StringVar(&org, "organisation", "", "name of an existing organisation (optional)")
		fs.Var(&roles, "role", "role to grant (repeatable)")
	})
	if err != nil {
		return err
	}
	if email == "" || name == "" {
		return errors.New("--email en --name zijn verplicht")
	}
	shown := password == ""
	if shown {
		password = newPassword()
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrateUp(ctx, db.DB); err != nil {
		return err
	}
	svc := accounts.NewService(db.DB, cfg.secure())
	in := accounts.NewUser{Name: name, Email: email, Password: password, Roles: roles}
	if org != "" {
		orgs, err := svc.Organisations(ctx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if strings.EqualFold(o.Name, org) {
				in.OrganisationID = o.ID
			}
		}
		if in.OrganisationID == 0 {
			return fmt.Errorf("organisatie %q bestaat niet", org)
		}
	}
	u, err := svc.Register(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Gebruiker %d aangemaakt: %s <%s>, rollen: %s\n", u.ID, u.Name, u.Email, strings.Join(append([]string{"learner"}, u.Roles...), ", "))
	if shown {
		fmt.Fprintf(stdout, "Wachtwoord (wordt niet opnieuw getoond): %s\n", password)
	}
	return nil
}

// newPassword makes a strong password that is easy to type: five groups of
// four letters and digits without look-alikes.
func newPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	var sb strings.Builder
	for i, v := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(v)%len(alphabet)])
	}
	return sb.String()
}
