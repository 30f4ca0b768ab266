package certify

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestNumber_String(t *testing.T) {
	tests := []struct {
		kind      Kind
		year, seq int
		want      string
	}{
		{KindTrainer, 2026, 1, "W20-TRN-2026-000001-2"},
		{KindAdviser, 2026, 123, "W20-ADV-2026-000123-2"},
		{KindTraining, 2027, 999999, "W20-OPL-2027-999999-3"},
		{KindCourse, 2026, 5, "W20-CUR-2026-000005-X"},
		{KindCourse, 0, 0, "W20-CUR-0000-000000-4"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			n := NewNumber(tt.kind, tt.year, tt.seq)
			if got := n.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if n.Kind() != tt.kind || n.Year() != tt.year || n.Seq() != tt.seq {
				t.Errorf("fields = %q %d %d, want %q %d %d", n.Kind(), n.Year(), n.Seq(), tt.kind, tt.year, tt.seq)
			}
		})
	}
}

func TestNumber_StringZero(t *testing.T) {
	if got := (Number{}).String(); got != "" {
		t.Errorf("zero Number String() = %q, want empty", got)
	}
}

func TestNewNumber_Panics(t *testing.T) {
	tests := []struct {
		name      string
		kind      Kind
		year, seq int
	}{
		{"UnknownKind", Kind("student"), 2026, 1},
		{"YearTooLarge", KindTrainer, 10000, 1},
		{"NegativeYear", KindTrainer, -1, 1},
		{"SeqTooLarge", KindTrainer, 2026, 1000000},
		{"NegativeSeq", KindTrainer, 2026, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewNumber(%q, %d, %d) did not panic", tt.kind, tt.year, tt.seq)
				}
			}()
			NewNumber(tt.kind, tt.year, tt.seq)
		})
	}
}

func TestKind_Code(t *testing.T) {
	tests := []struct {
		kind Kind
		want string
	}{
		{KindTrainer, "TRN"},
		{KindAdviser, "ADV"},
		{KindTraining, "OPL"},
		{KindCourse, "CUR"},
		{Kind("student"), ""},
		{Kind(""), ""},
	}
	for _, tt := range tests {
		if got := tt.kind.Code(); got != tt.want {
			t.Errorf("Kind(%q).Code() = %q, want %q", tt.kind, got, tt.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	adviser := NewNumber(KindAdviser, 2026, 123) // W20-ADV-2026-000123-2
	course := NewNumber(KindCourse, 2026, 5)     // W20-CUR-2026-000005-X
	tests := []struct {
		name string
		in   string
		want Number
	}{
		{"Canonical", "W20-ADV-2026-000123-2", adviser},
		{"LowerCase", "w20-adv-2026-000123-2", adviser},
		{"Surrounding spaces", "  W20-ADV-2026-000123-2\n", adviser},
		{"No dashes", "W20ADV20260001232", adviser},
		{"Spaces instead of dashes", "W20 ADV 2026 000123 2", adviser},
		{"Extra dashes and spaces", "W20--ADV - 2026-000-123--2", adviser},
		{"Typographic dashes", "W20–ADV—2026‐000123-2", adviser},
		{"Lower case check X", "w20-cur-2026-000005-x", course},
		{"Upper case check X", "W20-CUR-2026-000005-X", course},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNumber(tt.in)
			if err != nil {
				t.Fatalf("ParseNumber(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseNumber(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseNumber_Errors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"Empty", "", ErrMalformedNumber},
		{"Garbage", "hallo wereld", ErrMalformedNumber},
		{"Only dashes", "-----", ErrMalformedNumber},
		{"Wrong prefix", "W21-ADV-2026-000123-2", ErrMalformedNumber},
		{"Unknown kind", "W20-ABC-2026-000123-2", ErrMalformedNumber},
		{"Short sequence", "W20-ADV-2026-123-2", ErrMalformedNumber},
		{"Letter in sequence", "W20-ADV-2026-00O123-2", ErrMalformedNumber},
		{"Check missing", "W20-ADV-2026-000123", ErrMalformedNumber},
		{"Check is a letter other than X", "W20-ADV-2026-000123-K", ErrMalformedNumber},
		{"Non-ASCII letter", "W20-ADV-2026-000123-５", ErrMalformedNumber},
		{"Punctuation", "W20.ADV.2026.000123.2", ErrMalformedNumber},
		{"Too long", strings.Repeat(" ", 60) + "W20-ADV-2026-000123-2", ErrMalformedNumber},
		{"Wrong check", "W20-ADV-2026-000123-6", ErrCheckCharacter},
		{"Wrong check X", "W20-ADV-2026-000123-X", ErrCheckCharacter},
		{"Typo in sequence", "W20-ADV-2026-000124-2", ErrCheckCharacter},
		{"Kind changed", "W20-TRN-2026-000123-2", ErrCheckCharacter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNumber(tt.in)
			if !errors.Is(err, tt.want) {
				t.Errorf("ParseNumber(%q) error = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

// detectionSamples are numbers whose every single-character substitution and
// adjacent transposition must be rejected: the edges of the ranges, every kind,
// every check character (0-9 and X) and a fixed pseudo-random spread.
func detectionSamples() []Number {
	kinds := []Kind{KindTrainer, KindAdviser, KindTraining, KindCourse}
	var ns []Number
	for _, k := range kinds {
		for _, seq := range []int{0, 1, 42, 123, 98765, 999999} {
			ns = append(ns, NewNumber(k, 2026, seq))
		}
	}
	rng := rand.New(rand.NewPCG(20, 26))
	for range 100 {
		ns = append(ns, NewNumber(kinds[rng.IntN(len(kinds))], rng.IntN(maxYear+1), rng.IntN(maxSeq+1)))
	}
	checks := map[byte]bool{}
	for _, n := range ns {
		checks[n.check()] = true
	}
	if len(checks) != 11 {
		panic("detectionSamples: not every check character occurs")
	}
	return ns
}

// TestMod11_2 checks the check character computation against ORCID
// identifiers, which use the same ISO/IEC 7064 MOD 11-2.
func TestMod11_2(t *testing.T) {
	tests := []struct {
		digits string
		want   byte
	}{
		{"000000021825009", '7'}, // 0000-0002-1825-0097
		{"000000015109370", '0'}, // 0000-0001-5109-3700
		{"000000021694233", 'X'}, // 0000-0002-1694-233X
	}
	for _, tt := range tests {
		if got := mod11_2(tt.digits); got != tt.want {
			t.Errorf("mod11_2(%q) = %c, want %c", tt.digits, got, tt.want)
		}
	}
}

func TestParseNumber_DetectsEverySubstitution(t *testing.T) {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"
	for _, n := range detectionSamples() {
		s := n.String()
		for i := 0; i < len(s); i++ {
			for j := 0; j < len(alphabet); j++ {
				if alphabet[j] == s[i] {
					continue
				}
				typo := s[:i] + string(alphabet[j]) + s[i+1:]
				if _, err := ParseNumber(typo); !errors.Is(err, ErrMalformedNumber) && !errors.Is(err, ErrCheckCharacter) {
					t.Errorf("ParseNumber(%q), a substitution in %s: error = %v, want rejection", typo, s, err)
				}
			}
		}
	}
}

func TestParseNumber_DetectsEveryAdjacentTransposition(t *testing.T) {
	for _, n := range detectionSamples() {
		// Dashes carry no information, so transposing across one is the
		// same number: swap the characters of the compact form instead.
		s := strings.ReplaceAll(n.String(), "-", "")
		for i := 0; i+1 < len(s); i++ {
			if s[i] == s[i+1] {
				continue
			}
			typo := s[:i] + string(s[i+1]) + string(s[i]) + s[i+2:]
			if _, err := ParseNumber(typo); !errors.Is(err, ErrMalformedNumber) && !errors.Is(err, ErrCheckCharacter) {
				t.Errorf("ParseNumber(%q), a transposition in %s: error = %v, want rejection", typo, s, err)
			}
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"W20-ADV-2026-000123-2",
		"w20 cur 2026 000005 x",
		"W20TRN20260000012",
		"W20-OPL-2027-999999-3",
		"W20-ADV-2026-000123-6",
		"",
		"W20-ADV-2026-000123-５",
		"--W20----ADV-",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			if !errors.Is(err, ErrMalformedNumber) && !errors.Is(err, ErrCheckCharacter) {
				t.Fatalf("ParseNumber(%q) error = %v, want a sentinel", s, err)
			}
			return
		}
		printed := n.String()
		if printed == "" {
			t.Fatalf("ParseNumber(%q) = zero Number without error", s)
		}
		again, err := ParseNumber(printed)
		if err != nil || again != n {
			t.Fatalf("round trip of %q: ParseNumber(%q) = %v, %v; want %v", s, printed, again, err, n)
		}
		if NewNumber(n.Kind(), n.Year(), n.Seq()) != n {
			t.Fatalf("NewNumber does not rebuild %v", n)
		}
	})
}
