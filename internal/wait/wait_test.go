package wait_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/apierr/apierr/internal/wait"
)

// TestSleep: a live context lets a zero wait end with nil; a done one
// returns its error, for any wait, every time.
func TestSleep(t *testing.T) {
	if err := wait.Sleep(context.Background(), 0); err != nil {
		t.Errorf("live context, zero wait: %v, want nil", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 100 {
		for _, d := range []int64{0, 1, 1e9} {
			if err := wait.Sleep(ctx, time.Duration(d)); !errors.Is(err, context.Canceled) {
				t.Fatalf("done context, wait %d: %v, want context.Canceled", d, err)
			}
		}
	}
}
