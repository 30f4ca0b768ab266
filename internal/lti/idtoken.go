package lti

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// leeway is the clock difference allowed between platform and tool.
const leeway = time.Minute

// maxTokenBytes bounds an id_token; real ones are a few kilobytes.
const maxTokenBytes = 64 << 10

// Launch errors about the token itself.
var (
	errTokenMissing   = apperr.Msg(apperr.ErrInvalid, "Uw leeromgeving stuurde geen bewijs van aanmelding (id_token) mee. Start de activiteit opnieuw vanuit uw leeromgeving.")
	errTokenMalformed = apperr.Msg(apperr.ErrInvalid, "Het bewijs van aanmelding (id_token) is geen geldig ondertekend JWT.")
	errAlgNone        = apperr.Msg(apperr.ErrUnauthorized, "Het bewijs van aanmelding is niet ondertekend (alg none). Zo'n bewijs nemen we niet aan.")
	errAlgShared      = apperr.Msg(apperr.ErrUnauthorized, "Het bewijs van aanmelding is ondertekend met een gedeeld geheim (HMAC) in plaats van met de RSA-sleutel van uw leeromgeving. Zo'n bewijs nemen we niet aan.")
	errAlgOther       = apperr.Msg(apperr.ErrUnauthorized, "Het bewijs van aanmelding is ondertekend met een algoritme dat wij niet aannemen; LTI 1.3 vraagt RS256.")
	errWrongAudience  = apperr.Msg(apperr.ErrUnauthorized, "Het bewijs van aanmelding is voor een andere tool bestemd (aud/azp komt niet overeen met de client-ID).")
	errUnknownKey     = apperr.Msg(apperr.ErrUnauthorized, "Het bewijs van aanmelding is ondertekend met een sleutel die uw leeromgeving niet publiceert (kid onbekend).")
	errBadSignature   = apperr.Msg(apperr.ErrUnauthorized, "De handtekening van het bewijs van aanmelding klopt niet: het is onderweg veranderd of niet door uw leeromgeving ondertekend.")
	errExpired        = apperr.Msg(apperr.ErrUnauthorized, "Het bewijs van aanmelding is verlopen. Start de activiteit opnieuw vanuit uw leeromgeving.")
	errNotYetValid    = apperr.Msg(apperr.ErrUnauthorized, "Het bewijs van aanmelding is nog niet geldig of komt uit de toekomst; staat de klok van uw leeromgeving goed?")
	errClaimsUnread   = apperr.Msg(apperr.ErrInvalid, "De gegevens in het bewijs van aanmelding zijn niet te lezen (een claim heeft het verkeerde type).")
	errWrongVersion   = apperr.Msg(apperr.ErrInvalid, "Uw leeromgeving spreekt een andere LTI-versie; deze tool ondersteunt LTI 1.3.0.")
	errMessageType    = apperr.Msg(apperr.ErrInvalid, "Uw leeromgeving stuurde een soort bericht dat deze tool niet kent; wij verwerken LtiResourceLinkRequest en LtiDeepLinkingRequest.")
	errKeysDown       = apperr.Msg(apperr.ErrUnavailable, "De sleutels van uw leeromgeving zijn nu niet op te halen, dus we kunnen uw aanmelding niet controleren. Probeer het over een paar minuten opnieuw.")
)

// missing is the error for an absent required claim.
func missing(claim string) error {
	return apperr.Msg(apperr.ErrInvalid, fmt.Sprintf("Het bewijs van aanmelding mist een verplicht gegeven: %s.", claim))
}

// invalidClaim is the error for a claim with an unusable value.
func invalidClaim(claim, why string) error {
	return apperr.Msg(apperr.ErrInvalid, fmt.Sprintf("Het gegeven %s in het bewijs van aanmelding is niet bruikbaar: %s.", claim, why))
}

// launchClaims are the claims of an LTI 1.3 id_token the tool reads.
type launchClaims struct {
	Issuer     string           `json:"iss"`
	Subject    string           `json:"sub"`
	Audience   jwt.Audience     `json:"aud"`
	Expiry     *jwt.NumericDate `json:"exp"`
	IssuedAt   *jwt.NumericDate `json:"iat"`
	NotBefore  *jwt.NumericDate `json:"nbf"`
	AZP        string           `json:"azp"`
	Nonce      string           `json:"nonce"`
	Name       string           `json:"name"`
	GivenName  string           `json:"given_name"`
	FamilyName string           `json:"family_name"`
	Email      string           `json:"email"`

	MessageType   string   `json:"https://purl.imsglobal.org/spec/lti/claim/message_type"`
	Version       string   `json:"https://purl.imsglobal.org/spec/lti/claim/version"`
	DeploymentID  string   `json:"https://purl.imsglobal.org/spec/lti/claim/deployment_id"`
	TargetLinkURI string   `json:"https://purl.imsglobal.org/spec/lti/claim/target_link_uri"`
	Roles         []string `json:"https://purl.imsglobal.org/spec/lti/claim/roles"`
	ResourceLink  *struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"https://purl.imsglobal.org/spec/lti/claim/resource_link"`
	Custom       map[string]any `json:"https://purl.imsglobal.org/spec/lti/claim/custom"`
	Presentation *struct {
		DocumentTarget string `json:"document_target"`
		ReturnURL      string `json:"return_url"`
	} `json:"https://purl.imsglobal.org/spec/lti/claim/launch_presentation"`
	AGS *struct {
		Scope     []string `json:"scope"`
		LineItems string   `json:"lineitems"`
		LineItem  string   `json:"lineitem"`
	} `json:"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"`
	DeepLinking *struct {
		ReturnURL     string          `json:"deep_link_return_url"`
		AcceptTypes   []string        `json:"accept_types"`
		AcceptTargets []string        `json:"accept_presentation_document_targets"`
		Data          json.RawMessage `json:"data"`
	} `json:"https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"`

	rolesGiven bool // the roles claim was present (it may be an empty list)
}

// verifyIDToken checks an id_token: its signature against the key set of
// the platform it names (RS256 only), issuer, audience (and azp), expiry,
// version, message type, deployment and the claims each message type needs.
// It returns the platform and the claims, and stores nothing. The nonce is
// checked by the caller against the login it belongs to.
func (s *Service) verifyIDToken(ctx context.Context, raw string) (*Platform, *launchClaims, error) {
	if raw == "" {
		return nil, nil, errTokenMissing
	}
	if len(raw) > maxTokenBytes || strings.Count(raw, ".") != 2 {
		return nil, nil, errTokenMalformed
	}
	if err := checkAlg(raw); err != nil {
		return nil, nil, err
	}
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, nil, errTokenMalformed
	}
	var peek struct {
		Issuer   string       `json:"iss"`
		Audience jwt.Audience `json:"aud"`
	}
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &peek); err != nil {
		return nil, nil, errClaimsUnread
	}
	if peek.Issuer == "" {
		return nil, nil, missing("iss")
	}
	p, err := s.platformFor(ctx, peek.Issuer, peek.Audience)
	if err != nil {
		return nil, nil, err
	}
	key, found, err := s.keys.key(ctx, p.JWKSURL, jws.Signatures[0].Header.KeyID)
	if errors.Is(err, errKeySetUnavailable) {
		s.log.Warn("lti: platform key set unavailable", "platform", p.ID, "err", err)
		return nil, nil, errKeysDown
	}
	if err != nil {
		return nil, nil, err
	}
	if !found {
		return nil, nil, errUnknownKey
	}
	payload, err := jws.Verify(key)
	if err != nil {
		return nil, nil, errBadSignature
	}
	c, err := decodeClaims(payload)
	if err != nil {
		return nil, nil, err
	}
	if err := c.check(p, s.now()); err != nil {
		return nil, nil, err
	}
	return p, c, nil
}

// checkAlg refuses, with a message that says why, tokens not signed RS256:
// unsigned ones (alg none) and ones "signed" with a shared secret, such as
// an HS256 token made with the platform's public key as the secret.
func checkAlg(raw string) error {
	head, _, _ := strings.Cut(raw, ".")
	b, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return errTokenMalformed
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return errTokenMalformed
	}
	switch {
	case h.Alg == string(jose.RS256):
		return nil
	case strings.EqualFold(h.Alg, "none") || h.Alg == "":
		return errAlgNone
	case strings.HasPrefix(strings.ToUpper(h.Alg), "HS"):
		return errAlgShared
	}
	return errAlgOther
}

// decodeClaims reads the payload, noting whether roles were given.
func decodeClaims(payload []byte) (*launchClaims, error) {
	c := &launchClaims{}
	if err := json.Unmarshal(payload, c); err != nil {
		return nil, errClaimsUnread
	}
	var present map[string]json.RawMessage
	if err := json.Unmarshal(payload, &present); err != nil {
		return nil, errClaimsUnread
	}
	_, c.rolesGiven = present[claimRoles]
	return c, nil
}

// check applies the LTI Security Framework's and LTI Core's rules.
func (c *launchClaims) check(p *Platform, now time.Time) error {
	if c.Issuer != p.Issuer {
		return errUnknownPlatform
	}
	if !c.Audience.Contains(p.ClientID) || (len(c.Audience) > 1 && c.AZP == "") || (c.AZP != "" && c.AZP != p.ClientID) {
		return errWrongAudience
	}
	switch {
	case c.Expiry == nil:
		return missing("exp")
	case c.IssuedAt == nil:
		return missing("iat")
	case now.Add(-leeway).After(c.Expiry.Time()):
		return errExpired
	case now.Add(leeway).Before(c.IssuedAt.Time()), c.NotBefore != nil && now.Add(leeway).Before(c.NotBefore.Time()):
		return errNotYetValid
	case c.Nonce == "":
		return missing("nonce")
	case c.Version == "":
		return missing("version")
	case c.Version != version13:
		return errWrongVersion
	case c.MessageType == "":
		return missing("message_type")
	case c.MessageType != MessageResourceLink && c.MessageType != MessageDeepLinking:
		return errMessageType
	case c.DeploymentID == "":
		return missing("deployment_id")
	case !p.HasDeployment(c.DeploymentID):
		return errUnknownDeploy
	case c.Subject == "":
		return missing("sub")
	case len(c.Subject) > 255 || !printable(c.Subject):
		return invalidClaim("sub", "te lang of met onleesbare tekens")
	case !c.rolesGiven:
		return missing("roles")
	}
	if c.MessageType == MessageResourceLink {
		if c.ResourceLink == nil || c.ResourceLink.ID == "" {
			return missing("resource_link.id")
		}
		if c.TargetLinkURI == "" {
			return missing("target_link_uri")
		}
		return nil
	}
	if c.DeepLinking == nil || c.DeepLinking.ReturnURL == "" {
		return missing("deep_linking_settings.deep_link_return_url")
	}
	if !webURL(c.DeepLinking.ReturnURL) {
		return invalidClaim("deep_link_return_url", "geen http(s)-adres")
	}
	return nil
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// webURL reports whether s is an absolute http(s) URL with a host.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// cleanText makes a claim fit to store and show: valid UTF-8, no control
// characters, single spaces, at most max runes.
func cleanText(s string, max int) string {
	words := strings.FieldsFunc(strings.ToValidUTF8(s, ""), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
	out := []rune(strings.Join(words, " "))
	if len(out) > max {
		out = out[:max]
	}
	return strings.TrimSpace(string(out))
}
