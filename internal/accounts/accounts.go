// Package accounts owns users, organisations, roles, sessions and login
// throttling, and the pages to register, log in, manage one's own account
// (including the AVG rights of access and erasure) and, for admins, users' roles.
package accounts

import (
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Errors returned by the store and the service.
var (
	ErrNotFound     = fmt.Errorf("accounts: %w", apperr.ErrNotFound)
	ErrEmailTaken   = apperr.Msg(apperr.ErrConflict, "Met dit e-mailadres kan geen nieuw account worden gemaakt. Heeft u al een account? Log dan in.")
	ErrOrgNameTaken = apperr.Msg(apperr.ErrConflict, "Er bestaat al een organisatie met deze naam; kies haar uit de lijst.")
	ErrBadLogin     = apperr.Msg(apperr.ErrUnauthorized, "Het e-mailadres of het wachtwoord klopt niet.")
	// ErrLoginLocked is wrapped, with the wait in Dutch, in the error of a
	// login that must wait (see lockedError).
	ErrLoginLocked   = errors.New("accounts: login must wait")
	ErrNotVerified   = apperr.Msg(apperr.ErrUnauthorized, "Uw e-mailadres is nog niet bevestigd. Volg de link in de e-mail die wij u stuurden, of laat hieronder een nieuwe sturen.")
	ErrLinkInvalid   = apperr.Msg(apperr.ErrNotFound, "Deze link is niet geldig. Gebruik de hele link uit de e-mail, of vraag een nieuwe aan.")
	ErrLinkExpired   = apperr.Msg(apperr.ErrNotFound, "Deze link is verlopen. Vraag hieronder een nieuwe aan.")
	ErrLinkUsed      = apperr.Msg(apperr.ErrConflict, "Deze link is al gebruikt; een link werkt één keer.")
	ErrTooManyMails  = apperr.Msg(apperr.ErrTooMany, "Vanaf uw internetadres zijn in het afgelopen uur te veel van deze e-mails aangevraagd. Probeer het over een uur opnieuw.")
	ErrLastAdmin     = apperr.Msg(apperr.ErrConflict, "U kunt uw eigen beheerdersrol niet intrekken.")
	ErrWrongPassword = apperr.NewValidation("current_password", "Het huidige wachtwoord klopt niet.")
)

// OrganisationKinds are the kinds of government organisation, with Dutch labels.
var OrganisationKinds = []struct{ Value, Label string }{
	{"rijk", "Rijksoverheid"},
	{"gemeente", "Gemeente"},
	{"provincie", "Provincie"},
	{"waterschap", "Waterschap"},
	{"overig", "Overige overheidsorganisatie"},
}

// GrantableRoles are the roles an admin can grant, with Dutch labels.
// Everyone is a learner; that role is implied and never stored.
var GrantableRoles = []struct{ Value, Label string }{
	{web.RoleTrainer, "Trainer / auteur"},
	{web.RoleAssessor, "Beoordelaar"},
	{web.RoleProvider, "Aanbieder"},
	{web.RoleOrgManager, "Organisatiebeheerder"},
	{web.RoleAdmin, "Beheerder (programmabureau)"},
}

// RoleLabel is the Dutch name of role.
func RoleLabel(role string) string {
	for _, r := range GrantableRoles {
		if r.Value == role {
			return r.Label
		}
	}
	if role == web.RoleLearner {
		return "Deelnemer"
	}
	return role
}

func validRole(role string) bool {
	for _, r := range GrantableRoles {
		if r.Value == role {
			return true
		}
	}
	return false
}

// Organisation is a government organisation that users belong to.
type Organisation struct {
	bun.BaseModel `bun:"table:organisations,alias:o"`

	ID        int64     `bun:",pk,autoincrement" json:"id"`
	Name      string    `bun:",notnull" json:"name"`
	Kind      string    `bun:",notnull" json:"kind"`
	CreatedAt time.Time `bun:",nullzero,notnull,default:current_timestamp" json:"created_at"`
}

// User is a registered person.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID             int64         `bun:",pk,autoincrement" json:"id"`
	Email          string        `bun:",notnull" json:"email"`
	Name           string        `bun:",notnull" json:"name"`
	PasswordHash   string        `bun:",notnull" json:"-"`
	OrganisationID *int64        `json:"organisation_id"`
	Organisation   *Organisation `bun:"rel:belongs-to,join:organisation_id=id" json:"organisation,omitempty"`
	Roles          []string      `bun:",array,notnull" json:"roles"`
	// EmailVerifiedAt is when the address was confirmed; nil until then.
	// A user made by CreateUser counts as confirmed (the column's default).
	EmailVerifiedAt *time.Time `bun:",nullzero,default:now()" json:"email_verified_at"`
	CreatedAt       time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"created_at"`
	UpdatedAt       time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"updated_at"`
}

// Viewer is the user as the web layer sees them.
func (u *User) Viewer() *web.Viewer {
	v := &web.Viewer{ID: u.ID, Name: u.Name, Email: u.Email, Roles: u.Roles}
	if u.OrganisationID != nil {
		v.OrganisationID = *u.OrganisationID
	}
	return v
}

// OrganisationName is the name of the user's organisation, or "".
func (u *User) OrganisationName() string {
	if u.Organisation == nil {
		return ""
	}
	return u.Organisation.Name
}

// Verified reports whether the user confirmed their address.
func (u *User) Verified() bool { return u.EmailVerifiedAt != nil }

// lockedError is a login that must wait d: errors.Is finds ErrLoginLocked
// and apperr.ErrTooMany, and the message says how long.
func lockedError(d time.Duration) error {
	return errors.Join(apperr.Msg(apperr.ErrTooMany, "Te veel mislukte inlogpogingen. Probeer het over "+waitText(d)+
		" opnieuw, of stel een nieuw wachtwoord in via ‘Wachtwoord vergeten?’."), ErrLoginLocked)
}

// waitText is d in Dutch words, rounded up: "30 seconden", "1 minuut", "15 minuten".
func waitText(d time.Duration) string {
	if s := max(int((d+time.Second-1)/time.Second), 1); s < 60 {
		if s == 1 {
			return "1 seconde"
		}
		return fmt.Sprintf("%d seconden", s)
	}
	m := int((d + time.Minute - 1) / time.Minute)
	if m == 1 {
		return "1 minuut"
	}
	return fmt.Sprintf("%d minuten", m)
}
