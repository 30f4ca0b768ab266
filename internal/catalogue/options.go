package catalogue

// Option is a fixed value with its Dutch label.
type Option struct{ Value, Label string }

// Options is a fixed list of values.
type Options []Option

// Label is the Dutch label of v, or v itself when unknown.
func (o Options) Label(v string) string {
	for _, x := range o {
		if x.Value == v {
			return x.Label
		}
	}
	return v
}

// Has reports whether v is one of the values.
func (o Options) Has(v string) bool {
	for _, x := range o {
		if x.Value == v {
			return true
		}
	}
	return false
}

// The fixed lists of the Gids.
var (
	ProviderKinds = Options{
		{"institute", "Opleidingsinstituut"},
		{"firm", "Adviesbureau"},
		{"independent", "Zelfstandig adviseur"},
	}
	OfferingKinds = Options{{"training", "Training"}, {"advice", "Advies"}}
	Themes        = Options{
		{"webcare", "Webcare"},
		{"sociale-media", "Sociale media"},
		{"online-samenwerken", "Online samenwerken"},
		{"kennisdelen", "Kennisdelen"},
		{"leiderschap", "Leiderschap 2.0"},
		{"participatie", "Participatie"},
		{"open-data", "Open data"},
		{"open-overheid", "Open overheid"},
		{"digitale-vaardigheden", "Digitale vaardigheden"},
		{"netwerkorganisatie", "Netwerkorganisatie"},
	}
	Provinces = Options{
		{"drenthe", "Drenthe"}, {"flevoland", "Flevoland"}, {"friesland", "Fryslân"},
		{"gelderland", "Gelderland"}, {"groningen", "Groningen"}, {"limburg", "Limburg"},
		{"noord-brabant", "Noord-Brabant"}, {"noord-holland", "Noord-Holland"}, {"overijssel", "Overijssel"},
		{"utrecht", "Utrecht"}, {"zeeland", "Zeeland"}, {"zuid-holland", "Zuid-Holland"},
		{"landelijk", "Landelijk"}, {"online", "Online"},
	}
	Formats = Options{
		{"klassikaal", "Klassikaal"}, {"online", "Online"}, {"blended", "Blended"}, {"incompany", "In-company"},
	}
	Languages    = Options{{"nl", "Nederlands"}, {"en", "Engels"}}
	QualityMarks = Options{{"crkbo", "CRKBO-registratie"}, {"nrto", "NRTO-keurmerk"}}
	VATRates     = Options{{"21", "21% btw"}, {"9", "9% btw"}, {"0", "Vrijgesteld van btw (bijvoorbeeld CRKBO)"}}
	Budgets      = Options{
		{"tot-5000", "tot € 5.000"}, {"5000-15000", "€ 5.000 – € 15.000"},
		{"15000-50000", "€ 15.000 – € 50.000"}, {"vanaf-50000", "vanaf € 50.000"},
	}
	Sorts = Options{
		{"relevantie", "Relevantie"}, {"waardering", "Waardering"}, {"prijs", "Prijs (laag–hoog)"}, {"nieuw", "Nieuwste"},
	}
	// Criteria are the rated aspects of a review besides the overall score.
	Criteria = Options{
		{"content", "Inhoud"}, {"applicability", "Praktische toepasbaarheid"},
		{"teacher", "Docent/adviseur"}, {"value", "Prijs-kwaliteit"},
	}
	CertificateKinds = Options{{"trainer", "Gecertificeerd trainer"}, {"adviser", "Gecertificeerd adviseur"}, {"training", "Gecertificeerde opleiding"}}
)
