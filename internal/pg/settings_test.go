package pg

import (
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"
)

// withParams adds key=value parameters to a DSN in either form.
func withParams(t *testing.T, dsn string, kv ...string) string {
	if !strings.Contains(dsn, "://") {
		for i := 0; i < len(kv); i += 2 {
			dsn += " " + kv[i] + "=" + kv[i+1]
		}
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for i := 0; i < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// TestIdleInTransactionDefault checks that every pooled connection ends a
// transaction left idle (see idleParam), unless the DSN says otherwise. It
// is an internal test, so it cannot use pgtest (which imports this
// package) and makes its schema itself.
func TestIdleInTransactionDefault(t *testing.T) {
	t.Parallel()
	base := os.Getenv("TESTIGO_TEST_POSTGRES")
	if base == "" {
		t.Skip("TESTIGO_TEST_POSTGRES is not set: skipping the PostgreSQL tests")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := "t_idle_" + strings.ToLower(rand.Text()[:10])
	if _, err := admin.ExecContext(t.Context(), `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	for _, c := range []struct {
		params []string
		want   string
	}{
		{[]string{"search_path", schema}, "1min"},
		{[]string{"search_path", schema, "idle_in_transaction_session_timeout", "0"}, "0"},
	} {
		st, err := Open(t.Context(), withParams(t, base, c.params...))
		if err != nil {
			t.Fatal(err)
		}
		var got string
		err = st.db.QueryRowContext(t.Context(), `SHOW idle_in_transaction_session_timeout`).Scan(&got)
		st.Close()
		if err != nil || got != c.want {
			t.Errorf("%s: idle_in_transaction_session_timeout = %q, %v; want %q", c.params, got, err, c.want)
		}
	}
}
