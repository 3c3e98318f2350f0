package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/testigo-project/testigo/internal/pg/pgtest"
)

// TestConcurrentFirstStart opens one fresh PostgreSQL schema from several
// processes at once, as a deployment's worker processes do on their first
// start with a new binary: every one must come up, and the migrations must
// be applied once.
func TestConcurrentFirstStart(t *testing.T) {
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	const procs = 4
	errs := make(chan error, procs)
	start := make(chan struct{})
	for range procs {
		go func() {
			<-start
			st, err := openStore(ctx, dsn)
			if err == nil {
				err = st.Close()
			}
			errs <- err
		}()
	}
	close(start)
	for range procs {
		if err := <-errs; err != nil {
			t.Errorf("open by one of %d processes starting together: %v", procs, err)
		}
	}
	out, err := runWithEnv(ctx, nil, "migrate", "--db", dsn)
	if err != nil || !strings.HasPrefix(out, "schema version "+strconv.FormatInt(newestMigration(t, "../../internal/pg/migrations"), 10)) {
		t.Errorf("migrate after the concurrent start: %q, %v", out, err)
	}
}
