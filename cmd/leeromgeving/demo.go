package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/catalogue"
	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/server"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// demoOrganisations are real kinds of government body; the people are fictitious.
var demoOrganisations = []accounts.Organisation{
	{Name: "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", Kind: "rijk"},
	{Name: "Gemeente Utrecht", Kind: "gemeente"},
	{Name: "Gemeente Zwolle", Kind: "gemeente"},
	{Name: "Provincie Gelderland", Kind: "provincie"},
	{Name: "Waterschap Rivierenland", Kind: "waterschap"},
	{Name: "Kennislab Overheid 2.0", Kind: "overig"},
}

// demoUser is a fictitious account, one per role, to try the site with.
type demoUser struct {
	Name, Email, Org string
	Roles            []string
}

var demoUsers = []demoUser{
	{"Bea Beheer", "beheer@ambtenaar20.example", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", []string{web.RoleAdmin}},
	{"Tom de Trainer", "trainer@ambtenaar20.example", "Kennislab Overheid 2.0", []string{web.RoleTrainer}},
	{"Anouk Beoordelaar", "beoordelaar@ambtenaar20.example", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", []string{web.RoleAssessor}},
	{"Priya Aanbieder", "aanbieder@ambtenaar20.example", "Kennislab Overheid 2.0", []string{web.RoleProvider}},
	{"Olaf Organisatie", "manager@utrecht.example", "Gemeente Utrecht", []string{web.RoleOrgManager}},
	{"Lotte Leerling", "lotte@utrecht.example", "Gemeente Utrecht", nil},
	{"Şükrü Yıldız-van Dijk", "sukru@utrecht.example", "Gemeente Utrecht", nil},
}

const demoFlag = "demo-seeded"

// seedDemoOnce loads the demo content into a fresh private database, once.
func seedDemoOnce(ctx context.Context, db *bun.DB, cfg *config, stdout io.Writer) error {
	n, err := db.NewSelect().Table("app_flags").Where("name = ?", demoFlag).Count(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if n > 0 {
		return nil
	}
	return seedDemo(ctx, db, cfg, stdout)
}

// seedDemo adds the demo organisations, accounts and content in one
// transaction and prints the logins. Existing records are left alone.
func seedDemo(ctx context.Context, db *bun.DB, cfg *config, stdout io.Writer) error {
	password := newPassword()
	var created []demoUser
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		orgIDs := map[string]int64{}
		for _, o := range demoOrganisations {
			o := o
			if _, err := tx.NewInsert().Model(&o).On("CONFLICT ((lower(name))) DO UPDATE SET kind = EXCLUDED.kind").Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("demo organisation: %w", err)
			}
			orgIDs[o.Name] = o.ID
		}
		st := accounts.NewStore(tx)
		hash := accounts.HashPassword(password)
		for _, du := range demoUsers {
			if _, err := st.UserByEmail(ctx, du.Email); err == nil {
				continue
			}
			org := orgIDs[du.Org]
			u := &accounts.User{Name: du.Name, Email: du.Email, PasswordHash: hash, OrganisationID: &org, Roles: du.Roles}
			if err := st.CreateUser(ctx, u); err != nil {
				return err
			}
			created = append(created, du)
		}
		// certify: demo content
		if err := seedCertifyDemo(ctx, tx, cfg, orgIDs, hash); err != nil {
			return err
		}
		// catalogue: demo content
		if err := catalogue.SeedDemo(ctx, tx); err != nil {
			return err
		}
		_, err := tx.NewRaw("INSERT INTO app_flags (name) VALUES (?) ON CONFLICT DO NOTHING", demoFlag).Exec(ctx)
		return err
	})
	if err != nil {
		return err
	}
	if err := seedDemoLearning(ctx, db, cfg); err != nil {
		return err
	}
	if len(created) == 0 {
		fmt.Fprintln(stdout, "Demo-inhoud bijgewerkt; de demo-accounts bestonden al.")
		return nil
	}
	return printLogins(stdout, cfg, created, password)
}

// seedDemoLearning loads the shipped courses and gives two demo learners of
// Gemeente Utrecht real progress, so the organisation report has content.
func seedDemoLearning(ctx context.Context, db *bun.DB, cfg *config) error {
	d := server.NewDomains(db, server.Config{BaseURL: cfg.BaseURL})
	if err := linkDemoCertificates(ctx, d); err != nil {
		return err
	}
	learning := d.Learning
	if _, err := learning.SeedShipped(ctx); err != nil {
		return err
	}
	st := accounts.NewStore(db)
	for _, p := range []struct {
		email, course string
		items         int
		all           bool
	}{
		{"lotte@utrecht.example", "werken-20-de-basis", 0, true},
		{"sukru@utrecht.example", "werken-20-de-basis", 3, false},
		{"sukru@utrecht.example", "handreiking-webcare", 2, false},
	} {
		u, err := st.UserByEmail(ctx, p.email)
		if err != nil {
			return err
		}
		if err := learning.StudyDemo(ctx, courses.Learner{ID: u.ID, Name: u.Name}, p.course, p.items, p.all); err != nil {
			return fmt.Errorf("demo progress %s: %w", p.email, err)
		}
	}
	return nil
}

// linkDemoCertificates links the demo holders' register certificates to
// their listings in the Gids, as providers do on their own page, so the Gids
// shows verified certifications and pilot projects find certified advisers.
func linkDemoCertificates(ctx context.Context, d *server.Domains) error {
	for _, l := range []struct{ owner, offering string }{
		{"aanbieder@ambtenaar20.example", "Werken 2.0: de basis, begeleid"},
		{"fatima@gelderland.example", ""},
	} {
		u, err := d.Accounts.Store.UserByEmail(ctx, l.owner)
		if err != nil {
			return err
		}
		certs, err := d.Certify.Store.ValidCertificatesOfUsers(ctx, []int64{u.ID}, time.Now())
		if err != nil {
			return err
		}
		providers, err := d.Catalogue.ProvidersOf(ctx, u.ID)
		if err != nil || len(providers) == 0 {
			return err
		}
		p := providers[0]
		var offering int64
		if l.offering != "" {
			offerings, err := d.Catalogue.OfferingsOf(ctx, p.ID)
			if err != nil {
				return err
			}
			for _, o := range offerings {
				if o.Title == l.offering {
					offering = o.ID
				}
			}
		}
		for _, c := range certs[u.ID] {
			if c.Kind == certify.KindCourse {
				continue
			}
			err := d.Catalogue.LinkCertificate(ctx, &p, offering, c.Number)
			if err != nil && !errors.Is(err, apperr.ErrConflict) {
				return fmt.Errorf("demo: link %s: %w", c.Number, err)
			}
		}
	}
	return nil
}

// printLogins shows the demo logins once, and keeps a copy readable only by
// the owner in the data directory, for whoever missed the console.
func printLogins(stdout io.Writer, cfg *config, users []demoUser, password string) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nDemo-accounts (wachtwoord voor allemaal: %s)\n", password)
	fmt.Fprintln(tw, "ROL\tNAAM\tE-MAILADRES")
	for _, u := range users {
		role := "learner"
		if len(u.Roles) > 0 {
			role = u.Roles[0]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", accounts.RoleLabel(role), u.Name, u.Email)
	}
	fmt.Fprintln(tw)
	if err := tw.Flush(); err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return nil
	}
	f := filepath.Join(cfg.DataDir, "demo-accounts.txt")
	body := "Demo-accounts van de Leeromgeving Werken 2.0\nWachtwoord voor allemaal: " + password + "\n"
	for _, u := range users {
		body += u.Email + "\n"
	}
	return os.WriteFile(f, []byte(body), 0o600)
}
