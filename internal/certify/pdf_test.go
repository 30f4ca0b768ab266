package certify

import (
	"bytes"
	"image"
	_ "image/png" // pdftoppm writes PNG
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

func testPDFData() PDFData {
	amsterdam := time.FixedZone("CET", 3600)
	expires := time.Date(2029, time.November, 21, 23, 59, 0, 0, amsterdam)
	return PDFData{
		Number:      "W20-ADV-2026-000123-2",
		HolderName:  "Şükrü Yıldız-van Dijk",
		Title:       "Adviseur Werken 2.0",
		Achievement: "is gecertificeerd volgens de regeling",
		IssuedAt:    time.Date(2026, time.November, 22, 10, 30, 0, 0, amsterdam),
		ExpiresAt:   &expires,
		Status:      "valid",
		VerifyURL:   "https://leeromgeving.example.nl/verifieer/W20-ADV-2026-000123-2",
	}
}

func mustRenderPDF(tb testing.TB, d PDFData) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := RenderPDF(&buf, d); err != nil {
		tb.Fatalf("RenderPDF: %v", err)
	}
	return buf.Bytes()
}

// mustTool returns the path of a command-line tool the tests need, failing
// the test (never skipping it) when it is missing.
func mustTool(tb testing.TB, name, debianPackage string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		tb.Fatalf("%s not found on PATH: these tests need it; install it with `apt-get install %s`", name, debianPackage)
	}
	return path
}

// mustPDFText returns the text of pdf as pdftotext extracts it.
func mustPDFText(tb testing.TB, pdf []byte) string {
	tb.Helper()
	pdftotext := mustTool(tb, "pdftotext", "poppler-utils")
	in := filepath.Join(tb.TempDir(), "certificaat.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		tb.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// mustPDFImage rasterises the only page of pdf at 150 dpi.
func mustPDFImage(tb testing.TB, pdf []byte) image.Image {
	tb.Helper()
	pdftoppm := mustTool(tb, "pdftoppm", "poppler-utils")
	dir := tb.TempDir()
	in := filepath.Join(dir, "certificaat.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-png", "-r", "150", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		tb.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		tb.Fatalf("decode page.png: %v", err)
	}
	return img
}

// oneLine collapses every run of whitespace to one space, so that text that
// wrapped on the page still matches.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestRenderPDF_Text(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*PDFData)
		want   []string
		absent []string
	}{
		{
			name:   "Adviser",
			modify: func(*PDFData) {},
			want: []string{"Certificaat", "Şükrü Yıldız-van Dijk", "is gecertificeerd volgens de regeling",
				"Adviseur Werken 2.0", "W20-ADV-2026-000123-2", "22 november 2026", "21 november 2029",
				"Programmamanager", "Programma Ambtenaar 2.0",
				// The URL breaks after a slash to fit under the QR code.
				"Controleer dit certificaat: https://leeromgeving.example.nl/verifieer/ W20-ADV-2026-000123-2"},
			absent: []string{"INGETROKKEN", "GESCHORST", "VERLOPEN"},
		},
		{
			name: "Course without expiry",
			modify: func(d *PDFData) {
				d.Number = "W20-CUR-2026-000005-X"
				d.HolderName = "Zoë Ćosić"
				d.Title = "Samenwerken in netwerken: de basis"
				d.Achievement = "heeft met goed gevolg de cursus afgerond"
				d.IssuedAt = time.Date(2026, time.March, 1, 9, 0, 0, 0, time.UTC)
				d.ExpiresAt = nil
			},
			want: []string{"Zoë Ćosić", "heeft met goed gevolg de cursus afgerond",
				"Samenwerken in netwerken: de basis", "W20-CUR-2026-000005-X", "1 maart 2026"},
			absent: []string{"Geldig tot"},
		},
		{
			name: "Long name and title",
			modify: func(d *PDFData) {
				d.HolderName = "Maria Josephina Catharina van den Heuvel-Ouwehand de Bruijn" // 60 characters
				d.Title = "Adviseur Werken 2.0: samenwerken, digitaal werken en netwerken in de publieke sector voor gevorderden"
			},
			want: []string{"Maria Josephina Catharina van den Heuvel-Ouwehand de Bruijn",
				"Adviseur Werken 2.0: samenwerken, digitaal werken en netwerken in de publieke sector voor gevorderden"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testPDFData()
			tt.modify(&d)
			text := oneLine(mustPDFText(t, mustRenderPDF(t, d)))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("PDF text lacks %q; text:\n%s", w, text)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(text, a) {
					t.Errorf("PDF text has %q; text:\n%s", a, text)
				}
			}
		})
	}
}

func TestRenderPDF_Status(t *testing.T) {
	tests := []struct {
		status, reason string
		want           []string
	}{
		{"revoked", "Bij controle bleek het bewijs van praktijkervaring vervalst.",
			[]string{"INGETROKKEN", "Dit certificaat is ingetrokken en is niet geldig.",
				"Reden: Bij controle bleek het bewijs van praktijkervaring vervalst."}},
		{"suspended", "Lopend onderzoek naar een klacht.",
			[]string{"GESCHORST", "op dit moment niet geldig", "Reden: Lopend onderzoek naar een klacht."}},
		{"expired", "",
			[]string{"VERLOPEN", "Dit certificaat is verlopen en is niet meer geldig."}},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			d := testPDFData()
			d.Status, d.StatusReason = tt.status, tt.reason
			text := oneLine(mustPDFText(t, mustRenderPDF(t, d)))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("PDF text lacks %q; text:\n%s", w, text)
				}
			}
			// The certificate itself is still readable under the banner.
			for _, w := range []string{d.HolderName, d.Number} {
				if !strings.Contains(text, w) {
					t.Errorf("PDF text lacks %q; text:\n%s", w, text)
				}
			}
		})
	}
}

func TestRenderPDF_QRCode(t *testing.T) {
	d := testPDFData()
	img := mustPDFImage(t, mustRenderPDF(t, d))
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("binary bitmap: %v", err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	result, err := gozxingqr.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		t.Fatalf("no QR code found on the page: %v", err)
	}
	if got := result.GetText(); got != d.VerifyURL {
		t.Errorf("QR code = %q, want %q", got, d.VerifyURL)
	}
}

func TestRenderPDF_Deterministic(t *testing.T) {
	d := testPDFData()
	d.Status, d.StatusReason = "revoked", "Ingetrokken op verzoek van de houder."
	first := mustRenderPDF(t, d)
	if second := mustRenderPDF(t, d); !bytes.Equal(first, second) {
		t.Fatalf("two renderings of the same data differ (%d and %d bytes)", len(first), len(second))
	}
	d.HolderName = "Zoë Ćosić"
	if other := mustRenderPDF(t, d); bytes.Equal(first, other) {
		t.Fatal("renderings of different data are equal")
	}
}

// Certificates are rendered at once by concurrent requests and exports:
// the run with -race checks nothing is shared, and every rendering is the
// same.
func TestRenderPDF_Concurrent(t *testing.T) {
	d := testPDFData()
	want := mustRenderPDF(t, d)
	got := make(chan []byte, 4)
	for range cap(got) {
		go func() {
			var buf bytes.Buffer
			if err := RenderPDF(&buf, d); err != nil {
				t.Error(err)
			}
			got <- buf.Bytes()
		}()
	}
	for range cap(got) {
		if pdf := <-got; !bytes.Equal(pdf, want) {
			t.Error("a concurrent rendering differs")
		}
	}
}

func TestRenderPDF_Errors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*PDFData)
	}{
		{"NumberEmpty", func(d *PDFData) { d.Number = " " }},
		{"HolderNameEmpty", func(d *PDFData) { d.HolderName = "" }},
		{"TitleEmpty", func(d *PDFData) { d.Title = "" }},
		{"VerifyURLEmpty", func(d *PDFData) { d.VerifyURL = "" }},
		{"IssuedAtZero", func(d *PDFData) { d.IssuedAt = time.Time{} }},
		{"StatusUnknown", func(d *PDFData) { d.Status = "pending" }},
		{"StatusEmpty", func(d *PDFData) { d.Status = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testPDFData()
			tt.modify(&d)
			var buf bytes.Buffer
			if err := RenderPDF(&buf, d); err == nil {
				t.Error("RenderPDF succeeded, want an error")
			}
			if buf.Len() != 0 {
				t.Errorf("RenderPDF wrote %d bytes on error", buf.Len())
			}
		})
	}
}

func TestRenderPDF_UnprintableInput(t *testing.T) {
	d := testPDFData()
	d.HolderName = "Anne \U0001F600 de\tVries\x00\xff"
	d.Title = strings.Repeat("Heel lange titel ", 40)
	text := oneLine(mustPDFText(t, mustRenderPDF(t, d)))
	if !strings.Contains(text, "Anne ? de Vries ?") {
		t.Errorf("PDF text lacks the cleaned-up name; text:\n%s", text)
	}
	if !strings.Contains(text, "Heel lange titel") || !strings.HasSuffix(strings.Split(text, " Datum van uitgifte")[0], " …") {
		t.Errorf("PDF text lacks the shortened title; text:\n%s", text)
	}
}

func TestDutchDate(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, time.November, 22, 0, 0, 0, 0, time.UTC), "22 november 2026"},
		{time.Date(2027, time.January, 1, 23, 59, 0, 0, time.UTC), "1 januari 2027"},
		{time.Date(2028, time.May, 31, 12, 0, 0, 0, time.UTC), "31 mei 2028"},
	}
	for _, tt := range tests {
		if got := dutchDate(tt.in); got != tt.want {
			t.Errorf("dutchDate(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Şükrü Yıldız-van Dijk", "Şükrü Yıldız-van Dijk"},
		{"  Zoë\n\tĆosić  ", "Zoë Ćosić"},
		{"emoji \U0001F600 weg", "emoji ? weg"},
		{"bad \xff byte", "bad ? byte"},
		{"nul\x00teken", "nul teken"},
	}
	for _, tt := range tests {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkRenderPDF(b *testing.B) {
	d := testPDFData()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := RenderPDF(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// BenchmarkRenderPDF_Parallel renders on every core at once, as concurrent
// requests and the ZIP export do: with -cpu 1,2 it shows how rendering
// scales with cores.
func BenchmarkRenderPDF_Parallel(b *testing.B) {
	d := testPDFData()
	b.RunParallel(func(pb *testing.PB) {
		var buf bytes.Buffer
		for pb.Next() {
			buf.Reset()
			if err := RenderPDF(&buf, d); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
