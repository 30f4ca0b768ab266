package scorm_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/scorm"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// mustImport reads a course folder and imports it as a draft.
func mustImport(t *testing.T, db *bun.DB, fsys fs.FS) *courses.Course {
	t.Helper()
	doc, err := courses.ReadFolder(fsys)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := courses.NewService(db).Import(context.Background(), doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mustPackage exports the course with id.
func mustPackage(t *testing.T, db *bun.DB, cfg scorm.Config, id int64) (string, map[string][]byte) {
	t.Helper()
	name, b, err := scorm.New(courses.NewService(db), cfg).Package(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return name, unzip(t, b)
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := out[f.Name]; dup {
			t.Fatalf("%s twice in the zip", f.Name)
		}
		out[f.Name] = data
	}
	return out
}

// The manifest as an LMS reads it: by namespace, not by prefix.
const (
	nsCP    = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
	nsADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
)

type mManifest struct {
	XMLName       xml.Name `xml:"http://www.imsproject.org/xsd/imscp_rootv1p1p2 manifest"`
	Identifier    string   `xml:"identifier,attr"`
	Schema        string   `xml:"metadata>schema"`
	SchemaVersion string   `xml:"metadata>schemaversion"`
	Organizations struct {
		Default      string `xml:"default,attr"`
		Organization []struct {
			Identifier string  `xml:"identifier,attr"`
			Title      string  `xml:"title"`
			Items      []mItem `xml:"item"`
		} `xml:"organization"`
	} `xml:"organizations"`
	Resources []mResource `xml:"resources>resource"`
}

type mItem struct {
	Identifier    string  `xml:"identifier,attr"`
	IdentifierRef string  `xml:"identifierref,attr"`
	Title         string  `xml:"title"`
	Items         []mItem `xml:"item"`
	MasteryScore  string  `xml:"http://www.adlnet.org/xsd/adlcp_rootv1p2 masteryscore"`
	MaxTime       string  `xml:"http://www.adlnet.org/xsd/adlcp_rootv1p2 maxtimeallowed"`
}

type mResource struct {
	Identifier string `xml:"identifier,attr"`
	Type       string `xml:"type,attr"`
	ScormType  string `xml:"http://www.adlnet.org/xsd/adlcp_rootv1p2 scormtype,attr"`
	Href       string `xml:"href,attr"`
	Files      []struct {
		Href string `xml:"href,attr"`
	} `xml:"file"`
	Dependencies []struct {
		IdentifierRef string `xml:"identifierref,attr"`
	} `xml:"dependency"`
}

func parseManifest(t *testing.T, files map[string][]byte) *mManifest {
	t.Helper()
	b, ok := files["imsmanifest.xml"]
	if !ok {
		t.Fatal("no imsmanifest.xml at the root")
	}
	m := &mManifest{}
	if err := xml.Unmarshal(b, m); err != nil {
		t.Fatalf("imsmanifest.xml: %v\n%s", err, b)
	}
	return m
}

// validateXSD checks imsmanifest.xml against ADL's SCORM 1.2 schema files
// shipped in the package, with libxml2's xmllint (Debian libxml2-utils).
func validateXSD(t *testing.T, files map[string][]byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint not found: install it with `apt-get install -y libxml2-utils` (make test does this when run as root)")
	}
	dir := t.TempDir()
	for name, b := range files {
		if filepath.Dir(name) == "." {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// One schema that imports every namespace the manifest uses, so that
	// xmllint checks the adlcp attributes and elements strictly too.
	all := `<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x-test:all" elementFormDefault="qualified">
  <xsd:import namespace="` + nsCP + `" schemaLocation="imscp_rootv1p1p2.xsd"/>
  <xsd:import namespace="` + nsADLCP + `" schemaLocation="adlcp_rootv1p2.xsd"/>
  <xsd:import namespace="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1" schemaLocation="imsmd_rootv1p2p1.xsd"/>
</xsd:schema>`
	if err := os.WriteFile(filepath.Join(dir, "all.xsd"), []byte(all), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join(dir, "all.xsd"), filepath.Join(dir, "imsmanifest.xml")).CombinedOutput()
	if err != nil {
		t.Fatalf("imsmanifest.xml is not valid against the SCORM 1.2 schemas: %v\n%s", err, out)
	}
}
