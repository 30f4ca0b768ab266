package certify

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Contexts of the credentials.
const (
	contextVC2 = "https://www.w3.org/ns/credentials/v2"
	contextOB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
)

// Issuer is the organisation that issues credentials, as its Open Badges
// profile.
type Issuer struct {
	ID   string // URL of the issuer profile, e.g. BASE/api/v1/issuer
	Name string
	URL  string // the issuer's home page
}

func (iss Issuer) profile() map[string]any {
	return map[string]any{
		"id":   iss.ID,
		"type": []any{"Profile"},
		"name": iss.Name,
		"url":  iss.URL,
	}
}

// Identity is the salted hash of what identifies a credential's recipient
// (an Open Badges IdentityObject): "sha256$" and the hex SHA-256 of the
// value followed by the salt. A verifier who is told the holder's e-mail
// address can check it; nobody can read the address from it.
type Identity struct {
	Type string // "emailAddress", or "name" when no address is known
	Hash string // sha256$…
	Salt string
}

// NewIdentity hashes value (an e-mail address is lower-cased first) with a
// fresh random salt.
func NewIdentity(identityType, value string) Identity {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails
	return HashIdentity(identityType, value, hex.EncodeToString(salt))
}

// HashIdentity hashes value with salt as an IdentityObject states it.
func HashIdentity(identityType, value, salt string) Identity {
	if identityType == "emailAddress" {
		value = strings.ToLower(strings.TrimSpace(value))
	}
	sum := sha256.Sum256([]byte(value + salt))
	return Identity{Type: identityType, Hash: "sha256$" + hex.EncodeToString(sum[:]), Salt: salt}
}

// Matches reports whether value is the identity hashed.
func (id Identity) Matches(value string) bool {
	return id.Hash != "" && HashIdentity(id.Type, value, id.Salt).Hash == id.Hash
}

// CredentialData is what an Open Badges credential states.
type CredentialData struct {
	Number                 string // the certificate number
	SubjectID              string // the holder's identifier, urn:uuid:…
	HolderName             string
	Identity               Identity
	AchievementID          string // URL of the scheme or course, the same for every holder
	AchievementName        string
	AchievementDescription string
	Criteria               string // how the achievement is earned, in words
	AchievementType        string // an OB 3.0 achievement type, e.g. "Certification" or "CertificateOfCompletion"; may be empty
	IssuedAt               time.Time
	ExpiresAt              *time.Time
	StatusListURL          string // the status list credential (see StatusListURL); empty for none
	StatusListIndex        int    // the credential's entry in it
}

// CredentialURL returns the id of the credential for the certificate number:
// BASE/certificaten/{number}.json.
func CredentialURL(baseURL, number string) string {
	return strings.TrimRight(baseURL, "/") + "/certificaten/" + number + ".json"
}

// BuildCredential returns the Open Badges 3.0 OpenBadgeCredential (a W3C
// Verifiable Credential 2.0) for d, issued by iss, ready for SignCredential.
// The holder is the subject with d.SubjectID, named, and identified for
// recipient checks by the salted hash of their e-mail address.
func BuildCredential(baseURL string, iss Issuer, d CredentialData) map[string]any {
	achievement := map[string]any{
		"id":          d.AchievementID,
		"type":        []any{"Achievement"},
		"name":        d.AchievementName,
		"description": d.AchievementDescription,
		"criteria":    map[string]any{"narrative": d.Criteria},
	}
	if d.AchievementType != "" {
		achievement["achievementType"] = d.AchievementType
	}
	subject := map[string]any{
		"id":          d.SubjectID,
		"type":        []any{"AchievementSubject"},
		"name":        d.HolderName,
		"achievement": achievement,
	}
	if d.Identity.Hash != "" {
		subject["identifier"] = []any{map[string]any{
			"type":         "IdentityObject",
			"identityType": d.Identity.Type,
			"identityHash": d.Identity.Hash,
			"hashed":       true,
			"salt":         d.Identity.Salt,
		}}
	}
	cred := map[string]any{
		"@context":          []any{contextVC2, contextOB3},
		"id":                CredentialURL(baseURL, d.Number),
		"type":              []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":            iss.profile(),
		"validFrom":         timestamp(d.IssuedAt),
		"name":              d.AchievementName,
		"credentialSubject": subject,
	}
	if d.ExpiresAt != nil {
		cred["validUntil"] = timestamp(*d.ExpiresAt)
	}
	if d.StatusListURL != "" {
		cred["credentialStatus"] = statusEntry(d.StatusListURL, d.StatusListIndex)
	}
	return cred
}

// statusEntry is a credential's one credentialStatus: an entry of two bits
// in the status list with the "message" purpose, which says valid,
// suspended or revoked at once (W3C Bitstring Status List v1.0, 2.1).
func statusEntry(listURL string, index int) map[string]any {
	messages := make([]any, len(statusMessages))
	for i, m := range statusMessages {
		messages[i] = map[string]any{"status": fmt.Sprintf("0x%x", i), "message": m}
	}
	return map[string]any{
		"id":                   listURL + "#" + strconv.Itoa(index),
		"type":                 "BitstringStatusListEntry",
		"statusPurpose":        StatusPurposeMessage,
		"statusListIndex":      strconv.Itoa(index),
		"statusListCredential": listURL,
		"statusSize":           statusSize,
		"statusMessage":        messages,
	}
}

// timestamp formats t as an XML Schema dateTimeStamp in UTC, as VC 2.0 wants.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// StatusListURL returns the id of the status list credential for purpose
// ("message", or the older "revocation" and "suspension"):
// BASE/api/v1/status-lists/{purpose}.
func StatusListURL(baseURL, purpose string) string {
	return strings.TrimRight(baseURL, "/") + "/api/v1/status-lists/" + purpose
}

// BuildStatusListCredential returns the BitstringStatusListCredential (a W3C
// Verifiable Credential 2.0) that publishes encoded, a list made by
// EncodeStatusList, for purpose, issued by iss and valid from validFrom. Its
// id is StatusListURL(baseURL, purpose).
func BuildStatusListCredential(baseURL string, iss Issuer, purpose string, encoded string, validFrom time.Time) map[string]any {
	id := StatusListURL(baseURL, purpose)
	return map[string]any{
		"@context":  []any{contextVC2},
		"id":        id,
		"type":      []any{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":    iss.profile(),
		"validFrom": timestamp(validFrom),
		"credentialSubject": map[string]any{
			"id":            id + "#list",
			"type":          "BitstringStatusList",
			"statusPurpose": purpose,
			"encodedList":   encoded,
		},
	}
}

// newSubjectID is a fresh subject identifier: a random (version 4) UUID URN.
func newSubjectID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return "urn:uuid:" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
