package accounts

import (
	"strings"
	"testing"
)

func TestPasswordProblem(t *testing.T) {
	tests := []struct {
		pw, email, name string
		ok              bool
	}{
		{"kort", "a@b.nl", "A", false},
		{"elf tekens!", "a@b.nl", "A", false},
		{"precies12tek", "a@b.nl", "A", true},
		{"correct paard batterij nietje", "a@b.nl", "A", true},
		{"wachtwoord123", "a@b.nl", "A", false},
		{"Password1234", "a@b.nl", "A", false},
		{"welkom2026!!", "a@b.nl", "A", false},
		{"123456789012", "a@b.nl", "A", false},
		{"qwertyuiopas", "a@b.nl", "A", false},
		{"aaaaaaaaaaaaaa", "a@b.nl", "A", false},
		{"jan.jansen-geheim", "jan.jansen@gemeente.nl", "Jan Jansen", false},
		{"janjansen!!2026", "x@gemeente.nl", "Jan Jansen", false},
		{"Şükrü's wachtzin ü", "s@x.nl", "S", true},
		{strings.Repeat("lang ", 30), "a@b.nl", "A", false},
	}
	for _, tt := range tests {
		got := PasswordProblem(tt.pw, tt.email, tt.name)
		if (got == "") != tt.ok {
			t.Errorf("PasswordProblem(%q) = %q, want ok=%v", tt.pw, got, tt.ok)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	h := HashPassword("correct paard batterij nietje")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %s", h)
	}
	if ok, err := CheckPassword(h, "correct paard batterij nietje"); !ok || err != nil {
		t.Fatalf("right password: %v %v", ok, err)
	}
	if ok, _ := CheckPassword(h, "correct paard batterij nietjE"); ok {
		t.Fatal("wrong password accepted")
	}
	if h == HashPassword("correct paard batterij nietje") {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$x$y$z$w", "$argon2id$v=19$m=x$aaa$bbb"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword(%q) accepted a malformed hash", bad)
		}
	}
}
