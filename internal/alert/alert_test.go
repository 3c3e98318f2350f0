package alert_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/alert"
)

const secret = "correct horse battery staple"

func TestValidate(t *testing.T) {
	good := []testigo.Alert{
		{Name: "all published"},
		{Name: "México", Country: "MX", Type: testigo.TypeVesselStrike, Grade: testigo.GradeFair, Since: "2025-09-01", Until: "2025-09-01"},
		{Name: "hook", WebhookURL: "https://hooks.example.org/testigo?token=x", Secret: secret},
		{Name: "plain http", WebhookURL: "http://10.0.0.5:8080/hook", Secret: secret},
	}
	for _, a := range good {
		if err := alert.Validate(&a); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", a, err)
		}
	}
	bad := []struct {
		name string
		a    testigo.Alert
		want []string // parts of the message
	}{
		{"no name", testigo.Alert{Name: " "}, []string{"name is empty"}},
		{"padded name", testigo.Alert{Name: " x"}, []string{"starts or ends with a space"}},
		{"control in name", testigo.Alert{Name: "a\nb"}, []string{"control character"}},
		{"long name", testigo.Alert{Name: strings.Repeat("x", 201)}, []string{"201 bytes", "at most 200"}},
		{"country", testigo.Alert{Name: "x", Country: "Mexico"}, []string{`country "Mexico"`, "alpha-2"}},
		{"unknown type", testigo.Alert{Name: "x", Type: "drone"}, []string{`type "drone" is not one of`, "air_drone_strike", "vessel_strike", "attribution_claim"}},
		{"unknown grade", testigo.Alert{Name: "x", Grade: "good"}, []string{`grade "good" is not one of confirmed, fair, weak, contested, discounted`}},
		{"bad since", testigo.Alert{Name: "x", Since: "2025-13-01"}, []string{`since "2025-13-01"`, "YYYY-MM-DD"}},
		{"reversed dates", testigo.Alert{Name: "x", Since: "2025-10-01", Until: "2025-09-01"}, []string{"since 2025-10-01 is after until 2025-09-01"}},
		{"ftp webhook", testigo.Alert{Name: "x", WebhookURL: "ftp://example.org/", Secret: secret}, []string{`"ftp://example.org/" is not an http or https URL`}},
		{"relative webhook", testigo.Alert{Name: "x", WebhookURL: "/hook", Secret: secret}, []string{"not an http or https URL"}},
		{"webhook without host", testigo.Alert{Name: "x", WebhookURL: "https:///hook", Secret: secret}, []string{"has no host"}},
		{"webhook without secret", testigo.Alert{Name: "x", WebhookURL: "https://example.org/"}, []string{"a webhook needs a secret"}},
		{"short secret", testigo.Alert{Name: "x", WebhookURL: "https://example.org/", Secret: "short"}, []string{"5 bytes long, at least 16"}},
		{"secret without webhook", testigo.Alert{Name: "x", Secret: secret}, []string{"secret was given without a webhook URL"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			err := alert.Validate(&tc.a)
			if !errors.Is(err, testigo.ErrInvalid) {
				t.Fatalf("Validate = %v, want an error wrapping ErrInvalid", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("message has more than one line: %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not say %q", msg, w)
				}
			}
		})
	}
}

func TestMatch(t *testing.T) {
	inc := testigo.Incident{ID: 7, Type: testigo.TypeVesselStrike, Date: "2025-11-03", Grade: testigo.GradeFair,
		Place: testigo.Place{Country: "VE"}, Review: testigo.ReviewPublished}
	undated := inc
	undated.Date = ""
	unpublished := inc
	unpublished.Review = testigo.ReviewInReview
	merged := inc
	merged.MergedInto = 3
	cases := []struct {
		name string
		a    testigo.Alert
		inc  testigo.Incident
		want bool
	}{
		{"no filter", testigo.Alert{}, inc, true},
		{"every field", testigo.Alert{Country: "VE", Type: testigo.TypeVesselStrike, Grade: testigo.GradeFair, Since: "2025-11-03", Until: "2025-11-03"}, inc, true},
		{"other country", testigo.Alert{Country: "CO"}, inc, false},
		{"other type", testigo.Alert{Type: testigo.TypeAirDroneStrike}, inc, false},
		{"other grade", testigo.Alert{Grade: testigo.GradeConfirmed}, inc, false},
		{"before since", testigo.Alert{Since: "2025-11-04"}, inc, false},
		{"after until", testigo.Alert{Until: "2025-11-02"}, inc, false},
		{"undated with since", testigo.Alert{Since: "2025-01-01"}, undated, false},
		{"undated without dates", testigo.Alert{Country: "VE"}, undated, true},
		{"not published", testigo.Alert{}, unpublished, false},
		{"merged away", testigo.Alert{}, merged, false},
	}
	for _, tc := range cases {
		if got := alert.Match(&tc.a, &tc.inc); got != tc.want {
			t.Errorf("%s: Match = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestSignVector checks Sign against RFC 4231's test case 2.
func TestSignVector(t *testing.T) {
	got := alert.Sign("Jefe", []byte("what do ya want for nothing?"))
	want := "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

// verify checks a signature header the way a receiver would, with the
// standard library only.
func verify(secret string, body []byte, header string) bool {
	hexSum, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	sum, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(sum, m.Sum(nil))
}
