package accounts

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/ambtenaar20/leeromgeving/internal/mail"
)

// The account mails, in Dutch. Each key names the event and the recipient,
// so a retried transaction queues its mail once.

func verifyNotice(u *User, tok string, again bool) mail.Notice {
	body := "U heeft een account aangemaakt bij de Leeromgeving Werken 2.0. Bevestig uw e-mailadres, dan kunt u het account gebruiken."
	if again {
		body = "Er is (opnieuw) gevraagd om een account bij de Leeromgeving Werken 2.0 met dit e-mailadres. U heeft al een account, maar uw e-mailadres is nog niet bevestigd. Bevestig het, dan kunt u het account gebruiken. Uw wachtwoord is het wachtwoord dat u de eerste keer koos; weet u het niet meer, stel dan na het bevestigen een nieuw in."
	}
	return mail.Notice{
		Key: "verify:" + tok[:16], UserID: u.ID, To: u.Email, ToName: u.Name, Topic: mail.TopicAccount,
		Subject: "Bevestig uw e-mailadres voor de Leeromgeving Werken 2.0",
		Body: body + "\n\nDe link hieronder is 24 uur geldig en werkt één keer.\n\n" +
			"Heeft u geen account aangemaakt? Dan kunt u deze e-mail negeren. Zonder bevestiging wordt het account na 7 dagen verwijderd.",
		Link: "/registreren/bevestigen?token=" + tok, Action: "E-mailadres bevestigen",
	}
}

func knownAddressNotice(u *User, now int64) mail.Notice {
	return mail.Notice{
		Key: "signup-known:" + strconv.FormatInt(u.ID, 10) + ":" + strconv.FormatInt(now, 10), UserID: u.ID, To: u.Email, ToName: u.Name,
		Topic:   mail.TopicAccount,
		Subject: "U heeft al een account bij de Leeromgeving Werken 2.0",
		Body: "Iemand, waarschijnlijk uzelf, probeerde met dit e-mailadres een nieuw account te maken. Er is al een account met dit adres, dus er is geen nieuw gemaakt.\n\n" +
			"Log in met uw e-mailadres en wachtwoord. Weet u uw wachtwoord niet meer? Stel dan een nieuw in.\n\n" +
			"Heeft u dit niet zelf gedaan? Dan kunt u deze e-mail negeren; er is niets veranderd.",
		Link: "/wachtwoord-vergeten?email=" + url.QueryEscape(u.Email), Action: "Nieuw wachtwoord instellen",
		Links: []mail.Link{{Path: "/inloggen", Text: "Inloggen"}},
	}
}

func resetNotice(u *User, tok string) mail.Notice {
	return mail.Notice{
		Key: "reset:" + tok[:16], UserID: u.ID, To: u.Email, ToName: u.Name, Topic: mail.TopicAccount,
		Subject: "Nieuw wachtwoord instellen voor de Leeromgeving Werken 2.0",
		Body: "Er is gevraagd om een nieuw wachtwoord voor uw account bij de Leeromgeving Werken 2.0. Met de link hieronder stelt u het in.\n\n" +
			"De link is 1 uur geldig en werkt één keer. Na het instellen wordt u overal anders uitgelogd.\n\n" +
			"Heeft u dit niet zelf gevraagd? Dan kunt u deze e-mail negeren; uw wachtwoord blijft hetzelfde.",
		Link: "/wachtwoord-herstellen?token=" + tok, Action: "Nieuw wachtwoord instellen",
	}
}

func loginWarningNotice(u *User, failures int, tok string, window int64) mail.Notice {
	return mail.Notice{
		Key: fmt.Sprintf("login-warning:%d:%d", u.ID, window), UserID: u.ID, To: u.Email, ToName: u.Name, Topic: mail.TopicAccount,
		Subject: "Mislukte inlogpogingen op uw account",
		Body: fmt.Sprintf("Er is in het afgelopen uur %d keer geprobeerd met een verkeerd wachtwoord in te loggen op uw account (%s) bij de Leeromgeving Werken 2.0. "+
			"Wij laten wie dat doet steeds langer wachten; u kunt zelf gewoon inloggen vanaf een apparaat waarmee u eerder inlogde.\n\n"+
			"Was u dit zelf? Dan hoeft u niets te doen.\n\n"+
			"Was u dit niet? Stel dan voor de zekerheid een nieuw wachtwoord in met de link hieronder (1 uur geldig, werkt één keer). Daarmee wordt u ook overal uitgelogd.",
			failures, u.Email),
		Link: "/wachtwoord-herstellen?token=" + tok, Action: "Nieuw wachtwoord instellen",
	}
}

func passwordChangedNotice(u *User, at int64) mail.Notice {
	return mail.Notice{
		Key: fmt.Sprintf("password-changed:%d:%d", u.ID, at), UserID: u.ID, To: u.Email, ToName: u.Name, Topic: mail.TopicAccount,
		Subject: "Uw wachtwoord is gewijzigd",
		Body: "Het wachtwoord van uw account bij de Leeromgeving Werken 2.0 is zojuist gewijzigd. Andere sessies zijn uitgelogd.\n\n" +
			"Heeft u dit niet zelf gedaan? Stel dan meteen een nieuw wachtwoord in via ‘Wachtwoord vergeten?’ en meld het aan het programmabureau.",
		Link: "/wachtwoord-vergeten?email=" + url.QueryEscape(u.Email), Action: "Wachtwoord vergeten?",
	}
}
