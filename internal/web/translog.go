package web

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/proof"
)

// checkpoint answers the latest signed checkpoint of the transparency log.
func (h *handler) checkpoint(w http.ResponseWriter, r *http.Request) error {
	cps, err := h.Store.FindCheckpoints(r.Context())
	if err != nil {
		return err
	}
	if len(cps) == 0 {
		return fmt.Errorf("%w: no checkpoint has been signed yet", testigo.ErrNotFound)
	}
	c := cps[len(cps)-1]
	writeJSON(w, http.StatusOK, map[string]any{
		"tree_size":  c.Size,
		"root_hash":  hex.EncodeToString(c.Root[:]),
		"checkpoint": string(c.Note),
		"created_at": c.CreatedAt,
	})
	return nil
}

// proofOf answers the inclusion proof of a document (by sha256 or
// document:N), a report (report:N) or an incident (incident:N).
func (h *handler) proofOf(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	subject := ""
	if d, err := testigo.ParseDigest(id); err == nil {
		subject = "sha256:" + string(d)
	} else if kind, num, ok := strings.Cut(id, ":"); ok && (kind == "document" || kind == "report" || kind == "incident") {
		if n, err := strconv.ParseInt(num, 10, 64); err == nil && n > 0 {
			subject = id
		}
	}
	if subject == "" {
		return fmt.Errorf("%w: %q is not a sha256 digest or document:N, report:N, incident:N", testigo.ErrNotFound, id)
	}
	p, err := proof.ForSubject(r.Context(), h.Store, subject)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
