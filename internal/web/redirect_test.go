package web

import "testing"

func TestSafeRedirect(t *testing.T) {
	tests := map[string]string{
		"/cursussen":                 "/cursussen",
		"/gids?q=webcare&thema=a":    "/gids?q=webcare&thema=a",
		"/mijn/account#naam":         "/mijn/account#naam",
		"":                           "",
		"https://evil.example/":      "",
		"//evil.example/":            "",
		"/\\evil.example":            "",
		"\\/evil.example":            "",
		"/\t/evil.example/phish":     "",
		"/\n/evil.example":           "",
		"/\r/evil.example":           "",
		"/ /evil.example":            "",
		"/%2F/evil.example":          "", // refused to be safe, though browsers keep %2F
		"javascript:alert(1)":        "",
		"/\x00":                      "",
		"/\u0085/evil.example":       "",
		"cursussen":                  "",
		"/%zz":                       "",
		"/https://evil.example/path": "/https://evil.example/path",
	}
	for in, want := range tests {
		if got := SafeRedirect(in); got != want {
			t.Errorf("SafeRedirect(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSafeRedirect(f *testing.F) {
	for _, s := range []string{"/a", "//b", "/\t/c", "/\\d", "https://e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SafeRedirect(s)
		if got == "" {
			return
		}
		if got != s || got[0] != '/' || (len(got) > 1 && (got[1] == '/' || got[1] == '\\')) {
			t.Fatalf("SafeRedirect(%q) = %q", s, got)
		}
		for _, r := range got {
			if r <= ' ' || r == '\\' {
				t.Fatalf("SafeRedirect(%q) kept %q", s, r)
			}
		}
	})
}
