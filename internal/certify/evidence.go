package certify

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of JPEG evidence
	_ "image/png"  // DecodeConfig of PNG evidence
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// MaxEvidenceSize is the largest evidence file accepted: 10 MB.
const MaxEvidenceSize = 10 << 20

// maxEvidenceFiles bounds the files of one application.
const maxEvidenceFiles = 30

// evidenceTypes maps the file name extensions accepted to the type their
// content must have.
var evidenceTypes = map[string]string{
	".pdf":  "application/pdf",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
}

// CheckEvidence decides from its content what an uploaded file is. It
// accepts a PDF, PNG or JPEG file of 1 byte to 10 MB whose content is what
// its name says, and returns its content type and a clean file name. It
// returns a validation error on field for an empty or too large file, a
// name with another extension, and content that is not what the name
// claims (an executable called .pdf).
func CheckEvidence(field, filename string, data []byte) (contentType, cleanName string, err error) {
	cleanName = cleanFilename(filename)
	want, ok := evidenceTypes[strings.ToLower(filepath.Ext(cleanName))]
	switch {
	case len(data) == 0:
		return "", "", apperr.NewValidation(field, fmt.Sprintf("Het bestand %q is leeg.", cleanName))
	case len(data) > MaxEvidenceSize:
		return "", "", apperr.NewValidation(field, fmt.Sprintf("Het bestand %q is groter dan 10 MB (%s). Maak het kleiner of verdeel het.", cleanName, humanSize(len(data))))
	case !ok:
		return "", "", apperr.NewValidation(field, fmt.Sprintf("Het bestand %q is geen PDF, PNG of JPEG. Alleen die soorten bestanden worden aangenomen.", cleanName))
	}
	got := sniff(data)
	if got != want {
		what := "geen PDF-, PNG- of JPEG-bestand"
		if got != "" {
			what = "een " + typeName(got) + "-bestand"
		}
		return "", "", apperr.NewValidation(field, fmt.Sprintf("Het bestand %q heet een %s te zijn, maar de inhoud is %s. Upload het echte document.", cleanName, typeName(want), what))
	}
	return got, cleanName, nil
}

// sniff returns the content type of data when it is a complete PDF, PNG or
// JPEG file, and "" otherwise. Images must have a readable header with
// sane dimensions; a PDF must start with %PDF- and end with %%EOF.
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		tail := data[max(0, len(data)-1024):]
		if bytes.Contains(tail, []byte("%%EOF")) {
			return "application/pdf"
		}
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")), bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err == nil && cfg.Width > 0 && cfg.Height > 0 && cfg.Width <= 20000 && cfg.Height <= 20000 {
			return "image/" + format
		}
	}
	return ""
}

func typeName(contentType string) string {
	switch contentType {
	case "application/pdf":
		return "PDF"
	case "image/png":
		return "PNG"
	case "image/jpeg":
		return "JPEG"
	}
	return contentType
}

// cleanFilename keeps the base name of what a browser sent, without path,
// control characters or quotes, at most 200 bytes.
func cleanFilename(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = filepath.Base(strings.ToValidUTF8(name, ""))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." {
		name = "bestand"
	}
	ext := filepath.Ext(name)
	if len(ext) > 10 {
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	for len(stem)+len(ext) > 200 {
		_, size := utf8.DecodeLastRuneInString(stem)
		stem = stem[:len(stem)-size]
	}
	return stem + ext
}

func humanSize(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d kB", (n+1023)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
