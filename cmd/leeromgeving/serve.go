package main

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/views"
)

const serveHelp = `Gebruik: leeromgeving serve [vlaggen]

Start de webapplicatie. Zonder DATABASE_URL start zij haar eigen PostgreSQL in
de datamap, voert de migraties uit en laadt bij de eerste start de demo-inhoud.
`

// shutdownGrace bounds how long in-flight requests may take at shutdown.
const shutdownGrace = 10 * time.Second

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, _, err := parseConfig("serve", args, getenv, stdout, serveHelp, nil)
	if err != nil {
		return err
	}
	level, _ := cfg.level()
	log := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: level}))

	db, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrateUp(ctx, db.DB); err != nil {
		return err
	}
	if db.Private() {
		if err := seedDemoOnce(ctx, db.DB, cfg, stdout); err != nil {
			return err
		}
	}
	app, err := newApp(ctx, db, cfg, log)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("luisteren op %s: %w", cfg.Addr, err)
	}
	fmt.Fprintf(stdout, "Leeromgeving Werken 2.0 luistert op http://%s (openbaar adres %s)\n", ln.Addr(), cfg.BaseURL)
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "Afsluiten: lopende verzoeken afronden…")
	if err := app.ShutdownWithTimeout(shutdownGrace); err != nil {
		log.Warn("shutdown", "err", err)
	}
	<-served
	fmt.Fprintln(stdout, "Gestopt.")
	return nil
}

// newApp builds the Fiber application: middleware, every domain's routes and
// the central error handler.
func newApp(ctx context.Context, db *database, cfg *config, log *slog.Logger) (*fiber.App, error) {
	acc := accounts.NewService(db.DB, cfg.secure())
	secret, err := acc.Store.Secret(ctx, "csrf", 32)
	if err != nil {
		return nil, err
	}
	assets, err := web.NewAssets(views.Static())
	if err != nil {
		return nil, err
	}
	engine, err := web.NewEngine(views.Templates(), template.FuncMap{
		"asset":     assets.URL,
		"hasPrefix": strings.HasPrefix,
		"hasRole": func(roles []string, role string) bool {
			for _, r := range roles {
				if r == role {
					return true
				}
			}
			return false
		},
	})
	if err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		AppName:               "leeromgeving",
		Views:                 engine,
		ErrorHandler:          web.ErrorHandler(log),
		BodyLimit:             12 << 20, // evidence uploads are at most 10 MB
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
	})
	web.Standard(app, log, cfg.secure())

	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/readyz", func(c *fiber.Ctx) error {
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

	app.Use(web.CSRF{Secret: secret, CookieName: csrfCookie(cfg), Secure: cfg.secure()}.Middleware())
	app.Use(acc.Sessions.Middleware())

	api := web.NewOpenAPI("Leeromgeving Werken 2.0 API", version)
	if err := api.Add(accounts.OpenAPI()); err != nil {
		return nil, err
	}
	app.Get("/api/v1/openapi.json", api.Handler(cfg.BaseURL))

	app.Get("/", homePage)
	app.Get("/privacy", textPage("Privacy", privacyText))
	app.Get("/toegankelijkheid", textPage("Toegankelijkheid", accessibilityText))
	accounts.NewHandler(acc, web.NewValidator()).Routes(app)

	app.Use(func(c *fiber.Ctx) error {
		if web.IsAPI(c) {
			return apperr.Msg(apperr.ErrNotFound, "Onbekend API-pad.")
		}
		return fiber.ErrNotFound
	})
	return app, nil
}

func csrfCookie(cfg *config) string {
	if cfg.secure() {
		return "__Host-csrf"
	}
	return "csrf"
}

// GET /
func homePage(c *fiber.Ctx) error {
	return web.Render(c, fiber.StatusOK, "home/index", web.NewPage(c, ""))
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

var errUnknownSubcommand = errors.New("onbekende subopdracht")
