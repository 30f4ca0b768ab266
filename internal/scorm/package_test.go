package scorm_test

import (
	"bytes"
	"context"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/leeromgeving/content"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/scorm"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Every shipped course exports as a package whose manifest is valid
// against ADL's schemas, has one SCO per lesson and quiz in course order,
// lists every file it carries, and carries every file it lists.
func TestPackage_ShippedCourses(t *testing.T) {
	shipped, err := content.Courses()
	if err != nil {
		t.Fatal(err)
	}
	if len(shipped) < 2 {
		t.Fatalf("%d shipped courses", len(shipped))
	}
	db := testdb.New(t)
	ctx := context.Background()
	store := courses.NewService(db)
	for slug, fsys := range shipped {
		t.Run(slug, func(t *testing.T) {
			c := mustImport(t, db, fsys)
			name, files := mustPackage(t, db, scorm.Config{BaseURL: "https://leren.example.nl"}, c.ID)
			if name != slug+"-scorm12.zip" {
				t.Errorf("file name %q", name)
			}
			validateXSD(t, files)
			m := parseManifest(t, files)
			if m.Schema != "ADL SCORM" || m.SchemaVersion != "1.2" {
				t.Errorf("metadata: %q %q", m.Schema, m.SchemaVersion)
			}
			if len(m.Organizations.Organization) != 1 || m.Organizations.Default != m.Organizations.Organization[0].Identifier {
				t.Fatalf("organizations: %+v", m.Organizations)
			}
			org := m.Organizations.Organization[0]
			if org.Title != c.Title {
				t.Errorf("organization title %q, want %q", org.Title, c.Title)
			}

			c, _ = store.CourseByID(ctx, c.ID)
			o, err := store.Outline(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			resources := map[string]mResource{}
			for _, r := range m.Resources {
				resources[r.Identifier] = r
			}
			// The organisation: one item per module, one SCO per item.
			if len(org.Items) != len(o.Modules) {
				t.Fatalf("%d module items, want %d", len(org.Items), len(o.Modules))
			}
			var scos []mItem
			for mi, mod := range org.Items {
				if mod.Title != o.Modules[mi].Title || mod.IdentifierRef != "" {
					t.Errorf("module %d: %+v", mi, mod)
				}
				scos = append(scos, mod.Items...)
			}
			if len(scos) != len(o.Items) {
				t.Fatalf("%d SCOs, want %d (one per lesson and quiz)", len(scos), len(o.Items))
			}
			for i, it := range o.Items {
				sco := scos[i]
				res, ok := resources[sco.IdentifierRef]
				if !ok {
					t.Fatalf("item %s refers to no resource", sco.Identifier)
				}
				if res.ScormType != "sco" || res.Type != "webcontent" || res.Href == "" {
					t.Errorf("resource %s: %+v", res.Identifier, res)
				}
				page := string(files[res.Href])
				if page == "" {
					t.Fatalf("%s: no page %s", it.Slug, res.Href)
				}
				if !strings.Contains(page, `<html lang="nl">`) || !strings.Contains(page, "../gedeeld/scorm.js") {
					t.Errorf("%s: page lacks lang or the runtime", res.Href)
				}
				if it.Kind == courses.KindLesson {
					l, err := store.Lesson(ctx, *it.CurrentRevisionID)
					if err != nil {
						t.Fatal(err)
					}
					if sco.Title != l.Title || !strings.HasPrefix(res.Href, "lessen/") || sco.MasteryScore != "" {
						t.Errorf("lesson SCO %+v → %s", sco, res.Href)
					}
					// The site's renderer: the first paragraph of the lesson is on the page as the site shows it.
					html := string(web.Markdown(l.Body))
					first := html[:strings.Index(html, "</p>")]
					if !strings.Contains(page, first) {
						t.Errorf("%s lacks the lesson's text %q", res.Href, first)
					}
				} else {
					q, err := store.Quiz(ctx, *it.CurrentRevisionID)
					if err != nil {
						t.Fatal(err)
					}
					if sco.Title != q.Title || !strings.HasPrefix(res.Href, "toetsen/") || sco.MasteryScore != strconv.Itoa(q.PassMark) {
						t.Errorf("quiz SCO %+v → %s, pass mark %d", sco, res.Href, q.PassMark)
					}
					if !strings.Contains(page, "window.W20_TOETS = ") || !strings.Contains(page, "toets-score.js") {
						t.Errorf("%s carries no quiz", res.Href)
					}
				}
			}
			checkFileList(t, m, files)
		})
	}
}

// checkFileList fails unless every file of a resource is in the package
// and every file in the package (but the manifest and its schemas) is in a
// resource; every SCO depends on the shared runtime.
func checkFileList(t *testing.T, m *mManifest, files map[string][]byte) {
	t.Helper()
	listed := map[string]bool{}
	ids := map[string]bool{}
	for _, r := range m.Resources {
		if ids[r.Identifier] {
			t.Errorf("identifier %s twice", r.Identifier)
		}
		ids[r.Identifier] = true
		for _, f := range r.Files {
			if _, ok := files[f.Href]; !ok {
				t.Errorf("resource %s lists %s, which is not in the package", r.Identifier, f.Href)
			}
			listed[f.Href] = true
		}
		if r.ScormType == "sco" {
			if len(r.Dependencies) != 1 {
				t.Errorf("SCO %s has dependencies %+v", r.Identifier, r.Dependencies)
			}
			if len(r.Files) == 0 || r.Files[0].Href != r.Href {
				t.Errorf("SCO %s does not list its page first", r.Identifier)
			}
		}
	}
	for _, r := range m.Resources {
		for _, d := range r.Dependencies {
			if !ids[d.IdentifierRef] {
				t.Errorf("%s depends on unknown %s", r.Identifier, d.IdentifierRef)
			}
		}
	}
	for name := range files {
		control := name == "imsmanifest.xml" || (path.Dir(name) == "." && strings.HasSuffix(name, ".xsd"))
		if !control && !listed[name] {
			t.Errorf("%s is in the package but in no resource", name)
		}
	}
	for _, xsd := range []string{"imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"} {
		if _, ok := files[xsd]; !ok {
			t.Errorf("package lacks %s at its root", xsd)
		}
	}
}

// The same course gives the same bytes, so a package can be compared and cached.
func TestPackage_SameBytes(t *testing.T) {
	db := testdb.New(t)
	shipped, err := content.Courses()
	if err != nil {
		t.Fatal(err)
	}
	c := mustImport(t, db, shipped["werken-20-de-basis"])
	e := scorm.New(courses.NewService(db), scorm.Config{})
	_, a, err := e.Package(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := scorm.New(courses.NewService(db), scorm.Config{}).PackageBySlug(context.Background(), c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of the same course differ")
	}
	if _, _, err := e.Package(context.Background(), c.ID+1000); err == nil || !strings.Contains(err.Error(), "niet gevonden") {
		t.Fatalf("unknown course: %v", err)
	}
}
