package scorm

import (
	"encoding/xml"
	"strings"
	"unicode/utf8"
)

// The namespaces and schema files of a SCORM 1.2 content package (ADL
// SCORM 1.2, Content Aggregation Model).
const (
	nsIMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
	nsADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
	nsIMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
	nsXSI   = "http://www.w3.org/2001/XMLSchema-instance"
)

// manifest is imsmanifest.xml. encoding/xml writes a name with a prefix
// ("adlcp:scormtype") as it is, which gives the usual SCORM 1.2 spelling;
// it also escapes every text and attribute and replaces characters XML
// cannot hold.
type manifest struct {
	XMLName        xml.Name      `xml:"manifest"`
	Identifier     string        `xml:"identifier,attr"`
	Version        string        `xml:"version,attr"`
	Xmlns          string        `xml:"xmlns,attr"`
	XmlnsADLCP     string        `xml:"xmlns:adlcp,attr"`
	XmlnsXSI       string        `xml:"xmlns:xsi,attr"`
	SchemaLocation string        `xml:"xsi:schemaLocation,attr"`
	Metadata       metadata      `xml:"metadata"`
	Organizations  organizations `xml:"organizations"`
	Resources      []resource    `xml:"resources>resource"`
}

type metadata struct {
	Schema        string `xml:"schema"`
	SchemaVersion string `xml:"schemaversion"`
}

type organizations struct {
	Default      string         `xml:"default,attr"`
	Organization []organization `xml:"organization"`
}

type organization struct {
	Identifier string `xml:"identifier,attr"`
	Structure  string `xml:"structure,attr"`
	Title      string `xml:"title"`
	Items      []item `xml:"item"`
}

// item is a module (with child items) or a SCO (with identifierref). The
// adlcp elements come after the title and child items, as the schema's
// sequence asks.
type item struct {
	Identifier      string `xml:"identifier,attr"`
	IdentifierRef   string `xml:"identifierref,attr,omitempty"`
	IsVisible       string `xml:"isvisible,attr"`
	Title           string `xml:"title"`
	Items           []item `xml:"item"`
	MaxTimeAllowed  string `xml:"adlcp:maxtimeallowed,omitempty"`
	TimeLimitAction string `xml:"adlcp:timelimitaction,omitempty"`
	MasteryScore    string `xml:"adlcp:masteryscore,omitempty"`
}

type resource struct {
	Identifier   string       `xml:"identifier,attr"`
	Type         string       `xml:"type,attr"`
	ScormType    string       `xml:"adlcp:scormtype,attr"`
	Href         string       `xml:"href,attr,omitempty"`
	Files        []file       `xml:"file"`
	Dependencies []dependency `xml:"dependency"`
}

type file struct {
	Href string `xml:"href,attr"`
}

type dependency struct {
	IdentifierRef string `xml:"identifierref,attr"`
}

func newManifest(identifier, version, title string) *manifest {
	return &manifest{
		Identifier: identifier, Version: version,
		Xmlns: nsIMSCP, XmlnsADLCP: nsADLCP, XmlnsXSI: nsXSI,
		SchemaLocation: nsIMSCP + " imscp_rootv1p1p2.xsd " + nsIMSMD + " imsmd_rootv1p2p1.xsd " + nsADLCP + " adlcp_rootv1p2.xsd",
		Metadata:       metadata{Schema: "ADL SCORM", SchemaVersion: "1.2"},
		Organizations: organizations{Default: "ORG-1", Organization: []organization{{
			Identifier: "ORG-1", Structure: "hierarchical", Title: xmlTitle(title),
		}}},
	}
}

func (m *manifest) encode() ([]byte, error) {
	b, err := xml.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// xmlTitle fits a title in the schema's 200 characters.
func xmlTitle(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= 200 {
		return s
	}
	return string([]rune(s)[:199]) + "…"
}

// identifier makes an xsd:ID (an NCName: a letter first, then letters,
// digits, '.', '-', '_') from prefix and a slug.
func identifier(prefix, slug string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, r := range slug {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
