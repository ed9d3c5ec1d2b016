package redact

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStringMemo checks that remembering the last long text changes no
// result: an equal text (a different copy) gets the same redaction, a text
// of the same length that differs gets its own, and texts too short or too
// long to be remembered are redacted as before.
func TestStringMemo(t *testing.T) {
	secret := "sk-proj-" + strings.Repeat("AbC123xYz", 4)
	long := func(fill, key string) string {
		return strings.Repeat(fill, memoMin/len(fill)) + " api_key=" + key
	}
	a := long("model gpt-4o ", secret)
	b := long("model gpt-4o ", "sk-proj-"+strings.Repeat("ZzZ987qQq", 4))
	clean := long("model gpt-4o ", strings.Repeat("x", len(secret))[:len(secret)-1]+"y")
	huge := strings.Repeat("request req_abc ", memoMax/16+1) + secret
	short := "key " + secret
	for _, tc := range []struct{ name, in string }{
		{"long", a},
		{"equal copy", strings.Clone(a)},
		{"same length, other key", b},
		{"same length, no key", clean},
		{"long again", a},
		{"short", short},
		{"longer than memoMax", huge},
		{"longer than memoMax again", huge},
	} {
		if diff := cmp.Diff(redactString(tc.in), String(tc.in)); diff != "" {
			t.Errorf("%s: String differs from a scan without the memo (-scan +String):\n%s", tc.name, diff)
		}
	}
	if got := String(a); strings.Contains(got, secret[8:]) {
		t.Errorf("the remembered result leaks the key: %q", got[len(got)-40:])
	}
	if m := memo.Load(); m == nil || m.in != a {
		t.Errorf("the memo does not hold the last long text rendered")
	}
	if String(huge); memo.Load().in == huge {
		t.Errorf("a text longer than memoMax is kept alive by the memo")
	}
}

// TestStringMemoConcurrent renders several long texts from many goroutines
// at once: each gets its own redaction whatever the others store in the
// memo (run with -race).
func TestStringMemoConcurrent(t *testing.T) {
	var texts []string
	for k := range 4 {
		key := "sk-" + strings.Repeat(string(rune('A'+k))+"1b2C", 6)
		texts = append(texts, strings.Repeat("the model is overloaded ", memoMin/24+1)+key)
	}
	want := make([]string, len(texts))
	for k, s := range texts {
		want[k] = redactString(s)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 200 {
				k := (g + n) % len(texts)
				if got := String(texts[k]); got != want[k] {
					t.Errorf("goroutine %d, text %d: got %q, want %q", g, k, got[len(got)-30:], want[k][len(want[k])-30:])
					return
				}
			}
		})
	}
	wg.Wait()
}
