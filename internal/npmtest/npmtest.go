// Package npmtest gives tests an npm package they check our output with (an
// independent implementation such as scorm-again), installed with npm into a
// cache folder outside the repository, once per version. Nothing from npm is
// committed or bundled into the application.
package npmtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Install returns the folder of pkg at version (node_modules/pkg),
// installing it when it is not in the cache yet. It fails the test, never
// skips it, when npm is missing or the install fails.
func Install(tb testing.TB, pkg, version string) string {
	tb.Helper()
	cache := filepath.Join(os.TempDir(), "leeromgeving-npm")
	dir := filepath.Join(cache, pkg+"@"+version)
	mod := filepath.Join(dir, "node_modules", pkg)
	if _, err := os.Stat(filepath.Join(mod, "package.json")); err == nil {
		return mod
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		tb.Fatal("npm not found: install it with `apt-get install -y npm` (make test does this when run as root)")
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		tb.Fatal(err)
	}
	// Install beside the cache entry and rename it into place, so that
	// packages tested at the same time never see half an install.
	tmp, err := os.MkdirTemp(cache, ".install-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(npm, "install", "--prefix", tmp, "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
		"--ignore-scripts", "--loglevel=error", pkg+"@"+version)
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("npm install %s@%s: %v\n%s", pkg, version, err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(mod, "package.json")); statErr != nil {
			tb.Fatalf("npm install %s@%s: %v", pkg, version, err)
		}
	}
	return mod
}
