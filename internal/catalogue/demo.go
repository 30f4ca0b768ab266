package catalogue

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

type demoOffering struct {
	Kind, Title, Description string
	Themes, Provinces        []string
	Format                   string
	Hours                    float64
	PriceEuros               int64
	VAT                      int
	CourseSlug               string
	Reviews                  []demoReview
}

type demoReview struct {
	Email               string
	Overall, C, A, T, V int
	Body, Reply         string
}

type demoProvider struct {
	Owner, Kind, Name, Description, Website, Email string
	Provinces, Marks                               []string
	Offerings                                      []demoOffering
}

// demoProviders are clearly fictitious: .example addresses and invented names.
var demoProviders = []demoProvider{
	{Owner: "aanbieder@ambtenaar20.example", Kind: "institute", Name: "Academie Kennislab Overheid 2.0 (demo)",
		Description: "Trainingen voor ambtenaren die online willen samenwerken, kennis delen en met de samenleving in gesprek willen. Fictieve demo-aanbieder.",
		Website:     "https://academie.kennislab.example", Email: "academie@kennislab.example",
		Provinces: []string{"utrecht", "noord-holland", "zuid-holland", "online"}, Marks: []string{"crkbo", "nrto"},
		Offerings: []demoOffering{
			{Kind: "training", Title: "Werken 2.0: de basis, begeleid", Description: "Een begeleide versie van de cursus **Werken 2.0: de basis**, in vier bijeenkomsten.\n\n- open overheid en netwerkwerken\n- veilig digitaal samenwerken\n- kennis delen in je organisatie",
				Themes: []string{"online-samenwerken", "kennisdelen", "open-overheid"}, Provinces: []string{"utrecht", "online"}, Format: "blended", Hours: 16, PriceEuros: 895, VAT: 0, CourseSlug: "werken-20-de-basis",
				Reviews: []demoReview{
					{"lotte@utrecht.example", 5, 5, 4, 5, 4, "Heel praktisch: na de tweede bijeenkomst zijn we met ons team een gedeelde werkruimte gaan gebruiken in plaats van mail.", "Dank u, Lotte! Fijn dat de werkruimte blijft."},
					{"sukru@utrecht.example", 4, 4, 4, 4, 3, "Goede opbouw en een trainer die weet hoe het bij een gemeente werkt. De prijs is wel aan de hoge kant voor een kleine organisatie.", ""},
				}},
			{Kind: "training", Title: "Webcare voor gemeenten", Description: "In één dag leert u reageren op berichten van inwoners op sociale media: toon, snelheid, escaleren en wat u niet zegt.",
				Themes: []string{"webcare", "sociale-media"}, Provinces: []string{"utrecht", "noord-holland", "zuid-holland"}, Format: "klassikaal", Hours: 7, PriceEuros: 495, VAT: 0, CourseSlug: "handreiking-webcare",
				Reviews: []demoReview{
					{"manager@utrecht.example", 4, 4, 5, 4, 4, "Onze webcare-collega's reageren sindsdien sneller en vriendelijker. De casussen uit echte gemeenten maakten het levendig.", ""},
				}},
		}},
	{Kind: "firm", Name: "Netwerkstad Advies (demo)", Description: "Adviesbureau voor participatie en netwerksturing bij gemeenten en provincies. Fictieve demo-aanbieder.",
		Website: "https://netwerkstad.example", Email: "info@netwerkstad.example", Provinces: []string{"gelderland", "overijssel", "landelijk"},
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Participatietraject opzetten", Description: "Wij begeleiden uw organisatie bij het opzetten van een participatietraject, van het eerste gesprek tot de evaluatie.",
				Themes: []string{"participatie", "open-overheid"}, Provinces: []string{"gelderland", "overijssel", "landelijk"}, Format: "incompany", Hours: 40, PriceEuros: 7800, VAT: 21,
				Reviews: []demoReview{
					{"lotte@utrecht.example", 3, 4, 3, 4, 2, "Inhoudelijk sterk advies, maar het traject liep uit en dat zagen we terug in de rekening. Afspraken vooraf scherper maken.", ""},
				}},
			{Kind: "training", Title: "Leiderschap 2.0 voor leidinggevenden", Description: "Drie dagdelen over sturen op vertrouwen, netwerken en ruimte geven aan medewerkers die online werken.",
				Themes: []string{"leiderschap", "netwerkorganisatie"}, Provinces: []string{"gelderland", "online"}, Format: "online", Hours: 12, PriceEuros: 1150, VAT: 21},
		}},
	{Kind: "independent", Name: "Open Data Atelier – Sanne Visser (demo)", Description: "Zelfstandig adviseur open data en informatiehuishouding. Fictieve demo-aanbieder.",
		Email: "sanne@opendata-atelier.example", Provinces: []string{"noord-brabant", "limburg", "zeeland", "online"}, Marks: []string{"crkbo"},
		Offerings: []demoOffering{
			{Kind: "training", Title: "Open data publiceren in een dag", Description: "Van dataset tot publicatie: licenties, metadata, privacy en het gesprek met gebruikers.",
				Themes: []string{"open-data"}, Provinces: []string{"noord-brabant", "online"}, Format: "online", Hours: 6, PriceEuros: 395, VAT: 0,
				Reviews: []demoReview{
					{"sukru@utrecht.example", 5, 5, 5, 5, 5, "Precies wat we nodig hadden: na afloop stond onze eerste dataset online met een nette licentie en beschrijving.", ""},
					{"manager@utrecht.example", 5, 4, 5, 5, 5, "Compact en direct toepasbaar. Sanne kent de valkuilen van de Woo en de AVG goed.", ""},
				}},
		}},
	{Owner: "fatima@gelderland.example", Kind: "independent", Name: "Fatima el Idrissi – participatie en netwerken (demo)",
		Description: "Zelfstandig adviseur die overheden begeleidt bij proefprojecten met bewoners: online participatie, netwerksturing en samenwerken over de grenzen van de organisatie. Fictieve demo-aanbieder.",
		Email:       "fatima@advies.example", Provinces: []string{"gelderland", "overijssel", "utrecht", "landelijk"},
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Begeleiding van een proefproject participatie", Description: "Van projectplan tot evaluatie: ik help uw team een proefproject met bewoners op te zetten, online en op straat, en te leren van wat werkt.",
				Themes: []string{"participatie", "online-samenwerken"}, Provinces: []string{"gelderland", "utrecht", "landelijk"}, Format: "incompany", Hours: 24, PriceEuros: 2400, VAT: 21},
		}},
	{Kind: "institute", Name: "Digitaal Vaardig Instituut (demo)", Description: "Trainingen digitale vaardigheden voor de publieke sector. Fictieve demo-aanbieder.",
		Email: "contact@digitaalvaardig.example", Provinces: []string{"landelijk", "online"}, Marks: []string{"nrto"},
		Offerings: []demoOffering{
			{Kind: "training", Title: "Sociale media strategisch inzetten", Description: "Voor communicatieadviseurs: doelen, doelgroepen, contentplanning en meten wat werkt.",
				Themes: []string{"sociale-media", "webcare"}, Provinces: []string{"landelijk", "online"}, Format: "blended", Hours: 20, PriceEuros: 1295, VAT: 21},
			{Kind: "training", Title: "Kennisdelen met online communities", Description: "Hoe start en onderhoud je een community of practice binnen en tussen overheidsorganisaties?",
				Themes: []string{"kennisdelen", "online-samenwerken"}, Provinces: []string{"online"}, Format: "online", Hours: 8, PriceEuros: 450, VAT: 21},
		}},
}

// SeedDemo adds the fictitious demo providers, offerings and reviews
// inside the demo seed's transaction. Providers that exist are left alone.
func SeedDemo(ctx context.Context, tx bun.Tx) error {
	st := newStore(tx)
	users := map[string]int64{}
	var rows []struct {
		ID    int64
		Email string
	}
	if err := tx.NewRaw("SELECT id, lower(email) AS email FROM users").Scan(ctx, &rows); err != nil {
		return fmt.Errorf("catalogue demo: users: %w", err)
	}
	for _, r := range rows {
		users[r.Email] = r.ID
	}
	start := time.Now().AddDate(0, 2, 0).Truncate(24 * time.Hour)
	for _, dp := range demoProviders {
		exists, err := tx.NewSelect().Table("catalogue_providers").Where("lower(name) = lower(?)", dp.Name).Exists(ctx)
		if err != nil {
			return fmt.Errorf("catalogue demo: %w", err)
		}
		if exists {
			continue
		}
		p := &Provider{Kind: dp.Kind, Name: dp.Name, Description: dp.Description, Website: dp.Website, ContactEmail: dp.Email,
			Provinces: dp.Provinces, QualityMarks: nonNil(dp.Marks)}
		if _, err := tx.NewInsert().Model(p).Value("status", "'approved'").Value("approved_at", "now()").Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("catalogue demo: provider: %w", err)
		}
		if owner, ok := users[dp.Owner]; ok {
			if _, err := tx.NewRaw("INSERT INTO catalogue_provider_owners (provider_id, user_id) VALUES (?, ?)", p.ID, owner).Exec(ctx); err != nil {
				return fmt.Errorf("catalogue demo: owner: %w", err)
			}
		}
		for _, do := range dp.Offerings {
			o := &Offering{ProviderID: p.ID, Kind: do.Kind, Title: do.Title, Description: do.Description, Themes: do.Themes,
				Provinces: do.Provinces, Format: do.Format, StudyHours: do.Hours, PriceExclCents: do.PriceEuros * 100, VATPercent: do.VAT,
				Language: "nl", CourseSlug: do.CourseSlug, StartDates: []time.Time{start, start.AddDate(0, 3, 0)}}
			o.PriceInclCents = o.PriceExclCents + o.PriceExclCents*int64(o.VATPercent)/100
			if err := st.createOffering(ctx, o); err != nil {
				return err
			}
			for _, dr := range do.Reviews {
				uid, ok := users[dr.Email]
				if !ok {
					continue
				}
				r := &Review{OfferingID: o.ID, UserID: uid, Overall: dr.Overall, Content: dr.C, Applicability: dr.A, Teacher: dr.T, Value: dr.V, Body: dr.Body}
				if err := st.createReview(ctx, r); err != nil {
					return err
				}
				if dr.Reply != "" {
					if _, err := tx.NewRaw("UPDATE catalogue_reviews SET reply = ?, replied_at = now() WHERE id = ?", dr.Reply, r.ID).Exec(ctx); err != nil {
						return fmt.Errorf("catalogue demo: reply: %w", err)
					}
				}
			}
		}
	}
	if owner, ok := users["manager@utrecht.example"]; ok {
		exists, err := tx.NewSelect().Table("catalogue_pilots").Where("created_by = ?", owner).Exists(ctx)
		if err != nil {
			return fmt.Errorf("catalogue demo: %w", err)
		}
		if !exists {
			var org *int64
			if err := tx.NewRaw("SELECT organisation_id FROM users WHERE id = ?", owner).Scan(ctx, &org); err != nil {
				return fmt.Errorf("catalogue demo: organisation: %w", err)
			}
			p := &Pilot{OrganisationID: org, CreatedBy: &owner, Title: "Wijkapp voor participatie in Overvecht (demo)",
				Goal:  "Samen met bewoners een halfjaar lang een wijkapp gebruiken om plannen voor de openbare ruimte te bespreken, en leren wat werkt.",
				Theme: "participatie", Province: "utrecht", StartsOn: start, EndsOn: start.AddDate(0, 6, 0), Budget: "15000-50000"}
			if err := st.createPilot(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}
