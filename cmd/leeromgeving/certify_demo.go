package main

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/jung-kurt/gofpdf"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/certify"
)

// demoSchemes are the three certification schemes shipped with the product.
func demoSchemes() []*certify.Scheme {
	return []*certify.Scheme{
		{
			Slug:  "gecertificeerd-werken-20-trainer",
			Title: "Gecertificeerd Werken 2.0-trainer",
			Kind:  certify.KindTrainer,
			Summary: "Voor trainers die ambtenaren leren werken met web 2.0: samen, open en online. " +
				"Gecertificeerde trainers staan in het register en in de Gouden Gids.",
			Criteria: `Een gecertificeerde Werken 2.0-trainer:
1. heeft de cursussen Werken 2.0 — de basis en Handreiking webcare in de leeromgeving afgerond;
2. heeft de toets Medewerker 2.0 met minimaal 80% goed gemaakt: een trainer kent de stof beter dan de deelnemers;
3. heeft in de afgelopen twee jaar minstens twee trainingen over digitaal of netwerkend werken bij een overheidsorganisatie gegeven, en legt van elk een verslag over (doelgroep, opzet, wat deelnemers ermee deden);
4. legt de evaluaties van de deelnemers van die trainingen over;
5. past de Gedragscode Integriteit Rijk of die van de eigen organisatie toe, ook online.

Een beoordelaar van het programma beoordeelt de verslagen op de kwaliteit van de didactiek, de aansluiting op de praktijk van de overheid en de aandacht voor veilig en verantwoord online werken. Het certificaat is drie jaar geldig en kan daarna worden verlengd met recente verslagen.`,
			RequiredCourses: []string{"werken-20-de-basis", "handreiking-webcare"},
			ExamCourse:      "werken-20-de-basis", ExamQuiz: "medewerker-20-toets", ExamPassMark: 80,
			Evidence: []certify.EvidenceItem{
				{Key: "curriculum-vitae", Label: "Curriculum vitae", Count: 1},
				{Key: "verslag-van-een-gegeven-training", Label: "Verslag van een gegeven training", Count: 2},
				{Key: "evaluaties-van-deelnemers", Label: "Evaluaties van deelnemers", Count: 1},
			},
			ValidityYears: 3, Active: true,
		},
		{
			Slug:  "gecertificeerd-overheid-20-adviseur",
			Title: "Gecertificeerd Overheid 2.0-adviseur",
			Kind:  certify.KindAdviser,
			Summary: "Voor adviseurs die overheidsorganisaties begeleiden bij de overgang naar werken 2.0, " +
				"onder meer in de proefprojecten van het programma.",
			Criteria: `Een gecertificeerde Overheid 2.0-adviseur:
1. heeft de cursus Werken 2.0 — de basis in de leeromgeving afgerond;
2. heeft de toets Organisatie 2.0 met minimaal 80% goed gemaakt;
3. heeft minstens twee adviesopdrachten bij overheidsorganisaties uitgevoerd over digitaal samenwerken, open werken of participatie, en beschrijft elk in een praktijkcase: de vraag, de aanpak, het resultaat en wat de organisatie er blijvend aan had;
4. legt een referentie over van een opdrachtgever bij de overheid;
5. werkt onafhankelijk: de adviseur meldt belangen die de opdrachtgever moet kennen.

Een beoordelaar van het programma beoordeelt de praktijkcases op vakmanschap, resultaat en overdraagbaarheid, en kan om een toelichting vragen. Het certificaat is drie jaar geldig. Gecertificeerde adviseurs kunnen worden gekoppeld aan proefprojecten in de Gouden Gids.`,
			RequiredCourses: []string{"werken-20-de-basis"},
			ExamCourse:      "werken-20-de-basis", ExamQuiz: "organisatie-20-toets", ExamPassMark: 80,
			Evidence: []certify.EvidenceItem{
				{Key: "curriculum-vitae", Label: "Curriculum vitae", Count: 1},
				{Key: "praktijkcase", Label: "Praktijkcase", Count: 2},
				{Key: "referentie-van-een-opdrachtgever", Label: "Referentie van een opdrachtgever", Count: 1},
			},
			ValidityYears: 3, Active: true,
		},
		{
			Slug:  "gecertificeerde-werken-20-opleiding",
			Title: "Gecertificeerde Werken 2.0-opleiding",
			Kind:  certify.KindTraining,
			Summary: "Voor opleidingen van aanbieders die ambtenaren opleiden in werken 2.0. " +
				"Een gecertificeerde opleiding is vooraf gescreend, zodat organisaties dat werk niet zelf hoeven te doen.",
			Criteria: `Een gecertificeerde Werken 2.0-opleiding:
1. heeft leerdoelen die aansluiten op ten minste twee van de drie gebieden van het programma: Overheid 2.0, Organisatie 2.0 en Medewerker 2.0;
2. heeft een programma dat laat zien hoe elk leerdoel wordt bereikt, met oefening in de praktijk van de deelnemers;
3. wordt gegeven door trainers met aantoonbare ervaring met de overheid (bij voorkeur gecertificeerde Werken 2.0-trainers);
4. wordt geëvalueerd onder de deelnemers, en de aanbieder laat zien wat hij met de uitkomsten doet;
5. is toegankelijk: het materiaal voldoet aan de WCAG 2.1 op niveau AA.

De aanbieder dient de aanvraag in met de naam van de opleiding zoals die in de Gouden Gids staat. Een beoordelaar van het programma beoordeelt leerdoelen en programma op samenhang en toepasbaarheid. Het certificaat is twee jaar geldig; daarna volgt een nieuwe beoordeling van het (bijgewerkte) programma.`,
			Evidence: []certify.EvidenceItem{
				{Key: "leerdoelen", Label: "Leerdoelen", Count: 1},
				{Key: "programma", Label: "Programma", Count: 1},
				{Key: "evaluatieopzet", Label: "Evaluatieopzet", Count: 1},
			},
			ValidityYears: 2, Active: true,
		},
	}
}

// demoHolder is a fictitious certificate holder who is not one of the demo
// logins (all clearly fictitious, on example domains).
var demoHolders = []demoUser{
	{"Fatima el Idrissi", "fatima@gelderland.example", "Provincie Gelderland", nil},
	{"Jeroen Bakker", "jeroen@zwolle.example", "Gemeente Zwolle", nil},
	{"Jasper de Wit", "jasper@netwerkstad.example", "", nil},
	{"Noor Haddou", "noor@samenspel.example", "", nil},
	{"Ellen Postma", "ellen@postma-advies.example", "", nil},
	{"Bram Kuipers", "bram@kuipers-advies.example", "", nil},
	{"Sanne Visser", "sanne@opendata-atelier.example", "", nil},
	{"Karin Mulder", "karin@zeeland.example", "Provincie Zeeland", nil},
}

// seedCertifyDemo adds the schemes, a few certificates (one of them
// revoked, one for a training, one expiring soon) and an application
// waiting for an assessor.
func seedCertifyDemo(ctx context.Context, tx bun.Tx, cfg *config, orgIDs map[string]int64, hash string) error {
	svc := certify.NewService(nil, nil, certify.Config{BaseURL: cfg.BaseURL})
	schemes := map[certify.Kind]*certify.Scheme{}
	for _, sc := range demoSchemes() {
		if err := svc.SeedScheme(ctx, tx, sc); err != nil {
			return err
		}
		schemes[sc.Kind] = sc
	}
	st := accounts.NewStore(tx)
	for _, du := range demoHolders {
		if _, err := st.UserByEmail(ctx, du.Email); err == nil {
			continue
		}
		u := &accounts.User{Name: du.Name, Email: du.Email, PasswordHash: hash}
		if org, ok := orgIDs[du.Org]; ok {
			u.OrganisationID = &org
		}
		if err := st.CreateUser(ctx, u); err != nil {
			return err
		}
	}
	user := func(email string) (*accounts.User, error) {
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			return nil, fmt.Errorf("demo certificaten: %s: %w", email, err)
		}
		return u, nil
	}
	now := time.Now()
	days := func(n int) time.Time { return now.AddDate(0, 0, n).Truncate(time.Minute) }
	certs := []struct {
		email, name string // name "" is the user's name
		kind        certify.Kind
		issued      time.Time
		revoked     time.Time
		reason      string
		suspended   time.Time
	}{
		// Expires in 60 days, so its holder is asked to renew.
		{"trainer@ambtenaar20.example", "", certify.KindTrainer, now.AddDate(-3, 0, 60).Truncate(time.Minute), time.Time{}, "", time.Time{}},
		{"sukru@utrecht.example", "", certify.KindAdviser, days(-150), time.Time{}, "", time.Time{}},
		{"fatima@gelderland.example", "", certify.KindAdviser, days(-400), time.Time{}, "", time.Time{}},
		// The training the demo provider runs is the platform course itself,
		// so its participants' reviews are verified by their completions.
		{"aanbieder@ambtenaar20.example", "Werken 2.0 — de basis", certify.KindTraining, days(-200), time.Time{}, "", time.Time{}},
		{"jeroen@zwolle.example", "", certify.KindTrainer, days(-500), days(-30),
			"Bij een steekproef bleek een van de ingediende trainingsverslagen niet door de houder zelf geschreven.", time.Time{}},
		{"jasper@netwerkstad.example", "", certify.KindAdviser, days(-330), time.Time{}, "", time.Time{}},
		{"noor@samenspel.example", "", certify.KindAdviser, days(-260), time.Time{}, "", time.Time{}},
		{"ellen@postma-advies.example", "", certify.KindAdviser, days(-190), time.Time{}, "", time.Time{}},
		{"bram@kuipers-advies.example", "", certify.KindAdviser, days(-120), time.Time{}, "", days(-14)},
		{"sanne@opendata-atelier.example", "", certify.KindTrainer, days(-90), time.Time{}, "", time.Time{}},
		// Expired: issued more than three years ago and not renewed.
		{"karin@zeeland.example", "", certify.KindTrainer, days(-3*365 - 40), time.Time{}, "", time.Time{}},
	}
	for _, c := range certs {
		u, err := user(c.email)
		if err != nil {
			return err
		}
		name := c.name
		if name == "" {
			name = u.Name
		}
		if _, err := svc.SeedCertificateOnce(ctx, tx, certify.SeedCertificate{
			Scheme: schemes[c.kind], HolderUserID: u.ID, HolderName: name, IssuedAt: c.issued, Listed: true,
			RevokedAt: c.revoked, RevokeReason: c.reason,
			SuspendedAt: c.suspended, SuspendReason: "Geschorst in afwachting van een klacht van een opdrachtgever (demo).",
		}); err != nil {
			return err
		}
	}
	lotte, err := user("lotte@utrecht.example")
	if err != nil {
		return err
	}
	return svc.SeedApplication(ctx, tx, schemes[certify.KindAdviser], lotte.ID, lotte.Name,
		"Ik begeleid bij de gemeente Utrecht teams die met bewoners online samenwerken, en wil dat als adviseur ook voor andere organisaties doen.",
		days(-2), map[string]map[string][]byte{
			"curriculum-vitae": {"cv-lotte-leerling.pdf": demoPDF("Curriculum vitae", "Lotte Leerling (fictief, demo-inhoud)", "Adviseur participatie, Gemeente Utrecht")},
			"praktijkcase": {
				"praktijkcase-buurtplatform.pdf":   demoPDF("Praktijkcase 1", "Een buurtplatform voor Utrecht-Oost (fictief)", "Vraag, aanpak, resultaat"),
				"praktijkcase-open-werkplaats.pdf": demoPDF("Praktijkcase 2", "Een open werkplaats voor beleidsmakers (fictief)", "Vraag, aanpak, resultaat"),
			},
			"referentie-van-een-opdrachtgever": {"referentie.pdf": demoPDF("Referentie", "Van een opdrachtgever (fictief)", "Over de samenwerking met Lotte Leerling")},
		})
}

// demoPDF is a small one-page document standing in for real evidence.
func demoPDF(title string, lines ...string) []byte {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC))
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 20)
	pdf.Cell(0, 12, title)
	pdf.Ln(16)
	pdf.SetFont("Helvetica", "", 12)
	for _, l := range lines {
		pdf.Cell(0, 8, l)
		pdf.Ln(8)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		panic("demo pdf: " + err.Error()) // only fails on programming errors
	}
	return buf.Bytes()
}
