package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
)

// SiteName is how mails name the site they come from.
const SiteName = "Leeromgeving Werken 2.0"

//go:embed templates
var templates embed.FS

var (
	textNotice = texttemplate.Must(texttemplate.ParseFS(templates, "templates/notice.txt"))
	htmlNotice = htmltemplate.Must(htmltemplate.ParseFS(templates, "templates/notice.html"))
)

// Message is a notice as its recipient reads it: a subject and the same
// text as plain text and as HTML.
type Message struct {
	Subject string
	Text    string
	HTML    string
}

// Renderer turns notices into messages whose links point at the site.
type Renderer struct {
	BaseURL string // the site's public address without trailing slash
}

// URL is the absolute address of link: a path on the site, or an absolute
// http(s) URL as it is.
func (r Renderer) URL(link string) string {
	if u, err := url.Parse(link); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return link
	}
	if !strings.HasPrefix(link, "/") {
		link = "/" + link
	}
	return strings.TrimRight(r.BaseURL, "/") + link
}

type paragraph struct{ Lines []string }

type renderedLink struct{ Text, URL string }

type noticeView struct {
	Subject, ToName, SiteName string
	Paragraphs                []paragraph
	Action, URL               string
	Links                     []renderedLink
	Footer, Preferences       string
}

// Render makes the message of n: a greeting, the body's paragraphs, the
// action with its absolute link, and a footer saying why the recipient gets
// it (with a link to turn optional topics off).
func (r Renderer) Render(n Notice) (Message, error) {
	v := noticeView{Subject: n.Subject, ToName: n.ToName, SiteName: SiteName, Action: n.Action}
	for _, p := range strings.Split(strings.ReplaceAll(n.Body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Paragraphs = append(v.Paragraphs, paragraph{Lines: strings.Split(p, "\n")})
		}
	}
	if n.Link != "" {
		v.URL = r.URL(n.Link)
		if v.Action == "" {
			v.Action = "Bekijk het op de site"
		}
	} else {
		v.Action = ""
	}
	for _, l := range n.Links {
		v.Links = append(v.Links, renderedLink{Text: l.Text, URL: r.URL(l.Path)})
	}
	if n.Topic.Optional() {
		v.Footer = "U krijgt deze e-mail omdat u e-mails over " + n.Topic.Label() + " ontvangt."
		v.Preferences = r.URL("/mijn/account#meldingen")
	} else {
		v.Footer = "Deze e-mail gaat over uw account en wordt altijd verstuurd."
	}
	var text, html bytes.Buffer
	if err := textNotice.Execute(&text, v); err != nil {
		return Message{}, fmt.Errorf("mail: render text of %q: %w", n.Key, err)
	}
	if err := htmlNotice.Execute(&html, v); err != nil {
		return Message{}, fmt.Errorf("mail: render html of %q: %w", n.Key, err)
	}
	return Message{Subject: n.Subject, Text: text.String(), HTML: html.String()}, nil
}
