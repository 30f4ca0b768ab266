package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
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

const exportHelp = `Gebruik: leeromgeving export SLUG MAP

Schrijft de cursus SLUG (de huidige versie van elke les en toets) als
cursusmap naar MAP, die leeg moet zijn of nog niet bestaan.
`

func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, fs, err := parseConfig("export", args, getenv, stdout, exportHelp, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fmt.Fprint(stdout, exportHelp)
		return errors.New("geef een slug en een map op")
	}
	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := courses.NewService(db.DB).Export(ctx, fs.Arg(0), fs.Arg(1)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Cursus %s geschreven naar %s.\n", fs.Arg(0), fs.Arg(1))
	return nil
}
