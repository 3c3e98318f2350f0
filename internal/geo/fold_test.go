package geo

import "testing"

// FuzzFirstWordKey checks that the allocation-free reading of a text's
// first word agrees with tokenize.
func FuzzFirstWordKey(f *testing.F) {
	for _, s := range []string{" drone strike", "'s forces", "’ Sana'a", "Pakistan's army", "-- U.S. troops",
		"x\u0301y", "\xff\xfeZ", "", "  '", "ab'S", "o'Sx", "ÀÉÎ ǅ", "\u0301\u0301 a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		buf, toks := tokenize(s, nil, nil)
		want := ""
		if len(toks) > 0 {
			want = string(buf[toks[0].nstart:toks[0].nend])
		}
		if got := string(firstWordKey(s, nil)); got != want {
			t.Fatalf("firstWordKey(%q) = %q, tokenize reads %q", s, got, want)
		}
	})
}
