// Package views embeds the HTML templates and static files (CSS, scripts,
// images), so the binary serves everything itself and nothing comes from a CDN.
package views

import (
	"embed"
	"io/fs"
)

// Every folder holds templates; the engine loads only the .html files.
//
//go:embed *
var templates embed.FS

//go:embed static
var static embed.FS

// Templates is the tree of .html templates, named by path without extension
// ("accounts/login").
func Templates() fs.FS { return templates }

// Static is the tree served under /static.
func Static() fs.FS {
	sub, _ := fs.Sub(static, "static")
	return sub
}
