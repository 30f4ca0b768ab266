package catalogue

// The demo catalogue: fictitious providers (.example addresses, invented
// names) across every theme, province and format, so that a first visit
// finds a Gids that looks lived in.

type demoOffering struct {
	Kind, Title, Description string
	Themes, Provinces        []string
	Format                   string
	Hours                    float64
	PriceEuros               int64
	VAT                      int
	CourseSlug               string
}

type demoProvider struct {
	Owner, Kind, Name, Description, Website, Email string
	Provinces, Marks                               []string
	Offerings                                      []demoOffering
}

func ps(xs ...string) []string { return xs }

var demoProviders = []demoProvider{
	{Owner: "aanbieder@ambtenaar20.example", Kind: "institute", Name: "Academie Kennislab Overheid 2.0",
		Description: "Trainingen voor ambtenaren die online willen samenwerken, kennis delen en met de samenleving in gesprek willen. Vestiging in Utrecht, trainingen door het hele land.",
		Website:     "https://academie.kennislab.example", Email: "academie@kennislab.example",
		Provinces: ps("utrecht", "noord-holland", "zuid-holland", "online"), Marks: ps("crkbo", "nrto"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Werken 2.0: de basis, begeleid", Description: "Een begeleide versie van de cursus **Werken 2.0: de basis**, in vier bijeenkomsten.\n\n- open overheid en netwerkwerken\n- veilig digitaal samenwerken\n- kennis delen in je organisatie",
				Themes: ps("online-samenwerken", "kennisdelen", "open-overheid"), Provinces: ps("utrecht", "online"), Format: "blended", Hours: 16, PriceEuros: 895, VAT: 0, CourseSlug: "werken-20-de-basis"},
			{Kind: "training", Title: "Webcare voor gemeenten", Description: "In één dag leert u reageren op berichten van inwoners op sociale media: toon, snelheid, escaleren en wat u niet zegt.",
				Themes: ps("webcare", "sociale-media"), Provinces: ps("utrecht", "noord-holland", "zuid-holland"), Format: "klassikaal", Hours: 7, PriceEuros: 495, VAT: 0, CourseSlug: "handreiking-webcare"},
			{Kind: "training", Title: "Kennis delen in de netwerkorganisatie", Description: "Twee dagdelen over kennis vindbaar maken: wiki's, communities en de gewoonte om te delen.",
				Themes: ps("kennisdelen", "netwerkorganisatie"), Provinces: ps("utrecht", "online"), Format: "online", Hours: 6, PriceEuros: 350, VAT: 0},
		}},
	{Owner: "jasper@netwerkstad.example", Kind: "firm", Name: "Netwerkstad Advies",
		Description: "Adviesbureau voor participatie en netwerksturing bij gemeenten en provincies, vanuit Arnhem en Deventer.",
		Website:     "https://netwerkstad.example", Email: "info@netwerkstad.example", Provinces: ps("gelderland", "overijssel", "landelijk"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Participatietraject opzetten", Description: "Wij begeleiden uw organisatie bij het opzetten van een participatietraject, van het eerste gesprek tot de evaluatie.",
				Themes: ps("participatie", "open-overheid"), Provinces: ps("gelderland", "overijssel", "landelijk"), Format: "incompany", Hours: 40, PriceEuros: 7800, VAT: 21},
			{Kind: "training", Title: "Leiderschap 2.0 voor leidinggevenden", Description: "Drie dagdelen over sturen op vertrouwen, netwerken en ruimte geven aan medewerkers die online werken.",
				Themes: ps("leiderschap", "netwerkorganisatie"), Provinces: ps("gelderland", "online"), Format: "online", Hours: 12, PriceEuros: 1150, VAT: 21},
			{Kind: "advice", Title: "Omgevingswet: participatie in de praktijk", Description: "Advies en begeleiding bij participatie onder de Omgevingswet: plan, uitvoering en verantwoording.",
				Themes: ps("participatie"), Provinces: ps("gelderland", "overijssel"), Format: "incompany", Hours: 32, PriceEuros: 6400, VAT: 21},
		}},
	{Owner: "sanne@opendata-atelier.example", Kind: "independent", Name: "Open Data Atelier – Sanne Visser",
		Description: "Zelfstandig adviseur en trainer open data en informatiehuishouding, vanuit Eindhoven.",
		Email:       "sanne@opendata-atelier.example", Provinces: ps("noord-brabant", "limburg", "zeeland", "online"), Marks: ps("crkbo"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Open data publiceren in een dag", Description: "Van dataset tot publicatie: licenties, metadata, privacy en het gesprek met gebruikers.",
				Themes: ps("open-data"), Provinces: ps("noord-brabant", "online"), Format: "online", Hours: 6, PriceEuros: 395, VAT: 0},
			{Kind: "advice", Title: "Datastrategie voor kleine gemeenten", Description: "In drie sessies naar een haalbare datastrategie: welke data heeft u, wat wilt u ermee, wat publiceert u.",
				Themes: ps("open-data", "digitale-vaardigheden"), Provinces: ps("noord-brabant", "limburg", "zeeland"), Format: "incompany", Hours: 12, PriceEuros: 2100, VAT: 0},
		}},
	{Owner: "fatima@gelderland.example", Kind: "independent", Name: "Fatima el Idrissi – participatie en netwerken",
		Description: "Zelfstandig adviseur die overheden begeleidt bij proefprojecten met bewoners: online participatie, netwerksturing en samenwerken over de grenzen van de organisatie.",
		Email:       "fatima@advies.example", Provinces: ps("gelderland", "overijssel", "utrecht", "landelijk"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Begeleiding van een proefproject participatie", Description: "Van projectplan tot evaluatie: ik help uw team een proefproject met bewoners op te zetten, online en op straat, en te leren van wat werkt.",
				Themes: ps("participatie", "online-samenwerken"), Provinces: ps("gelderland", "utrecht", "landelijk"), Format: "incompany", Hours: 24, PriceEuros: 2400, VAT: 21},
			{Kind: "training", Title: "Workshop bewonersavond online", Description: "Een halve dag oefenen met online bewonersavonden: voorbereiden, leiden en terugkoppelen.",
				Themes: ps("participatie", "digitale-vaardigheden"), Provinces: ps("online"), Format: "online", Hours: 4, PriceEuros: 275, VAT: 21},
		}},
	{Kind: "institute", Name: "Digitaal Vaardig Instituut", Description: "Trainingen digitale vaardigheden voor de publieke sector, landelijk en online.",
		Email: "contact@digitaalvaardig.example", Website: "https://digitaalvaardig.example", Provinces: ps("landelijk", "online"), Marks: ps("nrto"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Sociale media strategisch inzetten", Description: "Voor communicatieadviseurs: doelen, doelgroepen, contentplanning en meten wat werkt.",
				Themes: ps("sociale-media", "webcare"), Provinces: ps("landelijk", "online"), Format: "blended", Hours: 20, PriceEuros: 1295, VAT: 21},
			{Kind: "training", Title: "Kennisdelen met online communities", Description: "Hoe start en onderhoud je een community of practice binnen en tussen overheidsorganisaties?",
				Themes: ps("kennisdelen", "online-samenwerken"), Provinces: ps("online"), Format: "online", Hours: 8, PriceEuros: 450, VAT: 21},
			{Kind: "training", Title: "Cursus digitale basisvaardigheden voor ambtenaren", Description: "Zes korte online lessen: bestanden delen, veilig wachtwoordgebruik, videobellen en samen schrijven.",
				Themes: ps("digitale-vaardigheden"), Provinces: ps("online", "landelijk"), Format: "online", Hours: 6, PriceEuros: 195, VAT: 21},
		}},
	{Kind: "institute", Name: "Webcare Academie Noord", Description: "Webcaretrainingen voor gemeenten, provincies en waterschappen in Groningen, Fryslân en Drenthe.",
		Email: "info@webcare-noord.example", Website: "https://webcare-noord.example", Provinces: ps("groningen", "friesland", "drenthe"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Webcare training voor beginners", Description: "Uw eerste stappen in webcare: monitoren, reageren en samenwerken met vakafdelingen.",
				Themes: ps("webcare"), Provinces: ps("groningen", "friesland", "drenthe"), Format: "klassikaal", Hours: 7, PriceEuros: 425, VAT: 21},
			{Kind: "training", Title: "Webcare bij crisis en calamiteit", Description: "Oefen met een draaiboek: wat doet webcare bij een storm, een brand of een datalek?",
				Themes: ps("webcare", "sociale-media"), Provinces: ps("groningen", "friesland"), Format: "klassikaal", Hours: 8, PriceEuros: 595, VAT: 21},
		}},
	{Owner: "noor@samenspel.example", Kind: "firm", Name: "Bureau Samenspel",
		Description: "Adviesbureau in Den Haag voor samenwerking tussen overheid en samenleving: participatie, open overheid en netwerkorganisaties.",
		Email:       "info@samenspel.example", Website: "https://samenspel.example", Provinces: ps("zuid-holland", "utrecht", "landelijk"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Advies open overheid en de Woo", Description: "Van informatieplan tot actieve openbaarmaking: wij helpen uw organisatie de Wet open overheid waar te maken.",
				Themes: ps("open-overheid", "open-data"), Provinces: ps("zuid-holland", "landelijk"), Format: "incompany", Hours: 30, PriceEuros: 5400, VAT: 21},
			{Kind: "advice", Title: "Coaching van netwerkteams", Description: "Een coach voor teams die over de grenzen van hun organisatie samenwerken: rollen, ritme en vertrouwen.",
				Themes: ps("netwerkorganisatie", "leiderschap"), Provinces: ps("zuid-holland", "utrecht"), Format: "incompany", Hours: 20, PriceEuros: 3600, VAT: 21},
			{Kind: "training", Title: "Training participatie voor beleidsmakers", Description: "Twee dagen over participatie vanaf het begin van beleid: wie betrekt u, hoe, en wat doet u met de uitkomst?",
				Themes: ps("participatie"), Provinces: ps("zuid-holland"), Format: "klassikaal", Hours: 12, PriceEuros: 890, VAT: 21},
		}},
	{Kind: "firm", Name: "De Participatiefabriek", Description: "Ontwerpers van participatie, online en op locatie, in Noord-Holland en Flevoland.",
		Email: "hallo@participatiefabriek.example", Website: "https://participatiefabriek.example", Provinces: ps("noord-holland", "flevoland"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Digitale participatie ontwerpen", Description: "Wij ontwerpen met u een online participatieplatform dat bewoners echt gebruiken.",
				Themes: ps("participatie", "digitale-vaardigheden"), Provinces: ps("noord-holland", "flevoland"), Format: "incompany", Hours: 36, PriceEuros: 6900, VAT: 21},
			{Kind: "training", Title: "Workshop wijkgesprekken leiden", Description: "Een praktische workshop voor ambtenaren die gesprekken met bewoners leiden.",
				Themes: ps("participatie"), Provinces: ps("noord-holland"), Format: "klassikaal", Hours: 4, PriceEuros: 240, VAT: 21},
		}},
	{Kind: "institute", Name: "Leiderschapshuis Zwolle", Description: "Leergangen voor leidinggevenden bij de overheid, in Zwolle en online.",
		Email: "info@leiderschapshuis.example", Provinces: ps("overijssel", "online"), Marks: ps("nrto"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Leergang leidinggeven op afstand", Description: "Vijf bijeenkomsten over leidinggeven aan teams die hybride werken.",
				Themes: ps("leiderschap", "online-samenwerken"), Provinces: ps("overijssel", "online"), Format: "blended", Hours: 30, PriceEuros: 2450, VAT: 21},
			{Kind: "training", Title: "Masterclass leiderschap in netwerken", Description: "Een masterclass voor managers die netwerken willen leiden in plaats van lijnen.",
				Themes: ps("leiderschap", "netwerkorganisatie"), Provinces: ps("overijssel"), Format: "klassikaal", Hours: 8, PriceEuros: 795, VAT: 21},
		}},
	{Owner: "ellen@postma-advies.example", Kind: "independent", Name: "Ellen Postma Advies",
		Description: "Zelfstandig adviseur in Leeuwarden: netwerksturing, samenwerken in de regio en participatie.",
		Email:       "ellen@postma-advies.example", Provinces: ps("friesland", "groningen", "drenthe"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Regionale samenwerking op gang brengen", Description: "Begeleiding van gemeenten die in de regio willen samenwerken: van verkenning tot werkafspraken.",
				Themes: ps("netwerkorganisatie", "online-samenwerken"), Provinces: ps("friesland", "groningen"), Format: "incompany", Hours: 24, PriceEuros: 3100, VAT: 21},
			{Kind: "advice", Title: "Begeleiding dorpsgesprekken", Description: "Ik begeleid dorpsgesprekken waarin bewoners en gemeente samen plannen maken.",
				Themes: ps("participatie"), Provinces: ps("friesland", "drenthe"), Format: "incompany", Hours: 16, PriceEuros: 1900, VAT: 21},
		}},
	{Kind: "institute", Name: "Communicatiehuis Zeeland", Description: "Communicatietrainingen voor Zeeuwse overheden: schrijven, sociale media en webcare.",
		Email: "info@communicatiehuis-zeeland.example", Provinces: ps("zeeland"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Schrijven voor sociale media", Description: "Korte, heldere berichten voor inwoners: een dag oefenen met echte voorbeelden.",
				Themes: ps("sociale-media"), Provinces: ps("zeeland"), Format: "klassikaal", Hours: 6, PriceEuros: 345, VAT: 21},
			{Kind: "training", Title: "Webcare in de praktijk", Description: "Voor medewerkers van het klantcontactcentrum die ook online vragen beantwoorden.",
				Themes: ps("webcare"), Provinces: ps("zeeland"), Format: "incompany", Hours: 7, PriceEuros: 2800, VAT: 21},
		}},
	{Kind: "institute", Name: "Kennisnet Publiek", Description: "Online leren voor publieke professionals: korte cursussen die u in uw eigen tempo volgt.",
		Email: "support@kennisnet-publiek.example", Website: "https://kennisnet-publiek.example", Provinces: ps("online", "landelijk"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "E-learning open overheid", Description: "Een online cursus over openheid, de Woo en actief openbaar maken, met korte video's en oefeningen.",
				Themes: ps("open-overheid"), Provinces: ps("online"), Format: "online", Hours: 4, PriceEuros: 89, VAT: 21},
			{Kind: "training", Title: "Online cursus veilig samenwerken", Description: "Veilig samenwerken in de cloud: delen, rechten, phishing herkennen.",
				Themes: ps("online-samenwerken", "digitale-vaardigheden"), Provinces: ps("online"), Format: "online", Hours: 3, PriceEuros: 69, VAT: 21},
		}},
	{Kind: "institute", Name: "Brabantse Overheidsacademie", Description: "Opleidingen voor Brabantse gemeenten, vanuit 's-Hertogenbosch.",
		Email: "academie@brabant-overheid.example", Provinces: ps("noord-brabant"), Marks: ps("crkbo"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Opleiding netwerkend werken", Description: "Een opleiding van drie maanden voor ambtenaren die netwerkend willen werken: met collega's, ketenpartners en inwoners.",
				Themes: ps("netwerkorganisatie", "kennisdelen"), Provinces: ps("noord-brabant"), Format: "blended", Hours: 40, PriceEuros: 1850, VAT: 0},
			{Kind: "training", Title: "Training sociale media voor raadsgriffies", Description: "Een dag over sociale media in de gemeenteraad: wat mag, wat werkt, wat niet.",
				Themes: ps("sociale-media"), Provinces: ps("noord-brabant"), Format: "klassikaal", Hours: 6, PriceEuros: 395, VAT: 0},
		}},
	{Kind: "institute", Name: "Limburgs Leerhuis", Description: "Het leerhuis van de Limburgse gemeenten: trainingen in Maastricht, Venlo en online.",
		Email: "leerhuis@limburg.example", Provinces: ps("limburg", "online"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Digitale vaardigheden voor teams", Description: "Een training in-company voor teams die beter digitaal willen samenwerken.",
				Themes: ps("digitale-vaardigheden", "online-samenwerken"), Provinces: ps("limburg"), Format: "incompany", Hours: 8, PriceEuros: 2200, VAT: 0},
			{Kind: "training", Title: "Cursus kennismanagement", Description: "Hoe borgt u kennis als collega's vertrekken? Een cursus van vier avonden.",
				Themes: ps("kennisdelen"), Provinces: ps("limburg", "online"), Format: "blended", Hours: 12, PriceEuros: 560, VAT: 0},
		}},
	{Owner: "bram@kuipers-advies.example", Kind: "independent", Name: "Bram Kuipers Organisatieadvies",
		Description: "Organisatieadviseur voor overheden die anders willen werken: zelforganisatie, netwerken en leiderschap.",
		Email:       "bram@kuipers-advies.example", Provinces: ps("utrecht", "noord-holland"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Van afdeling naar netwerkteam", Description: "Begeleiding bij de overgang van een hiërarchische afdeling naar een team dat in netwerken werkt.",
				Themes: ps("netwerkorganisatie", "leiderschap"), Provinces: ps("utrecht", "noord-holland"), Format: "incompany", Hours: 30, PriceEuros: 4200, VAT: 21},
		}},
	{Kind: "firm", Name: "Open Overheid Collectief", Description: "Een collectief van adviseurs en trainers voor open overheid, open data en transparantie.",
		Email: "collectief@openoverheid.example", Website: "https://openoverheid-collectief.example", Provinces: ps("landelijk", "online"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Actief openbaar maken onder de Woo", Description: "Een training voor informatieprofessionals: wat maakt u actief openbaar en hoe?",
				Themes: ps("open-overheid"), Provinces: ps("landelijk", "online"), Format: "online", Hours: 6, PriceEuros: 420, VAT: 21},
			{Kind: "advice", Title: "Open data-scan", Description: "Wij brengen uw datasets in kaart en adviseren wat u veilig kunt publiceren.",
				Themes: ps("open-data", "open-overheid"), Provinces: ps("landelijk"), Format: "incompany", Hours: 16, PriceEuros: 2600, VAT: 21},
		}},
	{Kind: "institute", Name: "Sociale Media Studio Amsterdam", Description: "Trainingen in sociale media en webcare voor overheden, in Amsterdam.",
		Email: "studio@socialemedia-amsterdam.example", Provinces: ps("noord-holland"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Video voor sociale media", Description: "Korte video's maken met uw telefoon: verhaal, beeld, ondertiteling en toegankelijkheid.",
				Themes: ps("sociale-media", "digitale-vaardigheden"), Provinces: ps("noord-holland"), Format: "klassikaal", Hours: 7, PriceEuros: 450, VAT: 21},
			{Kind: "training", Title: "Webcare training voor gevorderden", Description: "Voor ervaren webcaremedewerkers: lastige gesprekken, trollen en de-escaleren.",
				Themes: ps("webcare"), Provinces: ps("noord-holland", "online"), Format: "blended", Hours: 10, PriceEuros: 690, VAT: 21},
		}},
	{Kind: "firm", Name: "Data & Democratie", Description: "Advies over data, algoritmen en democratische controle voor gemeenten en provincies.",
		Email: "info@data-democratie.example", Provinces: ps("zuid-holland", "utrecht"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Algoritmeregister opzetten", Description: "Wij helpen uw organisatie een algoritmeregister op te zetten en bij te houden.",
				Themes: ps("open-data", "open-overheid"), Provinces: ps("zuid-holland", "utrecht"), Format: "incompany", Hours: 24, PriceEuros: 4800, VAT: 21},
			{Kind: "training", Title: "Workshop datagedreven werken", Description: "Een workshop voor beleidsmedewerkers: vragen stellen aan data en de antwoorden wegen.",
				Themes: ps("open-data", "digitale-vaardigheden"), Provinces: ps("zuid-holland"), Format: "klassikaal", Hours: 4, PriceEuros: 295, VAT: 21},
		}},
	{Kind: "firm", Name: "Flevolands Innovatielab", Description: "Een lab in Almere waar overheden nieuwe manieren van werken uitproberen.",
		Email: "lab@flevoland-innovatie.example", Provinces: ps("flevoland"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Proeftuin voor nieuwe werkvormen", Description: "Drie maanden experimenteren met nieuwe werkvormen, met begeleiding en een evaluatie.",
				Themes: ps("netwerkorganisatie", "online-samenwerken"), Provinces: ps("flevoland"), Format: "incompany", Hours: 48, PriceEuros: 8500, VAT: 21},
			{Kind: "training", Title: "Training design thinking voor ambtenaren", Description: "Twee dagen design thinking: van probleem naar prototype, samen met inwoners.",
				Themes: ps("participatie", "leiderschap"), Provinces: ps("flevoland", "online"), Format: "blended", Hours: 14, PriceEuros: 980, VAT: 21},
		}},
	{Kind: "institute", Name: "Trainingsbureau Helder", Description: "Trainingen in helder schrijven en webcare voor overheden in Gelderland.",
		Email: "info@trainingsbureau-helder.example", Provinces: ps("gelderland"), Marks: ps("crkbo"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Helder schrijven voor webcare", Description: "Antwoorden die inwoners begrijpen: taalniveau B1, toon en structuur.",
				Themes: ps("webcare", "sociale-media"), Provinces: ps("gelderland"), Format: "klassikaal", Hours: 6, PriceEuros: 365, VAT: 0},
			{Kind: "training", Title: "Workshop toegankelijke berichten", Description: "Berichten die iedereen kan lezen en horen: alt-teksten, ondertiteling en eenvoudige taal.",
				Themes: ps("digitale-vaardigheden", "sociale-media"), Provinces: ps("gelderland", "online"), Format: "online", Hours: 3, PriceEuros: 175, VAT: 0},
		}},
	{Kind: "independent", Name: "Yasmina Amrani – coach digitale vaardigheden", Description: "Coach voor ambtenaren die digitaal vaardiger en wendbaarder willen werken.",
		Email: "yasmina@amrani-coaching.example", Provinces: ps("zuid-holland", "online"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Persoonlijke coaching digitaal werken", Description: "Vijf coachgesprekken over uw eigen digitale werkwijze: tools, gewoonten en grenzen.",
				Themes: ps("digitale-vaardigheden"), Provinces: ps("zuid-holland", "online"), Format: "online", Hours: 5, PriceEuros: 650, VAT: 21},
			{Kind: "training", Title: "Workshop slim online vergaderen", Description: "Online vergaderingen die korter en beter zijn: voorbereiden, leiden en vastleggen.",
				Themes: ps("online-samenwerken", "digitale-vaardigheden"), Provinces: ps("online"), Format: "online", Hours: 3, PriceEuros: 150, VAT: 21},
		}},
	{Kind: "institute", Name: "Drentse Netwerkacademie", Description: "De academie van de Drentse overheden, in Assen.",
		Email: "academie@drenthe-netwerk.example", Provinces: ps("drenthe"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Opleiding samenwerken in de keten", Description: "Een opleiding voor ambtenaren die in zorg- en veiligheidsketens samenwerken.",
				Themes: ps("netwerkorganisatie", "online-samenwerken"), Provinces: ps("drenthe"), Format: "klassikaal", Hours: 24, PriceEuros: 1250, VAT: 0},
			{Kind: "training", Title: "Cursus open data voor beginners", Description: "Wat is open data, wat heeft uw gemeente, en hoe zet u een eerste dataset online?",
				Themes: ps("open-data"), Provinces: ps("drenthe", "online"), Format: "online", Hours: 4, PriceEuros: 195, VAT: 0},
		}},
	{Kind: "firm", Name: "Grensverleggers Advies", Description: "Advies voor grensoverschrijdende samenwerking van overheden in Limburg en Brabant.",
		Email: "info@grensverleggers.example", Provinces: ps("limburg", "noord-brabant"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Samenwerken over de grens", Description: "Begeleiding van samenwerking met Belgische en Duitse overheden: netwerken, afspraken en kennisdeling.",
				Themes: ps("netwerkorganisatie", "kennisdelen"), Provinces: ps("limburg", "noord-brabant"), Format: "incompany", Hours: 28, PriceEuros: 4600, VAT: 21},
		}},
	{Kind: "independent", Name: "Thijs van Leeuwen – webcare en crisiscommunicatie", Description: "Zelfstandig trainer en adviseur webcare en crisiscommunicatie, in Utrecht.",
		Email: "thijs@vanleeuwen-webcare.example", Provinces: ps("utrecht", "online"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Webcare tijdens een crisis", Description: "Een oefendag met een gesimuleerde crisis: wat zegt u online, wanneer, en wie beslist?",
				Themes: ps("webcare"), Provinces: ps("utrecht", "online"), Format: "klassikaal", Hours: 7, PriceEuros: 520, VAT: 21},
			{Kind: "advice", Title: "Advies webcare-organisatie", Description: "Hoe richt u webcare in: bezetting, escalatie, tone of voice en rapportage.",
				Themes: ps("webcare", "sociale-media"), Provinces: ps("utrecht", "landelijk"), Format: "incompany", Hours: 12, PriceEuros: 1800, VAT: 21},
		}},
	{Kind: "institute", Name: "Academie voor Digitaal Leiderschap", Description: "Landelijke academie voor leidinggevenden die hun organisatie digitaal willen laten groeien.",
		Email: "info@digitaal-leiderschap.example", Website: "https://digitaal-leiderschap.example", Provinces: ps("landelijk", "online"), Marks: ps("nrto"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Leergang digitaal leiderschap", Description: "Zes maanden, zes modules: strategie, cultuur, data, veiligheid, samenwerken en verandering.",
				Themes: ps("leiderschap", "digitale-vaardigheden"), Provinces: ps("landelijk", "online"), Format: "blended", Hours: 60, PriceEuros: 4950, VAT: 21},
			{Kind: "training", Title: "Masterclass open leiderschap", Description: "Een dag met bestuurders over openheid, kwetsbaarheid en publiek leiderschap.",
				Themes: ps("leiderschap", "open-overheid"), Provinces: ps("landelijk"), Format: "klassikaal", Hours: 7, PriceEuros: 1195, VAT: 21},
		}},
	{Kind: "firm", Name: "Samen Slim Advies", Description: "Adviseurs voor kennisdelen en samenwerken bij gemeenten in Overijssel en Gelderland.",
		Email: "info@samenslim.example", Provinces: ps("overijssel", "gelderland"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Kennisplatform inrichten", Description: "Wij helpen u een kennisplatform kiezen, inrichten en levend houden.",
				Themes: ps("kennisdelen", "online-samenwerken"), Provinces: ps("overijssel", "gelderland"), Format: "incompany", Hours: 20, PriceEuros: 3200, VAT: 21},
			{Kind: "training", Title: "Training community management", Description: "Twee dagen voor wie een online community van collega's trekt.",
				Themes: ps("kennisdelen", "sociale-media"), Provinces: ps("overijssel", "online"), Format: "blended", Hours: 12, PriceEuros: 760, VAT: 21},
		}},
	{Kind: "institute", Name: "Waterschapsacademie Rivierenland", Description: "Opleidingen voor waterschappen, vanuit Tiel.",
		Email: "academie@rivierenland.example", Provinces: ps("gelderland", "utrecht", "zuid-holland"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Omgevingsgericht werken voor waterschappen", Description: "Een training over samenwerken met bewoners, boeren en gemeenten rond water.",
				Themes: ps("participatie", "netwerkorganisatie"), Provinces: ps("gelderland", "utrecht"), Format: "klassikaal", Hours: 14, PriceEuros: 840, VAT: 0},
			{Kind: "training", Title: "Webcare voor waterschappen", Description: "Reageren op vragen over hoogwater, heffingen en werkzaamheden: een praktijkdag.",
				Themes: ps("webcare"), Provinces: ps("gelderland", "zuid-holland"), Format: "incompany", Hours: 6, PriceEuros: 2400, VAT: 0},
		}},
	{Kind: "independent", Name: "Sietske Hoekstra – kennisdeling Fryslân", Description: "Zelfstandig trainer kennisdeling en samenwerken, in Leeuwarden en online. Trainingen ook in het Fries.",
		Email: "sietske@hoekstra-kennis.example", Provinces: ps("friesland", "online"),
		Offerings: []demoOffering{
			{Kind: "training", Title: "Workshop kennis delen in kleine teams", Description: "Een middag over kennis delen als u met weinig collega's veel moet doen.",
				Themes: ps("kennisdelen"), Provinces: ps("friesland"), Format: "klassikaal", Hours: 4, PriceEuros: 210, VAT: 0},
			{Kind: "training", Title: "Online samenwerken voor gemeenteraden", Description: "Voor raadsleden en griffies: samen online documenten maken en delen.",
				Themes: ps("online-samenwerken"), Provinces: ps("friesland", "groningen", "online"), Format: "online", Hours: 3, PriceEuros: 140, VAT: 0},
		}},
	{Kind: "firm", Name: "Stadsgesprek Rotterdam", Description: "Adviesbureau voor stadsgesprekken en participatie in grote steden.",
		Email: "info@stadsgesprek.example", Provinces: ps("zuid-holland", "noord-holland"),
		Offerings: []demoOffering{
			{Kind: "advice", Title: "Stadsgesprek organiseren", Description: "Wij organiseren met u een stadsgesprek over een grote opgave: voorbereiding, gespreksleiding en verslag.",
				Themes: ps("participatie", "open-overheid"), Provinces: ps("zuid-holland", "noord-holland"), Format: "incompany", Hours: 30, PriceEuros: 5900, VAT: 21},
			{Kind: "training", Title: "Cursus gespreksleiding voor ambtenaren", Description: "Drie avonden oefenen met gespreksleiding bij bewonersavonden en stadsgesprekken.",
				Themes: ps("participatie", "leiderschap"), Provinces: ps("zuid-holland"), Format: "klassikaal", Hours: 9, PriceEuros: 540, VAT: 21},
		}},
}
