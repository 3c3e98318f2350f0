// Package testigo holds the domain of testigo, a monitor that documents covert
// military strike campaigns from public reporting and keeps a record anyone can
// verify: sources, archived documents, the reports extracted from them, the
// incidents those reports describe, and the review of those incidents.
//
// The package imports only the standard library. Adapters (the SQLite store,
// the web handlers, the extractor) live in subpackages of internal/ and depend
// on the types and interfaces declared here.
//
// testigo observes and documents what has been publicly reported. No type here
// plans, predicts, recommends or selects targets, and nothing tracks the
// movements of forces or individuals.
package testigo

// Version is the version of testigo, recorded with every extraction and shown
// by "testigo version".
const Version = "0.1.0-dev"
