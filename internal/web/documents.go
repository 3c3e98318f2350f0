package web

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/testigo-project/testigo"
)

func (h *handler) loadDocument(ctx context.Context, idText string) (*testigo.Document, error) {
	id, err := pathID(idText)
	if err != nil {
		return nil, err
	}
	return h.Store.FindDocument(ctx, testigo.DocumentID(id))
}

func (h *handler) showDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toDocumentJSON(d))
	return nil
}

// rawDocument serves the archived raw bytes, always as plain text so that an
// archived page can never run in the reader's browser.
func (h *handler) rawDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if h.Blobs == nil {
		return fmt.Errorf("%w: no archive is configured", testigo.ErrNotFound)
	}
	rc, err := h.Blobs.Open(d.SHA256)
	if err != nil {
		return fmt.Errorf("raw capture %s: %w", d.SHA256, err)
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", "inline")
	w.Header().Set("X-Testigo-SHA256", string(d.SHA256))
	if _, err := io.Copy(w, rc); err != nil {
		// Headers are sent; the client sees a truncated body. Log only.
		h.Logger.Warn("raw capture copy failed", "sha256", d.SHA256, "err", err)
	}
	return nil
}
