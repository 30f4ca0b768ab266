package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/server"
)

const importHelp = `Gebruik: leeromgeving import [--publish] MAP

Leest een cursus uit een map (course.yaml, één Markdown-bestand per les, één
YAML-bestand per toets; zie docs/course-format.md). Bij een fout worden alle
problemen met bestand en regel getoond en wordt niets ingelezen. Een bestaande
cursus (zelfde slug) wordt bijgewerkt; deelnemers houden hun voortgang.
`

func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var publish bool
	cfg, fs, err := parseConfig("import", args, getenv, stdout, importHelp, func(fs *flag.FlagSet) {
		fs.BoolVar(&publish, "publish", false, "publish the course after importing")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stdout, importHelp)
		return errors.New("geef precies één map op")
	}
	dir := fs.Arg(0)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("%s is geen map", dir)
	}
	doc, err := courses.ReadFolder(os.DirFS(dir))
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrateUp(ctx, db.DB); err != nil {
		return err
	}
	svc := courses.NewService(db.DB)
	c, created, err := svc.Import(ctx, doc, nil)
	if err != nil {
		return err
	}
	verb := "bijgewerkt"
	if created {
		verb = "aangemaakt"
	}
	fmt.Fprintf(stdout, "Cursus %q (%s) %s.\n", c.Title, c.Slug, verb)
	if publish {
		if err := svc.SetPublished(ctx, c.ID, true); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "Gepubliceerd.")
	}
	return nil
}

const exportHelp = `Gebruik: leeromgeving export [--format folder|scorm12] SLUG DOEL

Schrijft de cursus SLUG (de huidige versie van elke les en toets) weg.

  --format folder   (standaard) als cursusmap naar DOEL, een map die leeg moet
                    zijn of nog niet bestaan
  --format scorm12  als SCORM 1.2-pakket naar DOEL, een .zip-bestand, voor een
                    andere leeromgeving (Moodle, Canvas, Brightspace, Totara):
                    één SCO per les en toets; een bestaand bestand wordt vervangen
`

func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	format := "folder"
	cfg, fs, err := parseConfig("export", args, getenv, stdout, exportHelp, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", format, "folder or scorm12")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fmt.Fprint(stdout, exportHelp)
		return errors.New("geef een slug en een doel op")
	}
	slug, target := fs.Arg(0), fs.Arg(1)
	if format != "folder" && format != "scorm12" {
		return fmt.Errorf("onbekend formaat %q: kies folder of scorm12", format)
	}
	if format == "scorm12" && !strings.EqualFold(filepath.Ext(target), ".zip") {
		return fmt.Errorf("%s: een SCORM-pakket is een .zip-bestand", target)
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if format == "scorm12" {
		_, zip, err := server.NewDomains(db.DB, server.Config{BaseURL: cfg.BaseURL}).SCORM.PackageBySlug(ctx, slug)
		if errors.Is(err, courses.ErrNotFound) {
			return fmt.Errorf("cursus %s niet gevonden", slug)
		}
		if err != nil {
			return err
		}
		if err := writeFileAtomic(target, zip); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "SCORM 1.2-pakket van cursus %s geschreven naar %s (%d kB).\n", slug, target, (len(zip)+1023)/1024)
		return nil
	}
	if err := courses.NewService(db.DB).Export(ctx, slug, target); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Cursus %s geschreven naar %s.\n", slug, target)
	return nil
}

// writeFileAtomic writes b to name through a temporary file beside it, so
// a failed write never leaves half a file.
func writeFileAtomic(name string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
