package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// demoOrganisations are real kinds of government body; the people are
// fictitious. Each has an example domain for its people's addresses.
var demoOrganisations = []struct {
	accounts.Organisation
	Domain string
}{
	{accounts.Organisation{Name: "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", Kind: "rijk"}, "minbzk.example"},
	{accounts.Organisation{Name: "Gemeente Utrecht", Kind: "gemeente"}, "utrecht.example"},
	{accounts.Organisation{Name: "Gemeente Zwolle", Kind: "gemeente"}, "zwolle.example"},
	{accounts.Organisation{Name: "Provincie Gelderland", Kind: "provincie"}, "gelderland.example"},
	{accounts.Organisation{Name: "Waterschap Rivierenland", Kind: "waterschap"}, "rivierenland.example"},
	{accounts.Organisation{Name: "Kennislab Overheid 2.0", Kind: "overig"}, "kennislab.example"},
	{accounts.Organisation{Name: "Gemeente Leeuwarden", Kind: "gemeente"}, "leeuwarden.example"},
	{accounts.Organisation{Name: "Gemeente Groningen", Kind: "gemeente"}, "groningen.example"},
	{accounts.Organisation{Name: "Gemeente Eindhoven", Kind: "gemeente"}, "eindhoven.example"},
	{accounts.Organisation{Name: "Gemeente Middelburg", Kind: "gemeente"}, "middelburg.example"},
	{accounts.Organisation{Name: "Gemeente Den Haag", Kind: "gemeente"}, "denhaag.example"},
	{accounts.Organisation{Name: "Provincie Zeeland", Kind: "provincie"}, "zeeland.example"},
	{accounts.Organisation{Name: "Provincie Overijssel", Kind: "provincie"}, "overijssel.example"},
	{accounts.Organisation{Name: "Ministerie van Infrastructuur en Waterstaat", Kind: "rijk"}, "minienw.example"},
	{accounts.Organisation{Name: "Waterschap Hunze en Aa's", Kind: "waterschap"}, "hunzeenaas.example"},
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

// demoManagers post the other organisations' pilot projects and quote
// requests; demoAdvisers own their listings in the Gids. They share the
// demo password but are not printed.
var demoManagers = []demoUser{
	{"Hanneke Dijkstra", "hanneke.dijkstra@leeuwarden.example", "Gemeente Leeuwarden", []string{web.RoleOrgManager}},
	{"Marco Verbeek", "marco.verbeek@gelderland.example", "Provincie Gelderland", []string{web.RoleOrgManager}},
	{"Inge Bos", "inge.bos@rivierenland.example", "Waterschap Rivierenland", []string{web.RoleOrgManager}},
	{"Rachid Benali", "rachid.benali@minbzk.example", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", []string{web.RoleOrgManager}},
	{"Els van den Berg", "els.vandenberg@zwolle.example", "Gemeente Zwolle", []string{web.RoleOrgManager}},
	{"Joost Peeters", "joost.peeters@eindhoven.example", "Gemeente Eindhoven", []string{web.RoleOrgManager}},
	{"Mieke de Jonge", "mieke.dejonge@middelburg.example", "Gemeente Middelburg", []string{web.RoleOrgManager}},
	{"Fatima el Idrissi", "fatima@gelderland.example", "Provincie Gelderland", []string{web.RoleProvider}},
	{"Jasper de Wit", "jasper@netwerkstad.example", "", []string{web.RoleProvider}},
	{"Noor Haddou", "noor@samenspel.example", "", []string{web.RoleProvider}},
	{"Ellen Postma", "ellen@postma-advies.example", "", []string{web.RoleProvider}},
	{"Bram Kuipers", "bram@kuipers-advies.example", "", []string{web.RoleProvider}},
	{"Sanne Visser", "sanne@opendata-atelier.example", "", []string{web.RoleProvider}},
}

var (
	demoFirstNames = []string{"Anne", "Bas", "Carla", "Daan", "Esra", "Frank", "Gerda", "Hamza", "Iris", "Jan", "Kim", "Lars", "Maaike", "Nadia",
		"Olivier", "Petra", "Quinten", "Rosa", "Stijn", "Tessa", "Umut", "Vera", "Willem", "Yara", "Zoë", "Ahmed", "Brenda", "Chris", "Dewi", "Evert"}
	demoLastNames = []string{"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
		"van Dijk", "Yılmaz", "El Amrani", "Kramer", "van der Meer", "Hoekstra", "Dekker", "Brouwer", "Koster", "Prins", "Sahin", "Wijaya"}
)

// demoLearnerCount is how many generated civil servants study in the demo.
const demoLearnerCount = 216

// demoLearner is generated learner k: a name, an address at one of the
// organisations and the day they joined, spread over the past year.
func demoLearner(k int) (name, email string, org int, daysAgo int) {
	first, last := demoFirstNames[k%len(demoFirstNames)], demoLastNames[(k*7+k/len(demoFirstNames))%len(demoLastNames)]
	org = 1 + k%(len(demoOrganisations)-1)
	if org >= 5 { // skip the Kennislab, which trains rather than learns
		org++
	}
	org = min(org, len(demoOrganisations)-1)
	local := strings.NewReplacer(" ", "", "ı", "i", "ë", "e").Replace(strings.ToLower(first + "." + last))
	return first + " " + last, fmt.Sprintf("%s.%d@%s", local, k, demoOrganisations[org].Domain), org, 355 - (k*353)/demoLearnerCount
}

const demoFlag = "demo-seeded"

// seedDemoOnce loads the demo content into a fresh private database, once.
func seedDemoOnce(ctx context.Context, db *appDB, cfg *config, stdout io.Writer) error {
	n, err := db.NewSelect().Table("app_flags").Where("name = ?", demoFlag).Count(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	users, err := db.NewSelect().Table("users").Count(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if n > 0 || users > 0 { // seeded before, or real data (a restored backup)
		return nil
	}
	return seedDemo(ctx, db, cfg, stdout)
}

// seedDemo adds the demo organisations, accounts and content in one
// transaction and prints the logins. Existing records are left alone.
func seedDemo(ctx context.Context, d *appDB, cfg *config, stdout io.Writer) error {
	db, err := d.bulk()
	if err != nil {
		return err
	}
	defer db.Close()
	password := newPassword()
	now := time.Now()
	var created []demoUser
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		orgIDs := map[string]int64{}
		for _, o := range demoOrganisations {
			org := o.Organisation
			org.CreatedAt = now.AddDate(-1, 0, -7)
			if _, err := tx.NewInsert().Model(&org).On("CONFLICT ((lower(name))) DO UPDATE SET kind = EXCLUDED.kind").Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("demo organisation: %w", err)
			}
			orgIDs[org.Name] = org.ID
		}
		st := accounts.NewStore(tx)
		hash := accounts.HashPassword(password)
		add := func(du demoUser, joined time.Time) (bool, error) {
			if _, err := st.UserByEmail(ctx, du.Email); err == nil {
				return false, nil
			}
			u := &accounts.User{Name: du.Name, Email: du.Email, PasswordHash: hash, Roles: du.Roles, CreatedAt: joined, UpdatedAt: joined}
			if org, ok := orgIDs[du.Org]; ok {
				u.OrganisationID = &org
			}
			return true, st.CreateUser(ctx, u)
		}
		for i, du := range demoUsers {
			fresh, err := add(du, now.AddDate(-1, 0, i))
			if err != nil {
				return err
			}
			if fresh {
				created = append(created, du)
			}
		}
		for i, du := range demoManagers {
			if _, err := add(du, now.AddDate(0, -11, i*9)); err != nil {
				return err
			}
		}
		for k := range demoLearnerCount {
			name, email, org, daysAgo := demoLearner(k)
			if _, err := add(demoUser{Name: name, Email: email, Org: demoOrganisations[org].Name}, now.AddDate(0, 0, -daysAgo)); err != nil {
				return err
			}
		}
		// certify: demo content
		if err := seedCertifyDemo(ctx, tx, cfg, orgIDs, hash); err != nil {
			return err
		}
		// catalogue: demo content
		if err := catalogue.SeedDemo(ctx, tx, now); err != nil {
			return err
		}
		_, err := tx.NewRaw("INSERT INTO app_flags (name) VALUES (?) ON CONFLICT DO NOTHING", demoFlag).Exec(ctx)
		return err
	})
	if err != nil {
		return err
	}
	if err := seedDemoLearning(ctx, db, cfg, now); err != nil {
		return err
	}
	if len(created) == 0 {
		fmt.Fprintln(stdout, "Demo-inhoud bijgewerkt; de demo-accounts bestonden al.")
		return nil
	}
	return printLogins(stdout, cfg, created, password)
}

// seedDemoLearning loads the shipped courses and gives the demo learners
// real progress, each at their own dates over the past year: two in three
// complete Werken 2.0 — de basis (earning its certificate through the same
// completion hook as anyone), a quarter also the webcare course, the others
// are on their way.
func seedDemoLearning(ctx context.Context, db *bun.DB, cfg *config, now time.Time) error {
	d := server.NewDomains(db, server.Config{BaseURL: cfg.BaseURL})
	if _, err := d.Learning.SeedShipped(ctx); err != nil {
		return err
	}
	st := accounts.NewStore(db)
	type study struct {
		email, course string
		items         int
		all           bool
		at            time.Time
	}
	plan := []study{
		{"lotte@utrecht.example", "werken-20-de-basis", 0, true, now.AddDate(0, -2, 0)},
		{"sukru@utrecht.example", "werken-20-de-basis", 3, false, now.AddDate(0, 0, -9)},
		{"sukru@utrecht.example", "handreiking-webcare", 2, false, now.AddDate(0, 0, -5)},
		{"jasper@netwerkstad.example", "werken-20-de-basis", 0, true, now.AddDate(-1, 0, 20)},
	}
	for k := range demoLearnerCount {
		_, email, _, daysAgo := demoLearner(k)
		start := now.AddDate(0, 0, -daysAgo+2)
		switch {
		case k%3 != 2:
			plan = append(plan, study{email, "werken-20-de-basis", 0, true, start.AddDate(0, 0, 5+k%20)})
		default:
			plan = append(plan, study{email, "werken-20-de-basis", 2 + k%5, false, start})
		}
		if k%4 == 0 {
			plan = append(plan, study{email, "handreiking-webcare", 0, k%8 == 0, start.AddDate(0, 0, 12)})
		}
	}
	// Each worker has its own services, since each study runs on its own clock.
	const workers = 4
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		learning := server.NewDomains(db, server.Config{BaseURL: cfg.BaseURL}).Learning
		wg.Go(func() {
			for i := w; i < len(plan); i += workers {
				p := plan[i]
				u, err := st.UserByEmail(ctx, p.email)
				if err != nil {
					errs[w] = err
					return
				}
				at := p.at
				if at.After(now) {
					at = now.Add(-time.Hour)
				}
				learning.Now = func() time.Time { return at }
				if err := learning.StudyDemo(ctx, courses.Learner{ID: u.ID, Name: u.Name}, p.course, p.items, p.all); err != nil {
					errs[w] = fmt.Errorf("demo progress %s: %w", p.email, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return linkDemoCertificates(ctx, d)
}

// linkDemoCertificates links the demo holders' register certificates to
// their listings in the Gids, as providers do on their own page, so the Gids
// shows verified certifications and pilot projects find certified advisers.
func linkDemoCertificates(ctx context.Context, d *server.Domains) error {
	for _, l := range []struct{ owner, offering string }{
		{"aanbieder@ambtenaar20.example", "Werken 2.0: de basis, begeleid"},
		{"fatima@gelderland.example", ""},
		{"jasper@netwerkstad.example", ""},
		{"noor@samenspel.example", ""},
		{"ellen@postma-advies.example", ""},
		{"sanne@opendata-atelier.example", ""},
	} {
		u, err := d.Accounts.UserByEmail(ctx, l.owner)
		if err != nil {
			return err
		}
		certs, err := d.Certify.ValidCertificatesOfUsers(ctx, []int64{u.ID}, time.Now())
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
