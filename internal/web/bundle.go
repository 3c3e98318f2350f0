package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/bundle"
)

// incidentBundle answers the incident's evidence bundle, the zip file
// 'testigo bundle' writes and 'testigo verify-bundle' checks offline. It is
// built in memory first, so that a failure is an error page, not half a
// zip.
func (h *handler) incidentBundle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if h.LogKey == "" || h.Blobs == nil {
		return fmt.Errorf("%w: evidence bundles are not available on this server", testigo.ErrNotFound)
	}
	inc, err := h.Store.FindIncident(r.Context(), testigo.IncidentID(id))
	if err != nil {
		return err
	}
	if inc.MergedInto != 0 {
		return &redirectError{to: fmt.Sprintf("/incidents/%d/bundle.zip", inc.MergedInto)}
	}
	var buf bytes.Buffer
	if err := bundle.Write(r.Context(), h.Store, h.Blobs, inc.ID, h.LogKey, &buf); err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/zip")
	hd.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="testigo-incident-%d.zip"`, inc.ID))
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes()) // the client may be gone; nothing to do about it
	return nil
}
