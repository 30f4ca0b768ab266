package scorm_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// The course editor's download: trainers get the zip of a draft course
// too; learners get none; an unknown course is 404; a course that cannot
// be packaged says why in Dutch, without a 500.
func TestHandler_Download(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	c := mustImport(t, db, fstest.MapFS{
		"course.yaml": {Data: []byte("slug: download\ntitle: Downloadcursus\nmodules:\n  - title: M\n    items:\n      - lesson: les.md\n")},
		"les.md":      {Data: []byte("---\ntitle: Les\n---\nTekst met het logo van de site: ![Logo](/static/favicon.svg)\n")},
	})
	webtest.MustUser(t, db, "Tessa Trainer", "tessa@test.example", "Gemeente Test", web.RoleTrainer)
	webtest.MustUser(t, db, "Lotte Leerling", "lotte@test.example", "Gemeente Leer")
	url := func(id int64) string { return fmt.Sprintf("/beheer/cursussen/%d/scorm12.zip", id) }

	learner := webtest.NewClient(t, app)
	learner.Login("lotte@test.example", webtest.Password)
	if res := learner.Get(url(c.ID)); res.StatusCode == http.StatusOK {
		t.Fatalf("a learner downloaded the package")
	}
	if res := webtest.NewClient(t, app).Get(url(c.ID)); res.StatusCode == http.StatusOK {
		t.Fatalf("a visitor downloaded the package")
	}

	trainer := webtest.NewClient(t, app)
	trainer.Login("tessa@test.example", webtest.Password)
	res := trainer.Get(fmt.Sprintf("/beheer/cursussen/%d", c.ID))
	webtest.MustStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body, `href="`+url(c.ID)+`"`) {
		t.Fatal("the course editor has no SCORM download")
	}
	res = trainer.Get(url(c.ID))
	webtest.MustStatus(t, res, http.StatusOK)
	if ct, cd := res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"); ct != "application/zip" || !strings.Contains(cd, `attachment; filename="download-scorm12.zip"`) {
		t.Fatalf("download headers: %q %q", ct, cd)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	files := unzip(t, []byte(res.Body))
	validateXSD(t, files)
	// The site's own images (its static files) go into the package.
	logo := ""
	for name := range files {
		if strings.HasPrefix(name, "afbeeldingen/") && strings.HasSuffix(name, "-favicon.svg") {
			logo = name
		}
	}
	if logo == "" || !strings.Contains(string(files["lessen/les.html"]), `src="../`+logo+`"`) {
		t.Errorf("the site's logo is not in the package (%q)", logo)
	}

	webtest.MustStatus(t, trainer.Get(url(c.ID+1000)), http.StatusNotFound)

	empty, err := courses.NewService(db).CreateCourse(context.Background(), courses.CourseInput{Slug: "leeg", Title: "Lege cursus"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	res = trainer.Get(url(empty.ID))
	webtest.MustStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.Body, "Deze cursus heeft nog geen lessen of toetsen; er valt niets te exporteren.") {
		t.Fatalf("empty course: %s", res.Body)
	}

	broken := mustImport(t, db, fstest.MapFS{
		"course.yaml": {Data: []byte("slug: kapot\ntitle: Kapot\nmodules:\n  - title: M\n    items:\n      - lesson: les.md\n")},
		"les.md":      {Data: []byte("---\ntitle: Met plaatje\n---\n![Weg](/static/bestaat-niet.png) ![Stijl](/static/site.css)\n")},
	})
	res = trainer.Get(url(broken.ID))
	webtest.MustStatus(t, res, http.StatusConflict)
	for _, want := range []string{"in les “Met plaatje” kan afbeelding /static/bestaat-niet.png niet mee: die bestaat niet",
		"afbeelding /static/site.css niet mee: die is geen PNG, JPEG, GIF, WebP of SVG"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("broken images: page lacks %q", want)
		}
	}
}
