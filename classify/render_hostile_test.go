package classify_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/redact"
	"github.com/apierr/apierr/internal/testkit/hostile"
)

// renderInputs are the results whose rendering is timed, at size n: a
// result whose message is each hostile body of issue 8 (the classifier's
// inputs, which a proxy could equally put in a message) and each hostile
// text of issue 18. The message is what one bytes.ToLower pass reads.
func renderInputs(n int) (names []string, results []classify.Result) {
	add := func(name, msg string) {
		names = append(names, name)
		results = append(results, classify.Result{Category: catalog.Unavailable, Status: 502, Retryable: true, Message: msg, Type: "upstream_error", RequestID: "req_011CbzRugheav4hCSLt618Z7"})
	}
	for _, hi := range hostile.Inputs {
		if _, _, body := hi.Make(n); len(body) > 0 {
			add("body_"+hi.Name, string(body))
		}
	}
	for _, ht := range hostile.Texts {
		add("text_"+ht.Name, ht.Make(n))
	}
	return names, results
}

// render renders r the ways the library does: String and every field of
// LogValue.
func render(r classify.Result) {
	renderSink = r.String()
	renderValueSink = r.LogValue().Resolve().Group()
}

// renderer returns a function that renders r and a twin of r in turn: the
// twin's message differs in its last byte. The redactor remembers the last
// long text it redacted, so that rendering one result twice (String, then
// LogValue) scans its message once; alternating two results keeps that
// memo from serving one call of the benchmark to the next, as for a stream
// of distinct failures.
func renderer(r classify.Result) func() {
	twin := r
	if n := len(r.Message); n > 0 {
		last := byte('!')
		if r.Message[n-1] == last {
			last = '?'
		}
		twin.Message = r.Message[:n-1] + string(last)
	}
	pair, k := [2]classify.Result{r, twin}, 0
	return func() {
		render(pair[k&1])
		k++
	}
}

var (
	renderSink      string
	renderValueSink any
)

// BenchmarkHostileRender times rendering (Result.String and LogValue, which
// redact every field) of each hostile result next to one bytes.ToLower pass
// over its message, alternately, at 8, 16, 32 and 64 KiB, and reports the
// ratio (x-lower). The acceptance of issue 18: every ratio at most 20.
func BenchmarkHostileRender(b *testing.B) {
	for _, n := range hostile.Sizes {
		names, results := renderInputs(n)
		for i, r := range results {
			raw := []byte(r.Message)
			b.Run(names[i]+"/"+sizeName(n), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(raw)))
				lib, low := alternateCPU(b, 8, renderer(r), func() {
					bytesToLowerSink = bytes.ToLower(raw)
				})
				b.ReportMetric(lib, "render-ns/op")
				b.ReportMetric(low, "tolower-ns/op")
				b.ReportMetric(lib/low, "x-lower")
			})
		}
	}
}

// BenchmarkHostileRenderDoubling times rendering each hostile result at a
// size and at twice that size alternately and reports the ratio
// (x-double): at most 2.1 for linear work.
func BenchmarkHostileRenderDoubling(b *testing.B) {
	for k := 0; k+1 < len(hostile.Sizes); k++ {
		n := hostile.Sizes[k]
		names, small := renderInputs(n)
		_, big := renderInputs(2 * n)
		for i := range small {
			b.Run(names[i]+"/"+sizeName(2*n)+"-vs-"+sizeName(n), func(b *testing.B) {
				b.ReportAllocs()
				x, y := alternateCPU(b, 8, renderer(big[i]), renderer(small[i]))
				b.ReportMetric(x/y, "x-double")
			})
		}
	}
}

// TestRenderBounded pins the rendered size: whatever the message (64 KiB
// of hostile text, invalid UTF-8, random bytes), String renders at most
// redact.MaxLen bytes of it plus its fixed prefix, valid UTF-8, and so does
// every field of LogValue.
func TestRenderBounded(t *testing.T) {
	_, results := renderInputs(64 << 10)
	for _, r := range results {
		s := r.String()
		if len(s) > redact.MaxLen+64 || !utf8.ValidString(s) {
			t.Errorf("String of a %d-byte message: %d bytes, valid UTF-8 %v", len(r.Message), len(s), utf8.ValidString(s))
		}
		for _, a := range r.LogValue().Resolve().Group() {
			if v := a.Value.String(); len(v) > redact.MaxLen || !utf8.ValidString(v) {
				t.Errorf("LogValue %s of a %d-byte message: %d bytes, valid UTF-8 %v", a.Key, len(r.Message), len(v), utf8.ValidString(v))
			}
		}
	}
}
