package database_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/database"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// Every form of connection string libpq accepts reaches the same server:
// a URL with the socket directory as host parameter or as an encoded host,
// and keyword=value pairs. Strings that are not connection strings are
// refused with a message naming the forms.
func TestConnector_LibpqForms(t *testing.T) {
	admin := os.Getenv(testdb.EnvURL)
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	sock := u.Query().Get("host")
	if !strings.HasPrefix(sock, "/") {
		t.Fatalf("the test cluster's URL %q names no socket directory", admin)
	}
	forms := []string{
		admin,
		"postgres://postgres@/postgres?host=" + sock,
		"postgresql:///postgres?host=" + sock + "&user=postgres&sslmode=disable",
		"postgres://postgres@" + urlPathEscape(sock) + "/postgres",
		"host=" + sock + " dbname=postgres user=postgres",
		"host='" + sock + "' port=5432 dbname=postgres user=postgres application_name=leeromgeving connect_timeout=5",
	}
	for _, dsn := range forms {
		db, err := database.Open(dsn)
		if err != nil {
			t.Errorf("%s: %v", dsn, err)
			continue
		}
		var one int
		if err := database.Ping(context.Background(), db, 5*time.Second); err != nil {
			t.Errorf("%s: %v", dsn, err)
		} else if err := db.QueryRow("SELECT 1").Scan(&one); err != nil || one != 1 {
			t.Errorf("%s: SELECT 1 = %d, %v", dsn, one, err)
		}
		db.Close()
	}
	for _, bad := range []string{"mysql://x", "postgres://a b@/", "host=/tmp dbname", "postgres://x:%zz@h/db"} {
		if _, err := database.Connector(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

func urlPathEscape(p string) string { return strings.ReplaceAll(p, "/", "%2F") }
