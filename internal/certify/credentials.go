package certify

import (
	"context"
	"fmt"
)

// Issuer is the issuer of every credential.
func (s *Service) Issuer() Issuer {
	return Issuer{ID: s.baseURL + "/api/v1/issuer", Name: IssuerName, URL: s.baseURL}
}

// IssuerProfile is the Open Badges issuer profile published at the issuer's id.
func (s *Service) IssuerProfile() map[string]any {
	p := s.Issuer().profile()
	p["@context"] = []any{contextVC2, contextOB3}
	p["description"] = "Het Programma Ambtenaar 2.0 certificeert trainers, adviseurs en opleidingen voor werken 2.0 bij de overheid, en geeft certificaten uit voor afgeronde cursussen in de Leeromgeving Werken 2.0."
	return p
}

// VerifyURL is the public page that verifies the certificate with number.
func (s *Service) VerifyURL(number string) string { return s.baseURL + VerifyPath(number) }

// FileURL is where the certificate with number is served as format (pdf,
// json or jwt); the json one is the credential's id.
func (s *Service) FileURL(number, format string) string {
	return s.baseURL + "/certificaten/" + number + "." + format
}

// VerifyPath is the path of the public page that verifies the certificate
// with number.
func VerifyPath(number string) string { return "/verifieer/" + number }

// AchievementURL is the page about what a certificate certifies: its
// scheme's criteria, or the course.
func (s *Service) AchievementURL(c *Certificate) string {
	if c.Kind == KindCourse {
		return s.baseURL + "/cursussen/" + c.CourseSlug
	}
	return s.baseURL + "/certificering/regelingen/" + c.SchemeSlug
}

// Credential returns the certificate as an Open Badges 3.0
// OpenBadgeCredential. It is built from the stored record alone, so it
// never changes; the status list tells whether it still holds.
func (s *Service) Credential(c *Certificate) map[string]any {
	d := CredentialData{
		Number:                 c.Number,
		SubjectID:              c.SubjectID,
		HolderName:             c.HolderName,
		Identity:               Identity{Type: c.IdentityType, Hash: c.IdentityHash, Salt: c.IdentitySalt},
		AchievementID:          s.AchievementURL(c),
		AchievementName:        c.Title,
		AchievementDescription: fmt.Sprintf("De houder %s %s.", c.Achievement, c.Title),
		AchievementType:        "Certification",
		IssuedAt:               c.IssuedAt,
		ExpiresAt:              c.ExpiresAt,
		StatusListURL:          StatusListURL(s.baseURL, StatusPurposeMessage),
		StatusListIndex:        c.StatusIndex,
	}
	if c.Kind == KindCourse {
		d.AchievementType = "CertificateOfCompletion"
		d.AchievementDescription = fmt.Sprintf("De houder heeft de cursus %s in de Leeromgeving Werken 2.0 met goed gevolg afgerond.", c.Title)
		d.Criteria = "Alle lessen en toetsen van de cursus met goed gevolg afgerond."
	} else {
		d.Criteria = "Beoordeeld door een beoordelaar van het Programma Ambtenaar 2.0 volgens de openbare criteria van de regeling op " + d.AchievementID + "."
	}
	return BuildCredential(s.baseURL, s.Issuer(), d)
}

// CredentialJWT returns the credential signed as a VC-JWT (RS256): the same
// record always gives the same token.
func (s *Service) CredentialJWT(ctx context.Context, c *Certificate) (string, error) {
	key, err := s.credentialKey(ctx, c)
	if err != nil {
		return "", err
	}
	return SignCredential(s.baseURL, key, s.Issuer().ID, s.Credential(c))
}
