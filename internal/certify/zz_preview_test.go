package certify

import (
	"os"
	"os/exec"
	"testing"
)

func TestZZPreview(t *testing.T) {
	dir := os.Getenv("PREVIEW_DIR")
	if dir == "" {
		t.Skip()
	}
	long := testPDFData()
	long.HolderName = "Maria Josephina Catharina van den Heuvel-Ouwehand de Bruijn"
	long.Title = "Adviseur Werken 2.0: samenwerken, digitaal werken en netwerken in de publieke sector voor gevorderden"
	long.Status = "revoked"
	long.StatusReason = "Bij controle bleek het bewijs van praktijkervaring vervalst. Dit is een lange reden die over meerdere regels kan lopen om te zien of het past in het vak."
	course := testPDFData()
	course.HolderName = "Zoë Ćosić"
	course.ExpiresAt = nil
	course.Title = "Samenwerken in netwerken: de basis"
	course.Achievement = "heeft met goed gevolg de cursus afgerond"
	course.Status = "expired"
	extreme := long
	extreme.HolderName = "Maria Josephina Catharina van den Heuvel-Ouwehand de Bruijn en Johannes Wilhelmus Petrus Maria Aloysius Çelik-Østergaard"
	extreme.Achievement = "heeft met goed gevolg de cursus afgerond en daarbij alle praktijkopdrachten, toetsen en reflectieverslagen ingeleverd en voldoende beoordeeld gekregen van de docent"
	extreme.Title = extreme.Title + " en nog een heel stuk extra tekst om de titel over twee regels te laten lopen en nog verder"
	extreme.Status = "suspended"
	extreme.VerifyURL = "https://leeromgeving.ambtenaar20.rijksoverheid.example.nl/verifieer/W20-ADV-2026-000123-2?bron=qr"
	for name, d := range map[string]PDFData{"valid": testPDFData(), "long": long, "course": course, "extreme": extreme} {
		b := mustRenderPDF(t, d)
		p := dir + "/" + name + ".pdf"
		os.WriteFile(p, b, 0o644)
		exec.Command("pdftoppm", "-png", "-r", os.Getenv("DPI"), "-singlefile", p, dir+"/"+name).Run()
	}
}
