package policy

import (
	"context"
	"time"

	"github.com/apierr/apierr/internal/wait"
)

// Clock tells the time and waits. It is the one way to inject time into
// the library: the Policy (elapsed times, deadlines), its Retrier, the
// retrying transport (package retryhttp: the waits before retries) and the
// shared limiter (package pace) all read it from the Policy or take one of
// their own of this type. A Clock implements backoff.Clock.
//
// Nil means the real time ([SystemClock]). Tests and simulations inject a
// virtual clock whose Sleep advances Now instead of waiting; under such a
// clock give a context a deadline on the clock's own timeline.
//
// A Clock must be safe for concurrent use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or until ctx is done, whichever comes first, and
	// returns ctx's error in the second case. A d of zero or less returns
	// at once (with ctx's error when ctx is already done).
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real time: time.Now, and a timer for Sleep. Its zero
// value is ready to use.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for d with a timer, or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error { return wait.Sleep(ctx, d) }

// clock returns p's Clock, or the real time.
func (p *Policy) clock() Clock {
	if p.Clock != nil {
		return p.Clock
	}
	return SystemClock{}
}
