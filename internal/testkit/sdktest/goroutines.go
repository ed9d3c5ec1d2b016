package sdktest

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// benignFrames mark goroutines that outlive the tests by design: the test
// runner's own and the runtime's signal handling.
var benignFrames = []string{
	"testing.(*M).",
	"testing.RunTests",
	"testing.runFuzz",
	"os/signal.signal_recv",
	"os/signal.loop",
	"runtime.ensureSigM",
}

// Main runs m's tests and exits; with the tests passed, it fails the run
// when goroutines that they started are still running a few seconds
// later (a body never closed, a handler never released, a timer's
// callback stuck), and prints their stacks. Call it from TestMain:
//
//	func TestMain(m *testing.M) { sdktest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if leaked := Leaked(5 * time.Second); leaked != "" {
			fmt.Fprintf(os.Stderr, "sdktest: goroutines still running after the tests:\n\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

// Leaked returns the stacks of the goroutines other than the caller's and
// the benign ones, waiting up to wait for them to end (connections and
// handlers wind down after a test returns); "" when none is left. It
// closes http.DefaultTransport's idle connections each time it looks, whose
// goroutines are not leaks.
func Leaked(wait time.Duration) string {
	deadline := time.Now().Add(wait)
	for delay := time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		// A connection that a late handler or body close returns to the
		// pool after one call is idle too: closed again on every look.
		if t, ok := http.DefaultTransport.(*http.Transport); ok {
			t.CloseIdleConnections()
		}
		left := others()
		if len(left) == 0 {
			return ""
		}
		if time.Now().After(deadline) {
			return strings.Join(left, "\n\n")
		}
		time.Sleep(delay)
	}
}

// others returns the stacks of every goroutine but the caller's and the
// benign ones.
func others() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	stacks := bytes.Split(buf, []byte("\n\n"))
	var left []string
	for _, s := range stacks[1:] { // the first is the caller's
		st := string(bytes.TrimSpace(s))
		if st == "" || benign(st) {
			continue
		}
		left = append(left, st)
	}
	return left
}

func benign(stack string) bool {
	for _, f := range benignFrames {
		if strings.Contains(stack, f) {
			return true
		}
	}
	return false
}
