package certify

import (
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }
