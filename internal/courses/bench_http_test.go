package courses_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// BenchmarkLessonPage measures a published lesson page for a visitor
// through the whole app (middleware, one query, cached revision, template).
func BenchmarkLessonPage(b *testing.B) {
	db := testdb.New(b)
	mustPublishedB(b, db)
	app := webtest.NewApp(b, db)
	req := httptest.NewRequest(http.MethodGet, "/cursussen/proef/les/les-1", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := app.Test(req, -1)
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("%v %v", err, res.StatusCode)
		}
		res.Body.Close()
	}
}
