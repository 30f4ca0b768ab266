// Package server builds the web application: the middleware every request
// passes, each domain's routes, and the central error handler. The binary
// and the handler tests build it the same way.
package server

import (
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/catalogue"
	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/jobs"
	"github.com/ambtenaar20/leeromgeving/internal/lti"
	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/outbox"
	"github.com/ambtenaar20/leeromgeving/internal/pubsub"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/views"
)

// Config is what the application needs to know about where it runs.
type Config struct {
	BaseURL     string // public address without trailing slash
	Secure      bool   // served over https: secure, __Host- cookies and HSTS
	Version     string
	CORSOrigins []string // origins that may read the public API from a browser; "*" for any, none: ["*"]
	Log         *slog.Logger
	// SMTPURL is where mail goes (smtp:// or smtps://); empty keeps every
	// mail in the outbox, where admins read it at /beheer/post.
	SMTPURL  string
	MailFrom string // the sender's address; empty: noreply at the site's host
	// SecretKey (32 bytes, kept outside the database) seals identity
	// providers' client secrets.
	SecretKey []byte
}

// Server is the web application and the work it does in the background.
type Server struct {
	App     *fiber.App
	Routes  []web.Route // every route with who may enter it
	Domains *Domains
	Jobs    *jobs.Scheduler
	Outbox  *outbox.Worker
	// Mail is the SMTP sender of the outbox's mail, nil when mail stays in
	// the outbox.
	Mail *mail.Sender
	bus  *pubsub.Bus
	log  *slog.Logger
}

// New builds the Fiber application (middleware, every domain's routes, the
// central error handler) and its background work. Start the background
// with Background.
func New(ctx context.Context, db *bun.DB, cfg Config) (*Server, error) {
	log := cfg.Log
	d := NewDomains(db, cfg)
	acc := d.Accounts
	secret, err := acc.Secret(ctx, "csrf", 32)
	if err != nil {
		return nil, err
	}
	assets, err := web.NewAssets(views.Static())
	if err != nil {
		return nil, err
	}
	// A site loaded with the demo content says so once, in a banner.
	var demo bool
	if err := db.NewRaw("SELECT EXISTS (SELECT 1 FROM app_flags WHERE name = 'demo-seeded')").Scan(ctx, &demo); err != nil {
		return nil, fmt.Errorf("server: demo flag: %w", err)
	}
	funcs := template.FuncMap{
		"demoSite":  func() bool { return demo },
		"asset":     assets.URL,
		"hasPrefix": strings.HasPrefix,
		"hasRole":   slices.Contains[[]string],
	}
	maps.Copy(funcs, courses.FuncMap())
	engine, err := web.NewEngine(views.Templates(), funcs)
	if err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		AppName:               "leeromgeving",
		Views:                 engine,
		StrictRouting:         true, // "/cursussen/" is not "/cursussen" (the API answers 404, pages redirect)
		ErrorHandler:          web.ErrorHandler(log),
		BodyLimit:             12 << 20, // evidence uploads are at most 10 MB
		ReadBufferSize:        16 << 10, // request heads up to 16 KB: long filter URLs; beyond, 431
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
	})
	web.Standard(app, log, cfg.Secure)
	r := web.NewRouter(app)
	origins := cfg.CORSOrigins
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	app.Use(web.APIConventions(web.NewPaths(r), origins))
	app.Use(web.CleanInput())
	anyone := r.Public()

	anyone.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	anyone.Get("/readyz", func(c *fiber.Ctx) error {
		pctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := db.PingContext(pctx); err != nil {
			return fiber.NewError(fiber.StatusServiceUnavailable, "database niet bereikbaar")
		}
		return c.SendString("ok")
	})
	app.Use("/static", etag.New(), filesystem.New(filesystem.Config{
		Root: http.FS(views.Static()), MaxAge: 365 * 24 * 3600,
	}))

	app.Use(web.CSRF{Secret: secret, CookieName: csrfCookie(cfg.Secure), Secure: cfg.Secure, Exempt: lti.CSRFExempt}.Middleware())
	app.Use(acc.Sessions.Middleware())

	api := web.NewOpenAPI("Leeromgeving Werken 2.0 API", web.Contact{
		Name: "Programmabureau Ambtenaar 2.0", URL: cfg.BaseURL + "/api", Email: contactEmail(cfg.BaseURL)})
	if err := api.Add(openAPIFragment); err != nil {
		return nil, err
	}
	if err := api.Add(accounts.OpenAPI()); err != nil {
		return nil, err
	}

	anyone.Get("/", homePage(d.Learning))
	anyone.Get("/privacy", textPage("Privacy", privacyText))
	anyone.Get("/toegankelijkheid", textPage("Toegankelijkheid", accessibilityText))
	r.LoggedIn().Get("/mijn/taken", workPage)
	validate := web.NewValidator()
	accounts.NewHandler(acc, validate).Routes(r)
	sender, err := mailSender(db, cfg)
	if err != nil {
		return nil, err
	}
	mail.NewHandler(d.Mail, sender.describe()).Routes(r)
	// courses: routes and wiring
	learning := courses.NewHandler(d.Learning, validate)
	learning.SetPackager(d.SCORM)
	learning.Routes(r)
	if err := api.Add(courses.OpenAPI()); err != nil {
		return nil, err
	}
	// certify: routes and wiring
	if _, err := d.Certify.EnsureSigningKey(ctx); err != nil {
		return nil, err
	}
	certify.NewHandler(d.Certify, validate).Routes(r)
	if err := api.Add(certify.OpenAPI()); err != nil {
		return nil, err
	}
	// catalogue: routes and wiring
	if err := api.Add(catalogue.OpenAPI()); err != nil {
		return nil, err
	}
	catalogue.NewHandler(d.Catalogue, validate).Routes(r)
	// lti: the tool's endpoints and admin pages
	lti.NewHandler(d.LTI, validate).Routes(r)
	if err := api.Add(lti.OpenAPI()); err != nil {
		return nil, err
	}

	var apiDoc []byte
	anyone.Get("/api/v1/openapi.json", web.Handler(&apiDoc))
	if apiDoc, err = api.Document(cfg.BaseURL, acc.Sessions.Cookie, r.Table()); err != nil {
		return nil, err
	}
	app.Use(func(c *fiber.Ctx) error {
		if web.IsAPI(c) {
			return apperr.Msg(apperr.ErrNotFound, "Onbekend API-pad.")
		}
		return fiber.ErrNotFound
	})

	s := &Server{App: app, Routes: r.Table(), Domains: d, Jobs: jobs.New(db, log), Outbox: outbox.NewWorker(db, log),
		Mail: sender.Sender, bus: pubsub.New(db, log), log: log}
	if sender.Sender != nil {
		s.Outbox.Handle(mail.Kind, sender.Deliver)
	}
	s.Jobs.Every("sessions-purge", time.Hour, acc.Purge)
	s.Jobs.Every("mail-purge", 24*time.Hour, func(ctx context.Context, now time.Time) error {
		return d.Mail.Purge(ctx, now.AddDate(0, 0, -90))
	})
	s.Outbox.Handle(lti.ScoreKind, d.LTI.DeliverScore)
	s.Jobs.Every("lti-purge", time.Hour, d.LTI.Purge)
	s.Jobs.Every(certify.ReminderJob, 24*time.Hour, func(ctx context.Context, now time.Time) error {
		_, err := d.Certify.SendExpiryReminders(ctx, now)
		return err
	})
	return s, nil
}

// smtpSender is the mail sender of the configuration; nil Sender when no
// SMTP server is set.
type smtpSender struct{ *mail.Sender }

func (s smtpSender) describe() string {
	if s.Sender == nil {
		return ""
	}
	return s.Server()
}

func mailSender(db *bun.DB, cfg Config) (smtpSender, error) {
	if cfg.SMTPURL == "" {
		return smtpSender{}, nil
	}
	server, err := mail.ParseSMTPURL(cfg.SMTPURL)
	if err != nil {
		return smtpSender{}, err
	}
	from := cfg.MailFrom
	if from == "" {
		from = mail.DefaultFrom(cfg.BaseURL)
	}
	snd, err := mail.NewSender(db, server, from, cfg.BaseURL)
	return smtpSender{snd}, err
}

// MailStatus says in Dutch where the mail goes, for the start-up message.
func (s *Server) MailStatus(baseURL string) string {
	if s.Mail == nil {
		return "Post: er is geen SMTP-server ingesteld (LEEROMGEVING_SMTP_URL); e-mails blijven in de outbox en zijn te lezen op " + baseURL + "/beheer/post"
	}
	return "Post: " + s.Mail.Describe()
}

// Background runs what the application does besides answering requests
// (delivering the outbox, scheduled jobs) until ctx ends.
func (s *Server) Background(ctx context.Context) {
	wake := s.bus.Subscribe(outbox.Channel)
	gidsNews := s.bus.Subscribe(catalogue.NewsChannel)
	var wg sync.WaitGroup
	wg.Go(func() { s.Domains.Catalogue.Listen(ctx, gidsNews) })
	wg.Go(func() {
		if err := s.bus.Run(ctx); err != nil {
			s.log.Warn("pubsub stopped", "err", err)
		}
	})
	wg.Go(func() { s.Outbox.Run(ctx, wake) })
	wg.Go(func() { s.Jobs.Run(ctx) })
	wg.Wait()
}

//go:embed openapi.json
var openAPIFragment []byte

// contactEmail is the API's contact address at the site's own domain.
func contactEmail(baseURL string) string {
	host := strings.TrimPrefix(strings.TrimPrefix(baseURL, "https://"), "http://")
	host, _, _ = strings.Cut(host, ":")
	return "servicedesk@" + host
}

func csrfCookie(secure bool) string {
	if secure {
		return "__Host-csrf"
	}
	return "csrf"
}

// GET /mijn/taken — the pages of the viewer's roles, in one place.
func workPage(c *fiber.Ctx) error {
	return web.Render(c, fiber.StatusOK, "home/work", web.NewPage(c, "Mijn taken"))
}

type homeView struct {
	web.Page
	Courses []courses.MyCourse // the learner's unfinished courses, to resume
}

// GET / — the three services; a learner also sees where to carry on.
func homePage(learning *courses.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		page := homeView{Page: web.NewPage(c, "")}
		if v := page.Viewer; v != nil {
			mine, err := learning.Enrolled(c.UserContext(), v.ID)
			if err != nil {
				return err
			}
			for _, mc := range mine {
				if mc.CompletedAt == nil && len(page.Courses) < 3 {
					page.Courses = append(page.Courses, mc)
				}
			}
		}
		return web.Render(c, fiber.StatusOK, "home/index", page)
	}
}

type textView struct {
	web.Page
	Body template.HTML
}

func textPage(title string, body template.HTML) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return web.Render(c, fiber.StatusOK, "home/text", textView{Page: web.NewPage(c, title), Body: body})
	}
}
