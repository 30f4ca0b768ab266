package catalogue

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type providerPage struct {
	base
	*ProviderView
	Errors web.FieldErrors
	Number string
}

// GET /gids/aanbieders/:id
func (h *Handler) provider(c *fiber.Ctx) error {
	return h.renderProvider(c, fiber.StatusOK, nil, "")
}

func (h *Handler) renderProvider(c *fiber.Ctx, status int, errs web.FieldErrors, number string) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	pv, err := h.svc.ProviderPage(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	return web.Render(c, status, "catalogue/provider", providerPage{base: newBase(c, pv.Provider.Name), ProviderView: pv, Errors: errs, Number: number})
}

// POST /gids/aanbieders/:id/certificaten
func (h *Handler) linkCertificate(c *fiber.Ctx) error {
	p, err := h.ownedProvider(c)
	if err != nil {
		return err
	}
	err = h.svc.LinkCertificate(c.UserContext(), p, formID(c, "offering"), c.FormValue("number"))
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderProvider(c, fiber.StatusUnprocessableEntity, errs, c.FormValue("number"))
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Het certificaat is gecontroleerd in het register en gekoppeld.")
	return c.Redirect(fmt.Sprintf("/gids/aanbieders/%d", p.ID), fiber.StatusSeeOther)
}

type minePage struct {
	base
	*MineView
}

// GET /gids/mijn — the viewer's listings, requests, quote requests and
// matching pilot projects; for someone without a listing, how to get one.
func (h *Handler) mine(c *fiber.Ctx) error {
	mv, err := h.svc.Mine(c.UserContext(), me(c))
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/mine", minePage{base: newBase(c, "Mijn vermelding in de Gids"), MineView: mv})
}

type requestForm struct {
	Kind         string   `form:"kind" label:"Soort aanbieder" validate:"required,oneof=institute firm independent"`
	Name         string   `form:"name" label:"Naam" validate:"required,min=2,max=150"`
	KVK          string   `form:"kvk" label:"KvK-nummer" validate:"required,numeric,len=8"`
	Website      string   `form:"website" label:"Website" validate:"omitempty,http_url,max=300"`
	ContactEmail string   `form:"contact_email" label:"E-mailadres voor contact" validate:"required,email,max=254"`
	Description  string   `form:"description" input:"multiline" label:"Beschrijving" validate:"required,min=20,max=5000"`
	Provinces    []string `form:"provinces" label:"Werkgebied" validate:"required,min=1,dive,oneof=drenthe flevoland friesland gelderland groningen limburg noord-brabant noord-holland overijssel utrecht zeeland zuid-holland landelijk online"`
	Motivation   string   `form:"motivation" input:"multiline" label:"Waarom wilt u in de Gids" validate:"required,min=20,max=3000"`
}

type requestFormPage struct {
	base
	Form   requestForm
	Errors web.FieldErrors
}

// GET /gids/aanmelden
func (h *Handler) requestForm(c *fiber.Ctx) error {
	v := me(c)
	return web.Render(c, fiber.StatusOK, "catalogue/request_form", requestFormPage{base: newBase(c, "Aanbieder aanmelden"),
		Form: requestForm{ContactEmail: v.Email}})
}

// POST /gids/aanmelden
func (h *Handler) requestListing(c *fiber.Ctx) error {
	var f requestForm
	err := h.bind(c, &f)
	if err == nil {
		f.KVK = strings.ReplaceAll(f.KVK, " ", "")
		_, err = h.svc.RequestListing(c.UserContext(), me(c), &ProviderRequest{Kind: f.Kind, Name: f.Name, KVK: f.KVK, Website: f.Website,
			ContactEmail: f.ContactEmail, Description: f.Description, Provinces: f.Provinces, Motivation: f.Motivation})
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/request_form", requestFormPage{base: newBase(c, "Aanbieder aanmelden"), Form: f, Errors: errs})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw aanmelding is ontvangen. Het programmabureau beoordeelt haar; u krijgt bericht per e-mail en ziet de stand hier.")
	return c.Redirect("/gids/mijn", fiber.StatusSeeOther)
}

type providerForm struct {
	Kind         string   `form:"kind" label:"Soort aanbieder" validate:"required,oneof=institute firm independent"`
	Name         string   `form:"name" label:"Naam" validate:"required,min=2,max=150"`
	Description  string   `form:"description" input:"multiline" label:"Beschrijving" validate:"required,min=20,max=5000"`
	Website      string   `form:"website" label:"Website" validate:"omitempty,http_url,max=300"`
	ContactEmail string   `form:"contact_email" label:"E-mailadres voor contact" validate:"required,email,max=254"`
	ContactPhone string   `form:"contact_phone" label:"Telefoonnummer" validate:"omitempty,max=40"`
	Provinces    []string `form:"provinces" label:"Werkgebied" validate:"required,min=1,dive,oneof=drenthe flevoland friesland gelderland groningen limburg noord-brabant noord-holland overijssel utrecht zeeland zuid-holland landelijk online"`
	QualityMarks []string `form:"quality_marks" label:"Keurmerken" validate:"dive,oneof=crkbo nrto"`
}

type providerFormPage struct {
	base
	ID     int64
	Form   providerForm
	Errors web.FieldErrors
}

// GET /gids/aanbieders/:id/bewerken
func (h *Handler) editProvider(c *fiber.Ctx) error {
	p, err := h.ownedProvider(c)
	if err != nil {
		return err
	}
	f := providerForm{Kind: p.Kind, Name: p.Name, Description: p.Description, Website: p.Website, ContactEmail: p.ContactEmail,
		ContactPhone: p.ContactPhone, Provinces: p.Provinces, QualityMarks: p.QualityMarks}
	return web.Render(c, fiber.StatusOK, "catalogue/provider_form", providerFormPage{base: newBase(c, "Vermelding bewerken"), ID: p.ID, Form: f})
}

// POST /gids/aanbieders/:id/bewerken
func (h *Handler) updateProvider(c *fiber.Ctx) error {
	p, err := h.ownedProvider(c)
	if err != nil {
		return err
	}
	var f providerForm
	err = h.bind(c, &f)
	if err == nil {
		p.Kind, p.Name, p.Description, p.Website = f.Kind, f.Name, f.Description, f.Website
		p.ContactEmail, p.ContactPhone, p.Provinces, p.QualityMarks = f.ContactEmail, f.ContactPhone, f.Provinces, nonNil(f.QualityMarks)
		err = h.svc.UpdateProvider(c.UserContext(), p)
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/provider_form", providerFormPage{base: newBase(c, "Vermelding bewerken"), ID: p.ID, Form: f, Errors: errs})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "De vermelding is opgeslagen.")
	return c.Redirect(fmt.Sprintf("/gids/aanbieders/%d", p.ID), fiber.StatusSeeOther)
}
