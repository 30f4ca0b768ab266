package mail

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/outbox"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Handler serves the admins' view of the mail at /beheer/post.
type Handler struct {
	box *Mailbox
	// Server says where mail goes ("smtp://…"), or "" when it stays here.
	server string
}

// NewHandler returns the pages of box; server names the SMTP server mail
// goes to, empty when there is none.
func NewHandler(box *Mailbox, server string) *Handler { return &Handler{box: box, server: server} }

// Routes registers the mail pages; only admins may enter.
func (h *Handler) Routes(r *web.Router) {
	admin := r.Role(web.RoleAdmin)
	admin.Get("/beheer/post", h.list)
	admin.Get("/beheer/post/:id<int>", h.show)
	admin.Get("/beheer/post/:id<int>/html", h.html)
	admin.Post("/beheer/post/:id<int>/opnieuw", h.retry)
}

const perPage = 50

// States are the states an admin can filter on, with Dutch labels.
var States = []struct{ Value, Label string }{
	{"", "Alle"}, {outbox.StatePending, "Wacht"}, {outbox.StateSent, "Verzonden"},
	{outbox.StateFailed, "Mislukt"}, {outbox.StateSkipped, "Overgeslagen"},
}

type listPage struct {
	web.Page
	Items   []Item
	Filter  Filter
	States  []struct{ Value, Label string }
	Pager   web.Pager
	Server  string
	Sending bool
}

// GET /beheer/post
func (h *Handler) list(c *fiber.Ctx) error {
	f := Filter{State: c.Query("status"), To: c.Query("aan")}
	valid := false
	for _, s := range States {
		valid = valid || s.Value == f.State
	}
	if !valid {
		f.State = ""
	}
	if len(f.To) > 254 {
		f.To = f.To[:254]
	}
	pager := web.NewPager(c, perPage)
	items, total, err := h.box.List(c.UserContext(), f, perPage, pager.Offset())
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "mail/list", listPage{
		Page: web.NewPage(c, "Post"), Items: items, Filter: f, States: States, Pager: pager.Of(total),
		Server: h.server, Sending: h.box.Sending,
	})
}

type mailPage struct {
	web.Page
	Item    Item
	Message Message
	Sending bool
	Server  string
}

// GET /beheer/post/:id
func (h *Handler) show(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	it, msg, err := h.box.Read(c.UserContext(), id)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "mail/mail", mailPage{
		Page: web.NewPage(c, "Mail: "+it.Notice.Subject), Item: it, Message: msg, Sending: h.box.Sending, Server: h.server,
	})
}

// GET /beheer/post/:id/html — the HTML part on its own, as a mail program shows it.
func (h *Handler) html(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	_, msg, err := h.box.Read(c.UserContext(), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	// The mail's own inline styles, nothing else: no scripts, no frames.
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'")
	c.Type("html", "utf-8")
	return c.SendString(msg.HTML)
}

// POST /beheer/post/:id/opnieuw
func (h *Handler) retry(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := h.box.Retry(c.UserContext(), id, time.Now()); err != nil {
		return err
	}
	web.SetFlash(c, "De mail wordt zo opnieuw verstuurd.")
	return c.Redirect("/beheer/post/"+c.Params("id"), fiber.StatusSeeOther)
}
