// Package migrations holds the numbered SQL migrations of every domain,
// embedded in the binary and run by bun's migrate package. Applied migrations
// are never edited: changes come as new files.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var files embed.FS

// New returns the set of all migrations.
func New() (*migrate.Migrations, error) {
	m := migrate.NewMigrations()
	if err := m.Discover(files); err != nil {
		return nil, fmt.Errorf("migrations: discover: %w", err)
	}
	return m, nil
}

// Files is the embedded tree of migration files (for hashing in tests).
func Files() fs.FS { return files }
