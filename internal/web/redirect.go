package web

import (
	"net/url"
	"strings"
)

// SafeRedirect returns target when it is a path on this site, and "" when
// it is anything else. Browsers drop tabs and line breaks from a URL and
// read a backslash as a slash, so "/\t/evil.example" and "/\evil.example"
// would leave the site: any control character, space or backslash refuses
// the target, and after parsing it must be a path without scheme or host
// that does not start with "//".
func SafeRedirect(target string) string {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.ContainsRune(target, '\\') {
		return ""
	}
	for _, r := range target {
		if r <= ' ' || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			return ""
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return ""
	}
	return target
}
