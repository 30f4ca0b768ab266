package web

import (
	"encoding/json"
	"fmt"
	"maps"

	"github.com/gofiber/fiber/v2"
)

// OpenAPI is the API's OpenAPI 3.1 document, merged from one fragment per
// domain (each a JSON object with "paths" and optionally "components").
type OpenAPI struct {
	paths     map[string]any
	schemas   map[string]any
	responses map[string]any
	info      map[string]any
}

// NewOpenAPI starts a document with the given title and version.
func NewOpenAPI(title, version string) *OpenAPI {
	return &OpenAPI{paths: map[string]any{}, schemas: map[string]any{}, responses: map[string]any{},
		info: map[string]any{"title": title, "version": version, "description": "JSON API van de Leeromgeving Werken 2.0. Fouten volgen RFC 9457 (application/problem+json)."}}
}

// Add merges a domain's fragment; a path defined twice is an error.
func (o *OpenAPI) Add(fragment []byte) error {
	var f struct {
		Paths      map[string]any `json:"paths"`
		Components struct {
			Schemas   map[string]any `json:"schemas"`
			Responses map[string]any `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(fragment, &f); err != nil {
		return fmt.Errorf("web: openapi fragment: %w", err)
	}
	for p := range f.Paths {
		if _, dup := o.paths[p]; dup {
			return fmt.Errorf("web: openapi path %s defined twice", p)
		}
	}
	maps.Copy(o.paths, f.Paths)
	maps.Copy(o.schemas, f.Components.Schemas)
	maps.Copy(o.responses, f.Components.Responses)
	return nil
}

// Handler serves the document as JSON.
func (o *OpenAPI) Handler(baseURL string) fiber.Handler {
	schemas := map[string]any{"Problem": map[string]any{
		"type": "object",
		"properties": map[string]any{
			"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"},
			"status": map[string]any{"type": "integer"}, "detail": map[string]any{"type": "string"},
			"instance": map[string]any{"type": "string"},
			"errors": map[string]any{"type": "array", "items": map[string]any{"type": "object",
				"properties": map[string]any{"field": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}}}},
		},
	}}
	maps.Copy(schemas, o.schemas)
	doc := map[string]any{
		"openapi":    "3.1.0",
		"info":       o.info,
		"servers":    []any{map[string]any{"url": baseURL + "/api/v1"}},
		"paths":      o.paths,
		"components": map[string]any{"schemas": schemas, "responses": o.responses},
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	return func(c *fiber.Ctx) error {
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(body)
	}
}
