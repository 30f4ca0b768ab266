// Package content embeds the courses shipped with the product, written in
// the course folder format (see docs/course-format.md), so `seed --demo`
// loads them from the binary itself.
package content

import (
	"embed"
	"io/fs"
)

//go:embed courses
var files embed.FS

// Courses returns one file system per shipped course folder, by slug.
func Courses() (map[string]fs.FS, error) {
	entries, err := fs.ReadDir(files, "courses")
	if err != nil {
		return nil, err
	}
	out := map[string]fs.FS{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub, err := fs.Sub(files, "courses/"+e.Name())
		if err != nil {
			return nil, err
		}
		out[e.Name()] = sub
	}
	return out, nil
}
