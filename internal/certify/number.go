// Package certify certifies trainers, advisers and training courses against
// published schemes and proves the outcome: certificate numbers with a check
// character, PDF certificates, and Open Badges 3.0 verifiable credentials with
// a Bitstring Status List for revocation.
package certify

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Errors returned by ParseNumber.
var (
	// ErrMalformedNumber means the text is not shaped like a certificate
	// number (W20-KKK-YYYY-NNNNNN-C) or names an unknown kind.
	ErrMalformedNumber = errors.New("certify: malformed certificate number")
	// ErrCheckCharacter means the text is shaped like a certificate number
	// but its check character does not match: most likely a typing error.
	ErrCheckCharacter = errors.New("certify: certificate number check character does not match")
)

// Kind is what a certificate is about.
type Kind string

// The kinds of certificate. The value is what the database stores; Code gives
// the three letters printed in the number.
const (
	KindTrainer  Kind = "trainer"  // a certified trainer, code TRN
	KindAdviser  Kind = "adviser"  // a certified adviser (adviseur), code ADV
	KindTraining Kind = "training" // a certified training course (opleiding), code OPL
	KindCourse   Kind = "course"   // a completed course in the learning environment, code CUR
)

// Code returns the three-letter code of k as printed in certificate numbers,
// or "" when k is not a known kind.
func (k Kind) Code() string {
	code, _ := k.codeAndDigit()
	return code
}

// codeAndDigit returns k's code and the digit that stands for k in the check
// character computation. The digits must never change: they are part of every
// number already issued.
func (k Kind) codeAndDigit() (string, byte) {
	switch k {
	case KindTrainer:
		return "TRN", '1'
	case KindAdviser:
		return "ADV", '2'
	case KindTraining:
		return "OPL", '3'
	case KindCourse:
		return "CUR", '4'
	}
	return "", 0
}

// kindByCode returns the kind whose code is code.
func kindByCode(code string) (Kind, bool) {
	for _, k := range []Kind{KindTrainer, KindAdviser, KindTraining, KindCourse} {
		if k.Code() == code {
			return k, true
		}
	}
	return "", false
}

// Shape of a number: W20-KKK-YYYY-NNNNNN-C.
const (
	numberPrefix = "W20"
	maxYear      = 9999
	maxSeq       = 999999
	// compactLen is the length of a number without dashes.
	compactLen = len(numberPrefix) + 3 + 4 + 6 + 1
	// maxInputLen bounds what ParseNumber looks at: generous room for
	// spaces and dashes, but no unbounded work on pasted garbage.
	maxInputLen = 64
)

// Number is a certificate number such as W20-ADV-2026-000123-2: the programme
// prefix W20, the kind's code, the year of issue, a six-digit sequence and a
// check character.
//
// The check character is ISO/IEC 7064 MOD 11-2 (as used by ORCID and ISNI),
// computed over the number's information written as eleven digits: the
// kind's digit (1 trainer, 2 adviser, 3 training, 4 course), the year and the
// sequence. It is 0-9 or X. Because the prefix is fixed, no single change to a
// kind code yields another kind code, and the year and sequence are digits, the
// number as a whole rejects every single-character substitution and every
// transposition of two adjacent characters: either its shape breaks
// (ErrMalformedNumber) or the check character no longer matches
// (ErrCheckCharacter). (MOD 37,36 over the letters would miss some adjacent
// transpositions, MOD 37-2 would need "*" as a check character.)
//
// The zero Number is not a valid number; its String is "".
type Number struct {
	kind Kind
	year int
	seq  int
}

// NewNumber returns the number for the seq-th certificate of kind issued in
// year. It panics when kind is unknown, year is outside 0..9999 or seq outside
// 0..999999: callers hand it values they control (a kind constant, the year of
// issue, a database sequence that restarts every year).
func NewNumber(kind Kind, year, seq int) Number {
	if kind.Code() == "" {
		panic(fmt.Sprintf("certify: new number: unknown kind %q", kind))
	}
	if year < 0 || year > maxYear || seq < 0 || seq > maxSeq {
		panic(fmt.Sprintf("certify: new number: year %d or sequence %d out of range", year, seq))
	}
	return Number{kind: kind, year: year, seq: seq}
}

// Kind returns what the certificate is about.
func (n Number) Kind() Kind { return n.kind }

// Year returns the year of issue in the number.
func (n Number) Year() int { return n.year }

// Seq returns the sequence within the kind and year.
func (n Number) Seq() int { return n.seq }

// String returns the number in its printed form, e.g. W20-ADV-2026-000123-2,
// or "" for the zero Number.
func (n Number) String() string {
	code, _ := n.kind.codeAndDigit()
	if code == "" {
		return ""
	}
	return fmt.Sprintf("%s-%s-%04d-%06d-%c", numberPrefix, code, n.year, n.seq, n.check())
}

// check returns the check character of n.
func (n Number) check() byte {
	_, digit := n.kind.codeAndDigit()
	return mod11_2(fmt.Sprintf("%c%04d%06d", digit, n.year, n.seq))
}

// mod11_2 returns the ISO/IEC 7064 MOD 11-2 check character of digits, which
// must hold only the characters 0-9.
func mod11_2(digits string) byte {
	p := 0
	for i := 0; i < len(digits); i++ {
		p = (p + int(digits[i]-'0')) * 2 % 11
	}
	c := (12 - p) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// ParseNumber reads a certificate number as a person types it: surrounding
// and inner spaces, lower case and missing or extra dashes are all fine.
// It returns ErrMalformedNumber when the text is not shaped like a number or
// names an unknown kind, and ErrCheckCharacter when the shape is right but the
// check character does not match.
func ParseNumber(s string) (Number, error) {
	c, ok := compact(s)
	if !ok || len(c) != compactLen || !strings.HasPrefix(c, numberPrefix) {
		return Number{}, fmt.Errorf("certify: parse number: %w", ErrMalformedNumber)
	}
	rest := c[len(numberPrefix):]
	kind, ok := kindByCode(rest[:3])
	year, okYear := atoi(rest[3:7])
	seq, okSeq := atoi(rest[7:13])
	check := rest[13]
	if !ok || !okYear || !okSeq || !(isDigit(check) || check == 'X') {
		return Number{}, fmt.Errorf("certify: parse number: %w", ErrMalformedNumber)
	}
	n := Number{kind: kind, year: year, seq: seq}
	if n.check() != check {
		return Number{}, fmt.Errorf("certify: parse number %s: %w", c, ErrCheckCharacter)
	}
	return n, nil
}

// compact drops spaces and dashes from s and upper-cases ASCII letters. It
// reports false when s is too long or holds anything but ASCII letters and
// digits besides the dropped characters.
func compact(s string) (string, bool) {
	if len(s) > maxInputLen {
		return "", false
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.Is(unicode.Pd, r):
			// Dashes of any kind (also the ones word processors make) and spaces.
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// atoi parses s, which must be all ASCII digits.
func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
