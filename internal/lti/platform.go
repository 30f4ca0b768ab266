package lti

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// PlatformInput is what an admin enters to register a platform.
type PlatformInput struct {
	Name           string `form:"name"`
	Issuer         string `form:"issuer"`
	ClientID       string `form:"client_id"`
	DeploymentIDs  string `form:"deployment_ids" input:"multiline"` // one per line (or comma-separated)
	AuthURL        string `form:"auth_url"`
	TokenURL       string `form:"token_url"`
	JWKSURL        string `form:"jwks_url"`
	TokenAudience  string `form:"token_audience"`
	OrganisationID string `form:"organisation_id"`
}

// InputOf is the form of a registered platform.
func InputOf(p *Platform) PlatformInput {
	in := PlatformInput{Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, DeploymentIDs: strings.Join(p.DeploymentIDs, "\n"),
		AuthURL: p.AuthURL, TokenURL: p.TokenURL, JWKSURL: p.JWKSURL, TokenAudience: p.TokenAudience}
	if p.OrganisationID != nil {
		in.OrganisationID = formatID(*p.OrganisationID)
	}
	return in
}

// platform checks the input and returns it as a platform, or a validation
// error with a Dutch message per field.
func (in PlatformInput) platform(orgs map[int64]bool) (*Platform, error) {
	v := &apperr.Validation{}
	p := &Platform{Name: strings.TrimSpace(in.Name), Issuer: strings.TrimSpace(in.Issuer), ClientID: strings.TrimSpace(in.ClientID),
		AuthURL: strings.TrimSpace(in.AuthURL), TokenURL: strings.TrimSpace(in.TokenURL), JWKSURL: strings.TrimSpace(in.JWKSURL),
		TokenAudience: strings.TrimSpace(in.TokenAudience)}
	switch n := len([]rune(p.Name)); {
	case n == 0:
		v.Add("name", "Geef het leerplatform een naam, bijvoorbeeld Moodle Gemeente Utrecht.")
	case n < 2 || n > 100:
		v.Add("name", "De naam is 2 tot 100 tekens lang.")
	}
	checkURL(v, "issuer", p.Issuer, "Het platform-ID (issuer)")
	switch {
	case p.ClientID == "":
		v.Add("client_id", "De client-ID is verplicht; uw leeromgeving toont hem bij de tool.")
	case len(p.ClientID) > 255 || strings.ContainsAny(p.ClientID, " \t"):
		v.Add("client_id", "De client-ID is hoogstens 255 tekens, zonder spaties.")
	}
	seen := map[string]bool{}
	for _, d := range strings.FieldsFunc(in.DeploymentIDs, func(r rune) bool { return r == '\n' || r == ',' || r == '\r' }) {
		d = strings.TrimSpace(d)
		if d == "" || seen[d] {
			continue
		}
		if len(d) > 255 || strings.ContainsAny(d, " \t") {
			v.Add("deployment_ids", "Elke deployment-ID is hoogstens 255 tekens, zonder spaties; zet er één per regel.")
			break
		}
		seen[d] = true
		p.DeploymentIDs = append(p.DeploymentIDs, d)
	}
	if len(p.DeploymentIDs) == 0 && v.Fields["deployment_ids"] == "" {
		v.Add("deployment_ids", "Geef ten minste één deployment-ID; uw leeromgeving toont hem bij de tool.")
	} else if len(p.DeploymentIDs) > 50 {
		v.Add("deployment_ids", "Geef hoogstens 50 deployment-ID's.")
	}
	checkURL(v, "auth_url", p.AuthURL, "De authenticatie-URL")
	checkURL(v, "token_url", p.TokenURL, "De token-URL")
	checkURL(v, "jwks_url", p.JWKSURL, "De URL van de sleutelset")
	if p.TokenAudience != "" && len(p.TokenAudience) > 500 {
		v.Add("token_audience", "De audience is hoogstens 500 tekens.")
	}
	id, ok := parseID(in.OrganisationID)
	if !ok || !orgs[id] {
		v.Add("organisation_id", "Kies de organisatie waarin nieuwe deelnemers van dit platform komen.")
	} else {
		p.OrganisationID = &id
	}
	return p, v.Err()
}

// checkURL adds a message when s is not an absolute https URL (http is
// allowed for a platform on this machine, for trying things out).
func checkURL(v *apperr.Validation, field, s, label string) {
	if s == "" {
		v.Add(field, label+" is verplicht.")
		return
	}
	u, err := url.Parse(s)
	switch {
	case len(s) > 500:
		v.Add(field, label+" is hoogstens 500 tekens.")
	case err != nil || u.Host == "" || u.User != nil || (u.Scheme != "https" && u.Scheme != "http"):
		v.Add(field, label+" is een volledig webadres, zoals https://leren.gemeente.nl/mod/lti/….")
	case u.Scheme == "http" && !loopback(u.Hostname()):
		v.Add(field, label+" moet met https:// beginnen (http alleen voor een platform op deze computer).")
	}
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SavePlatform registers a platform (id 0) or changes one. It returns a
// validation error for bad input (ErrPlatformTaken when the issuer and
// client id are registered already) and ErrNotFound for an unknown id.
func (s *Service) SavePlatform(ctx context.Context, id int64, in PlatformInput) (*Platform, error) {
	orgs, err := s.accounts.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	known := make(map[int64]bool, len(orgs))
	for _, o := range orgs {
		known[o.ID] = true
	}
	p, err := in.platform(known)
	if err != nil {
		return nil, err
	}
	p.ID = id
	err = s.Store.SavePlatform(ctx, p)
	var pe pgdriver.Error
	if errors.As(err, &pe) && pe.Field('C') == "23503" { // the organisation was removed meanwhile
		return nil, apperr.NewValidation("organisation_id", "Kies de organisatie waarin nieuwe deelnemers van dit platform komen.")
	}
	return p, err
}

// DeletePlatform removes a platform: its people can no longer launch, and
// their links and gradebook columns go. Their accounts and results stay.
func (s *Service) DeletePlatform(ctx context.Context, id int64) error {
	return s.Store.DeletePlatform(ctx, id)
}

// Platforms lists the registered platforms with the number of people
// linked to each.
func (s *Service) Platforms(ctx context.Context) ([]Platform, map[int64]int, error) {
	ps, err := s.Store.Platforms(ctx)
	if err != nil {
		return nil, nil, err
	}
	linked, err := s.Store.LinkedUsers(ctx)
	return ps, linked, err
}

// Platform returns the platform with id, or ErrNotFound.
func (s *Service) Platform(ctx context.Context, id int64) (*Platform, error) {
	return s.Store.Platform(ctx, id)
}

// Organisations lists the organisations a platform's new users can join.
func (s *Service) Organisations(ctx context.Context) ([]accounts.Organisation, error) {
	return s.accounts.Organisations(ctx)
}
