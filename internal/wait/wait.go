// Package wait is the context-aware sleep behind policy.SystemClock, the
// real Clock that the policy, the retrying transport and the limiter use
// when none is injected.
//
// Runtime helper: policy imports it from non-test code.
package wait

import (
	"context"
	"time"
)

// Sleep waits for d or until ctx is done, whichever comes first, and
// returns ctx's error in the second case. A context that is already done
// returns its error at once, even for a zero d, so that the outcome does
// not depend on which of two ready channels select picks.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
