package web

import (
	"strings"
	"testing"
)

func TestMarkdown_Sanitised(t *testing.T) {
	html := string(Markdown("Tekst <script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)> <a href=\"#\" onclick=\"x()\">a</a>\n\n## Kop\n\n[goed](https://www.digitaleoverheid.nl)"))
	for _, bad := range []string{"<script", "javascript:", "onerror", "onclick"} {
		if strings.Contains(html, bad) {
			t.Errorf("%q survived: %s", bad, html)
		}
	}
	if !strings.Contains(html, "<h2") || !strings.Contains(html, `href="https://www.digitaleoverheid.nl"`) {
		t.Errorf("safe Markdown lost: %s", html)
	}
}
