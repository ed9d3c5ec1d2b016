package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzString(f *testing.F) {
	for _, tc := range cases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := String(in)
		if again := String(out); again != out {
			t.Errorf("not idempotent:\nin:    %q\nout:   %q\nagain: %q", in, out, again)
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Errorf("invalid UTF-8 output %q for valid input %q", out, in)
		}
		if n := longestSKBody(out); n >= 20 {
			t.Errorf("output %q keeps %d key characters after \"sk-\" (input %q)", out, n, in)
		}
		// Every replacement writes its own "***" and grows the text by at
		// most two bytes.
		if limit := len(in) + 2*strings.Count(out, mask); len(out) > limit {
			t.Errorf("output %q is %d bytes, more than %d for input %q", out, len(out), limit, in)
		}
		if !strings.Contains(out, mask) && out != in {
			t.Errorf("output %q changed input %q without masking anything", out, in)
		}
	})
}

// longestSKBody returns the longest run of key characters that directly
// follows an "sk-" at a token boundary in s.
func longestSKBody(s string) int {
	longest := 0
	for i := 0; ; {
		j := strings.Index(s[i:], "sk-")
		if j < 0 {
			return longest
		}
		i += j
		if i == 0 || class[s[i-1]]&cKey == 0 {
			n := 0
			for k := i + 3; k < len(s) && class[s[k]]&cKey != 0; k++ {
				n++
			}
			longest = max(longest, n)
		}
		i += 3
	}
}
