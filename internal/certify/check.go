package certify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Checking a credential someone shows: a VC-JWT or the JSON of an Open
// Badges credential, pasted or uploaded.

// Outcome is what checking a credential found.
type Outcome string

// The outcomes. Only a genuine credential (ours, unaltered) gets one of the
// first five.
const (
	OutcomeValid      Outcome = "valid"
	OutcomeExpired    Outcome = "expired"
	OutcomeSuspended  Outcome = "suspended"
	OutcomeRevoked    Outcome = "revoked"
	OutcomeSuperseded Outcome = "superseded"
	OutcomeForged     Outcome = "forged"     // claims to be ours but is altered, unsigned or signed by another key
	OutcomeForeign    Outcome = "foreign"    // another issuer's credential: not ours to judge
	OutcomeUnreadable Outcome = "unreadable" // not a credential at all
)

// Label is the Dutch word for the outcome.
func (o Outcome) Label() string {
	switch o {
	case OutcomeForged:
		return "vervalst"
	case OutcomeForeign:
		return "niet van ons"
	case OutcomeUnreadable:
		return "onleesbaar"
	}
	return StatusLabel(string(o))
}

// Genuine reports whether the credential is one we issued, unaltered
// (whatever its status now).
func (o Outcome) Genuine() bool {
	return o != OutcomeForged && o != OutcomeForeign && o != OutcomeUnreadable
}

// MaxCredentialSize is the largest credential text accepted for a check.
const MaxCredentialSize = 256 << 10

// CredentialCheck is the verdict on a credential document, for people (the
// verify page) and machines (the API) alike.
type CredentialCheck struct {
	Outcome  Outcome
	Valid    bool
	Format   string   // "VC-JWT" or "JSON"; "" when unreadable
	Headline string   // "Echt en geldig"
	Sentence string   // the verdict in plain Dutch
	Reasons  []string // why, one finding a line
	// What the credential states: from our register when it is genuine,
	// as the document claims it otherwise.
	Number      string
	HolderName  string
	Achievement string
	IssuerName  string
	IssuedAt    *time.Time
	ExpiresAt   *time.Time
	Cert        *Certificate // our record, when the document is genuine
	CheckedAt   time.Time
}

// claimed is what a credential document says about itself.
type claimed struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	ValidFrom  string `json:"validFrom"`
	ValidUntil string `json:"validUntil"`
	Issuer     json.RawMessage
	Subject    struct {
		Name        string `json:"name"`
		Achievement struct {
			Name string `json:"name"`
		} `json:"achievement"`
	} `json:"credentialSubject"`
	Types any `json:"type"`
}

// CheckCredential judges text, a VC-JWT or the JSON of an Open Badges
// credential. Every document gets a verdict: unreadable, another issuer's,
// forged (unsigned, signed with another key, altered, or naming no
// certificate of ours), or genuine with the certificate's status now. It
// returns a validation error on "credential" for empty or oversized text,
// and database errors.
func (s *Service) CheckCredential(ctx context.Context, text string) (*CredentialCheck, error) {
	text = strings.TrimSpace(strings.TrimPrefix(text, "\ufeff"))
	switch {
	case text == "":
		return nil, apperr.NewValidation("credential", "Plak een digitaal certificaat (VC-JWT of JSON) of kies een bestand.")
	case len(text) > MaxCredentialSize:
		return nil, apperr.NewValidation("credential", fmt.Sprintf("Dit is te groot voor een certificaat (hoogstens %d kB).", MaxCredentialSize>>10))
	}
	chk := &CredentialCheck{CheckedAt: s.now()}
	var err error
	if strings.HasPrefix(text, "{") {
		chk.Format = "JSON"
		err = s.checkJSON(ctx, chk, text)
	} else {
		chk.Format = "VC-JWT"
		err = s.checkJWT(ctx, chk, text)
	}
	if err != nil {
		return nil, err
	}
	chk.Valid = chk.Outcome == OutcomeValid
	chk.Headline, chk.Sentence = chk.words()
	return chk, nil
}

// checkJWT judges a compact JWS.
func (s *Service) checkJWT(ctx context.Context, chk *CredentialCheck, token string) error {
	parts := strings.Split(token, ".")
	var header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	var payload map[string]json.RawMessage
	if len(parts) != 3 || !decodeSegment(parts[0], &header) || !decodeSegment(parts[1], &payload) || payload == nil {
		chk.Format = ""
		return chk.unreadable("Dit is geen VC-JWT (drie delen, gescheiden door punten) en ook geen JSON-certificaat.")
	}
	doc := chk.claim(payload)
	issuer := issuerID(doc.Issuer)
	if iss, ok := payload["iss"]; ok {
		_ = json.Unmarshal(iss, &issuer)
	}
	switch {
	case header.Alg == "" || strings.EqualFold(header.Alg, "none"):
		chk.forged("Het certificaat is niet ondertekend (alg: " + orDash(header.Alg) + "). Iedereen kan zo'n bestand maken; het bewijst niets.")
		return nil
	case issuer != s.Issuer().ID:
		chk.foreign(issuer)
		return nil
	case header.Alg != AlgRS256 && header.Alg != AlgEdDSA:
		chk.forged(fmt.Sprintf("Het certificaat is ondertekend met %s. Dat doen wij nooit: onze certificaten zijn ondertekend met RS256 (of, van vóór december 2026, EdDSA).", header.Alg))
		return nil
	}
	key, err := s.store.signingKey(ctx, strings.TrimPrefix(header.Kid, KeyURL(s.baseURL, "")))
	if errors.Is(err, ErrNotFound) {
		chk.forged("Het certificaat is ondertekend met een sleutel die niet van ons is (kid " + orDash(header.Kid) + "). Onze sleutels staan op " + s.baseURL + "/.well-known/jwks.json.")
		return nil
	}
	if err != nil {
		return err
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(key.Alg)})
	if err != nil {
		chk.forged(fmt.Sprintf("Het certificaat noemt onze sleutel, maar is niet met het algoritme van die sleutel (%s) ondertekend.", key.Alg))
		return nil
	}
	public, err := key.public()
	if err != nil {
		return err
	}
	if _, err := jws.Verify(public); err != nil {
		chk.forged("De handtekening klopt niet bij de inhoud: het certificaat is na ondertekening veranderd, of de handtekening is nagemaakt.")
		return nil
	}
	chk.Reasons = append(chk.Reasons, "De handtekening is echt: gezet met onze sleutel "+key.ID+" ("+key.Alg+"), en de inhoud is sindsdien niet veranderd.")
	return s.judgeRecord(ctx, chk, doc.ID, nil)
}

// checkJSON judges the JSON of a credential. It carries no signature of
// its own, so it must match what we issued word for word.
func (s *Service) checkJSON(ctx context.Context, chk *CredentialCheck, text string) error {
	var doc map[string]any
	dec := json.NewDecoder(strings.NewReader(text))
	if err := dec.Decode(&doc); err != nil || doc == nil || dec.More() {
		chk.Format = ""
		return chk.unreadable("Dit is geen geldige JSON en ook geen VC-JWT.")
	}
	c := chk.claim(doc)
	if !hasType(c.Types, "VerifiableCredential") {
		return chk.unreadable("Dit JSON-bestand is geen verifiable credential: het type VerifiableCredential ontbreekt.")
	}
	if issuer := issuerID(c.Issuer); issuer != s.Issuer().ID {
		chk.foreign(issuer)
		return nil
	}
	return s.judgeRecord(ctx, chk, c.ID, doc)
}

// judgeRecord finds our certificate by the credential's id and judges its
// status now. asShown, when not nil, is an unsigned JSON credential that
// must equal ours.
func (s *Service) judgeRecord(ctx context.Context, chk *CredentialCheck, id string, asShown map[string]any) error {
	rest, ours := strings.CutPrefix(id, s.baseURL+"/certificaten/")
	number, isJSON := strings.CutSuffix(rest, ".json")
	if !ours || !isJSON {
		number = ""
	}
	cert, err := s.store.CertificateByNumber(ctx, number)
	if errors.Is(err, ErrNotFound) {
		chk.forged("Het certificaat noemt ons als uitgever, maar wij hebben geen certificaat met dit kenmerk (" + orDash(id) + ") uitgegeven.")
		return nil
	}
	if err != nil {
		return err
	}
	if asShown != nil {
		ours, _ := json.Marshal(s.Credential(cert)) // built of strings, numbers and maps: always marshals
		var want map[string]any
		_ = json.Unmarshal(ours, &want)
		if diffs := jsonDiff("", want, asShown); len(diffs) > 0 {
			chk.forged("Het bestand wijkt af van het certificaat dat wij uitgaven:")
			chk.Reasons = append(chk.Reasons, diffs...)
			return nil
		}
		chk.Reasons = append(chk.Reasons, "Dit JSON-bestand heeft geen eigen handtekening; het is woord voor woord gelijk aan het certificaat in ons register.")
	}
	v := s.Verdict(cert, chk.CheckedAt)
	chk.Outcome, chk.Cert, chk.Number = Outcome(v.Status), cert, cert.Number
	chk.HolderName, chk.Achievement, chk.IssuerName = cert.HolderName, cert.Title, IssuerName
	issued := cert.IssuedAt
	chk.IssuedAt, chk.ExpiresAt = &issued, cert.ExpiresAt
	chk.Reasons = append(chk.Reasons, v.Sentence)
	return nil
}

// claim fills in what doc (a decoded JSON object) says about itself, and
// returns it.
func (chk *CredentialCheck) claim(doc any) claimed {
	raw, _ := json.Marshal(doc) // a decoded object always marshals
	var c claimed
	_ = json.Unmarshal(raw, &c) // fields of the wrong type stay empty
	chk.HolderName, chk.Achievement = c.Subject.Name, c.Subject.Achievement.Name
	if chk.Achievement == "" {
		chk.Achievement = c.Name
	}
	var profile struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(c.Issuer, &profile) == nil && profile.Name != "" {
		chk.IssuerName = profile.Name
	} else {
		chk.IssuerName = issuerID(c.Issuer)
	}
	for _, d := range []struct {
		text string
		to   **time.Time
	}{{c.ValidFrom, &chk.IssuedAt}, {c.ValidUntil, &chk.ExpiresAt}} {
		if t, err := time.Parse(time.RFC3339, d.text); err == nil {
			*d.to = &t
		}
	}
	return c
}

func (chk *CredentialCheck) unreadable(reason string) error {
	chk.Outcome, chk.Reasons = OutcomeUnreadable, []string{reason}
	return nil
}

func (chk *CredentialCheck) forged(reason string) {
	chk.Outcome = OutcomeForged
	chk.Reasons = append(chk.Reasons, reason)
}

func (chk *CredentialCheck) foreign(issuer string) {
	chk.Outcome = OutcomeForeign
	chk.Reasons = append(chk.Reasons, "De uitgever is "+orDash(issuer)+", niet het "+IssuerName+". Wij kunnen alleen certificaten controleren die wij zelf uitgaven; vraag de uitgever om dit certificaat te controleren.")
}

// words are the headline and the verdict in one sentence.
func (chk *CredentialCheck) words() (string, string) {
	who := chk.HolderName
	if who == "" {
		who = "de houder"
	}
	switch chk.Outcome {
	case OutcomeValid:
		return "Echt en geldig", fmt.Sprintf("Dit certificaat is echt en geldig: %s, voor %s, uitgegeven door het %s.", who, chk.Achievement, IssuerName)
	case OutcomeExpired:
		return "Echt, maar verlopen", fmt.Sprintf("Dit certificaat is echt, maar verlopen op %s: het is niet meer geldig.", web.DutchDate(derefTime(chk.ExpiresAt)))
	case OutcomeSuspended:
		return "Echt, maar geschorst", "Dit certificaat is echt, maar geschorst: het is op dit moment niet geldig."
	case OutcomeRevoked:
		return "Echt, maar ingetrokken", "Dit certificaat is echt, maar ingetrokken: het is niet geldig."
	case OutcomeSuperseded:
		return "Echt, maar vervangen", "Dit certificaat is echt, maar vervangen door een nieuwer certificaat: het is zelf niet meer geldig."
	case OutcomeForged:
		return "Vervalst of veranderd", "Dit is geen echt certificaat van het " + IssuerName + ". Vertrouw het niet."
	case OutcomeForeign:
		return "Niet door ons uitgegeven", "Dit certificaat is niet door het " + IssuerName + " uitgegeven; wij kunnen het niet beoordelen."
	}
	return "Geen leesbaar certificaat", "Dit is geen digitaal certificaat dat wij kunnen lezen."
}

// decodeSegment decodes one base64url part of a compact JWS into v.
func decodeSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	return err == nil && json.Unmarshal(b, v) == nil
}

func hasType(types any, want string) bool {
	switch t := types.(type) {
	case string:
		return t == want
	case []any:
		return slices.Contains(t, any(want))
	}
	return false
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// maxDiffs bounds the differences listed.
const maxDiffs = 6

// jsonDiff lists, in Dutch, where got differs from want (both decoded
// JSON), path first.
func jsonDiff(path string, want, got any) []string {
	if reflect.DeepEqual(want, got) {
		return nil
	}
	w, wok := want.(map[string]any)
	g, gok := got.(map[string]any)
	if !wok || !gok {
		wl, wlok := want.([]any)
		gl, glok := got.([]any)
		if wlok && glok && len(wl) == len(gl) {
			var out []string
			for i := range wl {
				out = append(out, jsonDiff(fmt.Sprintf("%s[%d]", path, i), wl[i], gl[i])...)
			}
			return out[:min(len(out), maxDiffs)]
		}
		return []string{fmt.Sprintf("%s: in het bestand %s, bij ons %s.", orDash(path), shortJSON(got), shortJSON(want))}
	}
	keys := map[string]bool{}
	for k := range w {
		keys[k] = true
	}
	for k := range g {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []string
	for _, k := range sorted {
		p := k
		if path != "" {
			p = path + "." + k
		}
		wv, inW := w[k]
		gv, inG := g[k]
		switch {
		case !inW:
			out = append(out, p+": staat in het bestand, maar niet in ons certificaat.")
		case !inG:
			out = append(out, p+": ontbreekt in het bestand.")
		default:
			out = append(out, jsonDiff(p, wv, gv)...)
		}
		if len(out) >= maxDiffs {
			return out[:maxDiffs]
		}
	}
	return out
}

func shortJSON(v any) string {
	b, _ := json.Marshal(v) // decoded JSON always marshals
	return shorten(string(b), 80)
}
