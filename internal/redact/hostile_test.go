package redact_test

import (
	"bytes"
	"testing"

	"github.com/apierr/apierr/internal/redact"
	"github.com/apierr/apierr/internal/testkit/hostile"
)

var sinkString string
var sinkBytes []byte

// BenchmarkCredentialsHostile times the recogniser alone (no cut at
// MaxLen) on every hostile text of issue 18 at 8, 16, 32 and 64 KiB,
// next to one bytes.ToLower pass over the same bytes, and reports the
// ratio (x-lower).
func BenchmarkCredentialsHostile(b *testing.B) {
	for _, ht := range hostile.Texts {
		for _, n := range hostile.Sizes {
			s := ht.Make(n)
			raw := []byte(s)
			b.Run(ht.Name+"/"+sizeName(n), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(n))
				lib, low := alternate(b, func() { sinkString = redact.Credentials(s) }, func() { sinkBytes = bytes.ToLower(raw) })
				b.ReportMetric(lib, "redact-ns/op")
				b.ReportMetric(low, "tolower-ns/op")
				b.ReportMetric(lib/low, "x-lower")
			})
		}
	}
}
