package lti

import (
	"encoding/json"
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

// OpenAPI is the fragment describing the tool's two JSON documents. They
// live outside /api/v1, so each path names its own server.
func OpenAPI(baseURL string) []byte {
	server := []any{map[string]any{"url": baseURL}}
	doc := map[string]any{"paths": map[string]any{
		"/lti/jwks": map[string]any{
			"servers": server,
			"get": map[string]any{
				"summary":     "The LTI tool's public keys (JWK Set)",
				"description": "RS256 keys that sign deep-linking responses and client assertions; retired keys stay listed. Platforms fetch this as the tool's key set URL.",
				"tags":        []string{"lti"},
				"responses": map[string]any{"200": map[string]any{"description": "JWK Set", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{
					"type": "object", "required": []string{"keys"},
					"properties": map[string]any{"keys": map[string]any{"type": "array", "items": map[string]any{"type": "object",
						"required": []string{"kty", "kid", "n", "e"},
						"properties": map[string]any{"kty": map[string]any{"const": "RSA"}, "kid": map[string]any{"type": "string"},
							"alg": map[string]any{"const": "RS256"}, "use": map[string]any{"const": "sig"},
							"n": map[string]any{"type": "string"}, "e": map[string]any{"type": "string"}}}}},
				}}}}},
			},
		},
		"/lti/config": map[string]any{
			"servers": server,
			"get": map[string]any{
				"summary":     "The LTI 1.3 tool configuration",
				"description": "Login initiation, launch (redirect) and deep-linking URL, key set, scopes, claims and messages, for registering the tool in a platform (LTI Dynamic Registration tool configuration).",
				"tags":        []string{"lti"},
				"responses": map[string]any{"200": map[string]any{"description": "Tool configuration", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{
					"type":     "object",
					"required": []string{"title", "target_link_uri", "oidc_initiation_url", "jwks_uri", "redirect_uris", "scopes", "messages"},
				}}}}},
			},
		},
	}}
	b, _ := json.Marshal(doc) // a map of plain values always marshals
	return b
}
