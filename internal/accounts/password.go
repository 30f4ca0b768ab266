package accounts

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
// They are stored in each hash, so raising them later keeps old hashes valid.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

var errBadHash = errors.New("accounts: malformed password hash")

// CheckPassword reports whether pw matches the stored hash.
func CheckPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, errBadHash
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when no user has the e-mail address, so a
// login takes as long whether or not the address is registered.
var dummyHash = HashPassword("geen-echt-wachtwoord-0000")

//go:embed common-passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}()

// PasswordProblem returns a Dutch message when pw is too weak, or "".
// Besides the length it refuses well-known passwords, a password made of the
// e-mail address or name, and a single repeated character.
func PasswordProblem(pw, email, name string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return fmt.Sprintf("Het wachtwoord moet minstens %d tekens lang zijn.", MinPasswordLength)
	case n > 128:
		return "Het wachtwoord mag hoogstens 128 tekens lang zijn."
	}
	low := strings.ToLower(pw)
	if commonPasswords[low] || commonPasswords[strings.TrimRight(low, "0123456789!?.")] {
		return "Dit wachtwoord is te bekend en wordt snel geraden. Kies een ander, bijvoorbeeld een zin van vier of meer woorden."
	}
	if strings.Count(low, string([]rune(low)[0])) == n {
		return "Een wachtwoord van één herhaald teken is te zwak."
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	if (len(local) >= 4 && strings.Contains(low, local)) || (len(name) >= 4 && strings.Contains(low, strings.ToLower(strings.ReplaceAll(name, " ", "")))) {
		return "Gebruik niet uw naam of e-mailadres in uw wachtwoord."
	}
	return ""
}
