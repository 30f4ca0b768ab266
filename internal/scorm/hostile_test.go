package scorm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/scorm"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// hostile is text an author could type that breaks XML, HTML or JS when it
// is not escaped: markup, entities, both quotes, a closing script tag, a
// CDATA end, template braces, a JS line separator and non-ASCII.
const hostile = `<script>alert("x")</script> & &amp; "dubbel" 'enkel' </script><!-- ]]> {{.}} ${x} ` + "\u2028" + ` Şükrü 💡 één`

func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b) // a JSON string is a YAML double-quoted scalar
}

// hostileFolder puts hostile text in every field a package shows.
func hostileFolder() fstest.MapFS {
	h := q(hostile)
	return fstest.MapFS{
		"course.yaml": {Data: []byte("slug: vijandig\ntitle: " + h + "\nsummary: " + h + "\nmodules:\n" +
			"  - title: " + q("Module \u0001 "+hostile) + "\n    items:\n      - lesson: les.md\n      - quiz: toets.yaml\n")},
		"les.md": {Data: []byte("---\ntitle: " + h + "\n---\n" + "# Kop " + strings.ReplaceAll(hostile, "\u2028", "") + "\n\n" +
			"<script>window.gehackt = 1</script> <img src=x onerror=\"window.gehackt=1\"> [link](javascript:alert(1))\n\n" +
			"[Cursussen](/cursussen) en [elders](https://example.org/pad?a=1&b=2) en [protocol](//elders.example/x)\n")},
		"toets.yaml": {Data: []byte("title: " + h + "\npass_mark: 50\nquestions:\n" +
			"  - type: single\n    text: " + h + "\n    feedback: " + h + "\n    options:\n      - text: " + h + "\n        correct: true\n        feedback: " + h + "\n      - text: " + q("nee "+hostile) + "\n" +
			"  - type: text\n    text: " + h + "\n    accepted: [" + h + "]\n" +
			"  - type: ordering\n    text: " + h + "\n    options:\n      - text: " + q("1 "+hostile) + "\n      - text: " + q("2 "+hostile) + "\n      - text: " + q("3 "+hostile) + "\n")},
	}
}

// Hostile text in every field ends up escaped: the manifest is valid XML
// with the titles as typed (characters XML cannot hold replaced), the pages
// run only the package's own scripts and show the text as text, and the
// quiz data read back by a JavaScript engine is exactly what was typed.
func TestPackage_HostileText(t *testing.T) {
	db := testdb.New(t)
	c := mustImport(t, db, hostileFolder())
	_, files := mustPackage(t, db, scorm.Config{BaseURL: "https://leren.example.nl"}, c.ID)
	validateXSD(t, files)
	m := parseManifest(t, files)
	org := m.Organizations.Organization[0]
	if org.Title != strings.TrimSpace(hostile) {
		t.Errorf("organization title %q", org.Title)
	}
	if want := "Module \uFFFD " + hostile; org.Items[0].Title != want {
		t.Errorf("module title %q, want %q", org.Items[0].Title, want)
	}
	for _, it := range org.Items[0].Items {
		if it.Title != hostile {
			t.Errorf("item title %q", it.Title)
		}
	}
	checkFileList(t, m, files)

	for _, name := range []string{"lessen/les.html", "toetsen/toets.html"} {
		doc, err := html.Parse(bytes.NewReader(files[name]))
		if err != nil {
			t.Fatal(err)
		}
		var inline []string
		walk(doc, func(n *html.Node) {
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "javascript:") {
					t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
				}
			}
			if n.Data == "script" && n.Type == html.ElementNode {
				src := attr(n, "src")
				switch {
				case strings.HasPrefix(src, "../gedeeld/") && files[strings.TrimPrefix(src, "../")] != nil:
				case src == "" && n.FirstChild != nil:
					inline = append(inline, n.FirstChild.Data)
				default:
					t.Errorf("%s: a script that is not the package's own: src=%q", name, src)
				}
			}
		})
		if got := text(find(doc, "title")); got != hostile+" · "+strings.TrimSpace(hostile) {
			t.Errorf("%s: <title> %q", name, got)
		}
		if got := text(find(doc, "h1")); got != hostile {
			t.Errorf("%s: <h1> %q", name, got)
		}
		if name == "lessen/les.html" {
			if len(inline) != 0 {
				t.Errorf("lesson page runs inline scripts: %q", inline)
			}
			page := string(files[name])
			for _, want := range []string{`href="https://leren.example.nl/cursussen" target="_blank" rel="nofollow noopener noreferrer"`,
				`href="https://example.org/pad?a=1&amp;b=2" target="_blank"`, `href="//elders.example/x" target="_blank"`} {
				if !strings.Contains(page, want) {
					t.Errorf("lesson page lacks %s", want)
				}
			}
			continue
		}
		if len(inline) != 1 || !strings.HasPrefix(inline[0], "window.W20_TOETS = ") {
			t.Fatalf("quiz page inline scripts: %q", inline)
		}
		quiz := evalQuiz(t, inline[0])
		if quiz.Title != hostile || len(quiz.Questions) != 3 {
			t.Fatalf("quiz data read back: %+v", quiz)
		}
		for _, qu := range quiz.Questions {
			if qu.Text != hostile {
				t.Errorf("question text read back as %q", qu.Text)
			}
		}
		single := quiz.Questions[0]
		if single.Feedback != hostile || single.Options[0].Text != hostile || single.Options[0].Feedback != hostile || single.Options[1].Text != "nee "+hostile {
			t.Errorf("options read back: %+v", single)
		}
		if acc := quiz.Questions[1].Accepted; len(acc) != 1 || acc[0] != hostile {
			t.Errorf("accepted answers read back: %q", acc)
		}
	}
}

// quizBack is the quiz data of a page as a JavaScript engine reads it.
type quizBack struct {
	Title     string `json:"title"`
	Questions []struct {
		Text     string   `json:"text"`
		Feedback string   `json:"feedback"`
		Accepted []string `json:"accepted"`
		Options  []struct {
			Text     string `json:"text"`
			Feedback string `json:"feedback"`
		} `json:"options"`
	} `json:"questions"`
}

// evalQuiz runs the quiz page's inline script in Node and returns the
// quiz it defines.
func evalQuiz(t *testing.T, src string) quizBack {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node not found: install it with `apt-get install -y nodejs`")
	}
	cmd := exec.Command(node, "-e", `const src = require("fs").readFileSync(0, "utf8"); const window = {}; eval(src); process.stdout.write(JSON.stringify(window.W20_TOETS));`)
	cmd.Stdin = strings.NewReader(src)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var v quizBack
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("quiz data %s: %v", out, err)
	}
	return v
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func find(n *html.Node, tag string) *html.Node {
	var found *html.Node
	walk(n, func(x *html.Node) {
		if found == nil && x.Type == html.ElementNode && x.Data == tag {
			found = x
		}
	})
	return found
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	walk(n, func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
	})
	return b.String()
}

// fakeImages is a site's image store for the test of the image mapping.
type fakeImages map[string]struct {
	data  []byte
	ctype string
}

func (f fakeImages) Image(_ context.Context, p string) ([]byte, string, error) {
	img, ok := f[p]
	if !ok {
		return nil, "", apperr.ErrNotFound
	}
	return img.data, img.ctype, nil
}

var png1x1 = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// Site-relative images are copied into the package once, listed with the
// lessons that show them and pointed to there; external images stay as
// they are; an image that is missing or is not an image stops the export
// with a message naming the lesson and the path.
func TestPackage_Images(t *testing.T) {
	db := testdb.New(t)
	folder := fstest.MapFS{
		"course.yaml": {Data: []byte("slug: plaatjes\ntitle: Plaatjes\nmodules:\n  - title: M\n    items:\n      - lesson: een.md\n      - lesson: twee.md\n")},
		"een.md":      {Data: []byte("---\ntitle: Een\n---\n![Kaart](/media/1/kaart%20nl.png?v=3) ![Weer](/media/1/kaart%20nl.png) ![Extern](https://example.org/x.png)\n")},
		"twee.md":     {Data: []byte("---\ntitle: Twee\n---\n![Kaart](/media/1/kaart%20nl.png) ![Logo](/static/favicon.svg) ![Raar](//elders.example/y.png)\n")},
	}
	c := mustImport(t, db, folder)
	imgs := fakeImages{
		"/media/1/kaart nl.png": {png1x1, "image/png"},
		"/static/favicon.svg":   {[]byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "image/svg+xml; charset=utf-8"},
	}
	_, files := mustPackage(t, db, scorm.Config{Images: imgs}, c.ID)
	m := parseManifest(t, files)
	checkFileList(t, m, files)
	var copies []string
	for name := range files {
		if strings.HasPrefix(name, "afbeeldingen/") {
			copies = append(copies, name)
		}
	}
	if len(copies) != 2 {
		t.Fatalf("images in the package: %v", copies)
	}
	var kaart, logo string
	for _, n := range copies {
		switch filepath.Ext(n) {
		case ".png":
			kaart = n
		case ".svg":
			logo = n
		}
	}
	if !bytes.Equal(files[kaart], png1x1) || !strings.Contains(kaart, "kaart_nl") {
		t.Errorf("copy of the map: %s", kaart)
	}
	een, twee := string(files["lessen/een.html"]), string(files["lessen/twee.html"])
	if strings.Count(een, `src="../`+kaart+`"`) != 2 || !strings.Contains(een, `src="https://example.org/x.png"`) {
		t.Errorf("lesson one:\n%s", een)
	}
	if !strings.Contains(twee, `src="../`+kaart+`"`) || !strings.Contains(twee, `src="../`+logo+`"`) || !strings.Contains(twee, `src="//elders.example/y.png"`) {
		t.Errorf("lesson two:\n%s", twee)
	}
	for _, r := range m.Resources {
		var listed []string
		for _, f := range r.Files {
			listed = append(listed, f.Href)
		}
		switch r.Href {
		case "lessen/een.html":
			if strings.Join(listed, " ") != "lessen/een.html "+kaart {
				t.Errorf("lesson one lists %v", listed)
			}
		case "lessen/twee.html":
			if strings.Join(listed, " ") != "lessen/twee.html "+kaart+" "+logo {
				t.Errorf("lesson two lists %v", listed)
			}
		}
	}

	// A missing image and a file that is not an image: one message with both.
	delete(imgs, "/static/favicon.svg")
	imgs["/media/1/kaart nl.png"] = struct {
		data  []byte
		ctype string
	}{[]byte("<html>geen plaatje</html>"), "image/png"}
	_, _, err := scorm.New(courses.NewService(db), scorm.Config{Images: imgs}).Package(context.Background(), c.ID)
	msg := apperr.UserText(err, "")
	if !errors.Is(err, apperr.ErrConflict) || !strings.Contains(msg, "in les “Een” kan afbeelding /media/1/kaart nl.png niet mee: die is geen PNG") ||
		!strings.Contains(msg, "in les “Twee” kan afbeelding /static/favicon.svg niet mee: die bestaat niet") {
		t.Fatalf("export with broken images: %v", err)
	}
}
