package otelapierr_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them:
// the module starts none. The HTTP client's idle connections to the test
// servers are closed by the servers' Close; their reading loops may still
// be unwinding, which goleak waits for.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
