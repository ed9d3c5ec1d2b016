package redact

import (
	"github.com/apierr/apierr/internal/leak"
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

// FuzzPlanted plants a fake secret of a fuzz-chosen family (with the label
// that names it, for families recognised only where the text says they are
// credentials) between fuzz-chosen text, and checks the property the package
// promises: no piece of the secret, leak.Window characters long, is in the
// output, unless the surrounding text itself holds that piece.
func FuzzPlanted(f *testing.F) {
	fams := leak.Families()
	f.Add("Incorrect API key provided: ", ". You can find your API key at https://x.", uint8(0), uint64(1))
	f.Add(`{"error":{"message":"`, `"}}`, uint8(5), uint64(2))
	f.Add(`\n`, `\u0022`, uint8(17), uint64(3))
	f.Add("OPENAI_API_KEY_", "_x", uint8(1), uint64(4))
	f.Add("%3D", "%26", uint8(3), uint64(5))
	f.Add("", "", uint8(20), uint64(6))
	f.Fuzz(func(t *testing.T, before, after string, family uint8, seed uint64) {
		fam := fams[int(family)%len(fams)]
		secret := fam.Make(seed)
		text := before + fam.Label + secret + fam.Suffix + after
		out := String(text)
		c := leak.Case{Secret: secret, Keep: fam.Keep}
		piece := c.Found(out)
		if piece == "" {
			return
		}
		// The fuzzer may have written the piece itself, or text that makes
		// the secret part of a longer word the redactor reads differently
		// (a label glued into another word); only a piece that the
		// surrounding text does not explain is a leak.
		if strings.Contains(before+fam.Label, piece) || strings.Contains(fam.Suffix+after, piece) {
			return
		}
		t.Errorf("family %s: %q leaks\nin:  %q\nout: %q", fam.Name, piece, text, out)
	})
}
