package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// The CLI takes DATABASE_URL in every form libpq accepts; a string that is
// none of them is refused with the forms it expects.
func TestRun_DatabaseURLForms(t *testing.T) {
	dbURL := testdb.NewURL(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	sock, name, user := u.Query().Get("host"), strings.TrimPrefix(u.Path, "/"), u.User.Username()
	for _, dsn := range []string{
		dbURL,
		"postgres:///" + name + "?host=" + sock + "&user=" + user,
		"host=" + sock + " dbname=" + name + " user=" + user + " sslmode=disable",
	} {
		var out strings.Builder
		env := func(k string) string {
			if k == "DATABASE_URL" {
				return dsn
			}
			return ""
		}
		if err := run(t.Context(), []string{"migrate", "status"}, env, &out); err != nil || !strings.Contains(out.String(), "uitgevoerd") {
			t.Errorf("%s: %v\n%s", dsn, err, out.String())
		}
	}
	var out strings.Builder
	err = run(t.Context(), []string{"migrate", "status"}, func(k string) string {
		if k == "DATABASE_URL" {
			return "mysql://root@localhost/db"
		}
		return ""
	}, &out)
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") || !strings.Contains(err.Error(), "host=/run/postgresql") {
		t.Errorf("a MySQL URL: %v", err)
	}
}

// Every migration can be rolled back on a database full of data (the
// demo), and applied again, after which the schema takes new data.
func TestRun_MigrateDownToZeroAndUpWithData(t *testing.T) {
	dbURL, _ := demoURL(t)
	env := func(k string) string {
		switch k {
		case "DATABASE_URL":
			return dbURL
		case "LEEROMGEVING_DATA_DIR":
			return t.TempDir()
		}
		return ""
	}
	var out strings.Builder
	for i := 0; ; i++ {
		out.Reset()
		if err := run(t.Context(), []string{"migrate", "down"}, env, &out); err != nil {
			t.Fatalf("down: %v\n%s", err, out.String())
		}
		if strings.Contains(out.String(), "Niets om terug te draaien") {
			break
		}
		if i > 100 {
			t.Fatal("migrate down never reached zero")
		}
	}
	db := testdb.Open(t, dbURL)
	var tables int
	if err := db.NewRaw("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'bun_%'").Scan(t.Context(), &tables); err != nil || tables != 0 {
		t.Fatalf("%d tables left after rolling everything back (%v)", tables, err)
	}
	out.Reset()
	if err := run(t.Context(), []string{"migrate", "up"}, env, &out); err != nil {
		t.Fatalf("up: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"user", "create", "--email", "na@migratie.example", "--name", "Na Migratie", "--role", "admin"}, env, &out); err != nil {
		t.Fatalf("a user after up: %v\n%s", err, out.String())
	}
}
