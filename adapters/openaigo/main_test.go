package openaigo_test

import (
	"testing"

	"github.com/apierr/apierr/internal/testkit/sdktest"
)

// TestMain fails the run when the tests leave goroutines behind (a body
// never closed, a handler never released).
func TestMain(m *testing.M) { sdktest.Main(m) }
