package accounts

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/uptrace/bun"
	"golang.org/x/oauth2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Errors of a login through an organisation. Each leaves everything as it was.
var (
	ErrOrgLoginStale    = apperr.Msg(apperr.ErrForbidden, "Deze inlogpoging is verlopen of is niet in deze browser begonnen. Begin opnieuw bij ‘Inloggen met uw organisatie’.")
	ErrOrgLoginCanceled = apperr.Msg(apperr.ErrForbidden, "Het inloggen bij uw organisatie is afgebroken of geweigerd. U kunt het opnieuw proberen, of inloggen met uw wachtwoord.")
	ErrOrgLoginProof    = apperr.Msg(apperr.ErrForbidden, "Uw organisatie gaf een bewijs van inloggen dat niet klopt (niet voor deze site bedoeld, niet door uw organisatie ondertekend, of niet bij deze inlogpoging). U bent niet ingelogd; begin opnieuw.")
	ErrOrgLoginExpired  = apperr.Msg(apperr.ErrForbidden, "Het bewijs van inloggen van uw organisatie was al verlopen. U bent niet ingelogd; begin opnieuw. Blijft dit gebeuren, controleer dan de klok van uw computer of neem contact op met uw organisatie.")
	ErrOrgLoginAddress  = apperr.Msg(apperr.ErrForbidden, "Uw organisatie gaf geen bevestigd e-mailadres door waarvoor zij hier is ingesteld. U bent niet ingelogd.")
	ErrOrgUnreachable   = apperr.Msg(apperr.ErrUnavailable, "De inlogdienst van uw organisatie is nu niet bereikbaar. Probeer het later opnieuw, of log in met uw wachtwoord.")
)

// oidcClients keeps one go-oidc provider per issuer (its discovery
// document and cached signing keys) and the HTTP client they use.
type oidcClients struct {
	mu        sync.Mutex
	providers map[string]*oidc.Provider
	http      *http.Client
}

func newOIDCClients() *oidcClients {
	return &oidcClients{providers: map[string]*oidc.Provider{}, http: &http.Client{Timeout: 10 * time.Second}}
}

func (o *oidcClients) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, o.http)
}

// provider returns the discovered provider of issuer.
func (o *oidcClients) provider(ctx context.Context, issuer string) (*oidc.Provider, error) {
	o.mu.Lock()
	p, ok := o.providers[issuer]
	o.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := oidc.NewProvider(o.ctx(ctx), issuer)
	if err != nil {
		return nil, fmt.Errorf("accounts: discover %s: %w", issuer, err)
	}
	o.mu.Lock()
	o.providers[issuer] = p
	o.mu.Unlock()
	return p, nil
}

// callbackPath is where providers send the browser back.
const callbackPath = "/inloggen/organisatie/terug"

// CallbackURL is the return address to register at an identity provider.
func (s *Service) CallbackURL() string { return strings.TrimRight(s.cfg.BaseURL, "/") + callbackPath }

// OrganisationLogin is one organisation and its identity provider, if any.
type OrganisationLogin struct {
	Organisation Organisation
	Provider     *IdentityProvider
}

// OrganisationLogins lists every organisation with its provider (nil
// when its members log in with a password only).
func (s *Service) OrganisationLogins(ctx context.Context) ([]OrganisationLogin, error) {
	orgs, err := s.store.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.store.providers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]OrganisationLogin, len(orgs))
	for i, o := range orgs {
		out[i].Organisation = o
		for j := range ps {
			if ps[j].OrganisationID == o.ID {
				out[i].Provider = &ps[j]
			}
		}
	}
	return out, nil
}

// OrganisationLoginOf returns organisation orgID with its provider (nil
// when none); ErrNotFound for an unknown organisation.
func (s *Service) OrganisationLoginOf(ctx context.Context, orgID int64) (OrganisationLogin, error) {
	o, err := s.store.Organisation(ctx, orgID)
	if err != nil {
		return OrganisationLogin{}, err
	}
	p, err := s.store.providerOfOrganisation(ctx, orgID)
	if errors.Is(err, ErrNotFound) {
		return OrganisationLogin{Organisation: *o}, nil
	}
	return OrganisationLogin{Organisation: *o, Provider: p}, err
}

// ProviderInput is what an admin enters for an organisation's provider.
type ProviderInput struct {
	Issuer       string `form:"issuer" label:"Issuer-adres" validate:"required,max=500"`
	ClientID     string `form:"client_id" label:"Client-ID" validate:"required,max=300"`
	ClientSecret string `form:"client_secret" label:"Clientgeheim" validate:"max=1000"`
	Domains      string `form:"domains" label:"E-maildomeinen" validate:"required,max=2000" input:"multiline"`
}

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// parseDomains reads domains separated by commas, spaces or lines.
func parseDomains(s string) ([]string, error) {
	var out []string
	for _, d := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' }) {
		d = strings.TrimPrefix(d, "@")
		if !domainRE.MatchString(d) {
			return nil, apperr.NewValidation("domains", fmt.Sprintf("%q is geen e-maildomein zoals utrecht.nl.", d))
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, apperr.NewValidation("domains", "Vul minstens één e-maildomein in, zoals utrecht.nl.")
	}
	return out, nil
}

// issuerProblem says what is wrong with an issuer address, or "": it must
// be https, except on this machine (a provider under test).
func issuerProblem(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "Vul het issuer-adres van de aanbieder in, zoals https://login.microsoftonline.com/…/v2.0."
	}
	if u.Scheme == "https" {
		return ""
	}
	if ip := net.ParseIP(u.Hostname()); u.Scheme == "http" && (u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())) {
		return ""
	}
	return "Het issuer-adres moet met https:// beginnen."
}

// SaveOrganisationLogin sets organisation orgID's identity provider. It
// checks the provider answers as an OpenID Connect provider at the issuer
// address; an empty secret keeps the one stored. Validation errors name
// the field.
func (s *Service) SaveOrganisationLogin(ctx context.Context, orgID int64, in ProviderInput) error {
	in.Issuer = strings.TrimRight(strings.TrimSpace(in.Issuer), "/")
	if msg := issuerProblem(in.Issuer); msg != "" {
		return apperr.NewValidation("issuer", msg)
	}
	domains, err := parseDomains(in.Domains)
	if err != nil {
		return err
	}
	cur, err := s.OrganisationLoginOf(ctx, orgID)
	if err != nil {
		return err
	}
	p := &IdentityProvider{OrganisationID: orgID, Issuer: in.Issuer, ClientID: strings.TrimSpace(in.ClientID), Domains: domains}
	switch {
	case in.ClientSecret != "":
		if p.ClientSecret, err = seal(s.cfg.SecretKey, in.ClientSecret); err != nil {
			return err
		}
	case cur.Provider != nil:
		p.ClientSecret = cur.Provider.ClientSecret
	default:
		return apperr.NewValidation("client_secret", "Vul het clientgeheim in dat de aanbieder gaf.")
	}
	if _, err := s.oidc.provider(ctx, in.Issuer); err != nil {
		return apperr.NewValidation("issuer", "Op dit adres antwoordt geen OpenID Connect-aanbieder (het discovery-document /.well-known/openid-configuration is niet te lezen of noemt een ander issuer-adres).")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return NewStore(tx).saveProvider(ctx, p)
	})
}

// DeleteOrganisationLogin removes organisation orgID's provider; its
// members log in with a password again.
func (s *Service) DeleteOrganisationLogin(ctx context.Context, orgID int64) error {
	return s.store.deleteProvider(ctx, orgID)
}

// LoginChoice is an organisation whose members can log in there.
type LoginChoice struct {
	ProviderID int64
	Name       string
}

// LoginChoices lists the organisations with a provider, for the login page.
func (s *Service) LoginChoices(ctx context.Context) ([]LoginChoice, error) {
	ps, err := s.store.providers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]LoginChoice, len(ps))
	for i, p := range ps {
		out[i] = LoginChoice{ProviderID: p.ID, Name: p.OrganisationName()}
	}
	return out, nil
}

// oauthConfig is the OAuth 2.0 client of p.
func (s *Service) oauthConfig(ctx context.Context, p *IdentityProvider) (*oidc.Provider, *oauth2.Config, error) {
	secret, err := open(s.cfg.SecretKey, p.ClientSecret)
	if err != nil {
		return nil, nil, err
	}
	op, err := s.oidc.provider(ctx, p.Issuer)
	if err != nil {
		return nil, nil, errors.Join(ErrOrgUnreachable, err)
	}
	return op, &oauth2.Config{ClientID: p.ClientID, ClientSecret: secret, Endpoint: op.Endpoint(),
		RedirectURL: s.CallbackURL(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}, nil
}

// BeginOrganisationLogin starts a login at the provider of the
// organisation chosen (providerID) or of the work address typed (email),
// and returns the provider's address to send the browser to and the state
// to keep in the browser's cookie. back is where to go afterwards.
func (s *Service) BeginOrganisationLogin(ctx context.Context, providerID int64, email, back string) (string, string, error) {
	var p *IdentityProvider
	var err error
	email = strings.ToLower(strings.TrimSpace(email))
	switch {
	case email != "":
		_, domain, ok := strings.Cut(email, "@")
		if !ok || domain == "" {
			return "", "", apperr.NewValidation("org_email", "Vul uw werk-e-mailadres in, zoals naam@utrecht.nl.")
		}
		if p, err = s.store.providerForDomain(ctx, domain); errors.Is(err, ErrNotFound) {
			return "", "", apperr.NewValidation("org_email", fmt.Sprintf("Voor adressen op @%s is inloggen met de organisatie niet ingesteld. Log in met uw wachtwoord.", domain))
		}
	case providerID > 0:
		if p, err = s.store.provider(ctx, providerID); errors.Is(err, ErrNotFound) {
			return "", "", apperr.NewValidation("organisation", "Kies uw organisatie uit de lijst.")
		}
	default:
		return "", "", apperr.NewValidation("organisation", "Kies uw organisatie, of vul uw werk-e-mailadres in.")
	}
	if err != nil {
		return "", "", err
	}
	_, conf, err := s.oauthConfig(ctx, p)
	if err != nil {
		return "", "", err
	}
	state, err1 := newSecret()
	nonce, err2 := newSecret()
	if err := errors.Join(err1, err2); err != nil {
		return "", "", err
	}
	verifier := oauth2.GenerateVerifier()
	if err := s.store.createLogin(ctx, state, oidcLogin{ProviderID: p.ID, Nonce: nonce, Verifier: verifier, Back: back}); err != nil {
		return "", "", err
	}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	if email != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", email))
	}
	return conf.AuthCodeURL(state, opts...), state, nil
}

// Callback is the provider's answer as the browser brings it back.
type Callback struct {
	State, Code string
	Error       string // the provider's error code, such as access_denied
	CookieState string // the state this browser kept when it left
	Device      string
	OldSession  string
}

// claims are the ID token's claims this site uses.
type claims struct {
	Email         string `json:"email"`
	EmailVerified *bool  `json:"email_verified"`
	Name          string `json:"name"`
	GivenName     string `json:"given_name"`
	FamilyName    string `json:"family_name"`
}

// CompleteOrganisationLogin finishes a login at a provider: it checks the
// state against the browser's, exchanges the code, verifies the ID token
// (issuer, audience, signature with the provider's keys, expiry, nonce),
// matches the user by provider and subject, else by the confirmed address
// (on a domain the provider vouches for), else creates them in the
// provider's organisation, and starts a session. It returns the user, the
// session token and where to go; any failure changes nothing.
func (s *Service) CompleteOrganisationLogin(ctx context.Context, cb Callback) (*User, string, string, error) {
	if cb.State == "" || subtle.ConstantTimeCompare([]byte(cb.State), []byte(cb.CookieState)) != 1 {
		return nil, "", "", ErrOrgLoginStale
	}
	login, err := s.store.takeLogin(ctx, cb.State)
	if errors.Is(err, ErrNotFound) {
		return nil, "", "", ErrOrgLoginStale
	}
	if err != nil {
		return nil, "", "", err
	}
	if cb.Error != "" || cb.Code == "" {
		return nil, "", "", ErrOrgLoginCanceled
	}
	p, err := s.store.provider(ctx, login.ProviderID)
	if err != nil {
		return nil, "", "", notFoundAs(err, ErrOrgLoginStale)
	}
	op, conf, err := s.oauthConfig(ctx, p)
	if err != nil {
		return nil, "", "", err
	}
	tok, err := conf.Exchange(s.oidc.ctx(ctx), cb.Code, oauth2.VerifierOption(login.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return nil, "", "", errors.Join(ErrOrgLoginProof, err)
		}
		return nil, "", "", errors.Join(ErrOrgUnreachable, err)
	}
	subject, c, err := s.checkIDToken(ctx, op, p, tok, login.Nonce)
	if err != nil {
		return nil, "", "", err
	}
	var u *User
	var session string
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		var err error
		if u, err = s.identityOwner(ctx, st, p, subject, c); err != nil {
			return err
		}
		if err := st.linkIdentity(ctx, p.ID, subject, u.ID, s.Now()); err != nil {
			return err
		}
		session, err = s.startSession(ctx, st, u.ID, cb.Device, cb.OldSession)
		return err
	})
	if err != nil {
		return nil, "", "", err
	}
	return u, session, login.Back, nil
}

// checkIDToken verifies the ID token in tok, which p's provider op issued:
// its issuer, its audience (p's client id), its signature with the
// provider's published keys, its expiry and its nonce; and that it (or,
// when the token carries no address, the provider's userinfo for the same
// subject) names a confirmed address on one of p's domains. It returns the
// subject and the claims.
func (s *Service) checkIDToken(ctx context.Context, op *oidc.Provider, p *IdentityProvider, tok *oauth2.Token, nonce string) (string, claims, error) {
	var c claims
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return "", c, ErrOrgLoginProof
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.ClientID, Now: s.Now}).Verify(s.oidc.ctx(ctx), raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return "", c, errors.Join(ErrOrgLoginExpired, err)
		}
		return "", c, errors.Join(ErrOrgLoginProof, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return "", c, ErrOrgLoginProof
	}
	if err := idt.Claims(&c); err != nil {
		return "", c, errors.Join(ErrOrgLoginProof, err)
	}
	if c.Email == "" && tok.AccessToken != "" {
		info, err := op.UserInfo(s.oidc.ctx(ctx), oauth2.StaticTokenSource(tok))
		if err != nil {
			return "", c, errors.Join(ErrOrgUnreachable, err)
		}
		if info.Subject != idt.Subject {
			return "", c, ErrOrgLoginProof
		}
		if err := info.Claims(&c); err != nil {
			return "", c, errors.Join(ErrOrgLoginProof, err)
		}
	}
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	_, domain, _ := strings.Cut(c.Email, "@")
	if c.Email == "" || (c.EmailVerified != nil && !*c.EmailVerified) || !slices.Contains(p.Domains, domain) {
		return "", c, ErrOrgLoginAddress
	}
	return idt.Subject, c, nil
}

func notFoundAs(err, as error) error {
	if errors.Is(err, ErrNotFound) {
		return as
	}
	return err
}

// identityOwner finds or makes the user of subject at p: the linked user,
// else the user with the address (now confirmed), else a new user in p's
// organisation.
func (s *Service) identityOwner(ctx context.Context, st *Store, p *IdentityProvider, subject string, c claims) (*User, error) {
	id, err := st.identityUser(ctx, p.ID, subject)
	if err == nil {
		return st.User(ctx, id)
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	u, err := st.UserByEmail(ctx, c.Email)
	if err == nil {
		return u, st.setVerified(ctx, u.ID, s.Now())
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	name := strings.TrimSpace(c.Name)
	if name == "" {
		name = strings.TrimSpace(c.GivenName + " " + c.FamilyName)
	}
	if name == "" {
		name, _, _ = strings.Cut(c.Email, "@")
	}
	if len([]rune(name)) > 120 {
		name = string([]rune(name)[:120])
	}
	unguessable, err := newSecret()
	if err != nil {
		return nil, err
	}
	org := p.OrganisationID
	u = &User{Name: name, Email: c.Email, PasswordHash: HashPassword(unguessable), OrganisationID: &org}
	return u, st.CreateUser(ctx, u)
}
