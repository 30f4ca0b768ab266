package scorm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
)

// Images gives the bytes and content type of an image the site serves at a
// site-relative path ("/media/12/kaart.png"), so a lesson's images can go
// into the package. An image that does not exist is an error wrapping
// fs.ErrNotExist or apperr.ErrNotFound.
type Images interface {
	Image(ctx context.Context, path string) ([]byte, string, error)
}

// FSImages serves the files of FS under the URL prefix Prefix, as the site
// serves its static files under /static/.
type FSImages struct {
	FS     fs.FS
	Prefix string
}

// Image returns the file at p, with the content type of its extension.
func (f FSImages) Image(_ context.Context, p string) ([]byte, string, error) {
	name, ok := strings.CutPrefix(p, f.Prefix)
	if !ok || !fs.ValidPath(name) {
		return nil, "", fs.ErrNotExist
	}
	b, err := fs.ReadFile(f.FS, name)
	if err != nil {
		return nil, "", err
	}
	return b, mime.TypeByExtension(path.Ext(name)), nil
}

// maxImage bounds one image in a package.
const maxImage = 20 << 20

// imageTypes are the image types a package may carry, with their extension.
var imageTypes = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp", "image/svg+xml": ".svg",
}

// imageSet is the images of a package, each copied once, by site path.
type imageSet struct {
	src   Images
	files map[string]string // site path → file in the package
}

func newImageSet(src Images) *imageSet {
	return &imageSet{src: src, files: map[string]string{}}
}

// add copies the image at site path p into the package and returns its
// file there; "" (and a problem) when it cannot.
func (s *imageSet) add(ctx context.Context, p *pkg, lesson, sitePath string) string {
	if f, ok := s.files[sitePath]; ok {
		return f
	}
	problem := func(why string) string {
		p.problems = append(p.problems, fmt.Sprintf("in les “%s” kan afbeelding %s niet mee: die %s", lesson, sitePath, why))
		return ""
	}
	if s.src == nil {
		return problem("levert deze site niet")
	}
	b, ctype, err := s.src.Image(ctx, sitePath)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, apperr.ErrNotFound):
		return problem("bestaat niet")
	case err != nil:
		return problem(fmt.Sprintf("is niet te lezen (%v)", err))
	case len(b) > maxImage:
		return problem("is groter dan 20 MB")
	}
	ctype, _, _ = mime.ParseMediaType(ctype)
	ext, ok := imageTypes[ctype]
	if !ok || !looksLike(ctype, b) {
		return problem("is geen PNG, JPEG, GIF, WebP of SVG")
	}
	sum := sha256.Sum256([]byte(sitePath))
	base := strings.TrimSuffix(path.Base(sitePath), path.Ext(sitePath))
	f := "afbeeldingen/" + hex.EncodeToString(sum[:4]) + "-" + fileName(base) + ext
	s.files[sitePath] = f
	p.add(f, b)
	return f
}

// looksLike checks that b is what its content type says.
func looksLike(ctype string, b []byte) bool {
	if ctype == "image/svg+xml" {
		return strings.Contains(string(b[:min(len(b), 4096)]), "<svg")
	}
	return http.DetectContentType(b) == ctype
}

// lessonBody renders the lesson as the site does (sanitised Markdown) and
// makes it work inside the package: site-relative images are copied in and
// point to their copy, site-relative links point to the site, and every
// link opens in a new window so the SCO stays open. It returns the HTML and
// the package files of its images.
func (e *Exporter) lessonBody(ctx context.Context, p *pkg, l *courses.LessonRevision) (template.HTML, []string, error) {
	z := html.NewTokenizer(strings.NewReader(string(e.store.LessonHTML(l))))
	var out strings.Builder
	var imgs []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if errors.Is(z.Err(), io.EOF) {
				break
			}
			return "", nil, fmt.Errorf("scorm: lesson %d: %w", l.ID, z.Err())
		}
		tok := z.Token()
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			switch tok.Data {
			case "img":
				for i, a := range tok.Attr {
					if a.Key == "src" && siteRelative(a.Val) {
						if f := p.images.add(ctx, p, l.Title, sitePath(a.Val)); f != "" {
							tok.Attr[i].Val = "../" + f
							imgs = append(imgs, f)
						}
					}
				}
			case "a":
				tok.Attr = e.linkAttrs(tok.Attr)
			}
		}
		out.WriteString(tok.String())
	}
	return template.HTML(out.String()), dedupe(imgs), nil //nolint:gosec // tokens of the sanitised lesson, re-escaped by the tokenizer
}

// linkAttrs points a site-relative link to the site and opens every link
// to elsewhere in a new window.
func (e *Exporter) linkAttrs(attrs []html.Attribute) []html.Attribute {
	external := false
	var kept []html.Attribute
	for _, a := range attrs {
		switch a.Key {
		case "href":
			if siteRelative(a.Val) && e.cfg.BaseURL != "" {
				a.Val = e.cfg.BaseURL + a.Val
			}
			external = strings.HasPrefix(a.Val, "http://") || strings.HasPrefix(a.Val, "https://") || strings.HasPrefix(a.Val, "//")
		case "target", "rel":
			continue
		}
		kept = append(kept, a)
	}
	if external {
		kept = append(kept, html.Attribute{Key: "target", Val: "_blank"}, html.Attribute{Key: "rel", Val: "nofollow noopener noreferrer"})
	}
	return kept
}

// siteRelative reports whether u is a path on the site itself ("/media/1"),
// not a protocol-relative address ("//elders.nl", "/\elders.nl").
func siteRelative(u string) bool {
	return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && !strings.HasPrefix(u, `/\`)
}

// sitePath is the cleaned path of a site-relative URL, without query or fragment.
func sitePath(u string) string {
	if parsed, err := url.Parse(u); err == nil {
		u = parsed.Path
	}
	return path.Clean("/" + u)
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
