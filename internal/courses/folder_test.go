package courses

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ambtenaar20/leeromgeving/content"
)

// The shipped courses must read without a single problem, and together use
// every question type.
func TestReadFolder_ShippedCourses(t *testing.T) {
	folders, err := content.Courses()
	if err != nil {
		t.Fatal(err)
	}
	if len(folders) < 2 {
		t.Fatalf("%d shipped courses", len(folders))
	}
	types := map[string]int{}
	lessons, questions := 0, 0
	for slug, fsys := range folders {
		doc, err := ReadFolder(fsys)
		if err != nil {
			t.Fatalf("%s: %v", slug, err)
		}
		if doc.Slug != slug {
			t.Errorf("folder %s has slug %s", slug, doc.Slug)
		}
		for _, m := range doc.Modules {
			for _, it := range m.Items {
				if it.Lesson != nil {
					lessons++
				}
				if it.Quiz != nil {
					for _, q := range it.Quiz.StoredQuestions() {
						types[q.Type]++
						questions++
					}
				}
			}
		}
	}
	if lessons < 12 || questions < 40 {
		t.Errorf("%d lessons and %d questions; the brief asks for at least 12 and 40", lessons, questions)
	}
	for _, qt := range QuestionTypes {
		if types[qt.Value] == 0 {
			t.Errorf("no question of type %s", qt.Value)
		}
	}
}

func validFolder() fstest.MapFS {
	return fstest.MapFS{
		"course.yaml": {Data: []byte("slug: proef\ntitle: Proef\nsummary: s\naudience: a\nstudy_hours: 1\nmodules:\n  - title: M1\n    items:\n      - lesson: les-1.md\n      - quiz: toets.yaml\n")},
		"les-1.md":    {Data: []byte("---\ntitle: Les één\nminutes: 5\n---\nTekst van de les.\n")},
		"toets.yaml": {Data: []byte("title: Toets\npass_mark: 50\nquestions:\n  - type: truefalse\n    text: Waar?\n    answer: true\n" +
			"  - type: single\n    text: Kies\n    options:\n      - text: A\n        correct: true\n      - text: B\n")},
	}
}

func TestReadFolder_Problems(t *testing.T) {
	if _, err := ReadFolder(validFolder()); err != nil {
		t.Fatalf("valid folder: %v", err)
	}
	tests := []struct {
		name, file, content, want string
	}{
		{"MalformedYAML", "toets.yaml", "title: [oeps\n", "toets.yaml:1: ongeldige YAML"},
		{"UnknownField", "course.yaml", "slug: proef\ntitle: Proef\nduur: 3\nmodules: []\n", "course.yaml:3: field duur not found"},
		{"UnknownQuestionType", "toets.yaml", "title: T\npass_mark: 50\nquestions:\n  - type: essay\n    text: Schrijf\n", `toets.yaml:4: vraag 1: onbekend vraagtype "essay"`},
		{"TwoCorrectSingle", "toets.yaml", "title: T\npass_mark: 50\nquestions:\n  - type: single\n    text: K\n    options:\n      - text: A\n        correct: true\n      - text: B\n        correct: true\n", "toets.yaml:4: vraag 1: precies één antwoord moet goed zijn (nu 2)"},
		{"NumericAnswerNotNumber", "toets.yaml", "title: T\npass_mark: 50\nquestions:\n  - type: numeric\n    text: Hoeveel\n    answer: veel\n", "answer moet een getal zijn"},
		{"DrawTooLarge", "toets.yaml", "title: T\npass_mark: 50\ndraw: 9\nquestions:\n  - type: truefalse\n    text: W\n    answer: true\n", "toets.yaml:3: draw (9)"},
		{"MissingLessonFile", "les-1.md", "", "les-1.md: bestand ontbreekt"},
		{"NoFrontMatter", "les-1.md", "# Titel\nTekst\n", "les-1.md:1: de les begint niet met front matter"},
		{"BadSlug", "course.yaml", "slug: Proef Cursus\ntitle: Proef\nmodules:\n  - title: M\n    items:\n      - lesson: les-1.md\n", `course.yaml:1: slug "Proef Cursus"`},
		{"BothKeys", "course.yaml", "slug: proef\ntitle: Proef\nmodules:\n  - title: M\n    items:\n      - lesson: les-1.md\n        quiz: toets.yaml\n", "course.yaml:6: elk onderdeel heeft precies één sleutel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := validFolder()
			if tt.content == "" {
				delete(fsys, tt.file)
			} else {
				fsys[tt.file] = &fstest.MapFile{Data: []byte(tt.content)}
			}
			_, err := ReadFolder(fsys)
			var fe *FolderError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a FolderError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error does not mention %q:\n%v", tt.want, err)
			}
		})
	}
}

func FuzzReadFolder(f *testing.F) {
	v := validFolder()
	f.Add(string(v["course.yaml"].Data), string(v["toets.yaml"].Data), string(v["les-1.md"].Data))
	f.Add("slug: x\nmodules: [{items: [{quiz: toets.yaml}]}]", "questions: [{type: ordering, options: [{}]}]", "---\n---\n")
	f.Fuzz(func(t *testing.T, course, quiz, lesson string) {
		fsys := fstest.MapFS{
			"course.yaml": {Data: []byte(course)},
			"toets.yaml":  {Data: []byte(quiz)},
			"les-1.md":    {Data: []byte(lesson)},
		}
		doc, err := ReadFolder(fsys)
		if (doc == nil) == (err == nil) {
			t.Fatalf("doc %v with err %v", doc, err)
		}
		if doc != nil {
			for _, m := range doc.Modules {
				for _, it := range m.Items {
					if (it.Lesson == nil) == (it.Quiz == nil) {
						t.Fatal("an accepted item is neither lesson nor quiz")
					}
				}
			}
		}
	})
}
