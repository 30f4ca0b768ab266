package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
)

// Assets gives static files URLs that change when their content does, so
// they can be cached for a year without ever going stale.
type Assets struct{ version map[string]string }

// NewAssets fingerprints every file in fsys.
func NewAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{version: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.version[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: fingerprint assets: %w", err)
	}
	return a, nil
}

// URL is the cache-busting URL of the static file name.
func (a *Assets) URL(name string) string {
	return "/static/" + name + "?v=" + a.version[name]
}
