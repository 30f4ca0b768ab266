package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// CSV writes a table the way a Dutch spreadsheet opens it without asking:
// UTF-8 with a byte order mark, ";" between cells, CRLF line ends, numbers
// with a decimal comma, dates as dd-mm-jjjj. Text that a spreadsheet would
// run as a formula (starting with =, +, -, @, a tab or a carriage return) is
// prefixed with an apostrophe, so a title such as =HYPERLINK(…) stays text.
// Every CSV the application writes goes through here.
type CSV struct {
	buf bytes.Buffer
	w   *csv.Writer
}

// Money is an amount in euro cents, written as 895,00.
type Money int64

// Decimal is a number written with a decimal comma and Places decimals.
type Decimal struct {
	Value  float64
	Places int
}

// Date is a day, written as dd-mm-jjjj in Dutch time; the zero time is empty.
type Date time.Time

// NewCSV starts a table with its header row.
func NewCSV(header ...string) *CSV {
	x := &CSV{}
	x.buf.WriteString("\uFEFF")
	x.w = csv.NewWriter(&x.buf)
	x.w.Comma = ';'
	x.w.UseCRLF = true
	x.Row(anySlice(header)...)
	return x
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Row adds one row. A cell is text (string), a number (int, int64, float64,
// Decimal, Money), a Date, a time.Time or *time.Time (a date), or nil
// (empty); anything else is written as text with fmt.
func (x *CSV) Row(cells ...any) {
	rec := make([]string, len(cells))
	for i, v := range cells {
		rec[i] = csvCell(v)
	}
	_ = x.w.Write(rec) // writes to a bytes.Buffer, which does not fail
}

func csvCell(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return CSVText(t)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return decimalComma(strconv.FormatFloat(t, 'f', -1, 64))
	case Decimal:
		return decimalComma(strconv.FormatFloat(t.Value, 'f', t.Places, 64))
	case Money:
		sign := ""
		if t < 0 {
			sign, t = "-", -t
		}
		return fmt.Sprintf("%s%d,%02d", sign, t/100, t%100)
	case Date:
		return csvDate(time.Time(t))
	case time.Time:
		return csvDate(t)
	case *time.Time:
		if t == nil {
			return ""
		}
		return csvDate(*t)
	}
	return CSVText(fmt.Sprint(v))
}

func decimalComma(s string) string { return strings.Replace(s, ".", ",", 1) }

func csvDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Amsterdam).Format("02-01-2006")
}

// CSVText is s as a text cell that no spreadsheet runs as a formula.
func CSVText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Bytes is the whole file.
func (x *CSV) Bytes() []byte {
	x.w.Flush()
	return x.buf.Bytes()
}

// Send answers with the table as a download named filename.
func (x *CSV) Send(c *fiber.Ctx, filename string) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(x.Bytes())
}
