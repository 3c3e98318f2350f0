package geo

import "testing"

func mustLoad(tb testing.TB) *Gazetteer {
	tb.Helper()
	g, err := Load()
	if err != nil {
		tb.Fatal(err)
	}
	return g
}
