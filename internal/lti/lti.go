// Package lti makes the leeromgeving an LTI 1.3 tool for an organisation's
// own LMS (Moodle, Canvas, Brightspace, Totara): admins register platforms,
// the platform starts an OpenID Connect login at /lti/login and posts a
// signed id_token to /lti/launch, the tool checks it against the platform's
// key set, links or creates the account and opens the course (resource link)
// or lets a teacher pick one (deep linking). Quiz results and completions go
// back to the platform's gradebook through Assignment and Grade Services,
// from the outbox. The tool signs with its own RSA keys, published at
// /lti/jwks. Specifications: LTI Core 1.3, LTI Security Framework 1.0, Deep
// Linking 2.0 and AGS 2.0 of 1EdTech.
package lti

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Claim names of LTI 1.3 messages.
const (
	claimMessageType   = "https://purl.imsglobal.org/spec/lti/claim/message_type"
	claimVersion       = "https://purl.imsglobal.org/spec/lti/claim/version"
	claimDeploymentID  = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
	claimTargetLinkURI = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
	claimResourceLink  = "https://purl.imsglobal.org/spec/lti/claim/resource_link"
	claimRoles         = "https://purl.imsglobal.org/spec/lti/claim/roles"
	claimCustom        = "https://purl.imsglobal.org/spec/lti/claim/custom"
	claimContext       = "https://purl.imsglobal.org/spec/lti/claim/context"
	claimPresentation  = "https://purl.imsglobal.org/spec/lti/claim/launch_presentation"
	claimAGS           = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
	claimDLSettings    = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
	claimDLItems       = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
	claimDLData        = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
	claimDLMsg         = "https://purl.imsglobal.org/spec/lti-dl/claim/msg"
)

// Message types and the version the tool speaks.
const (
	MessageResourceLink = "LtiResourceLinkRequest"
	MessageDeepLinking  = "LtiDeepLinkingRequest"
	messageDLResponse   = "LtiDeepLinkingResponse"
	version13           = "1.3.0"
)

// ScopeScore is the AGS scope that lets the tool post scores.
const ScopeScore = "https://purl.imsglobal.org/spec/lti-ags/scope/score"

// ScoreKind is the outbox kind of a score on its way to a platform's gradebook.
const ScoreKind = "lti.score"

// Errors returned by the service. Launch errors carry a Dutch message for
// the person who clicked the link in their LMS.
var (
	ErrNotFound         = fmt.Errorf("lti: %w", apperr.ErrNotFound)
	ErrPlatformTaken    = apperr.NewValidation("client_id", "Dit leerplatform (issuer met deze client-ID) is al geregistreerd.")
	errUnknownPlatform  = apperr.Msg(apperr.ErrUnauthorized, "Dit leerplatform is hier niet geregistreerd. Vraag de beheerder van de leeromgeving het platform toe te voegen onder Beheer → LTI.")
	errAmbiguousClient  = apperr.Msg(apperr.ErrInvalid, "Dit leerplatform is hier meer dan eens geregistreerd; de aanmelding moet een client_id meegeven.")
	errUnknownDeploy    = apperr.Msg(apperr.ErrInvalid, "Deze plaatsing (deployment) van de tool is niet geregistreerd. Vraag de beheerder de deployment-ID toe te voegen.")
	errNoState          = apperr.Msg(apperr.ErrInvalid, "Deze aanmelding is onbekend of verlopen. Start de activiteit opnieuw vanuit uw leeromgeving.")
	errOtherBrowser     = apperr.Msg(apperr.ErrInvalid, "Deze aanmelding is in een andere browser of een ander venster begonnen, of uw browser weigert cookies van de leeromgeving. Start de activiteit opnieuw vanuit uw leeromgeving; lukt het dan nog niet, laat de beheerder van uw leeromgeving de tool in een nieuw venster openen.")
	errNonceMismatch    = apperr.Msg(apperr.ErrUnauthorized, "Het bewijs van aanmelding hoort niet bij deze aanmelding (nonce). Start de activiteit opnieuw vanuit uw leeromgeving.")
	errNonceReused      = apperr.Msg(apperr.ErrUnauthorized, "Dit bewijs van aanmelding is al eens gebruikt. Start de activiteit opnieuw vanuit uw leeromgeving.")
	errNotTeacher       = apperr.Msg(apperr.ErrForbidden, "Alleen docenten, ontwerpers en beheerders van uw leeromgeving kunnen een cursus kiezen.")
	errNoLinkTypes      = apperr.Msg(apperr.ErrInvalid, "Uw leeromgeving vraagt om inhoud die deze tool niet levert: de tool levert LTI-koppelingen (ltiResourceLink).")
	errDeepLinkGone     = apperr.Msg(apperr.ErrInvalid, "Deze keuze is verlopen of al afgerond. Start het kiezen opnieuw vanuit uw leeromgeving.")
	errCourseGone       = apperr.Msg(apperr.ErrNotFound, "De cursus van deze koppeling bestaat niet (meer) of is niet gepubliceerd. Vraag uw docent de koppeling te herstellen.")
	errHandoffGone      = apperr.Msg(apperr.ErrNotFound, "Deze link is verlopen of al gebruikt. Start de activiteit opnieuw vanuit uw leeromgeving.")
	errLinkOtherAccount = apperr.Msg(apperr.ErrForbidden, "U bent ingelogd met een ander account dan dat met het e-mailadres uit uw leeromgeving. Log uit en log in met het account van dat e-mailadres.")
)

// Platform is one registration of the tool in an LMS.
type Platform struct {
	bun.BaseModel `bun:"table:lti_platforms,alias:p"`

	ID             int64     `bun:",pk,autoincrement"`
	Name           string    `bun:",notnull"`
	Issuer         string    `bun:",notnull"`
	ClientID       string    `bun:",notnull"`
	DeploymentIDs  []string  `bun:"deployment_ids,array,notnull"`
	AuthURL        string    `bun:"auth_url,notnull"`
	TokenURL       string    `bun:"token_url,notnull"`
	JWKSURL        string    `bun:"jwks_url,notnull"`
	TokenAudience  string    `bun:",notnull"`
	OrganisationID *int64    `bun:""`
	CreatedAt      time.Time `bun:",nullzero,notnull,default:current_timestamp"`
	UpdatedAt      time.Time `bun:",nullzero,notnull,default:current_timestamp"`

	OrganisationName string `bun:",scanonly"`
}

// HasDeployment reports whether id is one of the platform's deployments.
func (p *Platform) HasDeployment(id string) bool { return slices.Contains(p.DeploymentIDs, id) }

// Audience is the aud of the client assertions sent to the token URL.
func (p *Platform) Audience() string {
	if p.TokenAudience != "" {
		return p.TokenAudience
	}
	return p.TokenURL
}

// origins are the web origins of the platform's pages (issuer and login
// endpoint), which may frame the tool.
func (p *Platform) origins() []string {
	var out []string
	for _, raw := range []string{p.Issuer, p.AuthURL} {
		if o := origin(raw); o != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// origin is scheme://host[:port] of an absolute http(s) URL, or "" (also
// for a host with characters that could not stand in a CSP source list).
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !hostChars.MatchString(u.Host) {
		return ""
	}
	return u.Scheme + "://" + strings.ToLower(u.Host)
}

var hostChars = regexp.MustCompile(`^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

// Teacher roles may pick content (deep linking); others are learners.
var teacherRoles = []string{"#Instructor", "#ContentDeveloper", "#Administrator", "/Instructor", "/ContentDeveloper", "/Administrator"}

// isTeacher reports whether the LTI roles include a teaching or
// administering role (context, institution or system role, long or short form).
func isTeacher(roles []string) bool {
	for _, r := range roles {
		for _, t := range teacherRoles {
			if strings.HasSuffix(r, t) || r == strings.TrimLeft(t, "#/") {
				return true
			}
		}
	}
	return false
}

// isLearner reports whether the roles make the person a learner of the
// context: a Learner role, or no teaching role at all.
func isLearner(roles []string) bool {
	for _, r := range roles {
		if strings.HasSuffix(r, "#Learner") || strings.HasSuffix(r, "/Learner") || r == "Learner" {
			return true
		}
	}
	return !isTeacher(roles)
}
