package exporter

import (
	"encoding/json"
	"fmt"
)

// Publication is what an export run's transparency-log entry records: the
// digest of the file written, its format, the filters and the row count.
type Publication struct {
	Subject string `json:"subject"`
	Format  Format `json:"format"`
	SHA256  string `json:"sha256"`
	Rows    int64  `json:"rows"`
	Filter  Filter `json:"filter"`
	BaseURL string `json:"base_url,omitempty"`
}

// PublicationSubject names an export of the given format as a log subject.
func PublicationSubject(f Format) string { return "export:" + string(f) }

// Content returns the canonical JSON of the publication entry.
func (p Publication) Content() ([]byte, error) {
	p.Subject = PublicationSubject(p.Format)
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("publication entry: %w", err)
	}
	return b, nil
}
