package certify

import (
	"bytes"
	"testing"

	"github.com/boombuler/barcode/qr"
	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

func BenchmarkZZFonts3(b *testing.B) {
	for b.Loop() {
		pdf := gofpdf.New("L", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
		pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
		pdf.AddUTF8FontFromBytes("go", "I", goitalic.TTF)
		pdf.AddPage()
		for _, s := range []string{"", "B", "I"} {
			pdf.SetFont("go", s, 12)
			pdf.Text(10, 10, "Şükrü Yıldız-van Dijk 22 november 2026")
		}
		var buf bytes.Buffer
		pdf.Output(&buf)
	}
}

func BenchmarkZZFontAddOnly(b *testing.B) {
	for b.Loop() {
		pdf := gofpdf.New("L", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	}
}

func BenchmarkZZQR(b *testing.B) {
	for b.Loop() {
		qr.Encode("https://leeromgeving.example.nl/verifieer/W20-ADV-2026-000123-2", qr.M, qr.Auto)
	}
}
