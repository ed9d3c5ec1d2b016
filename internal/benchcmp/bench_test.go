package benchcmp

import (
	"testing"
	"time"

	"github.com/valyala/fastjson"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/internal/testkit/hostile"
)

// alternate runs x and y alternately, a chunk of calls of each at a time,
// for as long as b asks, and returns the nanoseconds per call of each (as
// classify's benchmarks do): the machine's drift affects both alike.
func alternate(b *testing.B, x, y func()) (xNs, yNs float64) {
	const chunk = 64
	var tx, ty time.Duration
	n := 0
	for b.Loop() {
		if n%chunk == 0 {
			start := time.Now()
			for range chunk {
				x()
			}
			tx += time.Since(start)
			start = time.Now()
			for range chunk {
				y()
			}
			ty += time.Since(start)
		}
		n++
	}
	runs := float64((n + chunk - 1) / chunk * chunk)
	return float64(tx.Nanoseconds()) / runs, float64(ty.Nanoseconds()) / runs
}

// input returns the hostile input named name at n bytes.
func input(b *testing.B, name string, n int) (int, []byte) {
	for _, in := range hostile.Inputs {
		if in.Name == name {
			status, _, body := in.Make(n)
			return status, body
		}
	}
	b.Fatalf("no hostile input %q", name)
	return 0, nil
}

// BenchmarkJunkVsFastjson: a whole classification of a 64 KiB plain-text
// 500 body (a log dump, a stack trace) next to fastjson parsing the same
// bytes, which fails on them as soon as they stop being JSON. The ratio
// (x-fastjson) is the acceptance figure of issue 8: at most 10.
func BenchmarkJunkVsFastjson(b *testing.B) {
	for _, name := range []string{"junk_500_text", "stack_trace_500"} {
		status, body := input(b, name, 64<<10)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var p fastjson.Parser
			lib, fj := alternate(b, func() {
				classify.Classify(status, nil, body)
			}, func() {
				_, _ = p.ParseBytes(body)
			})
			b.ReportMetric(lib, "classify-ns/op")
			b.ReportMetric(fj, "fastjson-ns/op")
			b.ReportMetric(lib/fj, "x-fastjson")
		})
	}
}

// TestComparedBodies: the bodies compared are what the benchmark says: not
// JSON to fastjson, and a server error with the text as its message to
// apierr.
func TestComparedBodies(t *testing.T) {
	for _, name := range []string{"junk_500_text", "stack_trace_500"} {
		for _, in := range hostile.Inputs {
			if in.Name != name {
				continue
			}
			status, _, body := in.Make(64 << 10)
			var p fastjson.Parser
			if _, err := p.ParseBytes(body); err == nil {
				t.Errorf("%s: fastjson parsed it", name)
			}
			r := classify.Classify(status, nil, body)
			if r.Category.String() != "server_error" || len(r.Message) == 0 || r.Format != "text" {
				t.Errorf("%s: %v, format %s, message of %d bytes", name, r.Category, r.Format, len(r.Message))
			}
		}
	}
}
