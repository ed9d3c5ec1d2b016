package classify_test

import (
	"runtime"
	"syscall"
	"testing"
	"unsafe"
)

// threadCPU returns the CPU time the calling thread has used, in
// nanoseconds (CLOCK_THREAD_CPUTIME_ID): unlike the wall clock it does not
// count the time the thread waited while other processes ran.
func threadCPU() int64 {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

// alternateCPU is alternateChunks measured in the thread's CPU time
// instead of the wall clock: x and y run in alternating chunks of chunk
// calls on one locked thread, and their mean CPU times per call in
// nanoseconds are returned. On a machine that other work shares, the ratio
// of the two is then the ratio of the work done.
func alternateCPU(b *testing.B, chunk int, x, y func()) (xNs, yNs float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var tx, ty int64
	calls := 0
	for b.Loop() {
		if calls%chunk == 0 {
			t0 := threadCPU()
			for range chunk {
				x()
			}
			t1 := threadCPU()
			for range chunk {
				y()
			}
			tx += t1 - t0
			ty += threadCPU() - t1
		}
		calls++
	}
	n := float64((calls + chunk - 1) / chunk * chunk)
	return float64(tx) / n, float64(ty) / n
}
