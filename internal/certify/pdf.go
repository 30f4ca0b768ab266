package certify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// PDFData is what a PDF certificate shows. Dates are printed in the location
// of their time.Time values, so pass them in Europe/Amsterdam.
type PDFData struct {
	Number      string     // the certificate number, e.g. W20-ADV-2026-000123-2
	HolderName  string     // the person or the training course certified
	Title       string     // the scheme or course title
	Achievement string     // e.g. "heeft met goed gevolg de cursus afgerond"
	IssuedAt    time.Time  // date of issue; also the PDF's creation date
	ExpiresAt   *time.Time // nil when the certificate does not expire
	// Status is "valid", "suspended", "revoked" or "expired"; anything but
	// valid draws a large banner saying the certificate is not valid.
	Status       string
	StatusReason string // why it is suspended, revoked or expired; may be empty
	VerifyURL    string // the public verification page, encoded in the QR code
}

// Dutch text printed on the certificate.
const (
	textIssuer      = "Programma Ambtenaar 2.0"
	textHeading     = "Certificaat"
	textDeclaration = "Hierbij wordt verklaard dat"
	textIssuedAt    = "Datum van uitgifte"
	textExpiresAt   = "Geldig tot"
	textNumber      = "Certificaatnummer"
	textSigner      = "Programmamanager"
	textVerify      = "Controleer dit certificaat:"
	textReason      = "Reden: "
	textCreator     = "Leeromgeving Werken 2.0"
)

// dutchMonths are the month names, January first.
func dutchMonths() [12]string {
	return [12]string{"januari", "februari", "maart", "april", "mei", "juni",
		"juli", "augustus", "september", "oktober", "november", "december"}
}

// dutchDate formats t as "22 november 2026".
func dutchDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), dutchMonths()[t.Month()-1], t.Year())
}

// statusBanner returns the banner word and the explanation for a status that
// is not valid, both empty for a valid one. It reports false for an unknown
// status.
func statusBanner(status string) (word, caption string, ok bool) {
	switch status {
	case "valid":
		return "", "", true
	case "suspended":
		return "GESCHORST", "Dit certificaat is geschorst en is op dit moment niet geldig.", true
	case "revoked":
		return "INGETROKKEN", "Dit certificaat is ingetrokken en is niet geldig.", true
	case "expired":
		return "VERLOPEN", "Dit certificaat is verlopen en is niet meer geldig.", true
	}
	return "", "", false
}

// Page geometry in millimetres (A4 landscape) and colours as 0xRRGGBB.
const (
	pageW, pageH   = 297.0, 210.0
	borderOuter    = 9.0  // distance of the outer border line from the edge
	borderInner    = 11.5 // distance of the inner border line from the edge
	contentLeft    = 28.0
	contentWidth   = pageW - 2*contentLeft
	subjectTop     = 55.0  // top of the space for who is certified for what
	subjectBottom  = 139.0 // bottom of that space
	bottomRowTop   = 144.0 // top of the row with dates, signature and QR code
	qrSize         = 31.0
	qrRight        = pageW - contentLeft
	signatureWidth = 70.0
	ptToMM         = 25.4 / 72

	colourNavy  = 0x154273
	colourText  = 0x1E1E1E
	colourMuted = 0x5A5A5A
	colourRed   = 0xB4141E
)

// italicSlant is the angle in degrees by which the regular face leans to
// stand in for an italic one.
const italicSlant = -11.0

// fontFamily is the name the embedded Go fonts are registered under.
const fontFamily = "go"

// RenderPDF writes d as a one-page A4 landscape PDF certificate to w. The same
// d always gives the same bytes. It returns an error when Number, HolderName,
// Title or VerifyURL is empty, IssuedAt is zero or Status is unknown, and any
// error from drawing or writing.
func RenderPDF(w io.Writer, d PDFData) error {
	if err := d.validate(); err != nil {
		return fmt.Errorf("certify: render pdf: %w", err)
	}
	pdf, err := newDocument(d)
	if err != nil {
		return fmt.Errorf("certify: render pdf: %w", err)
	}
	drawBorder(pdf)
	status := newStatusBox(d)
	if status != nil {
		drawWatermark(pdf, status.word)
	}
	drawHeader(pdf)
	drawSubject(pdf, d, status)
	drawFacts(pdf, d)
	drawSignature(pdf)
	if err := drawQR(pdf, d.VerifyURL); err != nil {
		return fmt.Errorf("certify: render pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("certify: render pdf: %w", err)
	}
	return nil
}

func (d PDFData) validate() error {
	switch {
	case strings.TrimSpace(d.Number) == "":
		return errors.New("number is empty")
	case strings.TrimSpace(d.HolderName) == "":
		return errors.New("holder name is empty")
	case strings.TrimSpace(d.Title) == "":
		return errors.New("title is empty")
	case d.VerifyURL == "":
		return errors.New("verify url is empty")
	case d.IssuedAt.IsZero():
		return errors.New("issue date is zero")
	}
	if _, _, ok := statusBanner(d.Status); !ok {
		return fmt.Errorf("unknown status %q", d.Status)
	}
	return nil
}

// newDocument returns a fresh document with the fonts, metadata and one empty
// page, set up to give the same bytes for the same d.
func newDocument(d PDFData) (*gofpdf.Fpdf, error) {
	pdf := gofpdf.New("L", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(d.IssuedAt)
	pdf.SetModificationDate(d.IssuedAt)
	pdf.SetTitle(textHeading+" "+printable(d.Number), true)
	pdf.SetSubject(printable(d.Title), true)
	pdf.SetAuthor(textIssuer, true)
	pdf.SetCreator(textCreator, true)
	// gofpdf parses, hashes and subsets the fonts again for every document,
	// which is most of the cost of a certificate. So there are only two
	// faces: the one italic line is the regular face slanted (see
	// textBlock.draw), which looks the same at that size.
	//
	// Each document gets its own copy of the font bytes: when subsetting,
	// gofpdf pads table slices with append, which writes into the array it
	// was given beyond the table. Shared bytes (gofont's package variables)
	// would make every two certificates rendered at once a data race.
	pdf.AddUTF8FontFromBytes(fontFamily, "", bytes.Clone(goregular.TTF))
	pdf.AddUTF8FontFromBytes(fontFamily, "B", bytes.Clone(gobold.TTF))
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	return pdf, pdf.Error()
}

func drawBorder(pdf *gofpdf.Fpdf) {
	setDraw(pdf, colourNavy)
	pdf.SetLineWidth(0.9)
	pdf.Rect(borderOuter, borderOuter, pageW-2*borderOuter, pageH-2*borderOuter, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(borderInner, borderInner, pageW-2*borderInner, pageH-2*borderInner, "D")
}

// drawWatermark writes word large, pale and diagonally across the page.
func drawWatermark(pdf *gofpdf.Fpdf, word string) {
	angle := math.Atan2(pageH, pageW) * 180 / math.Pi
	pdf.SetFont(fontFamily, "B", 100)
	size := 100 * 240 / pdf.GetStringWidth(word) // about 240 mm long
	pdf.SetFontSize(size)
	pdf.TransformBegin()
	pdf.TransformRotate(angle, pageW/2, pageH/2)
	pdf.SetAlpha(0.13, "Normal")
	setText(pdf, colourRed)
	baseline := pageH/2 + size*ptToMM*0.35 // centre the capitals vertically
	pdf.Text(pageW/2-pdf.GetStringWidth(word)/2, baseline, word)
	pdf.SetAlpha(1, "Normal")
	pdf.TransformEnd()
}

// drawHeader draws the issuer, the heading and an ornament.
func drawHeader(pdf *gofpdf.Fpdf) {
	setText(pdf, colourNavy)
	pdf.SetFont(fontFamily, "B", 11)
	centred(pdf, 22, 6, strings.ToUpper(textIssuer))
	pdf.SetFont(fontFamily, "B", 40)
	centred(pdf, 30, 17, textHeading)
	setDraw(pdf, colourNavy)
	pdf.SetLineWidth(0.4)
	pdf.Line(pageW/2-25, 50, pageW/2+25, 50)
}

// drawSubject draws who is certified for what, and the status box when there
// is one, centred vertically between the header and the bottom row.
func drawSubject(pdf *gofpdf.Fpdf, d PDFData, status *statusBox) {
	blocks := []textBlock{
		fitBlock(pdf, textDeclaration, "I", colourMuted, 13, 13, 1, 0),
		fitBlock(pdf, printable(d.HolderName), "B", colourText, 32, 18, 2, 2),
		fitBlock(pdf, printable(d.Achievement), "", colourMuted, 13, 11, 2, 3),
		fitBlock(pdf, printable(d.Title), "B", colourNavy, 20, 13, 2, 1),
	}
	height := 0.0
	for _, b := range blocks {
		height += b.height()
	}
	if status != nil {
		height += status.height(pdf)
	}
	y := subjectTop + max(0, (subjectBottom-subjectTop-height)/2)
	for _, b := range blocks {
		y = b.draw(pdf, y)
	}
	if status != nil {
		status.draw(pdf, y)
	}
}

// textBlock is text wrapped to the content width in one font.
type textBlock struct {
	lines  []string
	style  string  // "" or "B"
	italic bool    // slant the regular face
	size   float64 // in points
	colour int
	gap    float64 // space above the text, in millimetres
}

// fitBlock fits text in the largest font size from maxSize down to minSize at
// which it takes one line, or otherwise at minSize in at most maxLines lines,
// cut short with an ellipsis if need be.
//
// Style "I" is the regular face slanted: there is no italic font embedded.
func fitBlock(pdf *gofpdf.Fpdf, text, style string, colour int, maxSize, minSize float64, maxLines int, gap float64) textBlock {
	italic := style == "I"
	if italic {
		style = ""
	}
	size := maxSize
	var lines []string
	for ; ; size-- {
		pdf.SetFont(fontFamily, style, size)
		lines = pdf.SplitText(text, contentWidth)
		if len(lines) <= 1 || size <= minSize {
			break
		}
	}
	lines = truncateLines(pdf, lines, contentWidth, maxLines)
	return textBlock{lines: lines, style: style, italic: italic, size: size, colour: colour, gap: gap}
}

func (b textBlock) lineHeight() float64 { return b.size * ptToMM * 1.3 }

func (b textBlock) height() float64 { return b.gap + float64(len(b.lines))*b.lineHeight() }

// draw writes the block centred from y down and returns the y below it.
func (b textBlock) draw(pdf *gofpdf.Fpdf, y float64) float64 {
	y += b.gap
	setText(pdf, b.colour)
	pdf.SetFont(fontFamily, b.style, b.size)
	for _, line := range b.lines {
		if b.italic {
			pdf.TransformBegin()
			pdf.TransformSkewX(italicSlant, pageW/2, y+b.lineHeight()/2)
		}
		centred(pdf, y, b.lineHeight(), line)
		if b.italic {
			pdf.TransformEnd()
		}
		y += b.lineHeight()
	}
	return y
}

// statusBox is the red box telling that a certificate is not valid.
type statusBox struct {
	word, caption, reason string
}

// newStatusBox returns the box for a certificate that is not valid, or nil for
// a valid one.
func newStatusBox(d PDFData) *statusBox {
	word, caption, _ := statusBanner(d.Status)
	if word == "" {
		return nil
	}
	return &statusBox{word: word, caption: caption, reason: printable(d.StatusReason)}
}

const (
	statusBoxWidth = 190.0
	statusBoxGap   = 5.0 // space above the box
)

// reasonLines returns the reason wrapped to the box, in at most two lines.
func (s *statusBox) reasonLines(pdf *gofpdf.Fpdf) []string {
	if s.reason == "" {
		return nil
	}
	pdf.SetFont(fontFamily, "", 10)
	return truncateLines(pdf, pdf.SplitText(textReason+s.reason, statusBoxWidth-10), statusBoxWidth-10, 2)
}

func (s *statusBox) height(pdf *gofpdf.Fpdf) float64 {
	return statusBoxGap + 15 + 5*float64(len(s.reasonLines(pdf)))
}

// draw draws the box from y down.
func (s *statusBox) draw(pdf *gofpdf.Fpdf, y float64) {
	x := (pageW - statusBoxWidth) / 2
	setDraw(pdf, colourRed)
	pdf.SetLineWidth(0.6)
	pdf.SetFillColor(255, 255, 255)
	pdf.Rect(x, y+statusBoxGap, statusBoxWidth, s.height(pdf)-statusBoxGap, "DF")

	setText(pdf, colourRed)
	pdf.SetFont(fontFamily, "B", 14)
	pdf.SetXY(x, y+statusBoxGap+2)
	pdf.CellFormat(statusBoxWidth, 6, s.word, "", 2, "C", false, 0, "")
	pdf.SetFont(fontFamily, "B", 10)
	pdf.SetX(x)
	pdf.CellFormat(statusBoxWidth, 5, s.caption, "", 2, "C", false, 0, "")
	lines := s.reasonLines(pdf)
	setText(pdf, colourText)
	pdf.SetFont(fontFamily, "", 10)
	for _, line := range lines {
		pdf.SetX(x)
		pdf.CellFormat(statusBoxWidth, 5, line, "", 2, "C", false, 0, "")
	}
}

// drawFacts draws the dates and the number at the bottom left.
func drawFacts(pdf *gofpdf.Fpdf, d PDFData) {
	y := bottomRowTop + 2
	fact := func(label, value string) {
		setText(pdf, colourMuted)
		pdf.SetFont(fontFamily, "", 8.5)
		pdf.SetXY(contentLeft, y)
		pdf.CellFormat(80, 4, label, "", 2, "L", false, 0, "")
		setText(pdf, colourText)
		pdf.SetFont(fontFamily, "B", 11)
		pdf.SetX(contentLeft)
		pdf.CellFormat(80, 5.5, value, "", 2, "L", false, 0, "")
		y += 11.5
	}
	fact(textIssuedAt, dutchDate(d.IssuedAt))
	if d.ExpiresAt != nil {
		fact(textExpiresAt, dutchDate(*d.ExpiresAt))
	}
	fact(textNumber, printable(d.Number))
}

// drawSignature draws the signature line with the signer's role, centred.
func drawSignature(pdf *gofpdf.Fpdf) {
	const lineY = bottomRowTop + 27
	x := (pageW - signatureWidth) / 2
	setDraw(pdf, colourText)
	pdf.SetLineWidth(0.3)
	pdf.Line(x, lineY, x+signatureWidth, lineY)
	setText(pdf, colourText)
	pdf.SetFont(fontFamily, "B", 10)
	pdf.SetXY(x, lineY+1.5)
	pdf.CellFormat(signatureWidth, 5, textSigner, "", 2, "C", false, 0, "")
	setText(pdf, colourMuted)
	pdf.SetFont(fontFamily, "", 9)
	pdf.SetX(x)
	pdf.CellFormat(signatureWidth, 4.5, textIssuer, "", 2, "C", false, 0, "")
}

// drawQR draws a QR code of url at the bottom right, with a caption under it.
// The code is drawn as vector squares from gozxing's encoder (error
// correction M, which survives a crease or a smudge on paper) rather than
// through gofpdf's contrib/barcode, which keeps every code ever registered in
// a process-wide map and embeds it as a lossy JPEG. gozxing picks the mask
// about five times faster than boombuler/barcode, which matters at a fifth
// of the cost of a whole certificate.
func drawQR(pdf *gofpdf.Fpdf, url string) error {
	code, err := encoder.Encoder_encode(url, decoder.ErrorCorrectionLevel_M, nil)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	matrix := code.GetMatrix()
	n := matrix.GetWidth()
	module := qrSize / float64(n)
	x0, y0 := qrRight-qrSize, bottomRowTop
	dark := func(col, row int) bool { return matrix.Get(col, row) == 1 }
	pdf.SetFillColor(0, 0, 0)
	for row := 0; row < n; row++ {
		for col := 0; col < n; {
			if !dark(col, row) {
				col++
				continue
			}
			run := col
			for run < n && dark(run, row) {
				run++
			}
			// One square per run of dark modules, overlapping the next
			// row a little so that no hairline shows between rows.
			pdf.Rect(x0+float64(col)*module, y0+float64(row)*module,
				float64(run-col)*module, module+0.02, "F")
			col = run
		}
	}
	drawVerifyCaption(pdf, url, y0+qrSize+4)
	return nil
}

// drawVerifyCaption writes the verify caption right-aligned under the QR code,
// breaking the URL after a slash where it is too long for one line.
func drawVerifyCaption(pdf *gofpdf.Fpdf, url string, y float64) {
	const width = 82.0
	x := qrRight - width
	setText(pdf, colourMuted)
	pdf.SetFont(fontFamily, "B", 8)
	pdf.SetXY(x, y)
	pdf.CellFormat(width, 4, textVerify, "", 2, "R", false, 0, "")
	pdf.SetFont(fontFamily, "", 7.5)
	for _, line := range truncateLines(pdf, splitURL(pdf, printable(url), width), width, 2) {
		pdf.SetX(x)
		pdf.CellFormat(width, 3.6, line, "", 2, "R", false, 0, "")
	}
}

// splitURL breaks url into lines no wider than width, after a slash where it
// can and anywhere where it must.
func splitURL(pdf *gofpdf.Fpdf, url string, width float64) []string {
	var lines []string
	for url != "" {
		if pdf.GetStringWidth(url) <= width {
			return append(lines, url)
		}
		cut := 0 // the longest prefix that fits
		for i := range url {
			if i > 0 && pdf.GetStringWidth(url[:i]) > width {
				break
			}
			cut = i
		}
		if slash := strings.LastIndexByte(url[:cut], '/'); slash > 0 {
			cut = slash + 1
		}
		if cut == 0 { // not even one character fits: give up on wrapping
			return append(lines, url)
		}
		lines = append(lines, url[:cut])
		url = url[cut:]
	}
	return lines
}

// truncateLines keeps the first maxLines of lines, ending the last one kept
// with an ellipsis, after a whole word where it can, when lines were dropped.
func truncateLines(pdf *gofpdf.Fpdf, lines []string, width float64, maxLines int) []string {
	if len(lines) <= maxLines {
		return lines
	}
	lines = lines[:maxLines]
	last := strings.TrimSpace(lines[maxLines-1])
	for last != "" && pdf.GetStringWidth(last+" …") > width {
		if i := strings.LastIndexByte(last, ' '); i > 0 {
			last = strings.TrimSpace(last[:i])
		} else {
			_, size := utf8.DecodeLastRuneInString(last)
			last = last[:len(last)-size]
		}
	}
	lines[maxLines-1] = last + " …"
	return lines
}

// centred writes one line of text centred across the content width at y.
func centred(pdf *gofpdf.Fpdf, y, h float64, text string) {
	pdf.SetXY(contentLeft, y)
	pdf.CellFormat(contentWidth, h, text, "", 0, "C", false, 0, "")
}

// printable makes s safe for gofpdf and the page: valid UTF-8, runs of
// whitespace and control characters as one space, and runes beyond the Basic
// Multilingual Plane (which gofpdf cannot embed, and the Go fonts lack) as "?".
func printable(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return '?'
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	return strings.Join(strings.Fields(s), " ")
}

func setText(pdf *gofpdf.Fpdf, rgb int) { pdf.SetTextColor(rgb>>16, rgb>>8&0xFF, rgb&0xFF) }
func setDraw(pdf *gofpdf.Fpdf, rgb int) { pdf.SetDrawColor(rgb>>16, rgb>>8&0xFF, rgb&0xFF) }
