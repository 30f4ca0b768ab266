package certify

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

func testPNG(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func testJPEG(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// exe is the start of a Windows executable.
var exe = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{0}, 200)...)

func TestCheckEvidence(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		wantType   string // "" when refused
		wantMsg    string
	}{
		{"PDF", "cv.pdf", minimalPDF, "application/pdf", ""},
		{"PDFUpperCaseExtension", "CV.PDF", minimalPDF, "application/pdf", ""},
		{"PNG", "foto.png", testPNG(t), "image/png", ""},
		{"JPEG", "foto.jpg", testJPEG(t), "image/jpeg", ""},
		{"JPEGLongExtension", "foto.jpeg", testJPEG(t), "image/jpeg", ""},
		{"Empty", "leeg.pdf", nil, "", "is leeg"},
		{"TooLarge", "groot.pdf", append(append([]byte{}, minimalPDF...), make([]byte, MaxEvidenceSize)...), "", "groter dan 10 MB"},
		{"ExecutableCalledPDF", "cv.pdf", exe, "", "heet een PDF te zijn, maar de inhoud is geen PDF-, PNG- of JPEG-bestand"},
		{"PNGCalledPDF", "cv.pdf", testPNG(t), "", "maar de inhoud is een PNG-bestand"},
		{"PDFCalledJPEG", "foto.jpg", minimalPDF, "", "heet een JPEG te zijn"},
		{"TruncatedPDF", "cv.pdf", minimalPDF[:40], "", "heet een PDF te zijn"},
		{"PNGHeaderOnly", "foto.png", []byte("\x89PNG\r\n\x1a\n"), "", "heet een PNG te zijn"},
		{"WordDocument", "cv.docx", []byte("PK\x03\x04 word"), "", "geen PDF, PNG of JPEG"},
		{"NoExtension", "cv", minimalPDF, "", "geen PDF, PNG of JPEG"},
		{"HTMLCalledPDF", "cv.pdf", []byte("<html><script>alert(1)</script></html>"), "", "heet een PDF te zijn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, _, err := CheckEvidence("file", tt.file, tt.data)
			if tt.wantType != "" {
				if err != nil || ct != tt.wantType {
					t.Errorf("CheckEvidence = %q, %v; want %q", ct, err, tt.wantType)
				}
				return
			}
			v, ok := apperr.AsValidation(err)
			if !ok || !strings.Contains(v.Fields["file"], tt.wantMsg) {
				t.Errorf("CheckEvidence error = %v, want a message with %q", err, tt.wantMsg)
			}
		})
	}
}

func TestCleanFilename(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cv.pdf", "cv.pdf"},
		{`C:\Users\anne\Documents\cv.pdf`, "cv.pdf"},
		{"../../etc/passwd.pdf", "passwd.pdf"},
		{"zoë \"quote\".pdf", "zoë quote.pdf"},
		{"  ", "bestand"},
		{strings.Repeat("a", 300) + ".pdf", strings.Repeat("a", 196) + ".pdf"},
	}
	for _, tt := range tests {
		if got := cleanFilename(tt.in); got != tt.want {
			t.Errorf("cleanFilename(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzCheckEvidence(f *testing.F) {
	f.Add("cv.pdf", minimalPDF)
	f.Add("a.png", testPNG(f))
	f.Add("a.jpg", testJPEG(f))
	f.Add("x.pdf", exe)
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		ct, clean, err := CheckEvidence("file", name, data)
		if err != nil {
			if _, ok := apperr.AsValidation(err); !ok {
				t.Fatalf("error %v is not a validation error", err)
			}
			return
		}
		if ct != sniff(data) || len(clean) > 200 || strings.ContainsAny(clean, "/\"") {
			t.Fatalf("accepted %q as %q (clean %q)", name, ct, clean)
		}
	})
}
