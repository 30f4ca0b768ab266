package lti

import (
	_ "embed" // the OpenAPI fragment
	"net/url"
)

// Title and description of the tool, as platforms list it.
const (
	toolTitle       = "Leeromgeving Werken 2.0"
	toolDescription = "Cursussen Werken 2.0 van het Programma Ambtenaar 2.0, met toetsen, voortgang en certificaten. Resultaten gaan terug naar het cijferoverzicht van uw leeromgeving."
)

// claimsWanted are the OpenID claims the tool reads (name and e-mail for a
// new account).
var claimsWanted = []string{"iss", "sub", "name", "given_name", "family_name", "email"}

// ToolConfiguration is the tool's configuration for a platform, at
// /lti/config: the tool configuration of LTI Dynamic Registration (the
// client metadata with its https://purl.imsglobal.org/spec/lti-tool-configuration
// object) and, at the top, the same values under the names platform
// registration forms use (title, oidc_initiation_url, target_link_uri,
// jwks_uri, redirect_uris, scopes, claims, messages).
func (s *Service) ToolConfiguration() map[string]any {
	launch := s.LaunchURL()
	messages := []map[string]any{
		{"type": MessageResourceLink, "target_link_uri": launch, "label": "Cursus openen"},
		{"type": MessageDeepLinking, "target_link_uri": launch, "label": "Cursus kiezen", "placements": []string{"ContentArea"},
			"supported_types": []string{"ltiResourceLink"}},
	}
	domain := ""
	if u, err := url.Parse(s.cfg.BaseURL); err == nil {
		domain = u.Host
	}
	return map[string]any{
		"title":               toolTitle,
		"description":         toolDescription,
		"target_link_uri":     launch,
		"oidc_initiation_url": s.LoginURL(),
		"jwks_uri":            s.JWKSURL(),
		"public_jwk_url":      s.JWKSURL(),
		"redirect_uris":       []string{launch},
		"scopes":              []string{ScopeScore},
		"claims":              claimsWanted,
		"messages":            messages,
		"custom_fields":       map[string]string{},

		"application_type":           "web",
		"client_name":                toolTitle,
		"client_uri":                 s.cfg.BaseURL,
		"logo_uri":                   s.cfg.BaseURL + "/static/favicon.svg",
		"initiate_login_uri":         s.LoginURL(),
		"grant_types":                []string{"implicit", "client_credentials"},
		"response_types":             []string{"id_token"},
		"token_endpoint_auth_method": "private_key_jwt",
		"scope":                      ScopeScore,
		"https://purl.imsglobal.org/spec/lti-tool-configuration": map[string]any{
			"domain":          domain,
			"description":     toolDescription,
			"target_link_uri": launch,
			"claims":          claimsWanted,
			"messages":        messages,
		},
	}
}

//go:embed openapi.json
var openAPIFragment []byte

// OpenAPI is this domain's part of the API document.
func OpenAPI() []byte { return openAPIFragment }
