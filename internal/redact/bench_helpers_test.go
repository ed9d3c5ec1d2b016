package redact_test

import (
	"strconv"
	"testing"
	"time"
)

func sizeName(n int) string { return strconv.Itoa(n>>10) + "KiB" }

// alternate runs x and y in alternating chunks of eight calls for b.N
// calls each and returns their mean times in nanoseconds, so that drift of
// the machine affects both alike.
func alternate(b *testing.B, x, y func()) (xNs, yNs float64) {
	var tx, ty time.Duration
	n := 0
	for b.Loop() {
		if n%8 == 0 {
			t0 := time.Now()
			for range 8 {
				x()
			}
			t1 := time.Now()
			for range 8 {
				y()
			}
			tx += t1.Sub(t0)
			ty += time.Since(t1)
		}
		n++
	}
	calls := float64(max(8, (n+7)/8*8))
	return float64(tx.Nanoseconds()) / calls, float64(ty.Nanoseconds()) / calls
}
