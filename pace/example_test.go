package pace_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/pace"
)

// Wait before every attempt, Observe after it: a window with 2 requests
// left for 3 seconds admits two at once; the third waits for the reset
// (plus the Spread).
func Example() {
	clock := &virtualClock{t: time.Now()}
	l := &pace.Limiter[string]{Clock: clock, Spread: 100 * time.Millisecond}
	start := clock.t
	h := http.Header{"X-Ratelimit-Remaining-Requests": {"2"}, "X-Ratelimit-Reset-Requests": {"3s"}}
	l.Observe("api.example.com", classify.Classify(200, h, nil), classify.ReadRateLimits(h, clock.t))
	for range 3 {
		if err := l.Wait(context.Background(), "api.example.com", 0); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("attempt at", clock.t.Sub(start))
	}
	// Output:
	// attempt at 0s
	// attempt at 0s
	// attempt at 3.1s
}

// virtualClock is a policy.Clock whose Sleep moves it on at once.
type virtualClock struct{ t time.Time }

func (c *virtualClock) Now() time.Time { return c.t }

func (c *virtualClock) Sleep(_ context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	return nil
}
