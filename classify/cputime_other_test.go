//go:build !linux

package classify_test

import "testing"

// alternateCPU falls back to the wall clock where the thread's CPU clock is
// not read.
func alternateCPU(b *testing.B, chunk int, x, y func()) (xNs, yNs float64) {
	return alternateChunks(b, chunk, x, y)
}
