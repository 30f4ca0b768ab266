package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// import refuses a broken folder with every problem and its place, and
// imports nothing; a good folder imports, and export writes it back.
func TestRun_ImportExport(t *testing.T) {
	dbURL := testdb.NewURL(t)
	env := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("course.yaml", "slug: cli\ntitle: CLI-cursus\nmodules:\n  - title: M\n    items:\n      - lesson: les.md\n      - quiz: toets.yaml\n")
	write("les.md", "---\ntitle: Les\n---\nTekst.\n")
	write("toets.yaml", "title: T\npass_mark: 50\nquestions:\n  - type: essay\n    text: Schrijf\n  - type: single\n    text: K\n    options:\n      - text: A\n")

	var out strings.Builder
	err := run(t.Context(), []string{"import", dir}, env, &out)
	if err == nil || !strings.Contains(err.Error(), `toets.yaml:4: vraag 1: onbekend vraagtype "essay"`) ||
		!strings.Contains(err.Error(), "toets.yaml:6: vraag 2: precies één antwoord moet goed zijn") {
		t.Fatalf("broken folder: %v", err)
	}
	db := testdb.Open(t, dbURL)
	if n, _ := db.NewSelect().Table("courses").Count(t.Context()); n != 0 {
		t.Fatalf("%d courses imported from a broken folder", n)
	}

	write("toets.yaml", "title: T\npass_mark: 50\nquestions:\n  - type: truefalse\n    text: W\n    answer: true\n")
	out.Reset()
	if err := run(t.Context(), []string{"import", "--publish", dir}, env, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `Cursus "CLI-cursus" (cli) aangemaakt.`) || !strings.Contains(out.String(), "Gepubliceerd.") {
		t.Fatalf("output: %s", out.String())
	}
	exported := filepath.Join(t.TempDir(), "uit")
	if err := run(t.Context(), []string{"export", "cli", exported}, env, &out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"course.yaml", "les.md", "toets.yaml"} {
		if _, err := os.Stat(filepath.Join(exported, f)); err != nil {
			t.Errorf("export lacks %s", f)
		}
	}
	if err := run(t.Context(), []string{"export", "bestaat-niet", filepath.Join(t.TempDir(), "x")}, env, &out); err == nil {
		t.Fatal("export of an unknown course succeeded")
	}
}

// export --format scorm12 writes the SCORM package as a zip file, and
// refuses an unknown format or a target that is not a .zip.
func TestRun_ExportSCORM(t *testing.T) {
	dbURL := testdb.NewURL(t)
	env := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "course.yaml"), []byte("slug: cli\ntitle: CLI-cursus\nmodules:\n  - title: M\n    items:\n      - lesson: les.md\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "les.md"), []byte("---\ntitle: Les\n---\nTekst.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(t.Context(), []string{"import", dir}, env, &out); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "cli.zip")
	out.Reset()
	if err := run(t.Context(), []string{"export", "--format", "scorm12", "cli", target}, env, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "SCORM 1.2-pakket van cursus cli geschreven naar "+target) {
		t.Errorf("output: %s", out.String())
	}
	zr, err := zip.OpenReader(target)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) == 0 || zr.File[0].Name != "imsmanifest.xml" {
		t.Fatalf("the zip does not start with imsmanifest.xml")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--format", "scorm2004", "cli", target}, `onbekend formaat "scorm2004"`},
		{[]string{"export", "--format", "scorm12", "cli", filepath.Join(t.TempDir(), "cli.txt")}, "een SCORM-pakket is een .zip-bestand"},
		{[]string{"export", "--format", "scorm12", "bestaat-niet", filepath.Join(t.TempDir(), "x.zip")}, "niet gevonden"},
	} {
		if err := run(t.Context(), tc.args, env, &out); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
}
