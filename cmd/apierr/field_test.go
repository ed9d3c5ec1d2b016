package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apierr/apierr/internal/redact"
)

// TestFieldCap feeds explain and classify a plain-text body of 1 MiB (text,
// control characters, invalid UTF-8 and a key at its end) and checks that
// every printed field stays within fieldMax bytes, that a field whose
// escapes would pass it is cut and ends with the cut mark (the request id,
// which classify reads whole, always is), that the output is valid UTF-8
// (and JSON for classify), and that the key is not printed.
func TestFieldCap(t *testing.T) {
	key := "sk-proj-" + strings.Repeat("Ab3dE5fG7h", 6)
	for _, unit := range []string{"upstream failed ", "\x01\x02\x1b[31m", "\xff\xfe", "line\n"} {
		body := strings.Repeat(unit, (1<<20)/len(unit)) + key
		curl := "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n\r\n" + body
		line, _ := json.Marshal(map[string]any{"status": 502, "headers": map[string]string{"Content-Type": "text/plain", "X-Request-Id": body}, "body": body})
		for name, r := range map[string]struct {
			args  []string
			stdin string
		}{
			"explain":  {[]string{"explain", "--max-body", "8388608"}, curl},
			"classify": {[]string{"classify", "--max-body", "8388608"}, string(line) + "\n"},
		} {
			var out, errOut bytes.Buffer
			if code := run(r.args, strings.NewReader(r.stdin), &out, &errOut); code != exitOK {
				t.Fatalf("%s %q: exit %d: %s", name, unit, code, errOut.String())
			}
			o := out.String()
			if !utf8.ValidString(o) || strings.Contains(o, key[8:20]) {
				t.Errorf("%s %q: valid UTF-8 %v, key printed %v", name, unit, utf8.ValidString(o), strings.Contains(o, key[8:20]))
			}
			if (name == "classify" || strings.ContainsAny(unit, "\x01\n")) && !strings.Contains(o, redact.CutMark) {
				t.Errorf("%s %q: no field was cut", name, unit)
			}
			if name == "classify" {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Errorf("classify %q: output is not JSON: %v", unit, err)
				}
				// message and request_id, each at most fieldMax, and
				// the rest.
				if len(o) > 2*fieldMax+1024 {
					t.Errorf("classify %q: %d bytes printed", unit, len(o))
				}
				continue
			}
			if len(o) > fieldMax+4096 {
				t.Errorf("explain %q: %d bytes printed", unit, len(o))
			}
		}
	}
}
