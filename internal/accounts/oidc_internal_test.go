package accounts

import (
	"context"
	"errors"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/ambtenaar20/leeromgeving/internal/oidctest"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// An ID token the provider issued to another application (a real token,
// rightly signed) is refused: its audience is not this site's client.
func TestCheckIDToken_WrongAudience(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	const redirect = "http://localhost:8080/inloggen/organisatie/terug"
	p := oidctest.Start(t, []oidctest.User{{Username: "anna", Email: "anna@utrecht.nl", EmailVerified: true}},
		[]oidctest.Client{{ID: "leeromgeving", Secret: "a", RedirectURI: redirect}, {ID: "andere-app", Secret: "b", RedirectURI: redirect}})
	svc := New(db, Config{BaseURL: "http://localhost:8080", SecretKey: make([]byte, 32)})
	op, err := svc.oidc.provider(ctx, p.Issuer)
	if err != nil {
		t.Fatal(err)
	}
	other := &oauth2.Config{ClientID: "andere-app", ClientSecret: "b", Endpoint: op.Endpoint(), RedirectURL: redirect, Scopes: []string{oidc.ScopeOpenID, "email"}}
	back := p.Login(t, other.AuthCodeURL("state", oidc.Nonce("nonce-1")), "anna")
	tok, err := other.Exchange(svc.oidc.ctx(ctx), back.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	ours := &IdentityProvider{ClientID: "leeromgeving", Domains: []string{"utrecht.nl"}}
	if _, _, err := svc.checkIDToken(ctx, op, ours, tok, "nonce-1"); !errors.Is(err, ErrOrgLoginProof) {
		t.Fatalf("token for another client: %v, want ErrOrgLoginProof", err)
	}
	theirs := &IdentityProvider{ClientID: "andere-app", Domains: []string{"utrecht.nl"}}
	if sub, c, err := svc.checkIDToken(ctx, op, theirs, tok, "nonce-1"); err != nil || sub == "" || c.Email != "anna@utrecht.nl" {
		t.Fatalf("the same token for its own client: %q %+v %v", sub, c, err)
	}
	if _, _, err := svc.checkIDToken(ctx, op, theirs, tok, "nonce-2"); !errors.Is(err, ErrOrgLoginProof) {
		t.Fatalf("wrong nonce: %v", err)
	}
}
