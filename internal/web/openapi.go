package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// OpenAPI is the API's OpenAPI 3.1 document, merged from one fragment per
// domain (each a JSON object with "paths" and optionally "components").
// What the route table knows is written in by Document, not by hand: who may
// call each operation (security, 401 and 403), the API-Version header of
// every success, and the errors any operation can give (400, 503).
type OpenAPI struct {
	paths      map[string]map[string]any
	components map[string]map[string]any
	info       map[string]any
}

// Contact is who answers questions about the API.
type Contact struct {
	Name, URL, Email string
}

// NewOpenAPI starts a document with the given title and contact.
func NewOpenAPI(title string, contact Contact) *OpenAPI {
	return &OpenAPI{
		paths:      map[string]map[string]any{},
		components: map[string]map[string]any{},
		info: map[string]any{
			"title": title, "version": APIVersion,
			"description": "JSON API van de Leeromgeving Werken 2.0. Fouten volgen RFC 9457 (application/problem+json). " +
				"Elk antwoord draagt de versie in de header API-Version; de hoofdversie staat in het pad (/api/v1).",
			"contact": map[string]any{"name": contact.Name, "url": contact.URL, "email": contact.Email},
		},
	}
}

// Add merges a domain's fragment; a path and method defined twice is an error.
func (o *OpenAPI) Add(fragment []byte) error {
	var f struct {
		Paths      map[string]map[string]any `json:"paths"`
		Components map[string]map[string]any `json:"components"`
	}
	if err := json.Unmarshal(fragment, &f); err != nil {
		return fmt.Errorf("web: openapi fragment: %w", err)
	}
	for p, ops := range f.Paths {
		if o.paths[p] == nil {
			o.paths[p] = map[string]any{}
		}
		for m, op := range ops {
			if _, dup := o.paths[p][m]; dup {
				return fmt.Errorf("web: openapi %s %s defined twice", m, p)
			}
			o.paths[p][m] = op
		}
	}
	for kind, items := range f.Components {
		if o.components[kind] == nil {
			o.components[kind] = map[string]any{}
		}
		maps.Copy(o.components[kind], items)
	}
	return nil
}

// APIPrefix is where the API's paths start; the document's paths are
// relative to it.
const APIPrefix = "/api/v1"

var routeParam = regexp.MustCompile(`:([A-Za-z0-9_]+)(<[^>]*>)?`)

// docPath turns a route pattern (/api/v1/attempts/:id<int>) into the
// document's form without parameter names (/attempts/{}), for matching.
func docPath(route string) string {
	return routeParam.ReplaceAllString(strings.TrimPrefix(route, APIPrefix), "{}")
}

var docParam = regexp.MustCompile(`\{[^}]*\}`)

// Document returns the merged document for the site at baseURL, with what
// table (the route table) says about every operation written in. It fails
// when an API route is not documented or a documented operation has no
// route, so the document cannot drift from the code.
func (o *OpenAPI) Document(baseURL, sessionCookie string, table []Route) ([]byte, error) {
	access := map[string]Access{}
	for _, r := range table {
		if strings.HasPrefix(r.Path, APIPrefix+"/") {
			access[strings.ToLower(r.Method)+" "+docPath(r.Path)] = r.Access
		}
	}
	documented := map[string]bool{}
	paths := map[string]any{}
	for p, ops := range o.paths {
		out := map[string]any{}
		for m, raw := range ops {
			op, ok := raw.(map[string]any)
			if !ok {
				out[m] = raw // path-level keys such as parameters
				continue
			}
			key := m + " " + docParam.ReplaceAllString(p, "{}")
			a, ok := access[key]
			if !ok {
				return nil, fmt.Errorf("web: openapi documents %s %s, which has no route", strings.ToUpper(m), p)
			}
			documented[key] = true
			out[m] = withConventions(op, a)
		}
		paths[p] = out
	}
	for key := range access {
		if !documented[key] {
			return nil, fmt.Errorf("web: route %s is not in the OpenAPI document", key)
		}
	}
	components := map[string]any{}
	for kind, items := range o.components {
		components[kind] = items
	}
	schemas, _ := components["schemas"].(map[string]any)
	if schemas == nil {
		schemas = map[string]any{}
	}
	schemas["Problem"] = problemSchema
	components["schemas"] = schemas
	responses, _ := components["responses"].(map[string]any)
	if responses == nil {
		responses = map[string]any{}
	}
	for name, text := range standardErrors {
		if _, ok := responses[name]; !ok {
			responses[name] = problemResponse(text)
		}
	}
	components["responses"] = responses
	components["headers"] = map[string]any{APIVersionHeader: map[string]any{
		"description": "De volledige versie van de API (semantic versioning).",
		"schema":      map[string]any{"type": "string", "example": APIVersion},
	}}
	components["securitySchemes"] = map[string]any{"sessionCookie": map[string]any{
		"type": "apiKey", "in": "cookie", "name": sessionCookie,
		"description": "De sessie van een ingelogde gebruiker: log in op /inloggen (met wachtwoord of via uw organisatie).",
	}}
	doc := map[string]any{
		"openapi":    "3.1.0",
		"info":       o.info,
		"servers":    []any{map[string]any{"url": baseURL + APIPrefix}},
		"paths":      paths,
		"components": components,
	}
	return json.MarshalIndent(doc, "", "  ")
}

// standardErrors are the problems the application itself can answer on any
// operation, by response name.
var standardErrors = map[string]string{
	"BadRequest":   "Het verzoek kon niet worden gelezen: ongeldige JSON, een nul-teken of ongeldige UTF-8.",
	"Unauthorized": "Niet ingelogd.",
	"Forbidden":    "Ingelogd, maar zonder de rol die hiervoor nodig is.",
	"Unavailable":  "Tijdelijk niet beschikbaar (de database start opnieuw); probeer het na Retry-After seconden opnieuw.",
}

func problemResponse(text string) map[string]any {
	return map[string]any{"description": text, "headers": versionHeaderRef(),
		"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
}

func versionHeaderRef() map[string]any {
	return map[string]any{APIVersionHeader: map[string]any{"$ref": "#/components/headers/" + APIVersionHeader}}
}

// withConventions writes into op who may call it and the responses every
// operation has.
func withConventions(op map[string]any, a Access) map[string]any {
	op = maps.Clone(op)
	responses, _ := op["responses"].(map[string]any)
	responses = maps.Clone(responses)
	if responses == nil {
		responses = map[string]any{}
	}
	add := func(code, name string) {
		if _, ok := responses[code]; !ok {
			responses[code] = map[string]any{"$ref": "#/components/responses/" + name}
		}
	}
	add("400", "BadRequest")
	add("503", "Unavailable")
	if a.Public() {
		op["security"] = []any{}
	} else {
		op["security"] = []any{map[string]any{"sessionCookie": []any{}}}
		add("401", "Unauthorized")
		if len(a.Roles) > 0 {
			add("403", "Forbidden")
		}
	}
	for code, raw := range responses {
		r, ok := raw.(map[string]any)
		if !ok || r["$ref"] != nil {
			continue
		}
		r = maps.Clone(r)
		headers, _ := r["headers"].(map[string]any)
		headers = maps.Clone(headers)
		if headers == nil {
			headers = map[string]any{}
		}
		if _, ok := headers[APIVersionHeader]; !ok {
			headers[APIVersionHeader] = map[string]any{"$ref": "#/components/headers/" + APIVersionHeader}
		}
		r["headers"] = headers
		responses[code] = r
	}
	op["responses"] = responses
	return op
}

var problemSchema = map[string]any{
	"type":     "object",
	"required": []any{"type", "title", "status"},
	"properties": map[string]any{
		"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"},
		"status": map[string]any{"type": "integer"}, "detail": map[string]any{"type": "string"},
		"instance": map[string]any{"type": "string"},
		"errors": map[string]any{"type": "array", "description": "De velden die niet in orde zijn, met een melding per veld.",
			"items": map[string]any{"type": "object", "required": []any{"field", "message"},
				"properties": map[string]any{"field": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}}}},
	},
}

// Handler serves the document *doc points to (set once the routes are all
// registered, before the app serves).
func Handler(doc *[]byte) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(*doc)
	}
}
