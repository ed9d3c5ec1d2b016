package classify

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/apierr/apierr/internal/testkit/fixture"
)

// seedBodies adds the published bodies of testdata/real to a fuzz corpus.
func seedBodies(f *testing.F, add func(status int, header string, body []byte)) {
	cases, err := fixture.Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		add(c.Status, c.Headers["Retry-After"], []byte(c.Body))
	}
}

// FuzzClassify: any status, Retry-After value and body classify without a
// panic, the same way twice, into a result that keeps its invariants.
func FuzzClassify(f *testing.F) {
	seedBodies(f, func(status int, ra string, body []byte) { f.Add(status, ra, "", body) })
	f.Add(429, "Wed, 25 Nov 2026 03:00:30 GMT", "false", []byte(`{"error":{"message":"Please try again in 1m9.696s."}}`))
	f.Add(200, "", "", []byte("data: {\"error\":{\"message\":\"x\",\"type\":\"overloaded_error\"}}\n\n"))
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	c := Classifier{Now: func() time.Time { return now }, MaxBodyBytes: 4096}
	f.Fuzz(func(t *testing.T, status int, retryAfter, shouldRetry string, body []byte) {
		h := http.Header{
			"Retry-After":                  {retryAfter},
			"X-Should-Retry":               {shouldRetry},
			"X-Ratelimit-Reset-Tokens":     {retryAfter},
			"X-Ratelimit-Remaining-Tokens": {"0"},
		}
		r := c.Classify(status, h, body)
		if again := c.Classify(status, h, body); again != r {
			t.Fatalf("two answers:\n%+v\n%+v", r, again)
		}
		for _, s := range []string{r.Message, r.Type, r.Code, r.Param} {
			if !utf8.ValidString(s) || strings.TrimSpace(s) != s {
				t.Fatalf("field %q is not trimmed valid UTF-8", s)
			}
		}
		if r.RetryAfter < 0 || r.RateLimitReset < 0 {
			t.Fatalf("negative delay: %+v", r)
		}
		if r.RetryAfterSource == "" && r.RetryAfter != 0 {
			t.Fatalf("delay without a source: %+v", r)
		}
		if why := nextInconsistency(r); why != "" {
			t.Fatalf("%s: %+v", why, r)
		}
		if r.OK {
			if r.Category.String() != "unknown" || r.Retryable || r.Rule != RuleNoError {
				t.Fatalf("OK result %+v", r)
			}
			return
		}
		if r.Hint == "" || r.Rule == "" {
			t.Fatalf("no hint or rule: %+v", r)
		}
		if len(r.Message) > 4*len(body)+8 {
			t.Fatalf("message of %d bytes from a body of %d", len(r.Message), len(body))
		}
		switch strings.TrimSpace(shouldRetry) {
		case "true":
			if !r.Retryable {
				t.Fatalf("x-should-retry: true ignored: %+v", r)
			}
		case "false":
			if r.Retryable {
				t.Fatalf("x-should-retry: false ignored: %+v", r)
			}
		default:
			if status == 501 && r.Retryable && r.Category.String() == "server_error" {
				t.Fatalf("501 retryable: %+v", r)
			}
		}
		_ = r.String()
		_ = r.LogValue().String()
	})
}

// FuzzPhraseDuration: the delay phrase parser never panics and never
// returns a negative delay; folding case while parsing is parsing the
// lowered text; and the one-pass delay search finds what a plain search
// of the lowered text for each lead, match after match, finds.
func FuzzPhraseDuration(f *testing.F) {
	for _, s := range []string{"20s", "644ms", "1.5s", "6 seconds", "1m9.696s", "2 minutes", "1h", "9999999999999999999h", ".5s", "5", "", "1.s",
		"Please try again in 20m", "TRY try again in 5s", "wait 2s, or Try again in 0.00000000000000000000001s"} {
		f.Add(s, false)
	}
	f.Add("Please try again in 20m", true)
	f.Fuzz(func(t *testing.T, s string, cut bool) {
		d, n, ok := phraseDuration(strings.ToLower(s), false)
		if d < 0 || (!ok && (d != 0 || n != 0)) || n > len(s) {
			t.Fatalf("phraseDuration(%q) = %v, %d, %v", s, d, n, ok)
		}
		df, nf, okf := phraseDuration(s, true)
		dl, nl, okl := phraseDuration(asciiLower(s), false)
		if df != dl || nf != nl || okf != okl {
			t.Fatalf("phraseDuration(%q, fold) = %v, %d, %v; on the lowered text %v, %d, %v", s, df, nf, okf, dl, nl, okl)
		}
		if _, ok := messageDelay(strings.ToLower(s), false, cut); ok && !strings.Contains(strings.ToLower(s), "try") && !strings.Contains(strings.ToLower(s), "wait") {
			t.Fatalf("messageDelay found a delay in %q without a phrase", s)
		}
		d1, ok1 := messageDelay(s, true, cut)
		d2, ok2 := messageDelay(asciiLower(s), false, cut)
		if d1 != d2 || ok1 != ok2 {
			t.Fatalf("messageDelay(%q) = %v, %v; on the lowered text %v, %v", s, d1, ok1, d2, ok2)
		}
		d3, ok3 := refMessageDelay(asciiLower(s), cut)
		if d1 != d3 || ok1 != ok3 {
			t.Fatalf("messageDelay(%q, cut %v) = %v, %v; the plain search finds %v, %v", s, cut, d1, ok1, d3, ok3)
		}
	})
}

// cutOff is runsToEnd written with a regular expression.
func cutOff(rest string) bool {
	return cutOffRE.MatchString(rest)
}

var cutOffRE = regexp.MustCompile(`^ ?(?:[A-Za-z]|[0-9]\.?)*$`)

// refMessageDelay is messageDelay written plainly on lowered text, with
// strings.Index from each match's end.
func refMessageDelay(low string, cut bool) (time.Duration, bool) {
	if len(low) <= 32 && !strings.ContainsAny(low, "0123456789") {
		return 0, false
	}
	for _, lead := range []string{"try ", "wait "} {
		rest := low
		for {
			i := strings.Index(rest, lead)
			if i < 0 {
				break
			}
			rest = rest[i+len(lead):]
			after := rest
			for _, w := range []string{"again in ", "again after ", "after ", "in ", "for "} {
				if strings.HasPrefix(after, w) {
					after = after[len(w):]
					break
				}
			}
			if d, n, ok := phraseDuration(after, false); ok {
				if cut && cutOff(after[n:]) {
					// Cut: ignored. It runs to the end, so no later
					// match of this lead follows; the next lead's
					// phrases are still complete.
					break
				}
				return d, true
			}
		}
	}
	return 0, false
}

// FuzzMatch checks the fast string helpers against the obvious ones.
func FuzzMatch(f *testing.F) {
	f.Add("Rate limit reached. Please TRY again in 20s", "try again in ")
	f.Add("@[`{ AZaz ÀÉ", "az")
	f.Fuzz(func(t *testing.T, s, needle string) {
		want := asciiLower(s)
		if got := string(appendLower(nil, s)); got != want {
			t.Fatalf("appendLower(%q) = %q, want %q", s, got, want)
		}
		if needle == "" {
			return
		}
		if got, want := indexAnchored(s, needle, anchor(needle)), strings.Index(s, needle); got != want {
			t.Fatalf("indexAnchored(%q, %q) = %d, want %d", s, needle, got, want)
		}
		if got, want := indexFold(s, needle, anchor(needle)), strings.Index(asciiLower(s), asciiLower(needle)); got != want {
			t.Fatalf("indexFold(%q, %q) = %d, want %d", s, needle, got, want)
		}
		p := compilePattern(needle)
		lowered := asciiLower(s)
		frags := strings.Split(asciiLower(needle), "*")
		want2, rest := true, lowered
		for _, fr := range frags {
			i := strings.Index(rest, fr)
			if i < 0 {
				want2 = false
				break
			}
			rest = rest[i+len(fr):]
		}
		if got := p.match(lowered, false); got != want2 {
			t.Fatalf("pattern %q on %q = %v, want %v", needle, lowered, got, want2)
		}
		if got := p.match(s, true); got != want2 {
			t.Fatalf("pattern %q on %q, folding = %v, want %v", needle, s, got, want2)
		}
		if got := matchFold(s, needle); got != want2 {
			t.Fatalf("matchFold(%q, %q) = %v, want %v", s, needle, got, want2)
		}
		if len(lowered) <= MessageScanLimit {
			// The long-message path: byte counts and the trigram set.
			var c byteCounts
			c.add([]byte(lowered))
			if got := p.matchCounted(lowered, &c); got != want2 {
				t.Fatalf("pattern %q on %q, counted = %v, want %v", needle, lowered, got, want2)
			}
		}
	})
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func TestAppendLowerTable(t *testing.T) {
	for _, s := range []string{"", "A", "@[`{", "AZaz09", "Hello World ABCXYZ abcxyz @[`{ 0123456789 ÀÉ Ünïcödé AZ az", "@@@@@@@@[[[[[[[[````````{{{{{{{{AAAAAAAAZZZZZZZZ\xff\xfe"} {
		if got, want := string(appendLower([]byte("prefix:"), s)), "prefix:"+asciiLower(s); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestCodeTable: every catalog code is found in any ASCII case, with the
// rules that name it, and other strings are not.
func TestCodeTable(t *testing.T) {
	want := map[string]ruleBits{}
	for i, r := range builtin.rules {
		for _, c := range r.Codes {
			bits := want[strings.ToLower(c)]
			bits.add(i)
			want[strings.ToLower(c)] = bits
		}
	}
	for lc, bits := range want {
		for _, s := range []string{lc, strings.ToUpper(lc), strings.ToUpper(lc[:1]) + lc[1:]} {
			if got := builtin.codeRules(s, 0); got != bits {
				t.Errorf("codeRules(%q) = %b, want %b", s, got, bits)
			}
		}
		// A code that repeats the status selects only the rules that
		// need a phrase too.
		if st, err := strconv.Atoi(lc); err == nil && st >= 100 && st <= 999 {
			if got, want := builtin.codeRules(lc, st), bits.and(builtin.contains); got != want {
				t.Errorf("codeRules(%q, %d) = %b, want %b", lc, st, got, want)
			}
			if got := builtin.codeRules(lc, st+1); got != bits {
				t.Errorf("codeRules(%q, %d) = %b, want %b", lc, st+1, got, bits)
			}
		}
	}
	for _, s := range []string{"tokens", "requests", "rate_limit_exceede", "rate_limit_exceededx", "ǅ", "invalid_request_error "} {
		if got := builtin.codeRules(s, 0); got != (ruleBits{}) {
			t.Errorf("codeRules(%q) = %b, want none", s, got)
		}
	}
}
