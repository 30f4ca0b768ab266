package catalogue

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Review texts are put together from sentences people write, chosen by the
// score and the offering's kind, so that no two reviews of one offering
// read the same.
var (
	reviewOpenings = map[int][]string{
		5: {"Een van de beste trainingen die ik bij de overheid heb gevolgd.", "Precies wat ons team nodig had.", "Uitstekend, en meteen bruikbaar.",
			"Ik had er veel van verwacht en het viel niet tegen.", "Heel goed georganiseerd en inhoudelijk sterk."},
		4: {"Goede opzet en een prettige sfeer.", "Leerzaam, met hier en daar een onderdeel dat korter kon.", "Degelijk en praktisch.",
			"Ik heb er veel aan gehad.", "Een nuttige investering van tijd."},
		3: {"Redelijk, maar ik had meer verdieping verwacht.", "Wisselend: sommige onderdelen sterk, andere te algemeen.", "Op zich prima, al was niet alles nieuw voor mij.",
			"Voor beginners geschikt, voor ervaren collega's minder.", "Gemengde gevoelens."},
		2: {"Het sloot niet goed aan op onze praktijk.", "Te veel theorie en te weinig oefening.", "Ik ben er niet veel wijzer van geworden.",
			"De inhoud was verouderd.", "Teleurstellend voor deze prijs."},
		1: {"Helaas een teleurstelling.", "Dit raad ik collega's niet aan.", "Slecht voorbereid en weinig inhoud.",
			"Ik ben halverwege afgehaakt.", "Niet wat er beloofd werd."},
	}
	reviewMiddles = map[string][]string{
		"training": {"De trainer gebruikte voorbeelden uit echte gemeenten en liet ons veel oefenen.", "Na afloop kregen we een handig overzicht om terug te lezen.",
			"Er was ruimte voor vragen over onze eigen situatie.", "Het tempo lag hoog, maar dat hield de aandacht vast.",
			"We werkten in kleine groepen aan herkenbare casussen.", "De online omgeving werkte goed, ook voor collega's die thuis zaten.",
			"De docent kende de regels en de praktijk van de overheid goed.", "Sommige oefeningen duurden te lang voor wat ze opleverden."},
		"advice": {"De adviseur stelde de goede vragen en hield ons scherp.", "Het plan van aanpak was helder en we wisten steeds waar we stonden.",
			"Er was aandacht voor de bestuurlijke kant, niet alleen voor de inhoud.", "De afspraken over planning en kosten werden nagekomen.",
			"De adviseur bracht ons in contact met collega's in andere gemeenten.", "Bewoners voelden zich serieus genomen in de gesprekken.",
			"Het eindrapport was bruikbaar voor het college.", "Het traject liep uit en dat zagen we terug in de rekening."},
	}
	reviewClosings = map[int][]string{
		5: {"Een aanrader voor elke organisatie die hiermee aan de slag wil.", "We gaan zeker een vervolg afspreken.", "Collega's van andere afdelingen hebben zich al aangemeld."},
		4: {"Een aanrader, met een kleine kanttekening bij de prijs.", "Wij passen het nu elke week toe.", "Ik zou het zeker nog eens doen."},
		3: {"Voor ons was het net niet genoeg.", "Wellicht beter met een kleinere groep.", "Het is bruikbaar, maar er is meer te halen."},
		2: {"Ik hoop dat de aanbieder de feedback gebruikt.", "Jammer van de tijd.", "Met betere voorbereiding had het veel beter gekund."},
		1: {"Wij hebben een klacht ingediend.", "Zoek een andere aanbieder.", "Zonde van het budget."},
	}
	replies = []string{"Dank u wel voor uw review! Fijn dat u er in de praktijk mee verder kunt.", "Dank voor uw eerlijke feedback. We nemen uw punt mee in de volgende editie.",
		"Bedankt! We horen graag hoe het uw team verder vergaat.", "Dank voor uw reactie. Neemt u gerust contact met ons op, dan bespreken we wat er beter kan."}
)

func demoReviewText(o *Offering, overall, i, j int) string {
	open := reviewOpenings[overall]
	mid := reviewMiddles[o.Kind]
	close := reviewClosings[overall]
	t := open[(i+j)%len(open)] + " " + mid[(i*3+j)%len(mid)] + " " + mid[(i+j*5+1)%len(mid)] + " " + close[(i*2+j)%len(close)]
	if strings.Contains(o.Title, "Webcare") || strings.Contains(o.Title, "webcare") {
		t += " Onze webcarecollega's reageren sindsdien sneller en vriendelijker op inwoners."
	}
	return t
}

func demoReply(overall, j int) string {
	if overall <= 3 {
		return replies[1+(j%2)*2]
	}
	return replies[(j%2)*2]
}

// demoPilot is a pilot project of the demo, by the manager at index Manager.
type demoPilot struct {
	Manager                int
	Title, Goal            string
	Theme, Province        string
	Budget, Status, Chosen string
	Responders             []string
	DaysAgo                int
}

var demoPilots = []demoPilot{
	{0, "Wijkapp voor participatie in Overvecht", "Samen met bewoners een halfjaar lang een wijkapp gebruiken om plannen voor de openbare ruimte te bespreken, en leren wat werkt.", "participatie", "utrecht", "15000-50000", "open", "", []string{"Fatima el Idrissi – participatie en netwerken", "Bureau Samenspel"}, 12},
	{0, "Webcare voor het klantcontactcentrum", "Het klantcontactcentrum beantwoordt voortaan ook vragen via sociale media; wij zoeken begeleiding bij de inrichting.", "webcare", "utrecht", "5000-15000", "matched", "Bureau Samenspel", []string{"Bureau Samenspel"}, 140},
	{0, "Kennisdelen tussen wijkteams", "Zes wijkteams delen hun kennis nu per mail; wij willen een community opzetten die ook na het project blijft.", "kennisdelen", "utrecht", "tot-5000", "completed", "Fatima el Idrissi – participatie en netwerken", []string{"Fatima el Idrissi – participatie en netwerken"}, 300},
	{1, "Digitaal dorpsgesprek", "In vier dorpen praten bewoners online en op locatie mee over de toekomst van hun dorp.", "participatie", "friesland", "5000-15000", "completed", "Ellen Postma Advies", []string{"Ellen Postma Advies", "Netwerkstad Advies"}, 280},
	{1, "Samenwerken in de regio Noord", "Drie gemeenten willen hun ambtelijke samenwerking in een netwerk organiseren in plaats van een nieuwe organisatie.", "netwerkorganisatie", "groningen", "15000-50000", "matched", "Ellen Postma Advies", []string{"Ellen Postma Advies"}, 95},
	{2, "Open data voor de omgevingsvisie", "De provincie wil de data achter de omgevingsvisie openbaar maken en bewoners uitnodigen er zelf mee te werken.", "open-data", "gelderland", "15000-50000", "open", "", []string{"Netwerkstad Advies"}, 20},
	{2, "Leidinggeven aan hybride teams", "Leidinggevenden van de provincie zoeken een aanpak om teams die thuis en op kantoor werken goed te leiden.", "leiderschap", "gelderland", "5000-15000", "completed", "Netwerkstad Advies", []string{"Netwerkstad Advies", "Fatima el Idrissi – participatie en netwerken"}, 250},
	{2, "Participatie bij de energietransitie", "Bewoners betrekken bij de keuze van zoekgebieden voor wind en zon, eerlijk en begrijpelijk.", "participatie", "gelderland", "vanaf-50000", "matched", "Fatima el Idrissi – participatie en netwerken", []string{"Fatima el Idrissi – participatie en netwerken", "Netwerkstad Advies"}, 60},
	{3, "Online inspraak bij de dijkversterking", "Het waterschap wil bewoners langs de dijk online laten meepraten over de uitvoering.", "participatie", "gelderland", "5000-15000", "completed", "Netwerkstad Advies", []string{"Netwerkstad Advies"}, 220},
	{3, "Webcare bij hoogwater", "Bij hoogwater krijgen wij honderden vragen via sociale media; wij willen daar voorbereid op zijn.", "webcare", "gelderland", "tot-5000", "open", "", nil, 8},
	{4, "Open overheid in de praktijk", "Het ministerie wil met een proefproject laten zien hoe een directie actief openbaar maakt.", "open-overheid", "zuid-holland", "15000-50000", "matched", "Bureau Samenspel", []string{"Bureau Samenspel"}, 110},
	{4, "Netwerkorganisatie voor de beleidsdirectie", "Een directie van 80 mensen gaat werken in wisselende netwerkteams rond opgaven.", "netwerkorganisatie", "zuid-holland", "vanaf-50000", "completed", "Bureau Samenspel", []string{"Bureau Samenspel", "Ellen Postma Advies"}, 330},
	{5, "Digitale vaardigheden in het sociaal domein", "Consulenten in het sociaal domein werken steeds meer digitaal; wij zoeken een aanpak die bij hen past.", "digitale-vaardigheden", "overijssel", "5000-15000", "open", "", []string{"Netwerkstad Advies"}, 30},
	{5, "Sociale media voor de raad", "Raadsleden willen sociale media gebruiken om inwoners te bereiken, zonder de valkuilen.", "sociale-media", "overijssel", "tot-5000", "completed", "Netwerkstad Advies", []string{"Netwerkstad Advies"}, 200},
	{6, "Jongerenparticipatie", "Jongeren tussen 14 en 23 praten mee over het jeugdbeleid, via de kanalen die zij zelf gebruiken.", "participatie", "noord-brabant", "5000-15000", "matched", "Fatima el Idrissi – participatie en netwerken", []string{"Fatima el Idrissi – participatie en netwerken"}, 170},
	{6, "Samen schrijven aan het coalitieakkoord", "Een open, online proces waarin inwoners en raad samen bouwstenen voor het akkoord schrijven.", "open-overheid", "noord-brabant", "15000-50000", "open", "", []string{"Bureau Samenspel"}, 4},
	{7, "Kennisdelen met de buurgemeenten", "Vijf kleine gemeenten willen kennis delen over vergunningen en handhaving.", "kennisdelen", "zeeland", "tot-5000", "completed", "Ellen Postma Advies", []string{"Ellen Postma Advies"}, 260},
	{7, "Online samenwerken met ketenpartners", "Gemeente, woningcorporatie en zorg willen één online werkplek voor gezamenlijke casussen.", "online-samenwerken", "zeeland", "5000-15000", "matched", "Ellen Postma Advies", []string{"Ellen Postma Advies", "Netwerkstad Advies"}, 45},
}

// seedDemoPilots posts the demo pilot projects with the advisers' responses,
// choices and outcomes at their dates, so the chart of pilot projects with
// guidance has a shape.
func seedDemoPilots(ctx context.Context, tx bun.Tx, managers []demoPerson, byEmail map[string]int64, now time.Time) error {
	if len(managers) == 0 {
		return nil
	}
	if id := byEmail["manager@utrecht.example"]; id != 0 {
		for i, m := range managers {
			if m.ID == id {
				managers[0], managers[i] = managers[i], managers[0]
			}
		}
	}
	st := newStore(tx)
	for _, dp := range demoPilots {
		m := managers[dp.Manager%len(managers)]
		created := now.AddDate(0, 0, -dp.DaysAgo)
		p := &Pilot{OrganisationID: m.OrganisationID, CreatedBy: &m.ID, Title: dp.Title, Goal: dp.Goal, Theme: dp.Theme, Province: dp.Province,
			StartsOn: created.AddDate(0, 1, 0).Truncate(24 * time.Hour), EndsOn: created.AddDate(0, 7, 0).Truncate(24 * time.Hour), Budget: dp.Budget, CreatedAt: created}
		if err := st.createPilot(ctx, p); err != nil {
			return err
		}
		for k, name := range dp.Responders {
			prov, err := providerByName(ctx, tx, name)
			if err != nil {
				return err
			}
			owners, err := st.owners(ctx, prov)
			if err != nil {
				return err
			}
			var by *int64
			if len(owners) > 0 {
				by = &owners[0]
			}
			msg := fmt.Sprintf("Graag begeleiden wij “%s”. Wij beginnen met een gesprek met het projectteam en de betrokken bewoners of partners, maken samen een plan voor zes maanden en evalueren halverwege en aan het eind.", dp.Title)
			if _, err := tx.NewRaw("INSERT INTO catalogue_pilot_interests (pilot_id, provider_id, message, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
				p.ID, prov, msg, by, created.AddDate(0, 0, 2+k*3)).Exec(ctx); err != nil {
				return fmt.Errorf("catalogue demo: interest: %w", err)
			}
		}
		if dp.Status == "open" {
			continue
		}
		chosen, err := providerByName(ctx, tx, dp.Chosen)
		if err != nil {
			return err
		}
		matched := created.AddDate(0, 0, 10)
		q := "UPDATE catalogue_pilots SET status = ?, provider_id = ?, matched_at = ?"
		args := []any{dp.Status, chosen, matched}
		if dp.Status == "completed" {
			q += ", completed_at = ?, outcome_tried = ?, outcome_result = ?"
			args = append(args, matched.AddDate(0, 5, 0),
				"We hebben in kleine stappen gewerkt: eerst een verkenning met de betrokkenen, daarna drie korte experimenten die we elke maand bespraken.",
				"Het werkt: de aanpak is overgenomen in de staande organisatie en twee andere afdelingen willen hetzelfde. Het kostte meer tijd dan gedacht.")
		}
		if _, err := tx.NewRaw(q+" WHERE id = ?", append(args, p.ID)...).Exec(ctx); err != nil {
			return fmt.Errorf("catalogue demo: pilot state: %w", err)
		}
	}
	return nil
}

// seedDemoQuotes asks for a few quotes: answered, declined, one accepted
// below the list price, one still open.
func seedDemoQuotes(ctx context.Context, tx bun.Tx, offerings []*Offering, managers []demoPerson, byEmail map[string]int64, now time.Time) error {
	if len(managers) == 0 {
		return nil
	}
	find := func(title string) *Offering {
		for _, o := range offerings {
			if o.Title == title {
				return o
			}
		}
		return nil
	}
	st := newStore(tx)
	type answer struct {
		title  string
		status string
		pct    int // price against the list total, in percent
	}
	requests := []struct {
		manager                int
		subject                string
		participants, daysAgo  int
		province, budget, done string
		answers                []answer
	}{
		{0, "Webcaretraining voor het klantcontactcentrum", 14, 40, "utrecht", "5000-15000", "accepted", []answer{
			{"Webcare voor gemeenten", "accepted", 85}, {"Webcare training voor gevorderden", "not_chosen", 95}, {"Webcare tijdens een crisis", "declined", 0}}},
		{0, "Leergang leidinggeven voor teamleiders", 8, 6, "utrecht", "15000-50000", "open", []answer{
			{"Leergang leidinggeven op afstand", "offered", 90}, {"Leergang digitaal leiderschap", "offered", 80}, {"Leiderschap 2.0 voor leidinggevenden", "asked", 0}}},
		{1, "Begeleiding participatie omgevingsvisie", 1, 70, "friesland", "15000-50000", "accepted", []answer{
			{"Begeleiding dorpsgesprekken", "accepted", 92}, {"Participatietraject opzetten", "not_chosen", 100}}},
		{2, "Open data-training voor beleidsmedewerkers", 20, 100, "gelderland", "5000-15000", "accepted", []answer{
			{"Open data publiceren in een dag", "accepted", 75}, {"Cursus open data voor beginners", "not_chosen", 88}}},
		{3, "Sociale media voor het bestuurssecretariaat", 6, 3, "gelderland", "tot-5000", "open", []answer{
			{"Sociale media strategisch inzetten", "asked", 0}, {"Schrijven voor sociale media", "asked", 0}}},
	}
	for _, rq := range requests {
		m := managers[rq.manager%len(managers)]
		created := now.AddDate(0, 0, -rq.daysAgo)
		r := &QuoteRequest{OrganisationID: m.OrganisationID, CreatedBy: &m.ID, Subject: rq.subject,
			Details: "Graag een offerte inclusief voorbereiding, materiaal en reiskosten.", Participants: rq.participants, Province: rq.province,
			StartsAfter: created.AddDate(0, 1, 0).Truncate(24 * time.Hour), EndsBefore: created.AddDate(0, 4, 0).Truncate(24 * time.Hour),
			Budget: rq.budget, Deadline: created.AddDate(0, 0, 21).Truncate(24 * time.Hour), CreatedAt: created}
		if err := st.createQuoteRequest(ctx, r); err != nil {
			return err
		}
		for k, a := range rq.answers {
			o := find(a.title)
			if o == nil {
				return fmt.Errorf("catalogue demo: no offering %q", a.title)
			}
			q := &Quote{RequestID: r.ID, ProviderID: o.ProviderID, OfferingID: &o.ID}
			if err := st.createQuote(ctx, q); err != nil {
				return err
			}
			if err := st.logQuote(ctx, r.ID, &o.ProviderID, m.ID, "asked"); err != nil {
				return err
			}
			if a.status == "asked" {
				continue
			}
			answered := created.AddDate(0, 0, 3+k*2)
			set := "status = ?, note = ?, answered_at = ?"
			args := []any{a.status, "Wij zien af: in deze periode hebben wij geen trainers beschikbaar.", answered}
			if a.status != "declined" {
				list := o.PriceInclCents
				if o.Kind == "training" {
					list *= int64(r.Participants)
				}
				incl := list * int64(a.pct) / 100
				excl := incl * 100 / int64(100+o.VATPercent)
				set += ", price_excl_cents = ?, vat_percent = ?, price_incl_cents = ?, start_dates = ?::date[]"
				args = []any{a.status, "Inclusief voorbereiding, materiaal en een terugkombijeenkomst; uitgevoerd door onze vaste trainers.", answered,
					excl, o.VATPercent, excl + (excl*int64(o.VATPercent)+50)/100, textArray([]string{r.StartsAfter.AddDate(0, 0, 14).Format("2006-01-02")})}
			}
			if _, err := tx.NewRaw("UPDATE catalogue_quotes SET "+set+" WHERE id = ?", append(args, q.ID)...).Exec(ctx); err != nil {
				return fmt.Errorf("catalogue demo: quote: %w", err)
			}
			action := map[string]string{"offered": "offered", "declined": "declined", "accepted": "offered", "not_chosen": "offered"}[a.status]
			if err := st.logQuote(ctx, r.ID, &o.ProviderID, m.ID, action); err != nil {
				return err
			}
		}
		if rq.done == "accepted" {
			if _, err := tx.NewRaw("UPDATE catalogue_quote_requests SET status = 'accepted', decided_at = ? WHERE id = ?", created.AddDate(0, 0, 22), r.ID).Exec(ctx); err != nil {
				return fmt.Errorf("catalogue demo: accept: %w", err)
			}
			if err := st.logQuote(ctx, r.ID, nil, m.ID, "accepted"); err != nil {
				return err
			}
		}
	}
	return nil
}
